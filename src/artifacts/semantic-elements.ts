// Semantic models, metrics and saved queries as semantic_manifest.json lists them: the property
// values as written, turned into dbt's objects as its parser does (schema_yaml_readers.py: a
// measure named by a string becomes {name, filter, alias, ...}, a filter string a where-filter
// intersection, a window "7 days" {count: 7, granularity: day}, enum values lower-case), then laid
// out with every field of dbt-semantic-interfaces' pydantic model in its order (what dbt's
// `PydanticX.parse_obj(node.to_dict())` keeps; fields dbt does not fill, as `metadata`, are null).
import { isPlainObject } from '../config/yaml-file.js';
import type { DeclaredResource, ManifestNode } from '../manifest/types.js';
import { metricInputMeasures, metricTypeParams, whereFilter } from '../graph/metric-type-params.js';
import { PyFloat } from './python-json.js';
import { pythonStr } from '../graph/declared-json-fields.js';
import { nodeRelation } from '../manifest/node-relation.js';

type Json = Record<string, unknown>;

const record = (value: unknown): Json => (isPlainObject(value) ? value : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const lower = (value: unknown, fallback: string | null = null): string | null => (value === undefined || value === null ? fallback : String(value).toLowerCase());
const intOrNull = (value: unknown): number | null => (typeof value === 'number' ? Math.trunc(value) : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

/** A semantic layer element's config: the semantic model's meta under its own (dbt merges them at parse). */
const elementConfig = (element: Json, meta: Json): Json => ({ meta: { ...meta, ...record(record(element.config).meta) } });

export function semanticModelJson(sm: DeclaredResource, nodes: Record<string, ManifestNode>): Json {
  const p = sm.properties;
  const meta = record(sm.config.meta);
  const defaults = isPlainObject(p.defaults) ? { agg_time_dimension: textOrNull(p.defaults.agg_time_dimension) } : null;
  return {
    name: sm.name,
    defaults,
    description: textOrNull(sm.description),
    node_relation: nodeRelation(nodes[sm.depends_on.nodes[0] ?? '']),
    primary_entity: textOrNull(p.primary_entity),
    entities: list(p.entities).map((e) => ({
      name: e.name,
      description: textOrNull(e.description),
      type: lower(e.type),
      role: textOrNull(e.role),
      expr: pythonStr(e.expr),
      metadata: null,
      label: textOrNull(e.label),
      config: elementConfig(e, meta),
    })),
    measures: list(p.measures).map((m) => ({
      name: m.name,
      agg: lower(m.agg),
      description: textOrNull(m.description),
      create_metric: false, // dbt's parser leaves its Measure's default (the metric it creates is listed instead)
      expr: pythonStr(m.expr),
      agg_params: isPlainObject(m.agg_params)
        ? {
            percentile: typeof m.agg_params.percentile === 'number' ? new PyFloat(m.agg_params.percentile) : null,
            use_discrete_percentile: m.agg_params.use_discrete_percentile === true,
            use_approximate_percentile: m.agg_params.use_approximate_percentile === true,
          }
        : null,
      metadata: null,
      non_additive_dimension: isPlainObject(m.non_additive_dimension)
        ? { name: m.non_additive_dimension.name, window_choice: lower(m.non_additive_dimension.window_choice, 'min'), window_groupings: strings(m.non_additive_dimension.window_groupings) }
        : null,
      agg_time_dimension: textOrNull(m.agg_time_dimension),
      label: textOrNull(m.label),
      config: elementConfig(m, meta),
    })),
    dimensions: list(p.dimensions).map((d) => {
      const typeParams = isPlainObject(d.type_params) ? d.type_params : null;
      const validity = typeParams && isPlainObject(typeParams.validity_params) ? typeParams.validity_params : null;
      return {
        name: d.name,
        description: textOrNull(d.description),
        type: lower(d.type),
        is_partition: d.is_partition === true,
        type_params: typeParams ? { time_granularity: lower(typeParams.time_granularity), validity_params: validity ? { is_start: validity.is_start === true, is_end: validity.is_end === true } : null } : null,
        expr: pythonStr(d.expr),
        metadata: null,
        label: textOrNull(d.label),
        config: elementConfig(d, meta),
      };
    }),
    label: sm.label,
    metadata: null,
    config: { meta },
  };
}

/** The metrics as semantic_manifest.json lists them: dbt's MetricTypeParams, laid out as pydantic's model orders them. */
export function metricsJson(metrics: DeclaredResource[]): Json[] {
  const inputs = metricInputMeasures(metrics);
  return metrics.map((metric) => {
    const p = metric.properties;
    const type = lower(p.type);
    const { input_measures, metric_aggregation_params, ...params } = metricTypeParams(p.type_params, type, inputs.get(metric.name) ?? [], true);
    return {
      name: metric.name,
      description: metric.description,
      type,
      type_params: { ...params, input_measures, metric_aggregation_params, join_to_timespine: false, fill_nulls_with: null },
      filter: whereFilter(p.filter),
      metadata: null,
      label: metric.label,
      config: { meta: record(metric.config.meta) },
      time_granularity: textOrNull(p.time_granularity),
    };
  });
}

/** A saved query (dbt's SavedQuery as pydantic keeps it): its query, and its exports with the schema and alias dbt fills in. */
export function savedQueryJson(sq: DeclaredResource, targetSchema: string): Json {
  const q = record(sq.properties.query_params);
  return {
    name: sq.name,
    query_params: { metrics: strings(q.metrics), group_by: strings(q.group_by), order_by: strings(q.order_by), limit: intOrNull(q.limit), where: whereFilter(q.where) },
    description: textOrNull(sq.description),
    metadata: null,
    label: sq.label,
    // Each export's config as the parse made it (graph/declared-resources.ts exportJson: dbt's
    // ExportConfig, the saved query's config under the export's own, schema and alias filled in).
    exports: list(sq.properties.exports).map((e) => {
      const config = record(e.config);
      return { name: e.name, config: { export_as: lower(config.export_as), schema_name: textOrNull(config.schema_name) ?? targetSchema, alias: textOrNull(config.alias) ?? e.name } };
    }),
    tags: [...sq.tags].sort(),
  };
}
