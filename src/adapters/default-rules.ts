// The DialectRules most SQL warehouses share, so a new adapter writes only what differs: type names
// read as the SQL standard (and dbt's base `Column`) spell them, and errors refusing a value read
// from their SQLSTATE (class 22, data exception, and 23502, a NULL in a NOT NULL column), which
// the adapter's errors carry as `sqlstate-<SQLSTATE>` codes.
import type { AdapterResponse, AgateTypeName, ColumnTypeRules, DialectRules } from './adapter.js';
import type { RelationType } from './relation.js';

/**
 * dbt-adapters' base `Column` (its type families, `string_type` and TYPE_LABELS, which since dbt 1.7
 * translate only STRING), with dbt-postgres's rendering of unsized strings (PostgresColumn.data_type:
 * `text`, and `character varying` without a size, as written), which both adapters use.
 */
export const DEFAULT_COLUMN_TYPES: ColumnTypeRules = Object.freeze({
  stringTypes: new Set(['text', 'character varying', 'character', 'varchar']),
  floatTypes: new Set(['real', 'float4', 'float', 'double precision', 'float8', 'double']),
  integerTypes: new Set(['smallint', 'integer', 'bigint', 'smallserial', 'serial', 'bigserial', 'int2', 'int4', 'int8', 'serial2', 'serial4', 'serial8']),
  numericTypes: new Set(['numeric', 'decimal']),
  keepsStringType: (dtype: string, charSize: number | null) => {
    const lower = dtype.toLowerCase();
    return lower === 'text' || (charSize === null && lower === 'character varying');
  },
  stringType: (size: number) => `character varying(${size})`,
  // dbt-adapters' Column.TYPE_LABELS ("No-op conversions (INTEGER => INT) have been removed", dbt 1.7)
  typeLabels: Object.freeze({ STRING: 'TEXT' }),
  className: 'Column',
});

const INTEGER_TYPE = /^(?:tinyint|smallint|mediumint|int|integer|bigint)(?![a-z0-9_ ])/;
const NUMBER_TYPE = /^(?:numeric|decimal|number|float|double(?: precision)?|real)(?![a-z0-9_])/;

/**
 * The agate type of a standard SQL type name (lower case, as `agateType` gives it to the dialect's
 * own rule first): arrays and JSON are Text, as is any name not known here.
 */
export function standardAgateType(type: string): AgateTypeName {
  if (type.endsWith(']') || /^(?:array|json)\b/.test(type)) return 'Text';
  if (INTEGER_TYPE.test(type)) return 'Integer';
  if (NUMBER_TYPE.test(type)) return 'Number';
  if (type === 'boolean' || type === 'bool') return 'Boolean';
  if (type === 'date') return 'Date';
  if (/^(?:timestamp|datetime)\b/.test(type)) return 'DateTime';
  return 'Text';
}

/** The code of a warehouse error the adapter converted, when it is a database error. */
export function databaseErrorCode(err: unknown): string | null {
  const e = err as { category?: unknown; code?: unknown } | null;
  return e !== null && typeof e === 'object' && e.category === 'database' && typeof e.code === 'string' ? e.code : null;
}

/**
 * A timestamp as drivers return it: a Date, or text (`2026-01-01 10:05:00.123`, read as UTC unless
 * it carries a zone).
 */
export function readTimestamp(value: unknown): Date {
  if (value instanceof Date) return value;
  const text = String(value);
  return new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text.replace(' ', 'T')}Z`);
}

/** A relation's `table_type` as dbt-postgres's get_catalog_relations reports it (from pg_class's relkind). */
const standardTableType = (type: RelationType | null) => (type === 'view' ? 'VIEW' : type === 'materialized_view' ? 'MATERIALIZED VIEW' : 'BASE TABLE');

/**
 * Builds a dialect's rules over the shared defaults: `agateType` and `timeZoneAware` ask the
 * dialect first (its answer null: the standard reading), the other members replace the default.
 */
export function dialectRules(own: {
  agateType?: (type: string) => AgateTypeName | null;
  timeZoneAware?: (type: string) => boolean;
  columnTypes?: ColumnTypeRules;
  isDataError?: (err: unknown) => boolean;
  isConstraintViolation?: (err: unknown) => boolean;
  readTimestamp?: (value: unknown) => Date;
  catalogTableType?: (type: RelationType | null) => string;
  insertedRows?: (rows: number) => AdapterResponse;
} = {}): DialectRules {
  return Object.freeze({
    insertedRows: own.insertedRows ?? ((rows: number): AdapterResponse => ({ message: `INSERT ${rows}`, code: 'INSERT', rowsAffected: rows })),
    agateType(dataType: string): AgateTypeName | null {
      if (dataType.trim() === '') return null;
      const type = dataType.trim().toLowerCase();
      return own.agateType?.(type) ?? standardAgateType(type);
    },
    timeZoneAware(dataType: string): boolean {
      return own.timeZoneAware ? own.timeZoneAware(dataType) : /with time zone/i.test(dataType);
    },
    columnTypes: own.columnTypes ?? DEFAULT_COLUMN_TYPES,
    isDataError: own.isDataError ?? ((err: unknown) => /^sqlstate-(?:22|23502$)/.test(databaseErrorCode(err) ?? '')),
    isConstraintViolation: own.isConstraintViolation ?? ((err: unknown) => /^sqlstate-23/.test(databaseErrorCode(err) ?? '')),
    readTimestamp: own.readTimestamp ?? readTimestamp,
    catalogTableType: own.catalogTableType ?? standardTableType,
  });
}
