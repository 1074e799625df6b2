// The column list of a contracted table (`create table x (<this>)`), which dialects share, as
// dbt-adapters' BaseAdapter renders it (render_raw_columns_constraints, render_model_constraint):
// each declared column with its type and column constraints, then the model's constraints; a
// constraint is named only where the YAML names it (the warehouse names the rest: PostgreSQL picks a
// free `<table>_pkey` / `_key`, so a rebuild beside the old table does not collide).
// `generatedName` names PostgreSQL's `indexes`.
// Names from the YAML (columns, constraint names, a constraint's columns) are written by the
// dialect's YamlName: as dbt writes them (as they are unless `quote: true`) where the warehouse reads
// the bare text as that name, else quoted (see AnsiSqlBuilders.yamlName: a reserved word, or text
// that is no identifier and would be a syntax error or SQL of the file's choosing).
// A constraint's `expression` is SQL by design and stays as written.
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

/** How the dialect writes a name from the YAML: `quoted` (the column's `quote: true`) as written, else as its bare form folds. */
export type YamlName = (name: string, quoted: boolean) => string;

/** A declared column's name in the DDL. */
export function contractColumnName(column: Pick<ContractColumn, 'name' | 'quote'>, name: YamlName): string {
  return name(column.name, column.quote === true);
}

/** dbt's render_column_constraint: a column constraint's text (its name is not written), or null. */
function columnConstraint(c: TableConstraint, name: YamlName): string | null {
  const expression = c.expression ?? '';
  switch (c.type) {
    case 'check':
      return expression ? `check (${expression})` : null;
    case 'not_null':
      return `not null ${expression}`.trim();
    case 'unique':
      return `unique ${expression}`.trim();
    case 'primary_key':
      return `primary key ${expression}`.trim();
    case 'foreign_key':
      if (c.references && c.references.columns.length > 0) return `references ${c.references.relation} (${c.references.columns.map((col) => name(col, false)).join(', ')})`;
      return expression ? `references ${expression}` : null;
    default:
      return expression ? expression.trim() : null;
  }
}

/** dbt's render_model_constraint: a model constraint's text, `constraint <name> ` first where it has a name, or null. */
function modelConstraint(c: TableConstraint, name: YamlName): string | null {
  const prefix = c.name ? `constraint ${name(c.name, false)} ` : '';
  const columns = (c.columns ?? []).map((col) => name(col, false)).join(', ');
  const expression = c.expression ? ` ${c.expression}` : '';
  switch (c.type) {
    case 'check':
      return c.expression ? `${prefix}check (${c.expression})` : null;
    case 'unique':
      return `${prefix}unique${expression} (${columns})`;
    case 'primary_key':
      return `${prefix}primary key${expression} (${columns})`;
    case 'foreign_key':
      if (c.references && c.references.columns.length > 0) return `${prefix}foreign key (${columns}) references ${c.references.relation} (${c.references.columns.map((col) => name(col, false)).join(', ')})`;
      return c.expression ? `${prefix}foreign key (${columns}) references ${c.expression}` : null;
    case 'custom':
      return c.expression ? `${prefix}${c.expression}` : null;
    default:
      return null;
  }
}

/**
 * The contracted table's column list, dbt's table_columns_and_constraints(). A model-level
 * `not_null` (which dbt's render_model_constraint has no text for) makes its columns `not null`.
 */
export function contractColumnList(columns: readonly ContractColumn[], constraints: readonly TableConstraint[], name: YamlName): string {
  const lines = columns.map((col) => [`${contractColumnName(col, name)} ${col.dataType}`, ...col.constraints.map((c) => columnConstraint(c, name)).filter((x): x is string => !!x)].join(' '));
  for (const c of constraints) {
    if (c.type !== 'not_null') continue;
    for (const name of c.columns ?? []) {
      const i = columns.findIndex((col) => col.name === name);
      if (i >= 0) lines[i] = `${lines[i]} not null`;
    }
  }
  lines.push(...constraints.map((c) => modelConstraint(c, name)).filter((x): x is string => !!x));
  return `(\n${lines.map((l) => `    ${l}`).join(',\n')}\n)`;
}

/** dbt's get_column_names() and get_select_subquery(): `insert into t (cols)\n(\n    select cols\n    from (<select>) as model_subq\n)`. */
export function contractInsert(target: string, columns: readonly ContractColumn[], selectSql: string, name: YamlName): string {
  const names = columns.map((c) => contractColumnName(c, name)).join(', ');
  return `insert into ${target} (\n    ${names}\n)\n(\n    select ${names}\n    from (\n${selectSql}\n    ) as model_subq\n)`;
}
