// Semantic models, metrics and saved queries as semantic_manifest.json lists them: the property
// values as written, turned into dbt's objects as its parser does (schema_yaml_readers.py: a
// measure named by a string becomes {name, filter, alias, ...}, a filter string a where-filter
// intersection, a window "7 days" {count: 7, granularity: day}, enum values lower-case), then laid
// out with every field of dbt-semantic-interfaces' pydantic model in its order (what dbt's
// `PydanticX.parse_obj(node.to_dict())` keeps; fields dbt does not fill, as `metadata`, are null).
import { isPlainObject } from '../config/yaml-file.js';
import type { DeclaredResource, ManifestNode } from '../manifest/types.js';
import { TIME_GRANULARITIES } from '../manifest/time-granularity.js';
import { PyFloat } from './python-json.js';

type Json = Record<string, unknown>;

const record = (value: unknown): Json => (isPlainObject(value) ? value : {});
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isPlainObject) : []);
const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const lower = (value: unknown, fallback: string | null = null): string | null => (value === undefined || value === null ? fallback : String(value).toLowerCase());
const intOrNull = (value: unknown): number | null => (typeof value === 'number' ? Math.trunc(value) : null);
/** Python's str() of a YAML scalar (an `expr: true` is 'True'), null for none. */
const pyStr = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);

/** A model's relation (dbt's NodeRelation; relation_name built from its parts where the node has none, as pydantic does). */
export function nodeRelation(node: ManifestNode | undefined): Json | null {
  if (!node) return null;
  const built = node.database ? `${node.database}.${node.schema}.${node.alias}` : `${node.schema}.${node.alias}`;
  return { alias: node.alias, schema_name: node.schema, database: node.database, relation_name: node.relation_name || built };
}

/** A `filter:` / `where:` as dbt's WhereFilterIntersection, null when none. */
function whereFilter(value: unknown): Json | null {
  if (value === undefined || value === null) return null;
  return { where_filters: strings(value).map((where_sql_template) => ({ where_sql_template })) };
}

/** A window `"<count> <granularity>"` as dbt's MetricTimeWindow (a standard grain's plural `s` dropped). */
function timeWindow(value: unknown): Json | null {
  if (typeof value !== 'string') return null;
  const [count, grain, ...rest] = value.toLowerCase().split(' ');
  if (count === undefined || grain === undefined || rest.length > 0 || !/^\d+$/.test(count)) return null;
  const singular = grain.endsWith('s') && (TIME_GRANULARITIES as readonly string[]).includes(grain.slice(0, -1)) ? grain.slice(0, -1) : grain;
  return { count: Number(count), granularity: singular };
}

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
      expr: pyStr(e.expr),
      metadata: null,
      label: textOrNull(e.label),
      config: elementConfig(e, meta),
    })),
    measures: list(p.measures).map((m) => ({
      name: m.name,
      agg: lower(m.agg),
      description: textOrNull(m.description),
      create_metric: false, // dbt's parser leaves its Measure's default (the metric it creates is listed instead)
      expr: pyStr(m.expr),
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
        expr: pyStr(d.expr),
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

/** A measure a metric reads (dbt's MetricInputMeasure), from a name or `{name, filter, ...}`. */
function inputMeasure(value: unknown): Json | null {
  if (typeof value === 'string') return { name: value, filter: null, alias: null, join_to_timespine: false, fill_nulls_with: null };
  if (!isPlainObject(value)) return null;
  return { name: value.name, filter: whereFilter(value.filter), alias: textOrNull(value.alias), join_to_timespine: value.join_to_timespine === true, fill_nulls_with: intOrNull(value.fill_nulls_with) };
}

/** A metric a metric reads (dbt's MetricInput), from a name or `{name, filter, alias, offset_window, offset_to_grain}`. */
function metricInput(value: unknown, lowerGrain = false): Json | null {
  if (typeof value === 'string') return { name: value, filter: null, alias: null, offset_window: null, offset_to_grain: null };
  if (!isPlainObject(value)) return null;
  const grain = textOrNull(value.offset_to_grain);
  return { name: value.name, filter: whereFilter(value.filter), alias: textOrNull(value.alias), offset_window: timeWindow(value.offset_window), offset_to_grain: lowerGrain && grain ? grain.toLowerCase() : grain };
}

/** The metrics, each with the measures it reads in the end (dbt's process_metrics: a ratio or derived metric's are its inputs'). */
export function metricsJson(metrics: DeclaredResource[]): Json[] {
  const byName = new Map(metrics.map((m) => [m.name, m]));
  const inputs = new Map<string, Json[]>();
  const inputMeasures = (metric: DeclaredResource, seen: Set<string>): Json[] => {
    const known = inputs.get(metric.name);
    if (known) return known;
    const tp = record(metric.properties.type_params);
    const type = lower(metric.properties.type);
    let measures: Json[] = [];
    if (type === 'simple' || type === 'cumulative') measures = [inputMeasure(tp.measure)].filter((m): m is Json => m !== null);
    else if (type === 'conversion') {
      const conversion = record(tp.conversion_type_params);
      measures = [inputMeasure(conversion.base_measure), inputMeasure(conversion.conversion_measure)].filter((m): m is Json => m !== null);
    } else if ((type === 'derived' || type === 'ratio') && !seen.has(metric.name)) {
      seen.add(metric.name);
      const names = (type === 'ratio' ? [tp.numerator, tp.denominator] : Array.isArray(tp.metrics) ? tp.metrics : []).map((m) => metricInput(m)?.name);
      for (const name of names) {
        const input = typeof name === 'string' ? byName.get(name) : undefined;
        if (input) measures.push(...inputMeasures(input, seen));
      }
    }
    // dbt's add_input_measure: each distinct measure once.
    const distinct = [...new Map(measures.map((m) => [JSON.stringify(m), m])).values()];
    inputs.set(metric.name, distinct);
    return distinct;
  };
  return metrics.map((metric) => {
    const p = metric.properties;
    const tp = record(p.type_params);
    const type = lower(p.type);
    const cumulative = record(tp.cumulative_type_params);
    const conversion = isPlainObject(tp.conversion_type_params) ? tp.conversion_type_params : null;
    const cumulativeGrain = cumulative.grain_to_date ?? tp.grain_to_date;
    return {
      name: metric.name,
      description: metric.description,
      type,
      type_params: {
        measure: inputMeasure(tp.measure),
        numerator: metricInput(tp.numerator),
        denominator: metricInput(tp.denominator),
        expr: pyStr(tp.expr),
        window: timeWindow(tp.window),
        grain_to_date: lower(tp.grain_to_date),
        metrics: (Array.isArray(tp.metrics) ? tp.metrics : []).map((m) => metricInput(m, true)),
        conversion_type_params: conversion
          ? {
              base_measure: inputMeasure(conversion.base_measure),
              base_metric: null,
              conversion_measure: inputMeasure(conversion.conversion_measure),
              conversion_metric: null,
              entity: conversion.entity,
              calculation: lower(conversion.calculation, 'conversion_rate'),
              window: timeWindow(conversion.window),
              constant_properties: Array.isArray(conversion.constant_properties) ? list(conversion.constant_properties).map((c) => ({ base_property: c.base_property, conversion_property: c.conversion_property })) : null,
            }
          : null,
        cumulative_type_params:
          type === 'cumulative'
            ? { window: timeWindow(cumulative.window ?? tp.window), grain_to_date: lower(cumulativeGrain), period_agg: lower(cumulative.period_agg, 'first'), metric: null }
            : null,
        input_measures: inputMeasures(metric, new Set()),
        metric_aggregation_params: null,
        join_to_timespine: false,
        fill_nulls_with: null,
      },
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
  const config = sq.config as Json;
  return {
    name: sq.name,
    query_params: { metrics: strings(q.metrics), group_by: strings(q.group_by), order_by: strings(q.order_by), limit: intOrNull(q.limit), where: whereFilter(q.where) },
    description: textOrNull(sq.description),
    metadata: null,
    label: sq.label,
    exports: list(sq.properties.exports).map((e) => {
      const written = record(e.config);
      const schema = textOrNull(written.schema_name) ?? textOrNull(written.schema) ?? textOrNull(config.schema);
      return { name: e.name, config: { export_as: lower(written.export_as ?? config.export_as), schema_name: schema ?? targetSchema, alias: textOrNull(written.alias) ?? e.name } };
    }),
    tags: [...sq.tags].sort(),
  };
}
