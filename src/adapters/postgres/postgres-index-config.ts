// dbt-postgres's `indexes` entries (PostgresIndexConfig.parse): a mapping with `columns` (a list of
// column names), `unique` (a boolean, default false) and `type` (an index method, or none), and
// nothing else. A malformed entry fails the node with dbt's words (its jsonschema message, "at
// path [...]"), where tsdbt used to guess: a text `columns` became one column named
// "column_a, column_b", `unique: 'yes'` a plain index, no `columns` an index on "undefined".
import { TsdbtError } from '../../errors/tsdbt-error.js';

export interface PostgresIndex {
  columns: string[];
  unique: boolean;
  type: string | null;
}

const KEYS = new Set(['columns', 'unique', 'type']);

/** A config value as Python's repr writes it in dbt's message ('text', True, None, [..], {..}). */
function pyRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'string') return value.includes("'") && !value.includes('"') ? `"${value}"` : `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  if (Array.isArray(value)) return `[${value.map(pyRepr).join(', ')}]`;
  if (typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
  return String(value);
}

function invalid(path: (string | number)[], message: string): TsdbtError {
  return new TsdbtError(`Could not parse index config: at path [${path.map((p) => pyRepr(p)).join('][')}]: ${message}`, {
    code: 'index-config-invalid',
    hint: "an index is a mapping like {'columns': ['a', 'b'], 'unique': true, 'type': 'btree'} (columns is a list, even of one)",
  });
}

export function parsePostgresIndex(raw: unknown): PostgresIndex {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new TsdbtError(`Invalid index config:\n  Got: ${pyRepr(raw)}\n  Expected a dictionary with at minimum a "columns" key`, { code: 'index-config-invalid', hint: "write each index as a mapping: {'columns': ['a']}" });
  }
  const entry = raw as Record<string, unknown>;
  const extra = Object.keys(entry).filter((k) => !KEYS.has(k));
  if (extra.length > 0) throw invalid([], `Additional properties are not allowed (${extra.map((k) => pyRepr(k)).join(', ')} ${extra.length === 1 ? 'was' : 'were'} unexpected)`);
  if (!('columns' in entry)) throw invalid([], "'columns' is a required property");
  const { columns, unique, type } = entry;
  if (!Array.isArray(columns)) throw invalid(['columns'], `${pyRepr(columns)} is not of type 'array'`);
  columns.forEach((c, i) => {
    if (typeof c !== 'string') throw invalid(['columns', i], `${pyRepr(c)} is not of type 'string'`);
  });
  if (unique !== undefined && typeof unique !== 'boolean') throw invalid(['unique'], `${pyRepr(unique)} is not of type 'boolean'`);
  if (type !== undefined && type !== null && typeof type !== 'string') throw invalid(['type'], `${pyRepr(type)} is not of type 'string', 'null'`);
  return { columns: columns as string[], unique: unique === true, type: typeof type === 'string' ? type : null };
}
