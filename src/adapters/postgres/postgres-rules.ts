// PostgreSQL's DialectRules: the standard ones (../default-rules.ts) plus its own type spellings
// (`int4`, `serial`, `oid`, `float8`, `timestamptz`). Its errors carry SQLSTATEs, which the
// default reads.
import type { AgateTypeName } from '../adapter.js';
import { DEFAULT_COLUMN_TYPES, dialectRules } from '../default-rules.js';

const INTEGER = /^(?:int[248]|oid|(?:small|big)?serial[248]?)(?![a-z0-9_ ])/;

function agateType(type: string): AgateTypeName | null {
  if (type.endsWith(']')) return null;
  if (INTEGER.test(type)) return 'Integer';
  if (/^float[48](?![a-z0-9_])/.test(type)) return 'Number';
  if (/^timestamptz\b/.test(type)) return 'DateTime';
  return null;
}

export const postgresRules = dialectRules({
  agateType,
  timeZoneAware: (type) => /with time zone|timestamptz/i.test(type),
  // dbt-postgres's PostgresColumn: the base Column with its data_type (DEFAULT_COLUMN_TYPES.keepsStringType).
  columnTypes: { ...DEFAULT_COLUMN_TYPES, className: 'PostgresColumn' },
  // PostgreSQL's command tag for an insert (the oid field is always 0).
  insertedRows: (rows) => ({ message: `INSERT 0 ${rows}`, code: 'INSERT', rowsAffected: rows }),
});
