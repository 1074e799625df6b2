// replaceRelation for PostgreSQL: swaps a freshly built staging relation in for the target inside
// one transaction, keeping the views that depend on the old target. PostgreSQL binds views to a
// table's oid, so dropping the old table (CASCADE) would drop them; instead their definitions
// (pg_get_viewdef), options, comments and grants are saved first and the views re-created, in
// dependency order, against the new relation. The old relation is dropped before the staging one
// is renamed (same outcome as rename-to-backup + drop inside one transaction, without a backup name).
import type { Connection, SqlBuilders } from '../adapter.js';
import type { Relation } from '../relation.js';
import { findRelation } from './postgres-introspector.js';
import { quoteIdentifier, quoteString } from './postgres-sql.js';

/** A dependent view (or materialized view) as saved before the drop. */
export interface SavedView {
  schema: string;
  name: string;
  materialized: boolean;
  definition: string;
  options: string[];
  comment: string | null;
  columnComments: { name: string; comment: string }[];
  grants: { grantee: string; privilege: string; grantable: boolean }[];
}

/** `from ... where ...` of the views (rewrite rules) built directly on relation `oid`. */
function directDependents(oid: number): string {
  return [
    'from pg_catalog.pg_depend d',
    'join pg_catalog.pg_rewrite r on r.oid = d.objid',
    "where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass",
    `  and d.refobjid = ${oid}::oid and r.ev_class <> ${oid}::oid`,
  ].join('\n');
}

/** Views depending (directly or through other views) on relation `oid`, in dependency order. */
export async function dependentViews(conn: Connection, oid: number): Promise<SavedView[]> {
  const result = await conn.execute(
    [
      'with recursive dependents(oid, depth) as (',
      `    select r.ev_class, 1 ${directDependents(oid)}`,
      '  union',
      '    select r.ev_class, dep.depth + 1',
      '    from dependents dep',
      '    join pg_catalog.pg_depend d on d.refobjid = dep.oid',
      "      and d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass",
      '    join pg_catalog.pg_rewrite r on r.oid = d.objid',
      '    where r.ev_class <> dep.oid',
      ')',
      'select n.nspname as schema_name, c.relname as view_name, c.relkind::text as relkind,',
      '       max(dep.depth) as depth,',
      '       pg_catalog.pg_get_viewdef(c.oid) as definition,',
      "       coalesce(c.reloptions, '{}') as options,",
      "       pg_catalog.obj_description(c.oid, 'pg_class') as comment,",
      "       (select coalesce(json_agg(json_build_object('name', a.attname, 'comment', ds.description)), '[]')",
      '          from pg_catalog.pg_attribute a',
      '          join pg_catalog.pg_description ds on ds.objoid = a.attrelid and ds.objsubid = a.attnum',
      "            and ds.classoid = 'pg_catalog.pg_class'::regclass",
      '         where a.attrelid = c.oid and a.attnum > 0) as column_comments,',
      "       (select coalesce(json_agg(json_build_object('grantee', case when x.grantee = 0 then 'public'",
      "                 else quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) end,",
      "               'privilege', x.privilege_type, 'grantable', x.is_grantable)), '[]')",
      '          from pg_catalog.aclexplode(c.relacl) x where x.grantee <> c.relowner) as grants',
      'from dependents dep',
      'join pg_catalog.pg_class c on c.oid = dep.oid',
      'join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
      'group by c.oid, n.nspname, c.relname, c.relkind, c.reloptions',
      'order by max(dep.depth), c.oid',
    ].join('\n'),
  );
  return result.rows.map((row) => ({
    schema: String(row.schema_name),
    name: String(row.view_name),
    materialized: row.relkind === 'm',
    definition: String(row.definition).trim().replace(/;\s*$/, ''),
    options: Array.isArray(row.options) ? row.options.map(String) : [],
    comment: row.comment === null || row.comment === undefined ? null : String(row.comment),
    columnComments: (row.column_comments ?? []) as SavedView['columnComments'],
    grants: (row.grants ?? []) as SavedView['grants'],
  }));
}

/** True when a view is built on relation `oid` (a catalog read that locks no relation). */
async function hasDependentViews(conn: Connection, oid: number): Promise<boolean> {
  const result = await conn.execute(
    `select 1 ${directDependents(oid)} limit 1`,
  );
  return result.rows.length > 0;
}

/** The statements that re-create a saved view: create, comments, grants. */
export function recreateStatements(view: SavedView): string[] {
  const name = `${quoteIdentifier(view.schema)}.${quoteIdentifier(view.name)}`;
  const kind = view.materialized ? 'materialized view' : 'view';
  const options = view.options.length ? ` with (${view.options.join(', ')})` : '';
  const statements = [`create ${kind} ${name}${options} as\n${view.definition}`];
  if (view.comment !== null) statements.push(`comment on ${kind} ${name} is ${quoteString(view.comment)}`);
  for (const c of view.columnComments) {
    statements.push(`comment on column ${name}.${quoteIdentifier(c.name)} is ${quoteString(c.comment)}`);
  }
  for (const g of view.grants) {
    statements.push(`grant ${g.privilege} on ${name} to ${g.grantee}${g.grantable ? ' with grant option' : ''}`);
  }
  return statements;
}

/**
 * Taken (until the transaction ends) by every swap that re-creates dependent views. Two nodes of
 * one run whose relations feed the same view (two seeds under one `union all` view) would
 * otherwise each drop and re-create that view: each holds its own relation and waits for the view
 * the other holds (`deadlock detected`), or reads the definition of a view the other just
 * replaced (`could not open relation with OID`). Swaps without dependents never take it.
 */
const DEPENDENT_VIEWS_LOCK = "select pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0))";

/**
 * Makes `staging` become `target` in one transaction (a savepoint when the caller has one open),
 * re-creating the views that depended on the old target. A view whose definition no longer fits
 * the new relation (a column it used is gone) is left dropped, as dbt's CASCADE would leave it.
 */
export async function replaceRelation(conn: Connection, sql: SqlBuilders, staging: Relation, target: Relation): Promise<void> {
  await conn.transaction(async (tx) => {
    const current = await findRelation(tx, { schema: target.schema, identifier: target.identifier });
    const stagingFound = await findRelation(tx, { schema: staging.schema, identifier: staging.identifier });
    let saved: SavedView[] = [];
    if (current) {
      // The lock comes before reading any definition: pg_get_viewdef locks the view it reads.
      if (await hasDependentViews(tx, current.oid)) {
        await tx.execute(DEPENDENT_VIEWS_LOCK);
        saved = await dependentViews(tx, current.oid);
      }
      await tx.execute(sql.dropRelation(target.with({ type: current.type }), current.type));
    }
    await tx.execute(sql.renameRelation(staging.with({ type: stagingFound?.type ?? staging.type }), target.identifier));
    for (const view of saved) {
      try {
        await tx.transaction(async (inner) => {
          for (const statement of recreateStatements(view)) await inner.execute(statement);
        });
      } catch {
        // Rolled back to the savepoint: this view (and views on it, which then fail too) stays dropped.
      }
    }
  });
}
