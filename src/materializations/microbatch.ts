// incremental_strategy='microbatch': the model runs once per event-time window (minute to year, or
// a multiple such as 5 minutes), each window compiled with its inputs filtered to the window and
// applied alone in its own transaction: merged on the unique_key where the adapter merges batches
// (dbt-postgres), else the window replaced (delete the window, insert its rows). Completed windows are
// recorded in <schema>.tsdbt_microbatch_batches, so a re-run does only what is missing (plus the
// `lookback` most recent windows); a failed window is reported alone and redone by `retry` or the next run.
import type { Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { BatchesFailedError, indexNaming, rowsWritten, runHooks, stagingIdentifier, type BatchResults, type MaterializationContext, type MaterializationOutcome } from './materialization.js';
import { addBatches, batchId, floorToBatch, parseBatchSize, windowsBetween, type BatchSize, type Window } from './microbatch-windows.js';
import { assertUniqueBatch, configuredPredicates, mergeStatement } from './incremental-merge.js';
import { keyColumnName, uniqueKeys } from './unique-key.js';
import { PyDatetime } from '../jinja/pylib/datetime/index.js';
import { setModelBatch } from '../jinja/dbt/model-batch.js';
import { reconcileSchema, type OnSchemaChange } from './incremental-schema.js';
import { contractEnforced } from './contract.js';
import { COMPILED_FIELDS } from '../compile/compile-types.js';

const STATE_TABLE = 'tsdbt_microbatch_batches';
/** The state table's columns: the model, its window, when the window was applied. */
const STATE_COLUMNS = ['model_id', 'batch_start', 'batch_end', 'completed_at'];

function requireConfig(ctx: MaterializationContext, key: string, hint: string): string {
  const value = ctx.node.config[key];
  if (typeof value !== 'string' || value === '') {
    throw new TsdbtError(`microbatch model '${ctx.node.name}' needs ${key}`, { code: 'microbatch-config', location: { file: ctx.node.original_file_path }, hint });
  }
  return value;
}

/** A `begin` as dbt reads it: a date or a datetime without an offset is UTC (JavaScript would read the latter as local time). */
function utcDate(text: string): Date {
  const naive = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$/.test(text.trim());
  return new Date(naive ? `${text.trim().replace(' ', 'T')}Z` : text);
}

async function ensureStateTable(ctx: MaterializationContext, conn: Connection): Promise<Relation> {
  const { adapter, node } = ctx;
  const state = adapter.relation({ database: node.database, schema: node.schema, identifier: STATE_TABLE, type: 'table' });
  if (!(await adapter.getRelation(conn, { database: node.database, schema: node.schema, identifier: STATE_TABLE }))) {
    const text = adapter.sql.typeFor('text');
    const ts = adapter.sql.typeFor('timestamp');
    try {
      await conn.execute(adapter.sql.createTable(state, STATE_COLUMNS.map((name, i) => ({ name, dataType: i === 0 ? text : ts })), {}), { nodeId: node.unique_id });
    } catch (err) {
      // Another model of the same run may have created it first.
      if (!(await adapter.getRelation(conn, { database: node.database, schema: node.schema, identifier: STATE_TABLE }))) throw err;
    }
  }
  return state;
}

const literal = (ctx: MaterializationContext, text: string) => ctx.adapter.sql.quoteString(text);

export async function materializeMicrobatch(ctx: MaterializationContext): Promise<MaterializationOutcome> {
  const { conn, node } = ctx;
  const where = { file: node.original_file_path };
  const eventTime = requireConfig(ctx, 'event_time', "set event_time='event_ts' (the column that places a row in a batch)");
  const size = parseBatchSize(node.config.batch_size, where);
  const lookback = Number(node.config.lookback ?? 1);
  const now = ctx.batchEndTime ?? ctx.now?.() ?? new Date();
  const compile = ctx.compileForWindow;
  if (!compile) throw new TsdbtError('microbatch needs per-window compilation', { code: 'internal', category: 'internal' });
  const state = await ensureStateTable(ctx, conn);
  const id = node.unique_id;
  const rebuild = !ctx.incremental;
  if (rebuild) await conn.execute(ctx.adapter.queries.deleteWhereEqual(state, [['model_id', literal(ctx, id)]]), { nodeId: id });

  let windows: Window[];
  if (ctx.retryBatches) {
    // dbt's retry of a partial success runs only the batches that failed.
    windows = ctx.retryBatches.failed.map(([start, end]) => ({ start: new Date(start), end: new Date(end) }));
  } else if (ctx.eventTimeRange?.start || ctx.eventTimeRange?.end) {
    const start = ctx.eventTimeRange.start ?? utcDate(requireConfig(ctx, 'begin', "set begin='2024-01-01'"));
    windows = windowsBetween(start, ctx.eventTimeRange.end ?? now, size);
  } else {
    const begin = utcDate(requireConfig(ctx, 'begin', "set begin='2024-01-01' (the first event time to process)"));
    if (Number.isNaN(begin.getTime())) throw new TsdbtError(`begin '${String(node.config.begin)}' is not a date`, { code: 'microbatch-config', location: where, hint: "write begin='2024-01-01' or '2024-01-01 00:00:00'" });
    // dbt's semantics: every window up to the one containing now (the current batch), and the
    // current batch plus `lookback` batches before it are always reprocessed.
    const { rows } = await conn.execute(ctx.adapter.queries.selectWhereEqual(state, ['batch_start'], [['model_id', literal(ctx, id)]]), { nodeId: id });
    const done = new Set(rows.map((r) => ctx.adapter.rules.readTimestamp(r.batch_start).getTime()));
    // What is missing counts from the first window ever applied: a model first built for an
    // --event-time-start range is not backfilled before that range (dbt's incremental run
    // starts at the lookback), while a failed window in between is redone.
    const first = done.size ? Math.min(...done) : begin.getTime();
    const all = windowsBetween(new Date(Math.max(begin.getTime(), first)), addBatches(floorToBatch(now, size), size), size);
    const recent = new Set(all.slice(Math.max(0, all.length - 1 - lookback)).map((w) => w.start.getTime()));  // current + lookback
    windows = all.filter((w) => !done.has(w.start.getTime()) || recent.has(w.start.getTime()));
  }

  const target = ctx.relation.with({ type: 'table' });
  let exists = !rebuild;
  let rows = 0;
  // Under retry, the batches done before count with this run's, as dbt reports them.
  const results: BatchResults = { successful: [...(ctx.retryBatches?.successful ?? [])], failed: [] };
  let succeeded = 0;
  const failures: { window: Window; error: string }[] = [];
  for (const [i, window] of windows.entries()) {
    const event = { index: i + 1, total: windows.length, window };
    const pair: [string, string] = [window.start.toISOString(), window.end.toISOString()];
    // As dbt's MicrobatchModelRunner: when the first batch fails, the others are skipped (counted
    // among the failed ones).
    if (i > 0 && succeeded === 0 && failures.length > 0) {
      results.failed.push(pair);
      ctx.onBatch?.({ ...event, phase: 'finish', status: 'skipped', seconds: 0 });
      continue;
    }
    ctx.onBatch?.({ ...event, phase: 'start' });
    // The model's pre-hooks run with the first batch, its post-hooks with the last (dbt's _submit_batch).
    const hooks = { first: i === 0, last: i === windows.length - 1 };
    const started = Date.now();
    let lastError: unknown = null;
    let inserted = 0;
    // Tried once, as dbt runs a batch: a failed window is redone by `retry` or the next run.
    try {
      inserted = await inBatch(node, window, size, async () => applyWindow(ctx, target, state, window, await compile(window), eventTime, exists, hooks));
      exists = true;
    } catch (err) {
      lastError = err;
    }
    const seconds = (Date.now() - started) / 1000;
    if (lastError) {
      const error = lastError instanceof TsdbtError ? lastError.message : String((lastError as Error).message ?? lastError);
      failures.push({ window, error });
      results.failed.push(pair);
      ctx.onBatch?.({ ...event, phase: 'finish', status: 'error', seconds, error });
    } else {
      rows += inserted;
      succeeded++;
      results.successful.push(pair);
      ctx.onBatch?.({ ...event, phase: 'finish', status: 'success', rows: inserted, message: ctx.adapter.rules.insertedRows(inserted).message, seconds });
    }
  }
  if (failures.length) {
    const first = failures[0] as { window: Window; error: string };
    const skipped = windows.length - succeeded - failures.length;
    throw new BatchesFailedError(
      `${failures.length} of ${windows.length} batches failed${skipped ? `, ${skipped} skipped after the first one failed` : ''}; first: [${first.window.start.toISOString()}, ${first.window.end.toISOString()}): ${first.error}`,
      results,
      { code: 'microbatch-batches-failed', nodeId: id, location: where, hint: 'fix the cause and run again: completed batches are not redone' },
      succeeded > 0,
    );
  }
  return {
    response: { message: `MICROBATCH ${windows.length} batch${windows.length === 1 ? '' : 'es'}, ${rows} rows`, code: 'INSERT', rowsAffected: rows },
    batchResults: results,
  };
}


/**
 * dbt's `model.batch` while one batch compiles and applies: its id and its window as UTC
 * datetimes (dbt's BatchContext); outside a batch the model has none, as in dbt. dbt compiles
 * each batch on a copy of the node (`_submit_batch`'s deepcopy) and never the model's own node
 * (MicrobatchModelRunner.compile does nothing), so the batch's `model.compiled_code` is put back
 * afterwards: on-run-end's `results` and manifest.json hold the model uncompiled, as dbt's.
 */
async function inBatch<T>(node: MaterializationContext['node'], window: Window, size: BatchSize, apply: () => Promise<T>): Promise<T> {
  const [start, end] = [new PyDatetime(window.start, 'UTC'), new PyDatetime(window.end, 'UTC')];
  setModelBatch(node, { id: batchId(window.start, size), event_time_start: start, event_time_end: end });
  // dbt 1.11 still sets the 1.9 names in the node's config too (MicrobatchModelRunner.compile);
  // configs are shared between nodes, so the batch's is a copy, put back afterwards.
  const config = node.config;
  const compiled = COMPILED_FIELDS.map((key) => [key, Object.prototype.hasOwnProperty.call(node, key), node[key]] as const);
  node.config = { ...config, __dbt_internal_microbatch_event_time_start: start, __dbt_internal_microbatch_event_time_end: end };
  try {
    return await apply();
  } finally {
    node.config = config;
    setModelBatch(node, null);
    for (const [key, had, value] of compiled) {
      if (had) Object.assign(node, { [key]: value });
      else delete node[key];
    }
  }
}

/**
 * One window in one transaction: (re)create or delete the window's rows, insert, record it; the
 * model's pre-hooks around the first window, its post-hooks around the last.
 */
async function applyWindow(ctx: MaterializationContext, target: Relation, state: Relation, window: Window, sql: string, eventTime: string, exists: boolean, hookTurn: { first: boolean; last: boolean }): Promise<number> {
  const { node, hooks } = ctx;
  const id = node.unique_id;
  // A later batch's rows are staged in dbt's make_temp_relation(target), named before the hooks as
  // dbt names it: in a batch, `<alias>__dbt_tmp_<batch id>` plus dbt-postgres's time of day, a
  // table of the session; where the adapter stages in permanent tables, `<alias>__dbt_tmp`.
  const temp = exists ? await ctx.blocks.tempRelation(ctx.conn, target, ctx.now?.() ?? new Date()) : null;
  if (hookTurn.first) await runHooks(ctx.conn, hooks.beforeTransaction, id);
  const inserted = await ctx.conn.transaction(async (tx) => {
    if (hookTurn.first) await runHooks(tx, hooks.preInTransaction, id);
    const applied = await applyInTransaction(ctx, tx, target, state, window, sql, eventTime, exists, temp);
    if (hookTurn.last) await runHooks(tx, hooks.postInTransaction, id);
    return applied;
  });
  if (hookTurn.last) await runHooks(ctx.conn, hooks.afterTransaction, id);
  return inserted;
}

async function applyInTransaction(ctx: MaterializationContext, tx: Connection, target: Relation, state: Relation, window: Window, sql: string, eventTime: string, exists: boolean, temp: Relation | null): Promise<number> {
  const { adapter, node } = ctx;
  const id = node.unique_id;
  const run = (statement: string) => tx.execute(statement, { nodeId: id });
  let inserted: number;
  if (!exists) {
    const staging = target.with({ identifier: stagingIdentifier(target.identifier) });
    await run(adapter.sql.dropRelation(staging, 'table'));
    inserted = await rowsWritten(tx, await run(await ctx.blocks.createTableAs(tx, staging, sql)), staging, id, adapter.queries);
    for (const statement of ctx.blocks.tableExtras(staging, indexNaming(ctx, target.identifier))) await run(statement);
    await adapter.replaceRelation(tx, staging, target, ctx.existing);
    for (const statement of await ctx.blocks.indexesAfterSwap(tx, target)) await run(statement);
  } else {
    const batch = temp ?? target.with({ identifier: stagingIdentifier(target.identifier) });
    // A session's temporary table is new (a name without schema must not reach a permanent table on the search_path).
    if (!temp) await run(adapter.sql.dropRelation(batch, 'table'));
    await run(await ctx.blocks.createTableAs(tx, batch, sql, { temporary: temp !== null, config: {} }));
    // Each batch applies on_schema_change as dbt's incremental materialization does for every strategy.
    const policy = String(node.config.on_schema_change ?? 'ignore') as OnSchemaChange;
    const columns = await reconcileSchema(adapter, tx, target, batch, policy, id, { file: node.original_file_path }, ctx.blocks, !contractEnforced(node), node.columns);
    const predicates = configuredPredicates(node.config);
    // A project's get_incremental_microbatch_sql applies the batch, with dbt's arg_dict (the
    // model's incremental_predicates; the window is `model.batch`, as dbt's adapters read it).
    const projectSql = await ctx.blocks.incrementalSql(tx, 'microbatch', { target, temp: batch, uniqueKey: node.config.unique_key ?? null, columns, predicates });
    const keys = uniqueKeys(node.config.unique_key).map((k) => keyColumnName(adapter.sql, k) ?? k);
    if (projectSql !== null) inserted = await rowsWritten(tx, await run(projectSql), batch, id, adapter.queries);
    else if (keys.length > 0 && adapter.capabilities.microbatchMergesOnUniqueKey) {
      // dbt-postgres: the batch is merged on the unique_key over the whole table.
      const txCtx = { ...ctx, conn: tx };
      await assertUniqueBatch(txCtx, batch, keys);
      inserted = await rowsWritten(tx, await run(await mergeStatement(txCtx, tx, target, batch, keys, columns, predicates)), batch, id, adapter.queries);
    } else {
      await run(adapter.sql.deleteWhere(target, `${eventTime} >= ${adapter.sql.timestamp(window.start)} and ${eventTime} < ${adapter.sql.timestamp(window.end)}`, ctx.node.config));
      inserted = await rowsWritten(tx, await run(adapter.sql.insertFrom(target, batch, columns)), batch, id, adapter.queries);
    }
    await run(adapter.sql.dropRelation(batch, 'table'));
  }
  const [model, start] = [adapter.sql.quoteString(id), adapter.sql.timestamp(window.start)];
  await run(adapter.queries.deleteWhereEqual(state, [['model_id', model], ['batch_start', start]]));
  await run(adapter.queries.insertLiterals(state, STATE_COLUMNS, [[model, start, adapter.sql.timestamp(window.end), adapter.sql.timestamp(ctx.now?.() ?? new Date())]]));
  return inserted;
}
