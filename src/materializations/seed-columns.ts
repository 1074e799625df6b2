// The columns a seed's table gets, from its CSV header: every name is quoted by the adapter, so a
// header is a name, never SQL. As in dbt-postgres (BaseAdapter.quote_seed_column), names keep the
// header's spelling unless the seed says `quote_columns: false`; then each name is folded the way
// the warehouse folds an unquoted identifier (PostgreSQL: lower case), and a header that could not
// be written unquoted at all (`a b`, `we"ird`, `x); drop table t; --`) is an error naming the file
// and the column, where dbt would paste it into its DDL. A header that is itself one double-quoted
// name (`"a-b c"`, as fivetran's seeds write one) is what dbt's pasting makes of it: the name inside. Types are inferred from the values, or
// given per header name by `column_types`.
import type { LoadColumn, SqlBuilders } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { SeedColumn } from './seed-csv.js';

export interface SeedNodeConfig {
  name: string;
  original_file_path: string;
  config: Record<string, unknown>;
}

/** dbt's quote_columns: unset means quote (dbt-adapters' default); anything but a boolean is an error. */
export function seedQuotesColumns(node: SeedNodeConfig): boolean {
  const value = node.config.quote_columns;
  if (value === undefined || value === null) return true;
  if (typeof value === 'boolean') return value;
  throw new TsdbtError(`seed ${node.name}: quote_columns must be true or false, not ${JSON.stringify(value)}`, {
    code: 'seed-config-invalid',
    location: { file: node.original_file_path },
    hint: 'set `+quote_columns: true` (keep the header names as written) or `false` (fold them like unquoted SQL names), or remove it',
  });
}

/** The load columns of a seed: names as the warehouse will store them, with their types. */
export function seedLoadColumns(node: SeedNodeConfig, header: SeedColumn[], sql: SqlBuilders, warn?: (message: string) => void): LoadColumn[] {
  const quote = seedQuotesColumns(node);
  const overrides = (node.config.column_types ?? {}) as Record<string, unknown>;
  const where = { file: node.original_file_path, line: 1 };
  const seen = new Map<string, string>();
  return header.map((column, i) => {
    const problem = sql.columnNameProblem(column.name);
    if (problem !== null) {
      throw new TsdbtError(`column ${i + 1} of the header (${preview(column.name)}) ${problem}`, { code: 'seed-column-invalid', location: where, hint: 'rename the column in the CSV header' });
    }
    const written = quote ? column.name : (sql.bareIdentifierName(column.name) ?? quotedHeaderName(column.name));
    if (written === null) {
      throw new TsdbtError(`column ${i + 1} of the header (${preview(column.name)}) is not a plain SQL name, and this seed sets quote_columns: false: written bare into the seed's create table, as dbt writes it, it would be a syntax error (or other SQL), so nothing is sent`, {
        code: 'seed-column-invalid',
        location: where,
        hint: 'rename the column to letters, digits and underscores, or remove `quote_columns: false` so the name is quoted as written',
      });
    }
    // As dbt-postgres loads it: a name over the warehouse's limit is stored shortened (said here, where PostgreSQL only says NOTICE).
    const name = sql.storedColumnName(written);
    if (name !== written) {
      warn?.(`${where.file}:1: column ${i + 1} of the header (${preview(column.name)}) is ${Buffer.byteLength(written, 'utf8')} bytes long; the warehouse stores it as ${preview(name)}`);
    }
    const earlier = seen.get(name);
    if (earlier !== undefined) {
      const folded = name === written;
      throw new TsdbtError(`columns ${preview(earlier)} and ${preview(column.name)} of the header are both named ${preview(name)} ${folded ? 'once unquoted (quote_columns: false)' : 'once the warehouse shortens them'}`, {
        code: 'seed-column-invalid',
        location: where,
        hint: folded ? 'give the columns names that differ in more than letter case, or remove `quote_columns: false`' : 'give the columns names that differ within their first 63 bytes',
      });
    }
    seen.set(name, column.name);
    // dbt looks column_types up by the header's name; the folded name is accepted too.
    const override = Object.hasOwn(overrides, column.name) ? overrides[column.name] : Object.hasOwn(overrides, name) ? overrides[name] : undefined;
    return { name, dataType: override === undefined || override === null ? sql.seedType(column) : String(override) };
  });
}

/**
 * The columns whose values load as the numbers agate reads in them (`38,148` -> 38148): numbers
 * written with group commas, currency or percent signs, unless `column_types` names the column,
 * which dbt's load_agate_table then reads as text, as written.
 */
export function seedNumberColumns(node: SeedNodeConfig, header: SeedColumn[]): ReadonlySet<number> | undefined {
  const overrides = (node.config.column_types ?? {}) as Record<string, unknown>;
  const indexes = header.flatMap((column, i) => (column.formattedNumbers && !Object.hasOwn(overrides, column.name) ? [i] : []));
  return indexes.length > 0 ? new Set(indexes) : undefined;
}

/**
 * The name inside a header written as one double-quoted identifier, which every warehouse here
 * reads as that name (no quote or backslash inside, so no escaping rule differs); else null.
 */
function quotedHeaderName(header: string): string | null {
  return /^"([^"\\]+)"$/.exec(header)?.[1] ?? null;
}

/** A header name for a message: JSON-quoted (so blanks and control characters show), cut short. */
export function preview(name: string): string {
  const text = JSON.stringify(name.length > 80 ? `${name.slice(0, 77)}...` : name);
  return `'${text.slice(1, -1)}'`;
}
