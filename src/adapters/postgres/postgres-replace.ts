// replaceRelation for PostgreSQL: swaps a freshly built staging relation in for the target inside
// one transaction, keeping the views that depend on the old target. PostgreSQL binds views to a
// table's oid, so dropping the old table (CASCADE) would drop them; instead their definitions
// (pg_get_viewdef), options, comments and grants are saved first and the views re-created, in
// dependency order, against the new relation. The old relation is dropped before the staging one
// is renamed (same outcome as rename-to-backup + drop inside one transaction, without a backup name).
import { queueStatement, type Connection, type ExecuteOptions, type InPlaceBuild, type QueryResult, type QueuedStatement, type SqlBuilders } from '../adapter.js';
import type { Relation, RelationType } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PostgresConnection } from './postgres-connection.js';
import { KIND_LIST, regclassSql, relationTypeOf } from './postgres-introspector.js';
import type { RelationCache } from './postgres-relation-cache.js';
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

/** `from ... where ...` of the views (rewrite rules) built directly on the relation whose oid `oid` (SQL) is. */
function directDependents(oid: string): string {
  return [
    'from pg_catalog.pg_depend d',
    'join pg_catalog.pg_rewrite r on r.oid = d.objid',
    "where d.classid = 'pg_catalog.pg_rewrite'::regclass and d.refclassid = 'pg_catalog.pg_class'::regclass",
    `  and d.refobjid = ${oid} and r.ev_class <> ${oid}`,
  ].join('\n');
}

/** The query of the views depending (directly or through other views) on the relation whose oid `oid` (SQL) is, in dependency order. */
function dependentViewsSql(oid: string): string {
  return [
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
  ].join('\n');
}

function savedViews(result: QueryResult): SavedView[] {
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

/** What a swap needs to know of the two relations, read from the catalog inside its transaction. */
interface SwapFacts {
  /** The relation now at the target's name (null: none). */
  current: { oid: number; type: RelationType } | null;
  /** What the staging relation is (null: not found, e.g. a project's macro built it elsewhere). */
  stagingType: RelationType | null;
}

/** The target's oid and kind and the staging relation's kind: a catalog read that locks no relation. */
function swapFactsSql(staging: Relation, target: Relation): string {
  return [
    'select t.oid as target_oid, t.relkind::text as target_kind, s.relkind::text as staging_kind',
    'from (select 1) as one',
    `left join pg_catalog.pg_class t on t.oid = ${regclassSql(target.schema, target.identifier)} and t.relkind in (${KIND_LIST})`,
    `left join pg_catalog.pg_class s on s.oid = ${regclassSql(staging.schema, staging.identifier)} and s.relkind in (${KIND_LIST})`,
  ].join('\n');
}

function swapFacts(result: QueryResult): SwapFacts {
  const row = result.rows[0] ?? {};
  const currentType = relationTypeOf(row.target_kind);
  return {
    current: currentType && row.target_oid !== null && row.target_oid !== undefined ? { oid: Number(row.target_oid), type: currentType } : null,
    stagingType: relationTypeOf(row.staging_kind),
  };
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
 * One statement that re-creates the saved views in order, each in a subtransaction of its own (a
 * PL/pgSQL block with an exception handler is one): a view whose definition no longer fits the new
 * relation is left dropped, as dbt's CASCADE would leave it, and the others are still re-created.
 * Being one statement, it travels with the swap and the commit.
 */
export function recreateViewsBlock(views: SavedView[]): string {
  const blocks = views.map((view) =>
    ['  begin', ...recreateStatements(view).map((statement) => `    execute ${quoteString(statement)};`), '  exception when others then null;', '  end;'].join('\n'),
  );
  const body = ['begin', ...blocks, 'end'].join('\n');
  let tag = '$tsdbt$';
  while (body.includes(tag)) tag = `${tag.slice(0, -1)}_$`;
  return `do ${tag}\n${body}\n${tag}`;
}

/**
 * Taken (until the transaction ends) by every swap that re-creates dependent views. Two nodes of
 * one run whose relations feed the same view (two seeds under one `union all` view) would
 * otherwise each drop and re-create that view: each holds its own relation and waits for the view
 * the other holds (`deadlock detected`), or reads the definition of a view the other just
 * replaced (`could not open relation with OID`). Swaps without dependents never take it.
 */
const DEPENDENT_VIEWS_LOCK = "select pg_advisory_xact_lock(hashtextextended('tsdbt:dependent-views', 0))";

/** What the careful swap cures when the relation cache's guess was wrong (see `replaceRelation`). */
const STALE_GUESS = new Set(['sqlstate-2BP01', 'sqlstate-42809', 'sqlstate-42P07']);

/**
 * The careful swap, in the open transaction: reads what is at the target's name and the views built
 * on it, drops it, renames the staging relation and re-creates the views. A view whose definition
 * no longer fits the new relation (a column it used is gone) is left dropped, as dbt's CASCADE
 * would leave it. The lock (only when views are built on the target) and the reads travel with
 * what the caller queued (the staging relation's build); the drop, the rename and the re-creation
 * are queued in turn and reach the server with the next statement (the commit).
 */
async function carefulSwap(tx: Connection, sql: SqlBuilders, staging: Relation, target: Relation, cache: RelationCache): Promise<void> {
  const targetOid = regclassSql(target.schema, target.identifier);
  // The lock comes before reading any definition: pg_get_viewdef locks the view it reads.
  await queueStatement(tx, `${DEPENDENT_VIEWS_LOCK}\nwhere exists (select 1 ${directDependents(targetOid)})`);
  const factsRead = await queueStatement(tx, swapFactsSql(staging, target));
  const dependentsRead = await queueStatement(tx, dependentViewsSql(targetOid));
  const saved = savedViews(await dependentsRead.result()); // sends the trip
  const facts = swapFacts(await factsRead.result());
  const stagingType = facts.stagingType ?? staging.type;
  if (facts.current) await queueStatement(tx, sql.dropRelation(target.with({ type: facts.current.type }), facts.current.type));
  await queueStatement(tx, sql.renameRelation(staging.with({ type: stagingType }), target.identifier));
  if (saved.length > 0) await queueStatement(tx, recreateViewsBlock(saved));
  if (target.schema && stagingType) cache.record(target.schema, target.identifier, { type: stagingType, hasDependents: saved.length > 0 });
}

/**
 * Makes `staging` become `target` in one transaction (the caller's, when one is open).
 *
 * Where the run's relation cache says nothing depends on the target (or that there is no target),
 * the swap is a guess sent with the caller's statements: drop the target without CASCADE, rename
 * the staging relation. The server checks the guess: a view or a foreign key on the target (the
 * drop fails), another kind of relation (the drop fails), a target the cache did not know of (the
 * rename fails). Then the connection does the transaction again with the careful swap in place of
 * the guess (PostgresConnection.attempt), so a wrong guess costs time, never a relation.
 */
export async function replaceRelation(conn: Connection, sql: SqlBuilders, staging: Relation, target: Relation, cache: RelationCache): Promise<void> {
  const careful = (tx: Connection) => carefulSwap(tx, sql, staging, target, cache);
  const swap = async (tx: Connection): Promise<void> => {
    const guess = tx instanceof PostgresConnection && target.schema && staging.type ? await cache.lookup(tx, target.schema, target.identifier) : undefined;
    if (!(tx instanceof PostgresConnection) || !target.schema || !staging.type || guess === undefined || (guess && (guess.hasDependents || (guess.type !== 'table' && guess.type !== 'view')))) {
      await careful(tx);
      return;
    }
    const statements: string[] = [];
    // Without CASCADE: should anything depend on it after all, the drop fails instead.
    if (guess) statements.push(`drop ${guess.type} if exists ${target.render()}`);
    statements.push(sql.renameRelation(staging, target.identifier));
    cache.record(target.schema, target.identifier, { type: staging.type, hasDependents: false });
    await tx.attempt(statements, { recoverable: (error) => STALE_GUESS.has(error.code), instead: careful });
  };
  await (conn.inTransaction ? swap(conn) : conn.transaction(swap));
}

/**
 * What the server answers when building in place was the wrong guess: a relation is at the name
 * (42P07), it is not a view (42809), or the view's columns cannot be replaced so (42P16: a column
 * dropped or renamed, 42804: a column's type changed).
 */
const IN_PLACE_REFUSED = new Set(['sqlstate-42P07', 'sqlstate-42809', 'sqlstate-42P16', 'sqlstate-42804']);

/**
 * Adapter.buildInPlace for PostgreSQL, from the run's relation cache: where nothing is at the
 * target's name, the relation is created there (no staging relation, no rename); where a view with
 * no comment, grant or option of its own is there and a view is built, `create or replace view`
 * replaces its definition, so the views built on it stay as they are (nothing to save and re-create).
 * Both are one transaction, so a killed build leaves the previous relation. The server checks the
 * guess (IN_PLACE_REFUSED): then the transaction is done again, building beside the target and
 * swapping carefully (PostgresConnection.attempt). Null when the cache cannot tell, the target is
 * something else, or the transaction has sent statements already (it could not be done again).
 */
export async function buildInPlace(conn: Connection, sql: SqlBuilders, target: Relation, build: InPlaceBuild, cache: RelationCache, options: ExecuteOptions = {}): Promise<QueuedStatement | null> {
  if (!(conn instanceof PostgresConnection) || !conn.attemptable || !target.schema) return null;
  const guess = await cache.lookup(conn, target.schema, target.identifier);
  let statements: string[];
  if (guess === null) statements = [...build.inPlace.create, ...build.inPlace.extras];
  else if (guess?.type === 'view' && build.type === 'view' && build.viewSql !== undefined && guess.decorated !== true) {
    statements = [sql.createView(target, build.viewSql, { orReplace: true })];
  } else return null;
  const createdAt = guess === null ? build.inPlace.create.length - 1 : 0;
  cache.record(target.schema, target.identifier, { type: build.type, hasDependents: guess?.hasDependents ?? false });
  let beside: QueuedStatement | undefined;
  const instead = async (tx: PostgresConnection): Promise<void> => {
    await queueStatement(tx, sql.dropRelation(build.staging, build.type), options);
    for (const statement of build.beside.create) beside = await queueStatement(tx, statement, options);
    for (const statement of build.beside.extras) await queueStatement(tx, statement, options);
    await carefulSwap(tx, sql, build.staging, target, cache);
  };
  const handles = (await conn.attempt(statements, { recoverable: (error) => IN_PLACE_REFUSED.has(error.code), instead }, options)) ?? [];
  const inPlace = handles[createdAt];
  // Read once the transaction is over: by then `beside` is set if the build was done beside the target.
  return {
    result: () => {
      const created = beside ?? inPlace;
      return created ? created.result() : Promise.reject(new TsdbtError('an in-place build has no statement', { code: 'internal', category: 'internal' }));
    },
  };
}
