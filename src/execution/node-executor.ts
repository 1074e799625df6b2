// Executes one planned node, each stage once and in order, as dbt's ModelRunner does: compile
// (compile/'s execute-phase render; an incremental model first asks whether its table exists, as
// is_incremental() does), write target/compiled, then pick the materialization (materializations/,
// resolved after compiling as dbt resolves the materialization macro at execution), look up the
// existing relation if it reads it, render hooks, run it, write target/run, and turn the outcome
// or the error into a NodeResult. Never throws: a failure is a result.
import type { Adapter, Connection, StatementEvent } from '../adapters/adapter.js';
import { TsdbtError, asTsdbtError, javascriptStack } from '../errors/tsdbt-error.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import type { RenderSession } from '../compile/render-session.js';
import type { ManifestNode } from '../manifest/types.js';
import { incrementalDependsOnExisting, isIncremental, shouldFullRefresh } from '../manifest/incremental-state.js';
import type { Relation } from '../adapters/relation.js';
import { readsExisting, rendersPerBatch } from '../materializations/index.js';
import { reportWhileSlow } from '../time/slow-step.js';
import { NodeMaterializations } from '../materializations/node-materialization.js';
import type { ResolverSettings } from '../compile/materialization-resolver.js';
import { BatchesFailedError, type BatchEvent, type BatchResults, type RenderedHooks } from '../materializations/materialization.js';
import { BuildingBlocks } from '../materializations/building-blocks.js';
import { nodeMacroCaller } from './node-macro-caller.js';
import type { Compiler, SpeculativeCompile } from '../compile/compiler.js';
import { IdleWrites } from './idle-writes.js';
import { BatchFiles, runFileText } from './batch-files.js';
import { adapterResponseDict, ephemeralCause, ephemeralSkipMessage, type NodeResult, type TimingInfo } from '../manifest/results.js';
import { DbtLeftovers } from './dbt-leftovers.js';
import { PipelineRefused } from '../adapters/pipeline.js';
import { followable, leads } from './follow-eligibility.js';
import { compiledPath, writesCompiledFile } from './compiled-path.js';
import { setPendingCompile } from '../jinja/dbt/model-dict.js';
import { extraCtesOf } from '../compile/cte-injection.js';


export interface NodeExecutorOptions {
  adapter: Adapter;
  compiler: Compiler;
  session: RenderSession;
  targetDir: string;
  /** The target path as configured (`target-path` or `--target-path`), which dbt's `compiled_path` starts with; default `target`. */
  targetPath?: string;
  fullRefresh: boolean;
  /** `--empty`: seeds load their columns and no rows (dbt 1.12's `seed --empty`). */
  empty?: boolean;
  /** `--store-failures` (tests whose config leaves store_failures unset). */
  storeFailures?: boolean;
  /** Microbatch backfill range (`--event-time-start` / `--event-time-end`). */
  eventTimeRange?: { start?: Date; end?: Date };
  /** dbt_project.yml's `flags: {require_batched_execution_for_custom_microbatch_strategy: true}`. */
  batchCustomMicrobatch?: boolean;
  /** `retry`: microbatch models run their batches up to the retried invocation's start. */
  batchEndTime?: Date;
  /** `retry`: each partially successful microbatch model's failed batches in the previous run. */
  retryBatches?: ReadonlyMap<string, BatchResults>;
  now?: () => Date;
  /** Statements run per node, collected from the adapter's statement events. */
  statementsFor(nodeId: string): StatementEvent[];
  /** Microbatch windows starting and finishing, for per-batch progress lines. */
  onBatch?: (node: ManifestNode, event: BatchEvent) => void;
  /** A step of a node still running after a while (a large seed loading): its progress line. */
  onSlowStep?: (node: ManifestNode, text: string) => void;
  /** Milliseconds before a step's first progress line (slow-step.ts; default two seconds). */
  slowStepAfterMs?: number;
  /** Where the JavaScript stack of an internal failure (a tsdbt bug) goes: --debug output. */
  onInternalError?: (node: ManifestNode, stack: string) => void;
  /** How a model's `materialized` is resolved among built-ins and `{% materialization %}` macros. */
  materializations?: ResolverSettings;
}

export class NodeExecutor {
  private readonly options: NodeExecutorOptions;
  private readonly materializations: NodeMaterializations;
  /**
   * Schemas this run has made sure of: as dbt creates a run's schemas once, before its nodes, a
   * schema is checked (and created) by the first node built in it, not by every node.
   */
  private readonly ensuredSchemas = new Map<string, Promise<void>>();
  /** What an interrupted dbt run left of the nodes' relations (`__dbt_tmp`, `__dbt_backup`), dropped as dbt does. */
  private readonly leftovers: DbtLeftovers;
  /** target/compiled and target/run, written while the run waits on the warehouse (idle-writes.ts). */
  private readonly writes = new IdleWrites();
  /** The next node's render, made while the run waited on the warehouse (`speculate`), with when it ran. */
  private speculated: { compiled: SpeculativeCompile; started: string; completed: string } | null = null;
  /** The running node's connection once its last round trip is marked (Connection.markFinal): what `follow` queues behind. */
  private leader: Connection | null = null;

  constructor(options: NodeExecutorOptions) {
    this.options = options;
    this.leftovers = new DbtLeftovers(options.adapter);
    this.materializations = new NodeMaterializations(options, options.materializations ?? { capabilities: options.adapter.capabilities });
  }

  /** createSchemaIfMissing once per schema and run (a failed attempt is tried again by the next node). */
  private async ensureSchema(conn: Connection, node: ManifestNode): Promise<void> {
    const key = `${node.database ?? ''}\u0000${node.schema}`;
    const known = this.ensuredSchemas.get(key);
    if (known) return known;
    const made = this.options.adapter.createSchemaIfMissing(conn, node.database, node.schema);
    this.ensuredSchemas.set(key, made);
    made.catch(() => this.ensuredSchemas.delete(key));
    return made;
  }

  /**
   * Renders `node`, which runs next on `threadId`, ahead of its turn, while the run waits on the
   * warehouse for the node before it (the event loop is idle then): its turn takes the render if
   * it still holds (Compiler.speculate: it asked nothing of the warehouse, logged nothing, and no
   * other render ran since). Its statements are not sent, nor its files written, before its turn.
   */
  speculate(node: ManifestNode, threadId: string): void {
    if (this.speculated?.compiled.node === node) return;
    this.speculated = null;
    const isTest = node.resource_type === 'test';
    // An incremental model asks for its relation before it renders: that waits for its turn.
    if (node.resource_type === 'unit_test' || (!isTest && incrementalDependsOnExisting(node, this.options.fullRefresh))) return;
    try {
      this.options.session.setThread(node.unique_id, threadId);
      const started = new Date().toISOString();
      const compiled = this.options.compiler.speculate(node, { incremental: false });
      if (compiled) this.speculated = { compiled, started, completed: new Date().toISOString() };
    } catch {
      // Only a head start: the node renders in its turn.
    }
  }

  /** The speculative render of `node` with `incremental`, if one was made and still holds; it is used once. */
  private takeSpeculation(node: ManifestNode, incremental: boolean): { compiled: SpeculativeCompile; started: string; completed: string } | null {
    const speculated = this.speculated;
    if (speculated?.compiled.node !== node) return null;
    this.speculated = null;
    return speculated.compiled.incremental === incremental && this.options.compiler.speculationHolds(speculated.compiled) ? speculated : null;
  }

  /**
   * Issue 18 (one thread): starts `node`, which runs next should the running node succeed, on the
   * running node's connection, its round trip queued behind that node's last one (Adapter.follow):
   * the server goes on to it without waiting for the client. Only a node whose work before its
   * first round trip shows nothing (followable: its render made ahead, a built-in view or table,
   * no hooks) and only behind a node whose last trip decides its result. Nothing of the node is
   * recorded, logged or written until `adopt` (its turn: the runner has written its START line);
   * its trip is not sent if the running node's trip failed, nor handed on if `abandon`ed (the node
   * is skipped). `adopt` resolves with its result, or null when it must run again in its turn
   * (its trip was not sent, or it failed before sending one).
   */
  follow(node: ManifestNode, threadId: string): { adopt(): Promise<NodeResult | null>; abandon(): void } | null {
    const leader = this.leader;
    const { adapter } = this.options;
    const speculated = this.speculated?.compiled;
    if (!leader?.leading || !adapter.follow || speculated?.node !== node || speculated.incremental !== false || !followable(node, this.materializations)) return null;
    let adopt = () => {};
    let abandon = () => {};
    const adopted = new Promise<void>((resolve, reject) => {
      adopt = resolve;
      abandon = () => reject(new PipelineRefused('abandoned'));
    });
    adopted.catch(() => undefined);
    const result = this.run(node, threadId, { adopted, acquire: (fn) => (adapter.follow as NonNullable<Adapter['follow']>)(leader, fn, adopted) });
    return {
      adopt: () => {
        adopt();
        return result;
      },
      abandon,
    };
  }

  async execute(node: ManifestNode, threadId: string): Promise<NodeResult> {
    return (await this.run(node, threadId)) as NodeResult;
  }

  /** Runs the node; `early`: started by `follow` (null when it must run again in its turn). */
  private async run(node: ManifestNode, threadId: string, early?: { adopted: Promise<void>; acquire: <T>(fn: (conn: Connection) => Promise<T>) => Promise<T> }): Promise<NodeResult | null> {
    let started = Date.now();
    let executeStart = new Date();
    let adopted = !early;
    /** This node's connection while it is `leader`. */
    let leading: Connection | null = null;
    // A follower starts, as dbt would start it, in its turn (its START line): its time and its
    // `execute` timing run from there, not from when its trip was queued (its render is timed when it ran).
    early?.adopted.then(
      () => {
        adopted = true;
        started = Date.now();
        executeStart = new Date();
      },
      () => undefined,
    );
    const timing: TimingInfo[] = [];
    const { adapter, compiler } = this.options;
    this.options.session.setThread(node.unique_id, threadId);
    let compiledSql: string | null = null;
    /** A follower's compile, recorded in its turn; `gaveUp`: it stopped before then and runs again in its turn. */
    const deferred: { compile: Promise<void> | null } = { compile: null };
    let gaveUp = false;
    /** The node's main statement (dbt's statement('main') write()), target/run's text. */
    let mainSql: string | null = null;
    try {
      const relation = compiler.relationOf(node);
      const outcome = await (early ? early.acquire.bind(early) : adapter.withConnection.bind(adapter))(async (conn: Connection) => {
        const compileStart = new Date();
        const isTest = node.resource_type === 'test' || node.resource_type === 'unit_test';
        // The relation as it exists now: looked up once, by the first stage that needs it.
        let existing: Relation | null | undefined;
        const lookUpExisting = async () => {
          if (existing === undefined) existing = await adapter.getRelation(conn, { database: node.database, schema: node.schema, identifier: node.alias });
        };
        if (!isTest && incrementalDependsOnExisting(node, this.options.fullRefresh)) await lookUpExisting();
        const incremental = isIncremental(node, this.options.fullRefresh, () => existing ?? null);
        const unitTest =
          node.resource_type === 'unit_test'
            ? {
                inputs: compiler.unitTestInputs(node),
                compile: async (fixtures: string[], opts: { incremental?: boolean } = {}) =>
                  (compiledSql = await compiler.withWarehouse(conn, node.unique_id, () => compiler.compileUnitTest(node, fixtures, opts))),
                renderSql: (sql: string) => compiler.withWarehouse(conn, node.unique_id, () => compiler.renderUnitTestSql(node, sql)),
              }
            : undefined;
        // A microbatch model is rendered per batch only, as dbt's MicrobatchModelRunner does (its
        // whole-range render would run the model's Jinja, log() calls and all, once more); its
        // result's compiled_code is None, as dbt's (each batch compiles a copy of the node).
        let blocks: BuildingBlocks | undefined;
        const buildingBlocks = () => (blocks ??= new BuildingBlocks(node, adapter, nodeMacroCaller(this.options, node, incremental)));
        // Looked up once, when first needed (an unknown materialization still fails after the compile, as dbt's).
        let chosen: ReturnType<NodeMaterializations['for']> | undefined;
        const materialization = () => (chosen ??= this.materializations.for(node));
        const perBatch = node.config.materialized === 'incremental' && node.config.incremental_strategy === 'microbatch' && rendersPerBatch(materialization(), node, buildingBlocks(), this.options.batchCustomMicrobatch);
        const speculated = unitTest || perBatch ? null : this.takeSpeculation(node, incremental);
        if (early && !speculated) throw new PipelineRefused('no render made ahead');
        if (early && speculated) {
          // Recorded and written in its turn (before its answer is handed on): a node skipped
          // meanwhile stays uncompiled, and one that runs again in its turn is compiled then only.
          // Awaited below, so what it throws is this node's error, not an unhandled rejection.
          compiledSql = speculated.compiled.rendered.sql;
          const sql = compiledSql;
          setPendingCompile(node, { compiled_code: sql, extra_ctes: extraCtesOf(speculated.compiled.rendered.ctes) });
          deferred.compile = early.adopted.then(() => {
            if (gaveUp) return;
            compiler.compile(node, { incremental }, speculated.compiled);
            this.writeCompiled('compiled', node, sql);
          });
          deferred.compile.catch(() => undefined);
        } else {
          compiledSql = unitTest ? '' : perBatch ? null : speculated ? compiler.compile(node, { incremental }, speculated.compiled).sql : (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node, { incremental }))).sql;
          if (!unitTest && compiledSql !== null) this.writeCompiled('compiled', node, compiledSql);
        }
        // A render made ahead of the node's turn (speculate) is timed when it ran.
        timing.push(speculated ? { name: 'compile', started_at: speculated.started, completed_at: speculated.completed } : { name: 'compile', started_at: compileStart.toISOString(), completed_at: new Date().toISOString() });
        if (adopted) executeStart = new Date();
        const materialize = materialization();
        if (!isTest && readsExisting(materialize)) await lookUpExisting();
        // A unit test too: dbt's unit materialization makes `this.incorporate(type='table')`, named
        // as the test (`<name>_v<version>` for a version), which PostgresRelation checks as any.
        const unitTestName = node.resource_type === 'unit_test' ? (node.version === null || node.version === undefined ? node.name : `${node.name}_v${String(node.version)}`) : null;
        const nameProblem = node.resource_type === 'test' || node.config.materialized === 'ephemeral' ? null : adapter.sql.relationNameProblem(unitTestName ?? node.alias);
        if (nameProblem) throw new TsdbtError(nameProblem, { code: 'relation-name-invalid', hint: unitTestName === null ? 'give the model a shorter name or `alias`' : 'give the unit test a shorter name' });
        if (!isTest) {
          await this.ensureSchema(conn, node);
          await this.leftovers.dropFor(conn, node);
        }
        // Its build transaction's COMMIT is marked final where that transaction begins (beforeFinalTransaction).
        const lead = leads(node, materialize);
        if (lead) {
          this.leader = conn;
          leading = conn;
        }
        let files: BatchFiles | undefined;
        const batchFiles = () =>
          (files ??= new BatchFiles(node, (kind) => compiledPath(this.options.targetDir, kind, node), (file, sql) => this.writes.add(file, sql), () => this.options.statementsFor(node.unique_id)));
        try {
          return await materialize({
            writeRun: (sql) => {
              mainSql = sql;
            },
            node,
            adapter,
            conn,
            compiledSql: compiledSql ?? '',
            relation,
            existing: existing ?? null,
            fullRefresh: shouldFullRefresh(node, this.options.fullRefresh),
            empty: this.options.empty ?? false,
            storeFailures: this.options.storeFailures ?? false,
            incremental,
            hooks: this.renderHooks(node, incremental),
            ...(lead ? { beforeFinalTransaction: () => conn.markFinal?.() } : {}),
            blocks: buildingBlocks(),
            compileForWindow: async (window) => {
              const { sql } = await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node, { incremental, eventTimeWindow: window }));
              batchFiles().compiled(window, sql);
              return sql;
            },
            eventTimeRange: this.options.eventTimeRange,
            retryBatches: this.options.retryBatches?.get(node.unique_id),
            batchCustomMicrobatch: this.options.batchCustomMicrobatch,
            batchEndTime: this.options.batchEndTime,
            now: this.options.now,
            onBatch: (event) => {
              batchFiles().onBatch(event);
              this.options.onBatch?.(node, event);
            },
            warn: (message) => this.options.session.services.log(message, 'warn'),
            debug: (message) => this.options.session.services.log(message, 'debug'),
            debugOrError: (message, event) => this.options.session.services.log(message, 'debugOrError', event),
            whileSlow: (status) => reportWhileSlow((text) => this.options.onSlowStep?.(node, text), status, { afterMs: this.options.slowStepAfterMs ?? 2000 }),
            unitTest,
            renderRelation: (expression) => compiler.renderExpression(node, expression),
            materializedViews: () => compiler.materializedViews(),
          });
        } finally {
          setPendingCompile(node, null);
        }
      });
      if (deferred.compile) await deferred.compile;
      timing.push({ name: 'execute', started_at: executeStart.toISOString(), completed_at: new Date().toISOString() });
      if (node.resource_type === 'unit_test' && compiledSql) this.writeCompiled('compiled', node, compiledSql);
      // A materialization that named no main statement (one of an adapter's own) leaves every statement it ran.
      this.writeCompiled('run', node, mainSql ?? runFileText(this.options.statementsFor(node.unique_id)));
      const base = {
        unique_id: node.unique_id,
        timing,
        thread_id: threadId,
        execution_time: (Date.now() - started) / 1000,
        adapter_response: adapterResponseDict(outcome.response),
        compiled_code: compiledSql,
        relation_name: node.relation_name,
      };
      if (outcome.test) {
        const { failures, status } = outcome.test;
        const message = outcome.test.message !== undefined ? outcome.test.message : status === 'pass' ? null : `Got ${failures} result${failures === 1 ? '' : 's'}, configured to ${status === 'fail' ? 'fail' : 'warn'} if ${status === 'fail' ? String(node.config.error_if) : String(node.config.warn_if)}`;
        return { ...base, status, message, failures };
      }
      return { ...base, status: 'success', message: outcome.response.message, failures: null, batch_results: outcome.batchResults ?? null };
    } catch (err) {
      // Started early and stopped before its turn (its trip not sent, the node before it failed, or a failure here): it runs again in its turn, if at all.
      if (early && (!adopted || err instanceof PipelineRefused)) {
        gaveUp = true;
        return null;
      }
      // dbt writes the main statement before running it: a node it failed keeps its target/run file.
      if (mainSql !== null) this.writeCompiled('run', node, mainSql);
      // The result names the node: the message says where (call chain), what, and what to do.
      const error = asTsdbtError(err).inNode(nodeRefOf(node));
      const stack = error.category === 'internal' ? javascriptStack(error) : undefined;
      if (stack) this.options.onInternalError?.(node, stack);
      const batches = err instanceof BatchesFailedError ? err.batchResults : null;
      // An ephemeral model it inlines did not compile: dbt skips the node with this message
      // ("ERROR SKIP"), and the run fails.
      const ephemeral = ephemeralCause(error, node.unique_id);
      const message = ephemeral ? ephemeralSkipMessage(node.unique_id, ephemeral) : error.resultMessage(nodeRefOf(node));
      return {
        unique_id: node.unique_id,
        status: ephemeral ? 'skipped' : err instanceof BatchesFailedError && err.someSucceeded ? 'partial success' : 'error',
        ...(ephemeral ? { skipped_because: ephemeral } : {}),
        batch_results: batches,
        timing,
        thread_id: threadId,
        execution_time: (Date.now() - started) / 1000,
        adapter_response: {},
        message,
        failures: null,
        compiled_code: compiledSql,
        relation_name: node.relation_name,
        error,
        ...(error.retriable ? { retriable: true } : {}),
      };
    } finally {
      if (leading !== null && this.leader === leading) this.leader = null;
    }
  }

  private renderHooks(node: ManifestNode, incremental: boolean): RenderedHooks {
    const render = (sql: string) => (conn: Connection) =>
      this.options.compiler.withWarehouse(conn, node.unique_id, () => this.options.compiler.phase.render(node, { refs: [], sources: [], configCalls: [], incremental }, sql).sql);
    const hooks: RenderedHooks = { beforeTransaction: [], preInTransaction: [], postInTransaction: [], afterTransaction: [] };
    for (const hook of node.config.pre_hook) (hook.transaction ? hooks.preInTransaction : hooks.beforeTransaction).push(render(hook.sql));
    for (const hook of node.config.post_hook) (hook.transaction ? hooks.postInTransaction : hooks.afterTransaction).push(render(hook.sql));
    return hooks;
  }

  /**
   * Queued, and written while the run waits on the warehouse (idle-writes.ts), in place and only
   * when changed (write-file.ts): plain system calls, no trips through libuv's thread pool.
   */
  private writeCompiled(kind: 'compiled' | 'run', node: ManifestNode, sql: string): void {
    if (kind === 'compiled' && !writesCompiledFile(node, sql)) return;
    this.writes.add(compiledPath(this.options.targetDir, kind, node), sql);
    if (kind === 'compiled') node.compiled_path = compiledPath(this.options.targetPath ?? 'target', kind, node);
  }

  /** Writes the nodes' files still queued; throws (write-failed) if one of the run's writes failed. Called once the nodes are done. */
  flushWrites(): void {
    this.writes.flush();
  }
}
