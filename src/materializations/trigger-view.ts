// `materialized='materialized_view'` where a materialized view is an insert trigger into a table
// (the adapter has `SqlBuilders.triggerViews`: ClickHouse), as dbt-clickhouse's materialization runs
// it (clickhouse__materialized_view_standard). The model's table `<name>` takes the SELECT's columns
// and the model's table configs (engine, order_by, ...); each of its views `<name>_<suffix>` writes
// every insert into the source `TO <name>`.
// - No table yet, `--full-refresh`, or a view of that name: the new table is built beside the old
//   one (filled by the SELECT unless `catchup=False`), the model's views are dropped just before
//   the swap and created after it. A failed build leaves the old table and views as they were.
// - A table already there: its rows stay. `on_schema_change` (default ignore) brings its columns
//   to the SELECT's, then each view gets the new SELECT in place (`MODIFY QUERY`, and `MODIFY
//   REFRESH` for a refreshable one), or is created when missing. A failed change leaves the view.
// A view writing into the table that the model no longer names is reported, never dropped.
// With `materialization_target_table(ref(...))` (external target mode) the model is the view alone,
// writing into a table another model builds (`externalView`).
import type { ExistingTriggerView, TriggerViewBuilders } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { diffColumns, type OnSchemaChange } from './incremental-schema.js';
import { grantStatements, indexNaming, persistDocsStatements, runHooks, stagingIdentifier, type MaterializationContext, type MaterializationOutcome } from './materialization.js';

const ON_SCHEMA_CHANGE: readonly OnSchemaChange[] = ['ignore', 'fail', 'append_new_columns', 'sync_all_columns'];

interface ModelView {
  relation: Relation;
  selectSql: string;
}

/** dbt's incremental_validate_on_schema_change: an unknown value is reported and read as `ignore`. */
export function onSchemaChange(ctx: MaterializationContext, value: unknown = ctx.node.config.on_schema_change ?? 'ignore'): OnSchemaChange {
  if ((ON_SCHEMA_CHANGE as readonly unknown[]).includes(value)) return value as OnSchemaChange;
  ctx.warn?.(`${ctx.node.original_file_path}: Invalid value for on_schema_change (${String(value)}) specified. Setting default value of ignore.`);
  return 'ignore';
}

function located(err: unknown, ctx: MaterializationContext): unknown {
  if (err instanceof TsdbtError && !err.location) return new TsdbtError(err.message, { code: err.code, hint: err.hint, location: { file: ctx.node.original_file_path } });
  return err;
}

/** The materialized views in the warehouse, by `schema.name`. */
export async function existingViews(ctx: MaterializationContext, views: TriggerViewBuilders): Promise<Map<string, ExistingTriggerView>> {
  const { rows } = await ctx.conn.execute(views.listQuery(), { nodeId: ctx.node.unique_id });
  return new Map(rows.map((row) => views.existingView(row)).map((v) => [`${v.schema}.${v.name}`, v]));
}

/** `refreshable.depends_on_validation`: each view it depends on must exist (validate_refreshable_mv_existence). */
async function validateDependencies(ctx: MaterializationContext, views: TriggerViewBuilders): Promise<void> {
  for (const { name, query } of views.dependencyChecks(ctx.node.config)) {
    const { rows } = await ctx.conn.execute(query, { nodeId: ctx.node.unique_id });
    if (Number(rows[0]?.n ?? 0) === 0) {
      throw new TsdbtError(`No existing MV found matching MV: ${name}`, {
        code: 'materialized-view-config',
        location: { file: ctx.node.original_file_path },
        hint: 'build the refreshable view it depends on first, or drop depends_on_validation',
      });
    }
  }
}

/**
 * Brings the table's columns to the SELECT's, per `on_schema_change` (clickhouse__apply_column_changes);
 * `model` names the model's kind in the "out of sync" error (dbt-clickhouse's materialization name).
 */
export async function reconcileColumns(ctx: MaterializationContext, target: Relation, policy: OnSchemaChange, model = 'materialized view'): Promise<void> {
  if (policy === 'ignore') return;
  const { adapter, conn, node } = ctx;
  const diff = diffColumns(await adapter.getColumns(conn, target), await adapter.describeQuery(conn, ctx.compiledSql));
  if (!diff.added.length && !diff.removed.length && !diff.changed.length) return;
  const conflicting = policy === 'append_new_columns' && adapter.capabilities.appendRefusesSyncChanges === true && (diff.removed.length > 0 || diff.changed.length > 0);
  if (policy === 'fail' || conflicting) {
    const names = (columns: { name: string; dataType: string }[]) => `[${columns.map((c) => `'${c.name} ${c.dataType}'`).join(', ')}]`;
    throw new TsdbtError(
      `The source and target schemas on this ${model} model are out of sync! Source columns not in target: ${names(diff.removed)}; Target columns not in source: ${names(diff.added)}; New column types: [${diff.changed.map((c) => `'${c.column} ${c.to}'`).join(', ')}]`,
      { code: 'incremental-schema-changed', nodeId: node.unique_id, location: { file: node.original_file_path }, hint: "set on_schema_change to 'append_new_columns' or 'sync_all_columns', or run with --full-refresh" },
    );
  }
  const statements = diff.added.map((c) => adapter.sql.addColumn(target, c.name, c.dataType, node.columns[c.name]));
  if (policy === 'sync_all_columns') {
    statements.push(...diff.removed.map((c) => adapter.sql.dropColumn(target, c.name)), ...diff.changed.map((c) => adapter.sql.alterColumnType(target, c.column, c.to)));
  }
  await runHooks(conn, statements, node.unique_id);
}

/** A view cannot become refreshable or plain, nor change APPEND, in place (clickhouse__modify_mv_refresh). */
function checkRefreshMode(ctx: MaterializationContext, view: Relation, existing: ExistingTriggerView): void {
  const { node } = ctx;
  const refreshable = node.config.refreshable !== undefined && node.config.refreshable !== null && node.config.refreshable !== false;
  const append = refreshable && Boolean((node.config.refreshable as Record<string, unknown>).append);
  const where = `Materialized view "${view.identifier}"`;
  const hint = 'run with --full-refresh to re-create it';
  if (existing.refreshable !== refreshable) {
    const message = existing.refreshable
      ? `${where} is refreshable, but the model does not define a "refreshable" config. A refreshable MV cannot be converted to a regular MV in place.`
      : `${where} is not refreshable, but the model defines a "refreshable" config. A regular MV cannot be converted to a refreshable MV in place.`;
    throw new TsdbtError(message, { code: 'materialized-view-config-changed', location: { file: node.original_file_path }, hint });
  }
  if (refreshable && existing.append !== append) {
    throw new TsdbtError(`The APPEND setting of ${where.toLowerCase()} does not match the model config. APPEND cannot be changed via ALTER TABLE ... MODIFY REFRESH.`, {
      code: 'materialized-view-config-changed',
      location: { file: node.original_file_path },
      hint,
    });
  }
}

/** The table and its views built anew: beside the old table, swapped in, the views re-created on it. */
async function rebuild(ctx: MaterializationContext, views: TriggerViewBuilders, target: Relation, model: ModelView[], creates: string[]): Promise<MaterializationOutcome> {
  const { adapter, conn, node } = ctx;
  const nodeId = node.unique_id;
  const staging = target.with({ identifier: stagingIdentifier(target.identifier) });
  // catchup=False: the table starts empty and only receives what the views write from now on.
  const selectSql = ctx.node.config.catchup === false ? adapter.sql.limit(ctx.compiledSql, 0) : ctx.compiledSql;
  await conn.execute(adapter.sql.dropRelation(staging, 'table'), { nodeId });
  const { response } = await conn.execute(await ctx.blocks.createTableAs(conn, staging, selectSql), { nodeId });
  // The config's projections and indexes, with or without catchup (dbt-clickhouse's create_empty_table).
  await runHooks(conn, ctx.blocks.tableExtras(staging, indexNaming(ctx, target.identifier)), nodeId);
  // Dropped just before the swap, so an old view never writes into the new table.
  await runHooks(conn, model.map((v) => views.drop(v.relation)), nodeId);
  await adapter.replaceRelation(conn, staging, target, ctx.existing);
  await runHooks(conn, creates, nodeId);
  return { response };
}

/** The table kept with its rows; each view gets the model's SELECT in place. */
async function update(ctx: MaterializationContext, views: TriggerViewBuilders, target: Relation, model: ModelView[], creates: string[]): Promise<MaterializationOutcome> {
  const { conn, node } = ctx;
  const nodeId = node.unique_id;
  const found = await existingViews(ctx, views);
  const named = new Set(model.map((v) => `${v.relation.schema ?? ''}.${v.relation.identifier}`));
  const into = `${target.schema ?? ''}.${target.identifier}`;
  for (const [key, view] of found) {
    if (view.target === into && !named.has(key)) {
      ctx.warn?.(`Warning - Materialized view "${view.name}" was detected pointing to the model "${target.identifier}" but was not found in this run. In case it is a renamed mv that was previously part of this model, drop it manually (!!!)`);
    }
  }
  await reconcileColumns(ctx, target, onSchemaChange(ctx));
  for (const [i, view] of model.entries()) {
    const existing = found.get(`${view.relation.schema ?? ''}.${view.relation.identifier}`);
    if (!existing) {
      await runHooks(conn, [views.drop(view.relation), creates[i] as string], nodeId);
      continue;
    }
    checkRefreshMode(ctx, view.relation, existing);
    const modifyRefresh = views.modifyRefresh(view.relation, ctx.node.config);
    await runHooks(conn, [...(modifyRefresh ? [modifyRefresh] : []), views.modifyQuery(view.relation, view.selectSql)], nodeId);
  }
  return { response: { message: 'OK', code: 'OK' } };
}

/**
 * External target mode (`materialization_target_table(ref(...))`): the model is the view itself,
 * writing into a table another model builds. Created (then filled from the SELECT unless
 * `catchup=False`) when missing or on `--full-refresh`; else given the new SELECT in place, its
 * target unchanged (a different one needs `--full-refresh`).
 */
async function externalView(ctx: MaterializationContext, views: TriggerViewBuilders, named: { schema: string; identifier: string }): Promise<MaterializationOutcome> {
  const { adapter, conn, node } = ctx;
  const nodeId = node.unique_id;
  const location = { file: node.original_file_path };
  const view = ctx.relation.with({ type: 'materialized_view' });
  // dbt-clickhouse's external-target path renders refreshable_mv_clause() first: its depends_on
  // validation runs on every build, a new view's or an altered one's.
  await validateDependencies(ctx, views);
  const target = await adapter.getRelation(conn, named);
  if (!target) {
    throw new TsdbtError(`Target table ${named.schema}.${named.identifier} not found. It may not exist yet. Ensure the target table model runs before this MV.`, {
      code: 'materialized-view-config',
      location,
      hint: "build the target's model first (the ref() in materialization_target_table makes it a parent of this one)",
    });
  }
  let create: string;
  try {
    create = views.create(view, target, ctx.compiledSql, node.config);
  } catch (err) {
    throw located(err, ctx);
  }
  if (ctx.existing && !ctx.fullRefresh && ctx.existing.type === 'materialized_view') {
    const existing = (await existingViews(ctx, views)).get(`${view.schema ?? ''}.${view.identifier}`);
    const wanted = `${named.schema}.${named.identifier}`;
    if (existing && existing.target !== wanted) {
      throw new TsdbtError(
        `Target table mismatch for MV "${view.identifier}": Current target is "${String(existing.target)}", but model references "${wanted}". The TO clause cannot be changed via ALTER TABLE MODIFY QUERY.`,
        { code: 'materialized-view-config-changed', location, hint: 'Use --full-refresh to recreate the MV with the new target table.' },
      );
    }
    if (existing) {
      checkRefreshMode(ctx, view, existing);
      const modifyRefresh = views.modifyRefresh(view, node.config);
      await runHooks(conn, modifyRefresh ? [modifyRefresh] : [], nodeId);
      return { response: (await conn.execute(views.modifyQuery(view, ctx.compiledSql), { nodeId })).response };
    }
  }
  if (ctx.existing && ctx.existing.type !== 'materialized_view') {
    // The model's own table (it was a table, or a view into one of its own) would go with its rows.
    if (!ctx.fullRefresh) {
      throw new TsdbtError(`${view.render()} is a ${ctx.existing.type ?? 'table'}, which a view into ${named.schema}.${named.identifier} would replace`, {
        code: 'materialized-view-config-changed',
        location,
        hint: 'run with --full-refresh to drop it and create the view',
      });
    }
    // Its own `<name>_mv` into it goes too, else every insert into that view's source would fail.
    const own = (await existingViews(ctx, views)).get(`${view.schema ?? ''}.${view.identifier}_mv`);
    if (own?.target === `${view.schema ?? ''}.${view.identifier}`) await conn.execute(views.drop(view.with({ identifier: `${view.identifier}_mv` })), { nodeId });
    await conn.execute(adapter.sql.dropRelation(ctx.existing, ctx.existing.type ?? 'table'), { nodeId });
  } else {
    await conn.execute(views.drop(view), { nodeId });
  }
  const { response } = await conn.execute(create, { nodeId });
  if (node.config.catchup !== false) {
    const columns = (await adapter.describeQuery(conn, ctx.compiledSql)).map((c) => c.name);
    await conn.execute(adapter.sql.insertQuery(target, columns, ctx.compiledSql), { nodeId });
  }
  return { response };
}

export async function materializeTriggerView(ctx: MaterializationContext, views: TriggerViewBuilders): Promise<MaterializationOutcome> {
  const { conn, node, hooks } = ctx;
  const nodeId = node.unique_id;
  const target = ctx.relation.with({ type: 'table' });
  let external: { schema: string; identifier: string } | null;
  try {
    external = views.externalTarget(ctx.compiledSql);
  } catch (err) {
    throw located(err, ctx);
  }
  if (external) {
    await runHooks(conn, [...hooks.beforeTransaction, ...hooks.preInTransaction], nodeId);
    const outcome = await externalView(ctx, views, external);
    const view = ctx.relation.with({ type: 'materialized_view' });
    await runHooks(conn, [...grantStatements(ctx, view, true), ...persistDocsStatements(ctx, view), ...hooks.postInTransaction, ...hooks.afterTransaction], nodeId);
    return outcome;
  }
  let model: ModelView[];
  let creates: string[];
  try {
    model = views.views(ctx.compiledSql).map((v) => ({ relation: target.with({ identifier: `${target.identifier}_${v.suffix}`, type: 'materialized_view' }), selectSql: v.selectSql }));
    // Every statement's config is read before anything runs: a malformed `refreshable` changes nothing.
    creates = model.map((v) => views.create(v.relation, target, v.selectSql, node.config));
  } catch (err) {
    throw located(err, ctx);
  }
  await runHooks(conn, [...hooks.beforeTransaction, ...hooks.preInTransaction], nodeId);
  await validateDependencies(ctx, views);
  const fresh = !ctx.existing || ctx.fullRefresh || ctx.existing.type !== 'table';
  const outcome = fresh ? await rebuild(ctx, views, target, model, creates) : await update(ctx, views, target, model, creates);
  await runHooks(conn, [...grantStatements(ctx, target, true), ...persistDocsStatements(ctx, target), ...hooks.postInTransaction, ...hooks.afterTransaction], nodeId);
  return outcome;
}
