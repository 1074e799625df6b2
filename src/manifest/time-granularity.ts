// MetricFlow's standard time grains (dbt-semantic-interfaces' TimeGranularity), finest first: a
// time spine's standard column has one, and the semantic layer needs a spine of a day or finer.
// Shared by graph/'s parse checks and artifacts/' semantic_manifest.json.

export const TIME_GRANULARITIES = ['nanosecond', 'microsecond', 'millisecond', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

export type TimeGranularity = (typeof TIME_GRANULARITIES)[number];

/** The grain a value names (case-insensitive, as the enum reads YAML), or null when it names none. */
export function timeGranularity(value: unknown): TimeGranularity | null {
  if (typeof value !== 'string') return null;
  const lower = value.toLowerCase();
  return (TIME_GRANULARITIES as readonly string[]).includes(lower) ? (lower as TimeGranularity) : null;
}

/** Whether grain `a` is finer than `b`. */
export function finerThan(a: TimeGranularity, b: TimeGranularity): boolean {
  return TIME_GRANULARITIES.indexOf(a) < TIME_GRANULARITIES.indexOf(b);
}

/** dbt's name for the model it takes as a day time spine when no YAML `time_spine:` configures one (LEGACY_TIME_SPINE_MODEL_NAME). */
export const LEGACY_TIME_SPINE_MODEL = 'metricflow_time_spine';
