// What every materialization receives and returns. A materialization turns one compiled node into
// statements through the adapter's SQL builders and primitives; it never branches on the dialect.
import { queueStatement, type Adapter, type AdapterResponse, type BuildStatements, type Connection, type CoreQueries, type QueryResult, type QueuedStatement } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError, type TsdbtErrorOptions } from '../errors/tsdbt-error.js';
import type { ManifestNode } from '../manifest/types.js';
import type { BuildingBlocks } from './building-blocks.js';

/**
 * One hook: its SQL, rendered when it runs (a hook may ask the warehouse, e.g.
 * `adapter.drop_relation(this)` in a post-hook, so it renders after what runs before it).
 */
export type HookStatement = string | ((conn: Connection) => Promise<string>);

/** Hooks for this node, split by where they run. */
export interface RenderedHooks {
  /** `transaction: false` pre-hooks: before the transaction. */
  beforeTransaction: HookStatement[];
  /** Pre-hooks inside the transaction. */
  preInTransaction: HookStatement[];
  postInTransaction: HookStatement[];
  afterTransaction: HookStatement[];
}

export interface MaterializationContext {
  node: ManifestNode;
  adapter: Adapter;
  conn: Connection;
  /** The compiled SELECT (models) or test query. */
  compiledSql: string;
  /** The relation to build (`this`). */
  relation: Relation;
  /** The relation as it exists now, or null (also null for the built-ins that do not read it: `readsExisting`). */
  existing: Relation | null;
  fullRefresh: boolean;
  /** `--empty`: a seed's table gets its columns and no rows (dbt 1.12's `seed --empty`, and `build --empty`). */
  empty?: boolean;
  /** `--store-failures`: a test whose config leaves store_failures unset stores its failing rows. */
  storeFailures?: boolean;
  /** `is_incremental()`: an incremental model whose table exists and is not being fully refreshed. */
  incremental: boolean;
  hooks: RenderedHooks;
  /**
   * Called just before the build's transaction (buildAndSwap), where its COMMIT is the node's last
   * round trip: a node the run pipelines (NodeExecutor.follow) marks it final there, after any
   * trip before it (a contract's describe commits a transaction of its own).
   */
  beforeFinalTransaction?: () => void;
  /** The SQL of each step, from dbt's overridable macros when a project replaced them, else the adapter's builders. */
  blocks: BuildingBlocks;
  /** Microbatch: compiles the model for one event-time window (inputs filtered to it). */
  compileForWindow?: (window: { start: Date; end: Date }) => Promise<string>;
  /** Microbatch: an explicit backfill range (`--event-time-start` / `--event-time-end`). */
  eventTimeRange?: { start?: Date; end?: Date };
  /** Microbatch under `retry`: the previous run's batches (dbt's previous_batch_results): the failed ones are the only ones run again, the successful ones are reported with this run's. */
  retryBatches?: BatchResults;
  /**
   * dbt 1.9's behaviour flag `require_batched_execution_for_custom_microbatch_strategy`: a project's
   * own get_incremental_microbatch_sql runs batch by batch only with it; without it the model runs
   * once, through that macro (dbt's MicrobatchMacroOutsideOfBatchesDeprecation).
   */
  batchCustomMicrobatch?: boolean;
  /** Microbatch: the time batches run up to instead of now (`retry`: the retried invocation's start, as dbt's default_end_time). */
  batchEndTime?: Date;
  /** The clock (now) of the invocation. */
  now?: () => Date;
  /** Unit tests: the inputs to replace and the model's SQL over their fixtures. */
  unitTest?: {
    /** Each input: its node's id (`this` for the model itself), name (dbt's fixture node's name), relation and CTE. */
    inputs: { id: string; name: string; relation: Relation | null; cte: string }[];
    compile(fixtureSql: string[], options?: { incremental?: boolean }): Promise<string>;
    /** Renders the Jinja in a `format: sql` fixture (inline or a fixture file), as dbt compiles it. */
    renderSql(sql: string): Promise<string>;
  };
  /** Renders a `ref(...)` / `source(...)` expression to a relation name (contract foreign keys). */
  renderRelation?: (expression: string) => string;
  /** The `schema.alias` of each materialized_view model of the project (from dbt's `graph.nodes`, as dbt-clickhouse's table reads it). */
  materializedViews?: () => ReadonlySet<string>;
  /** Microbatch: told when each batch starts and ends, for per-batch progress lines. */
  onBatch?: (event: BatchEvent) => void;
  /** Shows a warning (dbt's `exceptions.warn`), e.g. a materialized view's configuration change left as it is. */
  warn?: (message: string) => void;
  /** A debug log line (dbt's `log()` in its macros, JinjaLogDebug), e.g. "Applying REPLACE to: ...". */
  debug?: (message: string) => void;
  /** A debug line of the dbt event named, raised instead under --warn-error as dbt's warn_or_error does (TypeCodeNotFound). */
  debugOrError?: (message: string, event: string) => void;
  /** Reports `status()` while a step lasts more than a moment (a large seed loading); call the result when it ends. */
  whileSlow?: (status: () => string) => () => void;
  /**
   * dbt's `write()`, which `statement('main')` calls with its text before running it: target/run/
   * holds the node's last main statement, not the statements around it (drops, renames, grants).
   */
  writeRun?: (sql: string) => void;
}

/** The text of a materialization's main statement (dbt's `statement('main')`) written for target/run/. */
export function writeMain(ctx: Pick<MaterializationContext, 'writeRun'>, statements: string | readonly string[], options: { terminated?: boolean } = {}): void {
  const texts = [statements].flat().map((s) => s.trim()).filter((s) => s !== '');
  // Several statements read as one text, each but the last ended by `;` (dbt's delete+insert);
  // the last too where dbt's macro ends it so (create_table_as, create_view_as).
  const ended = (s: string, i: number) => ((i < texts.length - 1 || options.terminated === true) && !s.endsWith(';') ? `${s};` : s);
  if (texts.length > 0) ctx.writeRun?.(texts.map(ended).join('\n\n'));
}

/** One microbatch window starting or finishing. */
export interface BatchEvent {
  phase: 'start' | 'finish';
  /** 1-based. */
  index: number;
  total: number;
  window: { start: Date; end: Date };
  status?: 'success' | 'error' | 'skipped';
  rows?: number;
  /** The status of a finished batch as the warehouse reports its insert (`INSERT 0 5`). */
  message?: string;
  seconds?: number;
  error?: string;
}

/** run_results.json `batch_results` (dbt 1.9): [start, end] ISO pairs. */
export interface BatchResults {
  successful: [string, string][];
  failed: [string, string][];
}

/** Some microbatch windows failed: the node's status is `partial success` (some succeeded) or `error`. */
export class BatchesFailedError extends TsdbtError {
  readonly batchResults: BatchResults;
  /** Whether a batch of this run succeeded (a partial success); the results also list the batches a retried run had done before. */
  readonly someSucceeded: boolean;

  constructor(message: string, batchResults: BatchResults, options: TsdbtErrorOptions, someSucceeded = batchResults.successful.length > 0) {
    super(message, options);
    this.batchResults = batchResults;
    this.someSucceeded = someSucceeded;
  }
}

export interface MaterializationOutcome {
  response: AdapterResponse;
  /** Tests only. */
  test?: { failures: number; status: 'pass' | 'warn' | 'fail'; message?: string | null };
  /** Microbatch only. */
  batchResults?: BatchResults;
}

export type Materialization = (ctx: MaterializationContext) => Promise<MaterializationOutcome>;

/** Runs hook statements in order on a connection, rendering each as its turn comes. */
export async function runHooks(conn: Connection, statements: HookStatement[], nodeId: string): Promise<void> {
  for (const statement of statements) {
    const sql = typeof statement === 'string' ? statement : await statement(conn);
    if (sql.trim()) await conn.execute(sql, { nodeId });
  }
}

/**
 * `<alias>__dbt_tmp`, dbt's name for a relation built beside the node's (make_intermediate_relation)
 * and for an incremental run's new rows (make_temp_relation), so a project's macro that recognises
 * dbt's intermediate relations by that suffix (a get_columns_in_relation, a catalog filter)
 * recognises tsdbt's; kept within PostgreSQL's 63-byte identifier limit.
 */
export function stagingIdentifier(alias: string, suffix = '__dbt_tmp'): string {
  const max = 63 - suffix.length;
  if (Buffer.byteLength(alias) <= max) return `${alias}${suffix}`;
  let hash = 0;
  for (const ch of alias) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0;
  return `${alias.slice(0, max - 9)}_${hash.toString(16).padStart(8, '0')}${suffix}`;
}

/**
 * How generated names (an index's) are made for a node's relation: from the table's name and the
 * build's time, so a rebuilt table's indexes never collide with the old table's.
 */
export function indexNaming(ctx: MaterializationContext, table = ctx.relation.identifier): { table: string; salt: string } {
  return { table, salt: `${(ctx.now?.() ?? new Date()).getTime()}` };
}

/**
 * Builds `relation` beside the old one and swaps it in, all in one transaction: a failed or
 * killed build leaves the previous relation (and views on it) exactly as they were. Nothing reads
 * the build's result before the swap, so where the connection queues (Connection.queue) the build
 * travels with what follows it, down to the commit: one round trip for a node without hooks.
 * Where the adapter can tell that building in place is as safe (Adapter.buildInPlace: nothing at
 * the name, or a view replaced by a view; `viewSql` is the view's SELECT), the relation is built
 * where it stands instead, with no staging relation and no swap.
 */
export async function buildAndSwap(
  ctx: MaterializationContext,
  createSql: (staging: Relation, tx: Connection) => Promise<string | string[]> | string | string[],
  stagingType: 'table' | 'view' | 'materialized_view',
  options: { indexes?: boolean; viewSql?: string } = {},
): Promise<MaterializationOutcome> {
  const { adapter, conn, node, hooks } = ctx;
  const nodeId = node.unique_id;
  const target = ctx.relation.with({ type: stagingType });
  const staging = ctx.relation.with({ identifier: stagingIdentifier(ctx.relation.identifier), type: stagingType });
  // Tables and materialized views take the config's `indexes` (unless a project's create macro made them).
  const indexed = stagingType !== 'view' && options.indexes !== false;
  const naming = indexNaming(ctx);
  const statementsFor = async (relation: Relation, tx: Connection): Promise<BuildStatements> => ({
    // A project's macro may put several statements in one text (a sql_header, its own SQL).
    create: [await createSql(relation, tx)].flat(),
    extras: indexed ? ctx.blocks.tableExtras(relation, naming) : [],
  });
  await runHooks(conn, hooks.beforeTransaction, nodeId);
  ctx.beforeFinalTransaction?.();
  const built = await conn.transaction(async (tx) => {
    await runHooks(tx, hooks.preInTransaction, nodeId);
    let created: QueuedStatement | null = null;
    let inPlace = false;
    if (adapter.buildInPlace && stagingType !== 'materialized_view' && ctx.blocks.buildsOwn(stagingType)) {
      const build = { type: stagingType, staging, inPlace: await statementsFor(target, tx), beside: await statementsFor(staging, tx) };
      // Written before it runs, as dbt's statement('main'): a failed build keeps its target/run file (the beside build below rewrites it).
      if (build.inPlace.create.length > 0) {
        writeMain(ctx, build.inPlace.create, { terminated: true });
        created = await adapter.buildInPlace(tx, target, options.viewSql === undefined ? build : { ...build, viewSql: options.viewSql }, { nodeId });
      }
      inPlace = created !== null;
    }
    if (!created) {
      // The staging name is cleared before the create renders: a project's create macro may run
      // statements of its own on it (dbt-clickhouse's `create table ... empty`, then returns the insert).
      await queueStatement(tx, adapter.sql.dropRelation(staging, stagingType), { nodeId });
      const beside = await statementsFor(staging, tx);
      writeMain(ctx, beside.create, { terminated: true });
      for (const statement of beside.create) created = await queueStatement(tx, statement, { nodeId, several: true });
      if (!created) throw new TsdbtError(`nothing to build for ${node.name}`, { code: 'internal', category: 'internal' });
      for (const statement of beside.extras) await queueStatement(tx, statement, { nodeId });
      await adapter.replaceRelation(tx, staging, target, ctx.existing);
    }
    if (indexed) await runHooks(tx, await ctx.blocks.indexesAfterSwap(tx, target), nodeId);
    // A relation built where it stood (`create or replace view`) keeps its grants: read and diff them.
    await runHooks(tx, grantStatements(ctx, target, !inPlace), nodeId);
    await runHooks(tx, persistDocsStatements(ctx, target), nodeId);
    await runHooks(tx, hooks.postInTransaction, nodeId);
    return created;
  });
  // Committed: the build's round trip is back.
  const { response } = await built.result();
  await runHooks(conn, hooks.afterTransaction, nodeId);
  return { response };
}

/**
 * The node's `grants` config applied to `relation` after its build (BuildingBlocks.applyGrants),
 * as a step among the hooks. `fullRefreshMode`: the relation was replaced, so old grants carried
 * over only where the adapter's copy_grants() says so; false when rows went into the relation
 * that was there (incremental runs, snapshots, refilled seeds), whose grants are read and diffed.
 */
export function grantStatements(ctx: Pick<MaterializationContext, 'blocks' | 'existing'>, relation: Relation, fullRefreshMode: boolean): HookStatement[] {
  return [
    async (conn) => {
      await ctx.blocks.applyGrants(conn, relation, ctx.existing, fullRefreshMode);
      return '';
    },
  ];
}

/**
 * `persist_docs: {relation: true, columns: true}`: descriptions as database comments. As in
 * dbt-postgres's `alter_column_comment` (`column_name in existing_columns`), a described column the
 * relation does not have under that exact name is skipped: `Order_Id` in YAML does not comment the
 * column `order_id` (its columns are read once, when needed).
 */
export function persistDocsStatements(ctx: Pick<MaterializationContext, 'node' | 'adapter' | 'warn' | 'blocks'>, relation: Relation): HookStatement[] {
  const persist = (ctx.node.config.persist_docs ?? {}) as { relation?: boolean; columns?: boolean };
  const statements: HookStatement[] = [];
  if (persist.relation && ctx.node.description) statements.push(ctx.adapter.sql.commentOn(relation, null, ctx.node.description));
  if (persist.columns) {
    let existing: Promise<string[]> | null = null;
    // dbt-postgres's alter_column_comment reads them through adapter.get_columns_in_relation.
    const columns = (conn: Connection) => (existing ??= ctx.blocks.columnsIn(conn, relation).then((cols) => cols.map((c) => c.name)));
    const described = Object.values(ctx.node.columns).filter((column) => column.description);
    for (const column of described) {
      const sql = ctx.adapter.sql.commentOn(relation, column.name, column.description);
      statements.push(async (conn) => ((await columns(conn)).includes(column.name) ? sql : ''));
    }
    // As dbt-adapters' validate_doc_columns (default__persist_docs): every column the properties
    // list, described or not, that the relation lacks is named in one warning; an unquoted name
    // matches whatever its case, a quoted one only exactly.
    const listed = Object.values(ctx.node.columns);
    if (listed.length > 0 && ctx.warn) {
      const warn = ctx.warn;
      statements.push(async (conn) => {
        const present = await columns(conn);
        const lower = new Set(present.map((name) => name.toLowerCase()));
        const missing = listed.filter((c) => (c.quote ? !present.includes(c.name) : !lower.has(c.name.toLowerCase()))).map((c) => c.name);
        if (missing.length > 0) warn(`In relation ${relation.render()}: The following columns are specified in the schema but are not present in the database: ${missing.join(', ')}`);
        return '';
      });
    }
  }
  return statements;
}

/**
 * Rows a statement wrote: the driver's count, or (where the warehouse does not report one, as chDB,
 * or reports -1, psycopg2's "no count") a count of the relation the rows came from.
 */
export async function rowsWritten(conn: Connection, result: QueryResult, source: Relation, nodeId: string, queries: CoreQueries): Promise<number> {
  if (result.response.rowsAffected !== undefined && result.response.rowsAffected >= 0) return result.response.rowsAffected;
  const { rows } = await conn.execute(queries.countRows(source), { nodeId });
  return Number(rows[0]?.n ?? 0);
}
