// `materialized='materialized_view'`, as dbt-core's materialized_view materialization with
// dbt-postgres's macros: no relation, `--full-refresh`, or a table / view of that name: build the
// materialized view (with the config's `indexes`) beside it and swap it in, in one transaction.
// An existing materialized view whose indexes match the config is refreshed; when they differ,
// `on_configuration_change` decides: `apply` (default) drops and creates the indexes that changed
// (no refresh, as dbt-postgres), `continue` leaves the view untouched with a warning, `fail`
// fails the node. Where a materialized view is an insert trigger into a table (ClickHouse: the
// adapter has `SqlBuilders.triggerViews`) the model is built as dbt-clickhouse builds it
// (trigger-view.ts); a warehouse with neither fails the node with a hint. As dbt's macros, it logs
// at debug level what it does to an existing one: "Applying REPLACE / REFRESH / ALTER to: <relation>".
import { queueStatement, type QueuedStatement } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { materializeTriggerView } from './trigger-view.js';
import { buildAndSwap, grantStatements, indexNaming, persistDocsStatements, runHooks, writeMain, type Materialization, type MaterializationContext, type MaterializationOutcome } from './materialization.js';

const ON_CONFIGURATION_CHANGE = ['apply', 'continue', 'fail'] as const;
type OnConfigurationChange = (typeof ON_CONFIGURATION_CHANGE)[number];

/** The model's `on_configuration_change` (dbt's default: apply); any other value fails the node. */
function onConfigurationChange(ctx: MaterializationContext): OnConfigurationChange {
  const value = ctx.node.config.on_configuration_change ?? 'apply';
  if ((ON_CONFIGURATION_CHANGE as readonly unknown[]).includes(value)) return value as OnConfigurationChange;
  throw new TsdbtError(`model ${ctx.node.name} sets on_configuration_change to ${JSON.stringify(value)}`, {
    code: 'materialized-view-config',
    location: { file: ctx.node.original_file_path },
    hint: `use one of: ${ON_CONFIGURATION_CHANGE.join(', ')}`,
  });
}

/** Runs `statements` as the node's build: dbt's materialized_view_execute_build_sql (hooks, persist_docs, one transaction). */
async function runInTransaction(ctx: MaterializationContext, statements: (tx: MaterializationContext['conn']) => Promise<string[]>): Promise<MaterializationOutcome> {
  const { conn, node, hooks } = ctx;
  const nodeId = node.unique_id;
  const target = ctx.relation.with({ type: 'materialized_view' });
  await runHooks(conn, hooks.beforeTransaction, nodeId);
  const last = await conn.transaction(async (tx) => {
    await runHooks(tx, hooks.preInTransaction, nodeId);
    let queued: QueuedStatement | null = null;
    const build = await statements(tx);
    writeMain(ctx, build);
    for (const statement of build) queued = await queueStatement(tx, statement, { nodeId, several: true });
    await runHooks(tx, [...grantStatements(ctx, target, true), ...persistDocsStatements(ctx, target)], nodeId);
    await runHooks(tx, hooks.postInTransaction, nodeId);
    return queued;
  });
  const response = last ? (await last.result()).response : { message: 'OK', code: 'OK' };
  await runHooks(conn, hooks.afterTransaction, nodeId);
  return { response };
}

export const materializeMaterializedView: Materialization = async (ctx) => {
  const { adapter, conn, node } = ctx;
  if (adapter.sql.triggerViews) return materializeTriggerView(ctx, adapter.sql.triggerViews);
  const builders = adapter.capabilities.materializedViews ? adapter.sql.materializedViews : undefined;
  if (!builders) {
    throw new TsdbtError(`model ${node.name} is materialized as materialized_view, which tsdbt does not build on ${adapter.type}`, {
      code: 'materialization-unsupported',
      location: { file: node.original_file_path },
      hint: `use materialized='table' or 'view' for this target (tsdbt builds materialized views the way dbt-postgres does, on PostgreSQL and PGlite; dbt-${adapter.type}'s materialized views are not implemented)`,
    });
  }
  const mode = onConfigurationChange(ctx);
  const target = ctx.relation.with({ type: 'materialized_view' });
  if (!ctx.existing || ctx.fullRefresh || ctx.existing.type !== 'materialized_view') {
    // dbt's get_replace_sql logs the relation it replaces (get_create_materialized_view_as_sql logs nothing).
    if (ctx.existing) ctx.debug?.(`Applying REPLACE to: ${ctx.existing.render()}`);
    const indexes = !ctx.blocks.replacesCreateMaterializedView();
    return buildAndSwap(ctx, (staging, tx) => ctx.blocks.createMaterializedViewAs(tx, staging, ctx.compiledSql), 'materialized_view', { indexes });
  }
  const { rows } = await conn.execute(builders.indexesQuery(target), { nodeId: node.unique_id });
  const changes = builders.indexChanges(target, rows, node.config);
  if (!changes) {
    ctx.debug?.(`Applying REFRESH to: ${target.render()}`);
    return runInTransaction(ctx, async (tx) => [await ctx.blocks.refreshMaterializedView(tx, target)]);
  }
  const where = `\`${target.render()}\``;
  if (mode === 'fail') {
    throw new TsdbtError(`Configuration changes were identified and \`on_configuration_change\` was set to \`fail\` for ${where}`, {
      code: 'materialized-view-config-changed',
      location: { file: node.original_file_path },
      hint: 'run with --full-refresh to rebuild it, or set on_configuration_change to apply',
    });
  }
  if (mode === 'continue') {
    // dbt's materialized_view_execute_no_op: only the hooks outside the transaction run.
    ctx.warn?.(`${node.original_file_path}: Configuration changes were identified and \`on_configuration_change\` was set to \`continue\` for ${where}`);
    await runHooks(conn, ctx.hooks.beforeTransaction, node.unique_id);
    await runHooks(conn, ctx.hooks.afterTransaction, node.unique_id);
    return { response: { message: `skip ${target.render()}`, code: 'skip', rowsAffected: -1 } };
  }
  const naming = indexNaming(ctx, target.identifier);
  ctx.debug?.(`Applying ALTER to: ${target.render()}`);
  return runInTransaction(ctx, async (tx) => [...changes.drop, ...(await ctx.blocks.createIndexes(tx, target, changes.create, naming))]);
};
