// A metric's type_params as dbt's MetricParser builds them (parser/schema_yaml_readers.py,
// _get_metric_type_params): a measure named by a string becomes {name, filter, alias, ...}, a
// filter string a where-filter intersection, a window "7 days" {count: 7, granularity: day}, enum
// values lower-case; and its input_measures as dbt's process_metrics fills them once every metric
// is parsed (parser/manifest.py, _process_metric_node: a simple or cumulative metric's measure, a
// conversion metric's base and conversion measures, a ratio or derived metric's inputs' measures,
// each distinct one once). manifest.json writes them (with every field of dbt's MetricTypeParams),
// and semantic_manifest.json builds on them.
import { isPlainObject } from '../config/yaml-file.js';
import type { DeclaredResource } from '../manifest/types.js';
import { TIME_GRANULARITIES } from '../manifest/time-granularity.js';

type Json = Record<string, unknown>;

const record = (value: unknown): Json => (isPlainObject(value) ? value : {});
const textOrNull = (value: unknown): string | null => (typeof value === 'string' && value !== '' ? value : null);
const lower = (value: unknown, fallback: string | null = null): string | null => (value === undefined || value === null ? fallback : String(value).toLowerCase());
const intOrNull = (value: unknown): number | null => (typeof value === 'number' ? Math.trunc(value) : null);
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.map(String) : typeof value === 'string' ? [value] : []);
/** Python's str() of a YAML scalar (an `expr: true` is 'True'), null for none. */
const pyStr = (value: unknown): string | null => (value === undefined || value === null ? null : typeof value === 'boolean' ? (value ? 'True' : 'False') : String(value));

/** A `filter:` / `where:` as dbt's WhereFilterIntersection, null when none. */
export function whereFilter(value: unknown): Json | null {
  if (value === undefined || value === null) return null;
  return { where_filters: strings(value).map((where_sql_template) => ({ where_sql_template })) };
}

/** A window `"<count> <granularity>"` as dbt's MetricTimeWindow (a standard grain's plural `s` dropped). */
export function timeWindow(value: unknown): Json | null {
  if (typeof value !== 'string') return null;
  const [count, grain, ...rest] = value.toLowerCase().split(' ');
  if (count === undefined || grain === undefined || rest.length > 0 || !/^\d+$/.test(count)) return null;
  const singular = grain.endsWith('s') && (TIME_GRANULARITIES as readonly string[]).includes(grain.slice(0, -1)) ? grain.slice(0, -1) : grain;
  return { count: Number(count), granularity: singular };
}

/** A measure a metric reads (dbt's MetricInputMeasure), from a name or `{name, filter, ...}`. */
export function inputMeasure(value: unknown): Json | null {
  if (typeof value === 'string') return { name: value, filter: null, alias: null, join_to_timespine: false, fill_nulls_with: null };
  if (!isPlainObject(value)) return null;
  return { name: value.name, filter: whereFilter(value.filter), alias: textOrNull(value.alias), join_to_timespine: value.join_to_timespine === true, fill_nulls_with: intOrNull(value.fill_nulls_with) };
}

/** A metric a metric reads (dbt's MetricInput), from a name or `{name, filter, alias, offset_window, offset_to_grain}`. */
export function metricInput(value: unknown, lowerGrain = false): Json | null {
  if (typeof value === 'string') return { name: value, filter: null, alias: null, offset_window: null, offset_to_grain: null };
  if (!isPlainObject(value)) return null;
  const grain = textOrNull(value.offset_to_grain);
  return { name: value.name, filter: whereFilter(value.filter), alias: textOrNull(value.alias), offset_window: timeWindow(value.offset_window), offset_to_grain: lowerGrain && grain ? grain.toLowerCase() : grain };
}

/**
 * dbt's MetricTypeParams of a metric's written `type_params` (`type` its metric type), in its
 * field order, with `inputMeasures` as input_measures. `semantic` gives semantic_manifest.json's
 * readings where dbt-semantic-interfaces' pydantic model differs: a lower-case `offset_to_grain` and
 * cumulative `grain_to_date`.
 */
export function metricTypeParams(written: unknown, type: string | null, inputMeasures: Json[], semantic = false): Json {
  const tp = record(written);
  const cumulative = record(tp.cumulative_type_params);
  const conversion = isPlainObject(tp.conversion_type_params) ? tp.conversion_type_params : null;
  const cumulativeGrain = cumulative.grain_to_date ?? tp.grain_to_date;
  return {
    measure: inputMeasure(tp.measure),
    input_measures: inputMeasures,
    numerator: metricInput(tp.numerator),
    denominator: metricInput(tp.denominator),
    expr: pyStr(tp.expr),
    window: timeWindow(tp.window),
    grain_to_date: lower(tp.grain_to_date),
    metrics: (Array.isArray(tp.metrics) ? tp.metrics : []).map((m) => metricInput(m, semantic)),
    conversion_type_params: conversion
      ? {
          base_measure: inputMeasure(conversion.base_measure),
          base_metric: null,
          conversion_measure: inputMeasure(conversion.conversion_measure),
          conversion_metric: null,
          entity: conversion.entity,
          calculation: lower(conversion.calculation, 'conversion_rate'),
          window: timeWindow(conversion.window),
          constant_properties: Array.isArray(conversion.constant_properties)
            ? conversion.constant_properties.filter(isPlainObject).map((c) => ({ base_property: c.base_property, conversion_property: c.conversion_property }))
            : null,
        }
      : null,
    cumulative_type_params:
      type === 'cumulative'
        ? { window: timeWindow(cumulative.window ?? tp.window), grain_to_date: semantic ? lower(cumulativeGrain) : pyStr(cumulativeGrain), period_agg: lower(cumulative.period_agg, 'first'), metric: null }
        : null,
    metric_aggregation_params: null,
  };
}

/** Each metric's input_measures (by name), as dbt's process_metrics fills them. */
export function metricInputMeasures(metrics: DeclaredResource[]): Map<string, Json[]> {
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
  for (const metric of metrics) inputMeasures(metric, new Set());
  return inputs;
}
