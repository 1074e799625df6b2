// tsdbt's SQL builders as templates reach them: `adapter.tsdbt_sql`. dbt's global DDL macros
// (`default__create_table_as`, `default__create_view_as`) are thin wrappers over these, so a
// template calling `create_table_as(...)` and a built-in materialization send the same statement.
import type { MaterializedViewBuilders, SqlBuilders } from '../../adapters/adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ManifestNode } from '../../manifest/types.js';
import { callArgs } from '../pylib/args/index.js';
import { relationArgument } from './warehouse-calls.js';
import { contractColumnsOf, tableConstraint } from '../../adapters/contract-columns.js';
import { AgateTable, agateTypeOf, cellValue, typeNamesOf, type AgateTypeRules } from '../pylib/agate/index.js';

/**
 * tsdbt's SQL builders as templates call them (`adapter.tsdbt_sql.create_table_as(relation, sql)`),
 * with the node's config (a ClickHouse engine, PostgreSQL's `unlogged`): what dbt's global DDL
 * macros return, written once, in the adapter.
 */
export function templateBuilders(sql: SqlBuilders, node: ManifestNode, runStartedAt: Date, renderNumber: () => number, typeLabels: Readonly<Record<string, string>>, renderRelation?: (expression: string) => string): Record<string, unknown> {
  // Index names carry a salt (so a rebuild never clashes with the old table's indexes) that is the
  // same on every attempt of this render (render replay asks the warehouse the same things each
  // time) and differs between renders (dbt-postgres hashes utcnow() into each name, so two hooks
  // indexing one table get two names): the invocation's start, the render's number in the
  // invocation, and the how-manieth index this render creates.
  let indexes = 0;
  // Temporary relations: dbt-postgres tags each with the wall clock (%H%M%S%f), so every call gets
  // its own name, also across hooks and models sharing a session; here the invocation's start, one
  // millisecond later per render of the invocation and one microsecond later per call of the render.
  let temps = 0;
  return {
    create_table_as: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'sql', 'temporary']);
      return sql.createTableAs(relationArgument(a.relation, 'create_table_as'), String(a.sql ?? ''), node.config, { temporary: a.temporary === true });
    },
    /** One index of dbt-postgres's `indexes` config ({columns, unique, type}), or None where the warehouse has none. */
    create_index: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'index_dict']);
      const relation = relationArgument(a.relation, 'get_create_index_sql');
      const [statement] = sql.tableExtras(relation, { indexes: [a.index_dict] }, { table: relation.identifier, salt: `${runStartedAt.getTime()}|${renderNumber()}|${indexes++}` });
      return statement ?? null;
    },
    /** The next temporary relation's tag: HHMMSSffffff (UTC) of the invocation's start plus the render's number in ms and the call's in µs. */
    temp_tag: () => {
      const micros = runStartedAt.getUTCMilliseconds() * 1000 + renderNumber() * 1000 + temps++;
      const at = new Date(runStartedAt.getTime() - runStartedAt.getUTCMilliseconds() + Math.floor(micros / 1000));
      const pad = (n: number, width = 2) => String(n).padStart(width, '0');
      return `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}${pad(micros % 1_000_000, 6)}`;
    },
    truncate: (...values: unknown[]) => sql.truncate(relationArgument(callArgs(values, ['relation']).relation, 'get_truncate_sql')),
    /** dbt's default__create_csv_table: the seed's table from the CSV's header, types from convert_type and column_types. */
    create_csv_table: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'agate_table']);
      const table = a.agate_table;
      if (!(table instanceof AgateTable)) throw new TsdbtError('create_csv_table() needs the seed\'s agate table', { code: 'adapter-args' });
      const overrides = (node.config.column_types ?? {}) as Record<string, unknown>;
      const columns = table.column_names.map((name, i) => ({ name, dataType: String(overrides[name] ?? convertType(sql, table, i)) }));
      return sql.createTable(relationArgument(a.relation, 'create_csv_table'), columns, node.config);
    },
    /** dbt's get_table_columns_and_constraints(): the model's declared columns and constraints, as the adapter writes them. */
    contract_columns: () =>
      sql.contractColumns(contractColumnsOf(node, typeLabels, renderRelation), (node.constraints ?? []).map((c) => tableConstraint(c, renderRelation)), { table: node.alias, salt: node.unique_id }),
    can_clone_table: () => sql.canCloneTable(node.config),
    create_or_replace_clone: (...values: unknown[]) => {
      const a = callArgs(values, ['this_relation', 'defer_relation']);
      return sql.createOrReplaceClone(relationArgument(a.this_relation, 'create_or_replace_clone'), relationArgument(a.defer_relation, 'create_or_replace_clone'));
    },
    /** dbt-postgres's materialized views; elsewhere a clear error (ClickHouse's are another thing). */
    create_materialized_view: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'sql']);
      return materializedViews(sql, 'get_create_materialized_view_as_sql').create(relationArgument(a.relation, 'get_create_materialized_view_as_sql'), String(a.sql ?? ''));
    },
    refresh_materialized_view: (...values: unknown[]) =>
      materializedViews(sql, 'refresh_materialized_view').refresh(relationArgument(callArgs(values, ['relation']).relation, 'refresh_materialized_view')),
    create_view_as: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'sql']);
      return sql.createView(relationArgument(a.relation, 'create_view_as'), String(a.sql ?? ''), { model: node });
    },
  };
}

/** The adapter's materialized view builders, or the error a template calling `macro` gets where there are none. */
function materializedViews(sql: SqlBuilders, macro: string): MaterializedViewBuilders {
  if (sql.materializedViews) return sql.materializedViews;
  throw new TsdbtError(`${macro}(): this adapter builds no materialized views`, {
    code: 'adapter-args',
    hint: 'tsdbt builds materialized views on PostgreSQL and PGlite; use a table or a view here',
  });
}

/** The warehouse types of a seed's columns, as tsdbt inferred them, for the seed's agate table. */
const seedTypes = new WeakMap<AgateTable, readonly string[]>();

/** A seed's agate table as dbt's seed macros receive it: the header, with tsdbt's column types attached. */
export function seedAgateTable(columns: readonly { name: string; dataType: string }[], rows: readonly (readonly (string | null)[])[] = [], rules?: AgateTypeRules): AgateTable {
  // With rows, each column gets the agate type of its warehouse type, and its cells that type's values (dbt's agate table of the CSV).
  const types = rows.length > 0 && rules ? columns.map((c) => agateTypeOf(c.dataType, rules) ?? 'Text') : [];
  const values = rows.map((row) => columns.map((_c, i) => (types[i] === 'Boolean' ? csvBoolean(row[i] ?? null) : cellValue(row[i] ?? null, types[i] ?? 'Text', false))));
  const table = new AgateTable(columns.map((c) => c.name), types, values);
  seedTypes.set(table, columns.map((c) => c.dataType));
  return table;
}

/** A Boolean column's CSV cell as dbt's agate type tester casts it (true_values ("true",), false_values ("false",)): True, False or None. */
function csvBoolean(cell: string | null): boolean | string | null {
  const lower = cell?.trim().toLowerCase();
  return lower === 'true' ? true : lower === 'false' ? false : cell;
}

/**
 * dbt's `adapter.convert_type(agate_table, col_idx)`: the warehouse type for a column of an agate
 * table. A seed's table answers with the types tsdbt inferred; any other maps its agate type.
 */
export function convertType(sql: SqlBuilders, table: unknown, index: unknown): string {
  if (!(table instanceof AgateTable)) throw new TsdbtError('adapter.convert_type() needs an agate table', { code: 'adapter-args' });
  const i = Number(index);
  const known = seedTypes.get(table)?.[i];
  if (known !== undefined) return known;
  switch (typeNamesOf(table)[i]) {
    case 'Integer':
      return sql.typeFor('integer');
    case 'Number':
      return sql.typeFor('numeric');
    case 'Boolean':
      return sql.typeFor('boolean');
    case 'Date':
      return sql.typeFor('date');
    case 'DateTime':
      return sql.typeFor('timestamp');
    default:
      return sql.typeFor('text');
  }
}
