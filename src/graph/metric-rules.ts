// dbt-semantic-interfaces 0.9's rules on measures and metrics that dbt runs at parse where the
// project has both metrics and semantic models, with the validator's messages; errors fail the
// parse, the validator's warnings stay warnings (dbt fires them as SemanticValidationFailure):
// - CountAggregationExprRule: a `count` measure has an `expr` (`expr: 1` counts rows), never a
//   `distinct ...` one (count_distinct is the aggregation for that);
// - PercentileAggregationRule: a `percentile` measure has agg_params.percentile strictly between 0
//   and 1, a `median` one no other percentile and no use_discrete_percentile, and no other
//   aggregation has percentile parameters;
// - CumulativeMetricRule: not both a window and a grain_to_date;
// - DerivedMetricRule: input metrics are given, an alias is no input metric's name, not both
//   offset_window and offset_to_grain; warnings for a derived metric without `expr` and for an
//   input metric (or its alias) its `expr` does not use.
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { DeclaredResource, Manifest } from '../manifest/types.js';

type Fail = (err: TsdbtError) => void;
type Json = Record<string, unknown>;

const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const record = (value: unknown): Json => (isPlainObject(value) ? value : {});
const at = (resource: DeclaredResource): SourceLocation => ({ file: resource.original_file_path, line: resource.line });
const set = (value: unknown): boolean => value !== undefined && value !== null && value !== '' && value !== false;
/** Python's str() of a YAML number as pydantic keeps a float (1 -> '1.0'). */
const pyFloat = (value: unknown): string => (typeof value === 'number' && Number.isInteger(value) ? value.toFixed(1) : String(value));

/** The measure rules of one semantic model. */
function checkMeasures(sm: DeclaredResource, fail: Fail): void {
  const error = (message: string, hint: string) => fail(new TsdbtError(message, { code: 'semantic-manifest-invalid', location: at(sm), hint: `${hint} (https://docs.getdbt.com/docs/build/measures)` }));
  for (const measure of list(sm.properties.measures)) {
    const name = String(measure.name);
    const agg = String(measure.agg).toLowerCase();
    const expr = measure.expr === undefined || measure.expr === null ? null : String(measure.expr);
    if (agg === 'count') {
      if (expr === null) error(`Measure '${name}' uses a COUNT aggregation, which requires an expr to be provided. Provide 'expr: 1' if a count of all rows is desired.`, `add \`expr:\` to measure '${name}' of semantic model '${sm.name}'`);
      else if (expr.toLowerCase().startsWith('distinct ')) {
        error(
          `Measure '${name}' uses a 'count' aggregation with a DISTINCT expr: '${expr}'. This is not supported as it effectively converts an additive measure into a non-additive one, and this could cause certain queries to return incorrect results. Please use the count_distinct aggregation type.`,
          `write \`agg: count_distinct\` with the expression without DISTINCT`,
        );
      }
    }
    const params = isPlainObject(measure.agg_params) ? measure.agg_params : null;
    const percentile = params?.percentile;
    if (agg === 'percentile') {
      if (percentile === undefined || percentile === null) error(`Measure '${name}' uses a PERCENTILE aggregation, which requires agg_params.percentile to be provided.`, 'add `agg_params: {percentile: 0.5}` (a value between 0 and 1)');
      else if (typeof percentile === 'number' && (percentile <= 0 || percentile >= 1)) {
        error(
          `Percentile aggregation parameter for measure '${name}' is '${pyFloat(percentile)}', but must be between 0 and 1 (non-inclusive). For example, to indicate the 65th percentile value, set 'percentile: 0.65'. For percentile values of 0, please use MIN, for percentile values of 1, please use MAX.`,
          'set a percentile between 0 and 1',
        );
      }
    } else if (agg === 'median') {
      if (params && percentile !== undefined && percentile !== null && percentile !== 0.5) error(`Measure '${name}' uses a MEDIAN aggregation, while percentile is set to '${pyFloat(percentile)}', a conflicting value. Please remove the parameter or set to '0.5'.`, 'remove `agg_params.percentile`');
      if (params && params.use_discrete_percentile === true) error(`Measure '${name}' uses a MEDIAN aggregation, while use_discrete_percentile is set to true. Please remove the parameter or set to False.`, 'remove `agg_params.use_discrete_percentile`');
    } else if (params) {
      const wrong = ['percentile', 'use_discrete_percentile', 'use_approximate_percentile'].filter((key) => set(params[key]) && params[key] !== 0);
      if (wrong.length > 0) error(`Measure '${name}' with aggregation '${agg}' uses agg_params (${wrong.join(', ')}) only relevant to Percentile measures.`, `remove \`agg_params\` from measure '${name}', or write \`agg: percentile\``);
    }
  }
}

/** The cumulative and derived metric rules of one metric. */
function checkMetric(metric: DeclaredResource, manifest: Manifest, fail: Fail): void {
  const type = String(metric.properties.type).toLowerCase();
  const params = record(metric.properties.type_params);
  const error = (message: string, hint: string) => fail(new TsdbtError(message, { code: 'semantic-manifest-invalid', location: at(metric), hint: `${hint} (https://docs.getdbt.com/docs/build/${type}-metrics)` }));
  const warn = (message: string) => manifest.warnings.push({ message, location: at(metric) });
  if (type === 'cumulative') {
    const cumulative = record(params.cumulative_type_params);
    if (set(cumulative.window ?? params.window) && set(cumulative.grain_to_date ?? params.grain_to_date)) error('Both window and grain_to_date set for cumulative metric. Please set one or the other.', `keep \`window\` or \`grain_to_date\` on metric '${metric.name}'`);
  }
  if (type !== 'derived') return;
  const inputs = (Array.isArray(params.metrics) ? (params.metrics as unknown[]) : []).map((m) => (typeof m === 'string' ? { name: m } : record(m)));
  if (inputs.length === 0) error(`No input metrics found for derived metric '${metric.name}'. Please add metrics to type_params.metrics.`, 'list the metrics it reads under `type_params.metrics`');
  const used = new Set(inputs.map((m) => String(m.name)));
  for (const input of inputs) {
    if (typeof input.alias === 'string' && input.alias !== '' && used.has(input.alias)) {
      error(`Alias '${input.alias}' for input metric: '${String(input.name)}' is already being used. Please choose another alias.`, 'give the input metric an alias no other input metric is named');
      used.add(input.alias);
    }
    if (set(input.offset_window) && set(input.offset_to_grain)) error(`Both offset_window and offset_to_grain set for derived metric '${metric.name}' on input metric '${String(input.name)}'. Please set one or the other.`, 'keep `offset_window` or `offset_to_grain`');
  }
  const expr = params.expr === undefined || params.expr === null || params.expr === '' ? null : String(params.expr);
  if (expr === null) warn(`No \`expr\` set for derived metric ${metric.name}. Please add an \`expr\` that references all input metrics.`);
  else {
    for (const input of inputs) {
      const name = typeof input.alias === 'string' && input.alias !== '' ? input.alias : String(input.name);
      if (!expr.includes(name)) warn(`Input metric '${name}' is not used in \`expr\`: '${expr}' for derived metric '${metric.name}'. Please update the \`expr\` or remove the input metric.`);
    }
  }
}

/** Every rule above over the project's semantic models and metrics. */
export function checkMetricRules(manifest: Manifest, fail: Fail): void {
  for (const resource of Object.values(manifest.declared ?? {})) {
    if (resource.resource_type === 'semantic_model') checkMeasures(resource, fail);
    else if (resource.resource_type === 'metric') checkMetric(resource, manifest, fail);
  }
}
