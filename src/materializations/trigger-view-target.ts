// A `table` model that the project's own materialized views write into (external target mode:
// `materialization_target_table(ref(...))`), as dbt-clickhouse's table materialization treats it
// (clickhouse__get_dbt_mvs_for_target). Only views the project defines count (a `materialized_view`
// model whose schema and alias are the view's, whichever table it names now), not ones made outside dbt.
// - A later run without --full-refresh keeps the table and its rows: `mv_on_schema_change`
//   (default `fail` there; as set, when the model sets it) brings its columns
//   to the SELECT's, and a rebuild would have lost what the views wrote.
// - `--full-refresh` with `repopulate_from_mvs_on_full_refresh`: the new table is built beside the
//   old one from the model's SELECT plus each such view's SELECT, then swapped in.
// Any other case is the usual rebuild (null here).
// As in dbt-clickhouse, rows a view inserts between the staging table's fill and the swap land in
// the old table and are lost with it; a repopulating full refresh is best run with the loads paused.
import type { ExistingTriggerView, TriggerViewBuilders } from '../adapters/adapter.js';
import { buildAndSwap, runHooks, writeMain, type MaterializationContext, type MaterializationOutcome } from './materialization.js';
import { existingViews, onSchemaChange, reconcileColumns } from './trigger-view.js';

/** The project's materialized views writing into the model's table (none when it does not exist yet). */
async function projectViewsInto(ctx: MaterializationContext, views: TriggerViewBuilders): Promise<ExistingTriggerView[]> {
  // Any view a materialized_view model of the project defines (by schema and alias), also one whose
  // model now names another table (its old view still writes here until --full-refresh). A project
  // without materialized views asks the warehouse nothing.
  const defined = ctx.materializedViews?.();
  if (!defined || defined.size === 0) return [];
  const into = `${ctx.relation.schema ?? ''}.${ctx.relation.identifier}`;
  return [...(await existingViews(ctx, views)).values()].filter((v) => v.target === into && defined.has(`${v.schema}.${v.name}`));
}

/** Builds the table per dbt-clickhouse's rules for views' targets, or null for the usual rebuild. */
export async function buildTriggerViewTarget(ctx: MaterializationContext, views: TriggerViewBuilders): Promise<MaterializationOutcome | null> {
  const { node } = ctx;
  const repopulate = node.config.repopulate_from_mvs_on_full_refresh === true;
  if (ctx.fullRefresh && !repopulate) return null;
  const writers = await projectViewsInto(ctx, views);
  if (writers.length === 0) return null;
  if (ctx.fullRefresh) return repopulated(ctx, writers);
  // Views left writing into a table dropped (or replaced by a view) since: the usual build makes it again.
  const { database, schema, identifier } = ctx.relation;
  if ((await ctx.adapter.getRelation(ctx.conn, { database, schema, identifier }))?.type !== 'table') return null;
  const configured = node.unrendered_config !== undefined && Object.hasOwn(node.unrendered_config, 'mv_on_schema_change');
  const policy = configured ? onSchemaChange(ctx, node.config.mv_on_schema_change ?? 'ignore') : 'fail';
  const target = ctx.relation.with({ type: 'table' });
  // dbt-clickhouse's main statement here is a `Select 1`; the column changes run around it.
  writeMain(ctx, 'Select 1');
  await runHooks(ctx.conn, ctx.hooks.beforeTransaction, node.unique_id);
  await runHooks(ctx.conn, ctx.hooks.preInTransaction, node.unique_id);
  await reconcileColumns(ctx, target, policy, 'table');
  await runHooks(ctx.conn, ctx.hooks.postInTransaction, node.unique_id);
  await runHooks(ctx.conn, ctx.hooks.afterTransaction, node.unique_id);
  return { response: { message: 'OK', code: 'OK' } };
}

/** The new table from the model's SELECT and each view's SELECT (its columns by name), swapped in. */
async function repopulated(ctx: MaterializationContext, writers: ExistingTriggerView[]): Promise<MaterializationOutcome> {
  const { adapter } = ctx;
  return buildAndSwap(
    ctx,
    async (staging, tx) => {
      const inserts: string[] = [];
      for (const view of writers) {
        if (!view.selectSql) continue;
        const columns = await adapter.describeQuery(tx, view.selectSql);
        inserts.push(adapter.sql.insertQuery(staging, columns.map((c) => c.name), `select * from (${view.selectSql})`));
      }
      return [...[await ctx.blocks.createTableAs(tx, staging, ctx.compiledSql)].flat(), ...inserts];
    },
    'table',
  );
}
