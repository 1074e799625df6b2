// The semantic layer's checks dbt makes at parse, each a parse error at the property entry that
// breaks it: a model's `time_spine:` must name columns the model declares, its standard column
// with a `granularity` (dbt's UnparsedModelUpdate); a project with semantic models needs a time
// spine of a day or finer, or a model named metricflow_time_spine (dbt's SemanticManifest, which
// fails parse and write without one); and, where metrics and semantic models both exist, the
// cheap rules of dbt-semantic-interfaces' validator that dbt runs then: a measure name belongs to
// one semantic model (SemanticModelMeasuresUniqueRule), and every measure aggregates over a time
// dimension of its semantic model (AggregationTimeDimensionRule); the other rules of that validator
// tsdbt makes are semantic-rules.ts' and metric-rules.ts'.
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { DeclaredResource, Manifest, ManifestNode } from '../manifest/types.js';
import { checkSemanticRules } from './semantic-rules.js';
import { checkMetricRules } from './metric-rules.js';
import { LEGACY_TIME_SPINE_MODEL, TIME_GRANULARITIES, finerThan, timeGranularity, type TimeGranularity } from '../manifest/time-granularity.js';
import { recordValues } from '../manifest/record-values.js';
import { nodePatch } from '../manifest/node-patch.js';

type Fail = (err: TsdbtError) => void;

const invalid = (message: string, location: SourceLocation, hint: string) => new TsdbtError(message, { code: 'semantic-manifest-invalid', location, hint });
const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
/** Python's repr of a list of names (['a', 'b']). */
const pyList = (names: string[]): string => `[${names.map((n) => `'${n}'`).join(', ')}]`;
const at = (resource: DeclaredResource): SourceLocation => ({ file: resource.original_file_path, line: resource.line });

/** Every check, reporting each problem through `fail`. */
export function checkSemanticLayer(manifest: Manifest, fail: Fail): void {
  const { grains: spines, configured } = checkTimeSpines(manifest, fail);
  const declared = Object.values(manifest.declared ?? {});
  const semanticModels = declared.filter((d) => d.resource_type === 'semantic_model');
  const first = semanticModels[0];
  if (!first) return;
  const finest = spines.reduce<TimeGranularity | null>((best, g) => (best === null || finerThan(g, best) ? g : best), null);
  const legacy = recordValues(manifest.nodes).some((n) => n.resource_type === 'model' && n.name === LEGACY_TIME_SPINE_MODEL);
  // (A configured spine that failed its own check was reported above.)
  if (!legacy && (finest === null || finerThan('day', finest)) && configured === spines.length) {
    fail(
      invalid(
        `The semantic layer requires a time spine model with granularity DAY or smaller in the project, but none was found (${finest ? `the finest is ${finest}` : 'no model has `time_spine:`'})`,
        at(first),
        'give a model of one row per day `time_spine: {standard_granularity_column: date_day}` in its property entry and `granularity: day` on that column (https://docs.getdbt.com/docs/build/metricflow-time-spine)',
      ),
    );
  }
  if (!declared.some((d) => d.resource_type === 'metric')) return;
  checkSemanticRules(manifest, fail);
  checkMetricRules(manifest, fail);
  const owners = new Map<string, string[]>();
  for (const model of semanticModels) {
    for (const measure of list(model.properties.measures)) if (typeof measure.name === 'string') (owners.get(measure.name) ?? owners.set(measure.name, []).get(measure.name))?.push(model.name);
  }
  for (const model of semanticModels) {
    const timeDimensions = new Set(list(model.properties.dimensions).filter((d) => String(d.type).toLowerCase() === 'time').map((d) => String(d.name)));
    const defaults = isPlainObject(model.properties.defaults) ? model.properties.defaults : {};
    for (const measure of list(model.properties.measures)) {
      const name = String(measure.name);
      const models = owners.get(name) ?? [];
      if (models.length > 1 && models[0] === model.name) {
        fail(invalid(`Found measure with name ${name} in multiple semantic models with names (${models.join(', ')})`, at(model), 'give each measure a name of its own across semantic models'));
      }
      const aggTime = measure.agg_time_dimension ?? defaults.agg_time_dimension;
      if (typeof aggTime !== 'string' || aggTime === '') {
        fail(
          invalid(
            `Aggregation time dimension for measure ${name} on semantic model ${model.name} is not set`,
            at(model),
            `set \`defaults: {agg_time_dimension: <a time dimension>}\` on semantic model '${model.name}' or \`agg_time_dimension:\` on the measure`,
          ),
        );
      } else if (!timeDimensions.has(aggTime)) {
        fail(
          invalid(
            `In semantic model '${model.name}', measure '${name}' has the aggregation time dimension set to '${aggTime}', which is not a valid time dimension in the semantic model`,
            at(model),
            `name one of its dimensions of \`type: time\` (${[...timeDimensions].join(', ') || 'it has none'})`,
          ),
        );
      }
    }
  }
}

/**
 * Checks each model's `time_spine:` against its columns (dbt's UnparsedModelUpdate.validate) and
 * returns the grains of the valid ones' standard columns, and how many models have one.
 */
function checkTimeSpines(manifest: Manifest, fail: Fail): { grains: TimeGranularity[]; configured: number } {
  const grains: TimeGranularity[] = [];
  let configured = 0;
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type !== 'model' || !node.time_spine) continue;
    configured++;
    const location = patchLocation(node);
    const names = Object.keys(node.columns);
    const standard = String(node.time_spine.standard_granularity_column);
    const column = node.columns[standard];
    if (!column) {
      fail(invalid(`Time spine standard granularity column must be defined on the model. Got invalid column name '${standard}' for model '${node.name}'. Valid names${node.latest_version !== undefined && node.latest_version !== null ? ' for latest version' : ''}: ${pyList(names)}.`, location, `list column '${standard}' under the model's \`columns:\`, or name one of its columns in \`standard_granularity_column\``));
      continue;
    }
    const grain = timeGranularity(column.granularity);
    if (!grain) {
      const message =
        column.granularity === undefined || column.granularity === null || column.granularity === ''
          ? `Time spine standard granularity column must have a granularity defined. Please add one for column '${standard}' in model '${node.name}'.`
          : `Time spine standard granularity column '${standard}' in model '${node.name}' has granularity '${String(column.granularity)}', which is no time grain.`;
      fail(invalid(message, location, `add \`granularity: day\` (or ${TIME_GRANULARITIES.filter((g) => g !== 'day').join(', ')}) to column '${standard}'`));
      continue;
    }
    const notFound = node.time_spine.custom_granularities.map((g) => String(g.column_name ?? g.name)).filter((name) => !(name in node.columns));
    if (notFound.length > 0) {
      fail(invalid(`Time spine custom granularity columns do not exist in the model. Columns not found: ${pyList(notFound)}; Available columns: ${pyList(names)}`, location, `list each custom granularity's column under the \`columns:\` of model '${node.name}' (its \`column_name\`, else its \`name\`)`));
      continue;
    }
    grains.push(grain);
  }
  return { grains, configured };
}

/** Where a model's property entry is (its time_spine's), else its file. */
function patchLocation(node: ManifestNode): SourceLocation {
  const patch = nodePatch<{ location?: SourceLocation }>(node);
  return patch?.location ?? { file: node.original_file_path, line: 1 };
}
