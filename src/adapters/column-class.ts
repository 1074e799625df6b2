// What an adapter's `api.Column` subclass changes in dbt's base Column beyond its type sets and
// labels (ColumnTypeRules in adapter.ts): how its constructor reads a type, its type families, its
// data_type, literal, str() and repr(). dbt-clickhouse's ClickHouseColumn is one
// (clickhouse/clickhouse-column.ts); jinja/dbt/api-column.ts applies them.

/** A column's fields as an adapter's Column rules read them. */
export interface ColumnFields {
  readonly column: string;
  readonly dtype: string;
  readonly char_size: number | null;
  readonly numeric_precision: number | null;
  readonly numeric_scale: number | null;
  /** The boolean members the adapter's Column reads off a type (dbt-clickhouse: is_nullable, is_low_cardinality). */
  readonly flags: Readonly<Record<string, boolean>>;
}

/** A written type as an adapter's Column constructor reads it. */
export interface ColumnTypeReading {
  /** The type the column keeps as `dtype` (dbt-clickhouse: the type inside Nullable/LowCardinality). */
  dtype: string;
  charSize: number | null;
  precision: number | null;
  scale: number | null;
  flags: Record<string, boolean>;
}

/** Type families of `api.Column` (is_string, is_integer, is_float, is_numeric). */
export type ColumnFamily = 'string' | 'integer' | 'float' | 'numeric';

/**
 * The methods of an adapter's Column subclass that differ from dbt's base Column beyond type sets
 * and labels; each absent member keeps the base behaviour.
 */
export interface ColumnClassRules {
  /** The constructor: reads the type (its sizes and flags come from it, not from arguments). */
  readType?: (dtype: string) => ColumnTypeReading;
  /** The family of a kept `dtype` (any case), instead of the type sets. */
  family?: (dtype: string) => ColumnFamily | null;
  /** `data_type` from the base rendering (sized string, numeric with precision and scale, else dtype). */
  dataType?: (column: ColumnFields, rendered: string) => string;
  /** `Column.numeric_type(dtype, precision, scale)`. */
  numericType?: (dtype: string, precision: unknown, scale: unknown) => string;
  /** `column.literal(value)`, `value` already str()-ed. */
  literal?: (column: ColumnFields, value: string) => string;
  /** `str(column)`, what `{{ column }}` prints (the dataclass repr when absent). */
  str?: (column: ColumnFields, dataType: string) => string;
  /** `repr(column)`, as a printed list shows it (the dataclass repr when absent). */
  repr?: (column: ColumnFields, dataType: string) => string;
}
