// replaceRelation for PostgreSQL: swaps a freshly built staging relation in for the target inside
// one transaction, keeping the views that depend on the old target. PostgreSQL binds views to a
// table's oid, so dropping the old table (CASCADE) would drop them; instead their definitions
// (pg_get_viewdef), options, comments and grants are saved first and the views re-created, in
// dependency order, against the new relation. The old relation is dropped before the staging one
// is renamed (same outcome as rename-to-backup + drop inside one transaction, without a backup name).
import { queueStatement, type Connection, type ExecuteOptions, type InPlaceBuild, type QueuedStatement, type SqlBuilders } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PostgresConnection } from './postgres-connection.js';
import type { RelationCache } from './postgres-relation-cache.js';
import { carefulSwapBlock, SWAP_FUNCTION, swapFunctionCall, swapFunctionDefinition } from './postgres-swap-block.js';

/** What the careful swap cures when the relation cache's guess was wrong (see `replaceRelation`). */
const STALE_GUESS = new Set(['sqlstate-2BP01', 'sqlstate-42809', 'sqlstate-42P07']);

/**
 * What the server answers when the session's swap function cannot be created or is not there: no
 * such function (a connection pooler handed the transaction another session), no TEMP privilege,
 * a read-only transaction. Then the swap is done again with a `do` block.
 */
const NO_SWAP_FUNCTION = new Set(['sqlstate-42883', 'sqlstate-42501', 'sqlstate-25006', 'sqlstate-3F000']);

/**
 * The careful swap, in the open transaction: one statement that reads what is at the target's name
 * and the views built on it, drops it, renames the staging relation and re-creates the views
 * (postgres-swap-block.ts), queued: it reaches the server with the caller's other statements and
 * the commit. It calls the session's function `pg_temp.tsdbt_swap`, created (in this transaction)
 * by the session's first swap; where the session cannot have it (a failed creation, a transaction
 * that has sent statements already and so could not be done again) it is a `do` block. A view
 * whose definition no longer fits the new relation (a column it used is gone) is left dropped, as
 * dbt's CASCADE would leave it. The cache records the target as having dependents (the swap does
 * not say whether it re-created any): a later swap of it this run is careful too.
 */
async function carefulSwap(tx: Connection, sql: SqlBuilders, staging: Relation, target: Relation, cache: RelationCache): Promise<void> {
  if (target.schema) cache.record(target.schema, target.identifier, { type: staging.type ?? 'table', hasDependents: true });
  const block = async (conn: Connection) => {
    await queueStatement(conn, carefulSwapBlock(sql, staging, target));
  };
  const state = tx instanceof PostgresConnection && tx.attemptable ? tx.sessionObject(SWAP_FUNCTION) : 'unavailable';
  if (!(tx instanceof PostgresConnection) || state === 'unavailable') {
    await block(tx);
    return;
  }
  const create = state === undefined;
  const call = swapFunctionCall(sql, staging, target);
  await tx.attempt(create ? [swapFunctionDefinition(), call] : [call], {
    recoverable: (error) => NO_SWAP_FUNCTION.has(error.code),
    instead: async (conn) => {
      // Not creatable: the session does without it; gone (another session): created again next time.
      conn.sessionObjectFailed(SWAP_FUNCTION, create ? 'unavailable' : undefined);
      await block(conn);
    },
  });
  if (create) tx.creating(SWAP_FUNCTION);
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
