// ClickHouse's type names: the types of seed columns and of tables tsdbt makes, and a type's
// canonical spelling (aliases resolved, Nullable / LowCardinality wrappers and parameters dropped).
import type { LogicalType } from '../adapter.js';

/**
 * Seed types as dbt-clickhouse's convert_*_type (Int32, String, Bool, Date, DateTime), none Nullable:
 * an empty field is stored as the type's default (0 or ''), as in dbt-clickhouse. Two differences:
 * integers past Int32 are Int64 and decimals Float64
 * (dbt-clickhouse: Int32, which overflows, and Float32, which keeps about 7 digits); ISO 8601
 * timestamps (`T`, fraction, zone) are DateTime64(6, 'UTC'), so the fraction is kept.
 */
export const SEED_TYPES: Record<LogicalType, string> = {
  integer: 'Int32',
  bigint: 'Int64',
  float: 'Float64',
  numeric: 'Decimal(38, 10)',
  boolean: 'Bool',
  date: 'Date',
  timestamp: 'DateTime',
  text: 'String',
};

/** Other tables tsdbt makes (loader, run history, ...): nullable, so a missing value stays NULL. */
export const LOGICAL_TYPES: Record<LogicalType, string> = {
  integer: 'Nullable(Int64)',
  bigint: 'Nullable(Int64)',
  float: 'Nullable(Float64)',
  numeric: 'Nullable(Decimal(38, 10))',
  boolean: 'Nullable(Bool)',
  date: 'Nullable(Date)',
  timestamp: "Nullable(DateTime64(6, 'UTC'))",
  text: 'Nullable(String)',
};

const TYPE_ALIASES: Record<string, string> = {
  int: 'Int32', integer: 'Int32', int4: 'Int32', int32: 'Int32',
  bigint: 'Int64', int8: 'Int64', int64: 'Int64',
  smallint: 'Int16', int2: 'Int16', int16: 'Int16',
  tinyint: 'Int8',
  float: 'Float32', real: 'Float32', float32: 'Float32',
  double: 'Float64', 'double precision': 'Float64', float8: 'Float64', float64: 'Float64',
  text: 'String', varchar: 'String', string: 'String', char: 'String', 'character varying': 'String',
  bool: 'Bool', boolean: 'Bool',
  timestamp: 'DateTime', datetime: 'DateTime',
  date: 'Date',
  decimal: 'Decimal', numeric: 'Decimal',
};

/** ClickHouse's spelling of a type without Nullable / LowCardinality wrappers and parameters. */
export function canonicalType(dataType: string): string {
  let text = dataType.trim();
  for (;;) {
    const wrapped = /^(Nullable|LowCardinality)\((.*)\)$/i.exec(text);
    if (!wrapped) break;
    text = wrapped[2] as string;
  }
  const base = text.replace(/\(.*\)$/s, '').trim();
  const alias = TYPE_ALIASES[base.toLowerCase()];
  if (alias) return alias;
  if (/^datetime64$/i.test(base)) return 'DateTime64';
  return base;
}
