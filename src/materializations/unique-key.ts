// A `unique_key` as dbt reads it. dbt writes each key into its SQL as written: `'"col_A"'` is exactly
// the column col_A, a bare `col_A` is the name the warehouse folds it to (col_a on PostgreSQL), and
// for a snapshot anything else is an SQL expression (`id || '-' || name`, dbt's docs: "a column name
// or expression"). tsdbt resolves the column and quotes it, so reserved words and odd names work too.
import type { RelationDialect } from '../adapters/relation.js';

/** The configured keys: one string, a list, or none. */
export function uniqueKeys(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map((k) => String(k).trim());
}

/** The column a key names, or null when the key is an SQL expression. */
export function keyColumnName(dialect: Pick<RelationDialect, 'bareIdentifierName'>, key: string): string | null {
  const quoted = /^"((?:[^"]|"")+)"$/.exec(key);
  if (quoted) return (quoted[1] as string).replace(/""/g, '"');
  return dialect.bareIdentifierName(key);
}
