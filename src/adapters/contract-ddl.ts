// The column list of a contracted table in ANSI SQL (`create table x (<this>)`), which dialects
// share: each declared column with its type and column constraints, then the model's constraints;
// a constraint without a name gets a generated one where the warehouse names indexes (`<table>_
// <hash>_key` / `_pkey`), so a rebuild beside the old table does not collide. Generated names are
// also used by PostgreSQL's indexes config.
import type { ContractColumn, TableConstraint } from './adapter.js';

/** An 8-hex-digit FNV-1a hash, for generated object names. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** `<table (40 characters at most)>_<hash>_<suffix>`: a generated index or constraint name. */
export function generatedName(table: string, hashed: string, suffix: string): string {
  return `${table.slice(0, 40)}_${shortHash(hashed)}_${suffix}`;
}

/** The contracted table's column list, its names quoted by `quote` (the dialect's quoteIdentifier). */
export function contractColumnList(columns: readonly ContractColumn[], constraints: readonly TableConstraint[], naming: { table: string; salt: string }, quote: (name: string) => string): string {
  const columnList = (names: readonly string[]) => names.map(quote).join(', ');
  let n = 0;
  const named = (c: TableConstraint, suffix: string) =>
    c.name ? `constraint ${quote(c.name)} ` : suffix ? `constraint ${quote(generatedName(naming.table, `${naming.salt}|${n++}`, suffix))} ` : '';
  const clause = (c: TableConstraint, cols: string[] | null): string | null => {
    const list = cols ? ` (${columnList(cols)})` : '';
    switch (c.type) {
      case 'not_null':
        return cols ? null : 'not null';
      case 'unique':
        return `${named(c, 'key')}unique${list}`;
      case 'primary_key':
        return `${named(c, 'pkey')}primary key${list}`;
      case 'check':
        return c.expression ? `${named(c, '')}check (${c.expression})` : null;
      case 'foreign_key': {
        if (c.references) return `${named(c, '')}${cols ? `foreign key${list} ` : ''}references ${c.references.relation} (${columnList(c.references.columns)})`;
        return c.expression ? `${named(c, '')}${cols ? `foreign key${list} ` : ''}references ${c.expression}` : null;
      }
      default:
        return c.expression ?? null;
    }
  };
  const lines = columns.map((col) => [`    ${quote(col.name)} ${col.dataType}`, ...col.constraints.map((c) => clause(c, null)).filter((x): x is string => !!x)].join(' '));
  for (const c of constraints) {
    if (c.type === 'not_null') {
      for (const name of c.columns ?? []) {
        const i = columns.findIndex((col) => col.name === name);
        if (i >= 0) lines[i] = `${lines[i]} not null`;
      }
      continue;
    }
    const text = clause(c, c.columns ?? []);
    if (text) lines.push(`    ${text}`);
  }
  return `(\n${lines.join(',\n')}\n)`;
}
