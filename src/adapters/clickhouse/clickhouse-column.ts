// dbt-clickhouse's ClickHouseColumn (dbt/adapters/clickhouse/column.py) as api.Column rules: the
// constructor takes `LowCardinality(...)` then `Nullable(...)` off the type (is_low_cardinality,
// is_nullable) and reads FixedString's size and Decimal's precision and scale; the families go by
// prefix (Int*/UInt*, Float*, Decimal*, String/FixedString and MySQL-style names); data_type is
// `String` for every string, `Decimal(P, S)` for decimals, wrapped back in its wrappers; literal is
// `to<dtype>(value)`; str() is `name type` and repr() `<ClickhouseColumn name (type, is nullable: ...)>`,
// with dbt-clickhouse's quirks kept (str() wraps a nullable type in Nullable() a second time; a
// Decimal without arguments reads as Decimal(0, 0); a FixedString's data_type is String).
import type { ColumnTypeRules } from '../adapter.js';
import type { ColumnClassRules, ColumnFamily, ColumnFields, ColumnTypeReading } from '../column-class.js';
import { DEFAULT_COLUMN_TYPES } from '../default-rules.js';

const LOW_CARDINALITY = /^LowCardinality\((.*)\)$/;
const NULLABLE = /^Nullable\((.*)\)$/;
const FIXED_SIZE = /FixedString\((.*?)\)/;
const DECIMAL = /Decimal\((\d+), (\d+)\)/;

/** ClickHouseColumn.is_string's names (besides any FixedString(n)). */
const STRING_NAMES = new Set(['string', 'fixedstring', 'longblob', 'longtext', 'tinytext', 'text', 'varchar', 'mediumblob', 'blob', 'tinyblob', 'char', 'mediumtext']);

function readType(written: string): ColumnTypeReading {
  let dtype = written.trim();
  const flags = { is_nullable: false, is_low_cardinality: false };
  const low = LOW_CARDINALITY.exec(dtype);
  if (low) {
    flags.is_low_cardinality = true;
    dtype = low[1] as string;
  }
  const nullable = NULLABLE.exec(dtype);
  if (nullable) {
    flags.is_nullable = true;
    dtype = nullable[1] as string;
  }
  const lower = dtype.toLowerCase();
  let charSize: number | null = null;
  let precision: number | null = null;
  let scale: number | null = null;
  if (lower.startsWith('fixedstring')) {
    const sized = FIXED_SIZE.exec(dtype);
    // Python's int() of the group; a size that is no number leaves it unsized here.
    if (sized && /^\s*\d+\s*$/.test(sized[1] as string)) charSize = Number(sized[1]);
  }
  if (lower.startsWith('decimal')) {
    const dec = DECIMAL.exec(dtype);
    precision = dec ? Number(dec[1]) : 0;
    scale = dec ? Number(dec[2]) : 0;
  }
  return { dtype, charSize, precision, scale, flags };
}

function family(dtype: string): ColumnFamily | null {
  const lower = dtype.toLowerCase();
  if (STRING_NAMES.has(lower) || lower.startsWith('fixedstring')) return 'string';
  if (lower.startsWith('int') || lower.startsWith('uint')) return 'integer';
  if (lower.startsWith('decimal')) return 'numeric';
  if (lower.startsWith('float')) return 'float';
  return null;
}

/** ClickHouseColumn.nested_type: Nullable inside LowCardinality (LowCardinality(Nullable(String))). */
function nestedType(dtype: string, lowCardinality: boolean, nullable: boolean): string {
  const t = nullable ? `Nullable(${dtype})` : dtype;
  return lowCardinality ? `LowCardinality(${t})` : t;
}

const pyBool = (b: boolean | undefined): string => (b ? 'True' : 'False');

const columnClass: ColumnClassRules = {
  readType,
  family,
  dataType: (c: ColumnFields, rendered: string) => nestedType(rendered, c.flags.is_low_cardinality === true, c.flags.is_nullable === true),
  numericType: (_dtype, precision, scale) => `Decimal(${pyValue(precision)}, ${pyValue(scale)})`,
  literal: (c, value) => `to${c.dtype}(${value})`,
  str: (c, dataType) => `${c.column} ${c.flags.is_nullable ? `Nullable(${dataType})` : dataType}`,
  repr: (c, dataType) => `<ClickhouseColumn ${c.column} (${dataType}, is nullable: ${pyBool(c.flags.is_nullable)})>`,
};

/** str() of a precision or scale as Python's f-string writes it (None for a missing one). */
function pyValue(v: unknown): string {
  if (v === null || v === undefined) return 'None';
  if (typeof v === 'boolean') return pyBool(v);
  return typeof v === 'number' || typeof v === 'string' ? String(v) : JSON.stringify(v);
}

/** ClickHouse's api.Column: ClickHouseColumn's TYPE_LABELS, string_type (always String) and methods. */
export const CLICKHOUSE_COLUMN_TYPES: ColumnTypeRules = Object.freeze({
  ...DEFAULT_COLUMN_TYPES,
  keepsStringType: () => false,
  stringType: () => 'String',
  typeLabels: Object.freeze({ STRING: 'String', TIMESTAMP: 'DateTime', FLOAT: 'Float32', INTEGER: 'Int32' }),
  className: 'ClickHouseColumn',
  columnClass,
});
