// `materialized='incremental'`: the first run (or --full-refresh) builds the table like `table`;
// later runs compute the new rows into a staging table (a temporary one where the adapter has
// dbt's make_temp_relation, BuildingBlocks.tempRelation) and apply them with the configured strategy
// (append, delete+insert, merge) in ONE transaction, so a failure or a kill leaves the table as it
// was. dbt-postgres's default: delete+insert with a unique_key, append without.
import type { Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import type { ManifestNode } from '../manifest/types.js';
import { keyColumnName, uniqueKeys } from './unique-key.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { assertContract, contractEnforced } from './contract.js';
import { reconcileSchema, type OnSchemaChange } from './incremental-schema.js';
import { grantStatements, indexNaming, persistDocsStatements, rowsWritten, runHooks, stagingIdentifier, writeMain, type Materialization, type MaterializationContext } from './materialization.js';
import { materializeMicrobatch } from './microbatch.js';
import { materializeTable } from './table.js';
import { assertUniqueBatch, configuredPredicates, mergeStatement } from './incremental-merge.js';
import { strategyMacroName, type BuildingBlocks } from './building-blocks.js';
import { configuredStrategy } from './strategy-alias.js';

const STRATEGIES = ['append', 'delete+insert', 'merge', 'microbatch', 'insert_overwrite', 'legacy'] as const;
type Strategy = (typeof STRATEGIES)[number];

/** The configured strategy (or the default for the keys), checked to have a macro, before any unique_key rule. */
function strategyName(ctx: MaterializationContext, keys: string[] = uniqueKeys(ctx.node.config.unique_key)): Strategy | { custom: string } {
  const configured = configuredStrategy(ctx.node.config, ctx.adapter.capabilities);
  const strategy = (configured ?? (keys.length ? 'delete+insert' : 'append')) as Strategy;
  if (STRATEGIES.includes(strategy)) return strategy;
  if (typeof configured === 'string' && ctx.blocks.hasStrategy(configured)) return { custom: configured };
  // dbt's words (adapter.get_incremental_strategy_macro), which projects' tests look for.
  throw new TsdbtError(`dbt could not find an incremental strategy macro with the name "${strategyMacroName(String(configured))}" (model '${ctx.node.name}' has incremental_strategy '${String(configured)}')`, {
    code: 'incremental-strategy-unknown',
    location: { file: ctx.node.original_file_path },
    hint: `use one of: ${STRATEGIES.join(', ')}, or define a macro ${strategyMacroName(String(configured))}(arg_dict) returning the SQL that applies the new rows`,
  });
}

/**
 * The model's strategy: a built-in, or a custom one dbt finds as a macro `get_incremental_<name>_sql`
 * visible from the model ("custom incremental strategies"), returned as `custom`.
 */
function strategyOf(ctx: MaterializationContext, keys: string[]): Strategy | { custom: string } {
  const named = strategyName(ctx, keys);
  // dbt-clickhouse appends with `inserts_only`, or without a unique_key unless the strategy is insert_overwrite.
  if (ctx.adapter.capabilities.insertsOnlyAppend && (Boolean(ctx.node.config.inserts_only) || (keys.length === 0 && named !== 'insert_overwrite'))) return 'append';
  if (typeof named !== 'string') return named;
  const strategy = named;
  // delete+insert and merge take no unique_key in dbt-adapters' macros: its delete is skipped
  // (get_delete_insert_merge_sql's `{% if unique_key %}`), its merge matches nothing (`on FALSE`),
  // so both insert every new row; `legacy` rewrites by key and needs one.
  if (strategy === 'legacy' && keys.length === 0) {
    throw new TsdbtError(`incremental_strategy '${strategy}' needs a unique_key (model '${ctx.node.name}')`, {
      code: 'incremental-unique-key-missing',
      location: { file: ctx.node.original_file_path },
      hint: "add unique_key='id' (or a list of columns) to the model's config",
    });
  }
  return strategy;
}

/**
 * The statement that applies the new rows. `merge` becomes `insert ... on conflict` when the target
 * has a unique index on exactly the keys and no incremental_predicates narrow the match (a row
 * outside the predicates would then conflict instead of being inserted, as MERGE does).
 */
async function applyStatement(ctx: MaterializationContext, tx: Connection, strategy: Strategy, target: Relation, batch: Relation, keys: string[], columns: string[], predicates: string[]): Promise<string> {
  if (strategy !== 'merge' || !ctx.adapter.capabilities.merge || keys.length === 0) return ctx.adapter.sql.insertFrom(target, batch, columns);
  return mergeStatement(ctx, tx, target, batch, keys, columns, predicates);
}

/**
 * Whether a microbatch model runs batch by batch (dbt's MicrobatchModelRunner, which renders the
 * model only per batch): a project's own get_incremental_microbatch_sql runs batch by batch only
 * under dbt's behaviour flag; without it the model runs once through that macro, as dbt does.
 */
export function runsInBatches(node: ManifestNode, blocks: BuildingBlocks, batchCustomMicrobatch: boolean | undefined): boolean {
  return node.config.incremental_strategy === 'microbatch' && (batchCustomMicrobatch === true || !blocks.replacesStrategy('microbatch'));
}

export const materializeIncremental: Materialization = async (ctx) => {
  const keys = uniqueKeys(ctx.node.config.unique_key).map((k) => keyColumnName(ctx.adapter.sql, k) ?? k);
  if (runsInBatches(ctx.node, ctx.blocks, ctx.batchCustomMicrobatch)) return materializeMicrobatch(ctx);
  // dbt looks the strategy's macro up on every run, the first and --full-refresh ones too, so a
  // strategy no macro serves fails before anything is built.
  if (!ctx.incremental) {
    strategyName(ctx);
    return materializeTable(ctx);
  }
  const { adapter, conn, node, hooks } = ctx;
  const chosen = strategyOf(ctx, keys);
  const strategy = typeof chosen === 'string' ? chosen : null;
  if (contractEnforced(node)) await assertContract(ctx);
  // A project's get_incremental_insert_overwrite_sql takes the batch like any strategy's macro.
  if (strategy === 'insert_overwrite' && !ctx.blocks.replacesStrategy(strategy)) return insertOverwrite(ctx);
  const predicates = configuredPredicates(node.config);
  const policy = String(node.config.on_schema_change ?? 'ignore') as OnSchemaChange;
  const target = ctx.relation.with({ type: 'table' });
  // dbt's make_temp_relation(target), named before the hooks as dbt names its relations: a table of
  // the session where the adapter stages in one (dbt-postgres: no schema, the time of day in its
  // name), else a permanent `__dbt_tmp` beside the target.
  const temp = await ctx.blocks.tempRelation(conn, target, ctx.now?.() ?? new Date());
  const batch = temp ?? ctx.relation.with({ identifier: stagingIdentifier(ctx.relation.identifier), type: 'table' });
  const id = node.unique_id;
  await runHooks(conn, hooks.beforeTransaction, id);
  const response = await conn.transaction(async (tx) => {
    await runHooks(tx, hooks.preInTransaction, id);
    // A name without schema would find a permanent table of that name on the search_path: a
    // session's temporary table is new (rolled back with a failed or killed transaction).
    if (!temp) await tx.execute(adapter.sql.dropRelation(batch, 'table'), { nodeId: id });
    await tx.execute(await ctx.blocks.createTableAs(tx, batch, ctx.compiledSql, { temporary: temp !== null, config: adapter.sql.queryConfig(node.config) }), { nodeId: id });
    // dbt widens the table's columns to the new rows' only without an enforced contract.
    const columns = await reconcileSchema(adapter, tx, target, batch, policy, id, { file: node.original_file_path }, ctx.blocks, !contractEnforced(node), node.columns);
    // A custom strategy, or a built-in one whose macro the project replaced: its SQL applies the batch.
    const projectSql = await ctx.blocks.incrementalSql(tx, strategy ?? (chosen as { custom: string }).custom, { target, temp: batch, uniqueKey: node.config.unique_key ?? null, columns, predicates });
    if (projectSql !== null || strategy === null) {
      writeMain(ctx, projectSql ?? '');
      const applied = await tx.execute(projectSql ?? '', { nodeId: id });
      await tx.execute(adapter.sql.dropRelation(batch, 'table'), { nodeId: id });
      await runHooks(tx, [...grantStatements(ctx, target, false), ...persistDocsStatements(ctx, target)], id);
      await runHooks(tx, hooks.postInTransaction, id);
      return applied.response;
    }
    if ((strategy === 'merge' || strategy === 'legacy') && keys.length > 0) await assertUniqueBatch({ ...ctx, conn: tx }, batch, keys);
    if (strategy === 'legacy') {
      const response = await rewriteWithBatch(ctx, tx, target, batch, keys, columns);
      await tx.execute(adapter.sql.dropRelation(batch, 'table'), { nodeId: id });
      await runHooks(tx, [...grantStatements(ctx, target, false), ...persistDocsStatements(ctx, target)], id);
      await runHooks(tx, hooks.postInTransaction, id);
      return response;
    }
    // Without MERGE (ClickHouse), a merge is the same delete of the batch's keys plus an insert.
    const deleteFirst = keys.length > 0 && (strategy === 'delete+insert' || (strategy === 'merge' && !adapter.capabilities.merge));
    // dbt's main statement is the strategy's SQL: delete+insert's delete and insert in one text.
    const deletion = deleteFirst ? adapter.sql.deleteMatching(target, batch, keys, predicates, node.config) : null;
    const apply = await applyStatement(ctx, tx, strategy, target, batch, keys, columns, predicates);
    writeMain(ctx, deletion === null ? [apply] : [deletion, apply]);
    if (deletion !== null) await tx.execute(deletion, { nodeId: id });
    const applied = await tx.execute(apply, { nodeId: id });
    const written = await rowsWritten(tx, applied, batch, id, adapter.queries);
    await tx.execute(adapter.sql.dropRelation(batch, 'table'), { nodeId: id });
    await runHooks(tx, [...grantStatements(ctx, target, false), ...persistDocsStatements(ctx, target)], id);
    await runHooks(tx, hooks.postInTransaction, id);
    // Where the driver reports no count (chDB), say how many new rows were applied.
    return applied.response.rowsAffected === undefined ? { ...applied.response, message: `${applied.response.code} ${written}`, rowsAffected: written } : applied.response;
  });
  await runHooks(conn, hooks.afterTransaction, id);
  return { response };
};

/** `insert_overwrite` (dbt-clickhouse): the partitions the new rows fall into are replaced whole. */
async function insertOverwrite(ctx: MaterializationContext) {
  const { adapter, conn, node, hooks } = ctx;
  if (!adapter.replacePartitions) {
    throw new TsdbtError(`incremental_strategy 'insert_overwrite' is not available on ${adapter.type} (model '${node.name}')`, {
      code: 'incremental-strategy-unsupported',
      location: { file: node.original_file_path },
      hint: 'use merge or delete+insert with a unique_key, which replace the same rows',
    });
  }
  await runHooks(conn, hooks.beforeTransaction, node.unique_id);
  await runHooks(conn, hooks.preInTransaction, node.unique_id);
  const response = await adapter.replacePartitions(conn, ctx.relation.with({ type: 'table' }), ctx.compiledSql, node.unique_id);
  await runHooks(conn, hooks.postInTransaction, node.unique_id);
  await runHooks(conn, hooks.afterTransaction, node.unique_id);
  return { response };
}

/**
 * `legacy` (dbt-clickhouse's original strategy): a new table holds the old rows whose keys the
 * batch does not bring, plus the batch; it replaces the old one in one swap (EXCHANGE TABLES on
 * ClickHouse). Costs a full rewrite, but never leaves the table half-applied without transactions.
 */
async function rewriteWithBatch(ctx: MaterializationContext, conn: Connection, target: Relation, batch: Relation, keys: string[], columns: string[]) {
  const { adapter, node } = ctx;
  const rewritten = target.with({ identifier: stagingIdentifier(target.identifier, '__tsdbt_new') });
  await conn.execute(adapter.sql.dropRelation(rewritten, 'table'), { nodeId: node.unique_id });
  await conn.execute(adapter.sql.createTableAs(rewritten, adapter.queries.keptRowsAndBatch(target, batch, keys, columns), node.config), { nodeId: node.unique_id });
  for (const statement of adapter.sql.tableExtras(rewritten, node.config, indexNaming(ctx, target.identifier))) await conn.execute(statement, { nodeId: node.unique_id });
  const n = await rowsWritten(conn, { columns: [], rows: [], response: { message: '', code: 'INSERT' } }, batch, node.unique_id, adapter.queries);
  await adapter.replaceRelation(conn, rewritten, target, ctx.existing);
  return adapter.rules.insertedRows(n);
}
