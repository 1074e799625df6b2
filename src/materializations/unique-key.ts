// A `unique_key` as dbt reads it. dbt writes each key into its SQL as written: `'"col_A"'` is exactly
// the column col_A, a bare `col_A` is the name the warehouse folds it to (col_a on PostgreSQL), and
// for a snapshot anything else is an SQL expression (`id || '-' || name`, dbt's docs: "a column name
// or expression"). tsdbt resolves the column and quotes it, so reserved words and odd names work too.
import type { RelationDialect } from '../adapters/relation.js';

/**
 * The configured keys: one string, a list, or none. A string naming several columns with commas
 * (`unique_key='key1, key2'`, as dbt-clickhouse's tests write it) is those columns: dbt writes the
 * string into `where (key1, key2) in (select key1, key2 ...)`. Commas inside parentheses or quotes
 * belong to an expression (`coalesce(a, b)`).
 */
export function uniqueKeys(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  if (Array.isArray(value)) return value.map((k) => String(k).trim());
  return splitTopLevelCommas(String(value)).map((k) => k.trim()).filter((k) => k !== '');
}

function splitTopLevelCommas(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] as string;
    if (quote !== null) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'" || ch === '`') quote = ch;
    else if (ch === '(' || ch === '[') depth++;
    else if (ch === ')' || ch === ']') depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(text.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(text.slice(start));
  return parts;
}

/** The column a key names, or null when the key is an SQL expression. */
export function keyColumnName(dialect: Pick<RelationDialect, 'bareIdentifierName'>, key: string): string | null {
  const quoted = /^"((?:[^"]|"")+)"$/.exec(key);
  if (quoted) return (quoted[1] as string).replace(/""/g, '"');
  return dialect.bareIdentifierName(key);
}
