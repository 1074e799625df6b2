// Runs an ExecutionPlan against the warehouse: opens the adapter, runs on-run-start hooks, the DAG
// (threads, skip-on-failure, fail-fast), on-run-end hooks, then writes run_results.json and prints
// the summary. Returns the results; the caller maps them to an exit code.
import type { BatchResults } from '../materializations/materialization.js';
import type { Adapter, AdapterContext, StatementEvent } from '../adapters/adapter.js';
import type { EarlyAdapter } from './early-adapter.js';
import { createAdapter } from '../adapters/index.js';
import { writeCommandManifest, writeStartManifest } from './command-manifest.js';
import { writeRunResults, type RunResultsInput } from '../artifacts/run-results-writer.js';
import { sampleWindowOf } from './sample-flag.js';
import { Compiler } from '../compile/compiler.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import { firstStep, runDag } from '../execution/dag-runner.js';
import { NodeExecutor } from '../execution/node-executor.js';
import { FAIL_FAST_SKIP, failsFast, type NodeResult } from '../manifest/results.js';
import { isNoOpNode, type ExecutionPlan, type PlanStep } from '../manifest/plan.js';
import type { Invocation } from './invocation.js';
import type { LoadedProject } from './project-loader.js';
import { dots, ProgressReporter } from './progress-reporter.js';
import { StatementLog } from './statement-log.js';
import { countResults, printFailure, reportSummary, type RunCounts } from './run-summary.js';
import { runProjectHooks } from './project-hooks.js';
import type { WarnErrorPolicy } from './warn-error.js';
import type { ManifestNode } from '../manifest/types.js';
import { queryComments, runFileStatements } from './query-comments.js';
import type { QueryComments } from '../execution/query-comment.js';
import { statementKiller } from './fault-injection.js';
import type { Deferral } from '../state/index.js';
import { runArgs } from './run-args.js';
import { slowStepAfterMs } from '../time/slow-step.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { flushConsoleLines } from './console-lines.js';
import { printSeedSamples, seedSamples } from './seed-show.js';
import { announceConcurrency, warnNothingToDo } from './concurrency-line.js';

export interface PlanOutcome {
  results: NodeResult[];
  counts: RunCounts;
}

/** Opens the adapter for the loaded project, with statement logging wired to --debug. */
export async function openAdapter(inv: Invocation, project: LoadedProject, statements?: Map<string, StatementEvent[]>, comments?: QueryComments, early?: EarlyAdapter): Promise<Adapter> {
  const killer = statementKiller(inv.env); // test-only (fault-injection.ts): null unless the suite sets it
  // `debug` opens the adapter before any parse: no macros to render a query comment with.
  const queryComment = comments ?? (project.parsed ? queryComments(project) : undefined);
  const statementLog = new StatementLog(inv.logger);
  const context: AdapterContext = {
    projectDir: inv.projectDir,
    targetDir: project.targetDir,
    ...(queryComment ? { queryComment } : {}),
    onWarning: (message) => inv.logger.warn(message, 'AdapterWarning'),
    onInfo: (message) => inv.logger.info(message, 'AdapterInfo'),
    // The lines logged so far, written once a statement is on its way (console-lines.ts, log-file.ts).
    beforeStatement: () => {
      flushConsoleLines();
      inv.logger.flushFile();
    },
    onStatement: (event) => {
      if (event.nodeId && statements) {
        const list = statements.get(event.nodeId) ?? [];
        list.push(event);
        statements.set(event.nodeId, list);
      }
      statementLog.record(event);
      killer?.(event);
    },
  };
  // Opened while the project loaded (its login under way or done), else now.
  return early?.take(project.target, context) ?? createAdapter(project.target, context);
}

export interface ExecuteOptions {
  /** --defer: refs to nodes this target lacks read the state's relations (looked up once the adapter is open). */
  deferral?: Deferral | null;
  /** `retry`: the failed batches of each partially successful microbatch model, the only ones it runs again. */
  retryBatches?: ReadonlyMap<string, BatchResults>;
  /** `retry`: the retried invocation's start, which microbatch batches run up to (dbt's default_end_time). */
  batchEndTime?: Date;
  /** The adapter opened while the project loaded (commands.ts), taken when the run opens one. */
  early?: EarlyAdapter;
}

export async function executePlan(inv: Invocation, project: LoadedProject, plan: ExecutionPlan, options: ExecuteOptions = {}): Promise<PlanOutcome> {
  const { logger } = inv;
  const { manifest } = project.parsed;
  const started = Date.now();
  // --sample's window is read before anything is built: a bad one stops the command (exit 2).
  const sampleWindow = sampleWindowOf(inv);
  // dbt's compile_manifest writes target/graph_summary.json before anything is selected or run; from
  // the same partial_parse.bin generation as the file on disk, only its `_invocation_id` is written
  // (graph-summary-reuse.ts: the manifest is the one loaded, no node added since).
  const graphSummary = writeGraphSummary(project.targetDir, manifest, inv.invocationId, { withTestEdges: plan.command === 'build', basis: project.basis.generation });
  const statements = new Map<string, StatementEvent[]>();
  // The adapter opens, and then its first connection (connect, login, session set-up), while
  // target/graph_summary.json and manifest.json are written (issue 18: the login waited for them).
  let comments: QueryComments | null = null;
  const opening =
    plan.steps.length === 0
      ? null
      : (async () => {
          comments = queryComments(project); // a bad query-comment fails here, met where `opening` is awaited
          return openAdapter(inv, project, statements, comments, options.early);
        })();
  void opening?.then((opened) => opened.openAhead?.(), () => undefined); // a failure to open is met below
  try {
    await graphSummary;
  } catch (err) {
    await opening?.then((opened) => opened.close(), () => undefined);
    throw err;
  }
  if (sampleWindow) logger.info(`Sample mode: inputs with an event_time are read from ${sampleWindow.start.toISOString()} to ${sampleWindow.end.toISOString()}`);
  if (!opening) {
    await writeCommandManifest(inv, project);
    warnNothingToDo(logger);
    // dbt still writes run_results.json, with no results (its RunnableTask writes whatever result it has).
    await writeCommandRunResults(inv, project, [], 0, plan.command);
    return { results: [], counts: countResults([]) };
  }
  try {
    await writeStartManifest(inv, project);
  } catch (err) {
    await opening.then((opened) => opened.close(), () => undefined);
    throw err;
  }
  const adapter = await opening;
  let results: NodeResult[] = [];
  try {
    const renders = connectTemplates(project.session, adapter, (text) => logger.out(text));
    const compiler = new Compiler(project.session, manifest, project.parsed.refs, adapter.sql, renders);
    compiler.prepare(plan.steps.map((s) => s.node));
    if (inv.options.empty) compiler.readNoRows();
    if (sampleWindow) compiler.sampleInputs(sampleWindow);
    if (options.deferral) {
      await options.deferral.scan(adapter, manifest);
      compiler.deferTo(options.deferral);
    }
    const reporter = new ProgressReporter(logger, plan.steps.length);
    logger.nodes.useManifest(manifest);
    const executor = new NodeExecutor({
      adapter,
      compiler,
      session: project.session,
      targetDir: project.targetDir,
      targetPath: project.config.targetPath,
      fullRefresh: Boolean(inv.options.fullRefresh),
      empty: Boolean(inv.options.empty),
      storeFailures: Boolean(inv.options.storeFailures),
      // dbt's get_microbatch_builder: in sample mode, microbatch models run the sample's batches.
      eventTimeRange: sampleWindow ? { start: sampleWindow.start, end: sampleWindow.end } : { start: inv.options.eventTimeStart, end: inv.options.eventTimeEnd },
      retryBatches: options.retryBatches,
      batchEndTime: options.batchEndTime,
      batchCustomMicrobatch: project.config.flags.require_batched_execution_for_custom_microbatch_strategy === true,
      now: inv.now,
      // target/run holds the statements without the query comment, as dbt writes them (dbt.log has them as sent).
      statementsFor: runFileStatements(statements, comments),
      onBatch: (node, event) => reporter.batch(node, event),
      onSlowStep: (node, text) => logger.info(`${node.name}: ${text}`, 'NodeProgress', { node_id: node.unique_id }),
      slowStepAfterMs: slowStepAfterMs(inv.env),
      onInternalError: (node, stack) => logger.debug(`${node.unique_id}: ${stack}`, 'InternalErrorStack'),
      materializations: { capabilities: adapter.capabilities, requireExplicitPackageOverrides: project.config.flags.require_explicit_package_overrides_for_builtin_materializations !== false },
    });
    announceConcurrency(logger, project.target, plan.steps.length);
    // One thread: the first node renders while the connection opens (NodeExecutor.speculate; kept
    // only if nothing renders before it, as an on-run-start hook does).
    const first = project.target.threads <= 1 ? firstStep(plan.steps) : null;
    if (first && !isNoOpNode(first.step.node)) setImmediate(() => executor.speculate(first.step.node, first.threadId));
    // So do the query comments of the connection's set-up and of the first node.
    const prepared = comments as QueryComments | null;
    setImmediate(() => prepared?.prepare(first ? [first.step.id] : []));
    await createSchemas(adapter, plan);
    const startHooks = await runProjectHooks(inv, project, adapter, compiler, 'on-run-start', []);
    // A failed on-run-start hook skips every node only under dbt's `skip_nodes_if_on_run_start_fails` flag.
    const skipAll = startHooks.some((r) => r.status === 'error') && project.config.flags.skip_nodes_if_on_run_start_fails === true;
    let interrupted = false;
    // The cancel of running statements (Ctrl-C, fail-fast), awaited before the on-run-end hooks: a
    // session it has not yet reached could otherwise be handed to a hook and cancelled there.
    let cancelling: Promise<void> = Promise.resolve();
    const onSignal = () => {
      // Ctrl-C: start nothing new, and cancel what runs; each relation keeps its previous version
      // (builds are swapped in only when they finish).
      interrupted = true;
      logger.warn('Interrupted (Ctrl-C): cancelling running statements; nodes not started are skipped');
      cancelling = adapter.cancelRunning();
    };
    process.once('SIGINT', onSignal);
    const abortSignal = inv.options.abortSignal;
    if (abortSignal?.aborted) onSignal();
    abortSignal?.addEventListener('abort', onSignal, { once: true });
    let nodeResults: NodeResult[];
    try {
      nodeResults = skipAll
        ? plan.steps.map((step) => {
            const skipped = skippedResult(step.id, 'Skipped because an on-run-start hook failed');
            reporter.finish(step.node, skipped);
            return skipped;
          })
        : await runDag<PlanStep>({
        steps: plan.steps,
        threads: project.target.threads,
        failFast: Boolean(inv.options.failFast),
        execute: async (step, thread) => {
          // A NO-OP has no START line in dbt, only its result. Started here, where its worker is known.
          if (isNoOpNode(step.node)) return noOpResult(step.id, thread);
          reporter.start(step.node, thread);
          return promoteTestWarning(await executor.execute(step.node, thread), step.node, logger.warnError);
        },
        skip: (step, reason) => ({
          ...skippedResult(step.id, reason === 'fail-fast' ? FAIL_FAST_SKIP : reason === 'cancelled' ? 'Skipped because the run was interrupted (Ctrl-C)' : `Skipped because an upstream node failed (${reason})`),
          skipped_because: reason,
          relation_name: step.node.relation_name,
        }),
        // dbt's mark_node_as_skipped fires no event for a step fail-fast skipped; one that ran printed what it gave.
        onFinish: (step, result, ran) => {
          if (ran) reporter.finish(step.node, ran);
          else if (result.skipped_because !== 'fail-fast') reporter.finish(step.node, result);
        },
        onFailFast: (running, threads) => {
          // dbt's _cancel_connections: each thread's connection, named by the last node it ran, is cancelled (LogCancelLine).
          for (const { step } of threads) if (step.node.config.materialized !== 'ephemeral') logger.error(dots(`CANCEL query ${step.id}`, `[${logger.colors.red('CANCEL')}]`, logger.printerWidth), 'LogCancelLine', { conn_name: step.id });
          // Cancelled only where a build is one transaction: elsewhere (ClickHouse) a statement cut
          // between a model's delete and its insert would lose rows, so those finish and their
          // results are dropped, as dbt drops them.
          if (running.length > 0 && adapter.capabilities.transactions) cancelling = adapter.cancelRunning();
        },
        cancelled: () => interrupted,
        // While a node waits on the warehouse, the next one renders (NodeExecutor.speculate).
        lookahead: (step, thread) => {
          if (!isNoOpNode(step.node)) executor.speculate(step.node, thread);
        },
        // Then it is queued on the connection behind the running one's last round trip, where it can be (NodeExecutor.follow).
        follow: (step, thread) => {
          const early = isNoOpNode(step.node) ? null : executor.follow(step.node, thread);
          if (!early) return null;
          return {
            adopt: async () => {
              reporter.start(step.node, thread);
              // Not sent after all (or stopped before sending): it runs now, as any node.
              const result = (await early.adopt()) ?? (await executor.execute(step.node, thread));
              return promoteTestWarning(result, step.node, logger.warnError);
            },
            abandon: () => early.abandon(),
          };
        },
      });
    } finally {
      process.off('SIGINT', onSignal);
      abortSignal?.removeEventListener('abort', onSignal);
    }
    await cancelling.catch(() => undefined);
    // The nodes' target/compiled and target/run files still queued (written while statements ran).
    executor.flushWrites();
    // dbt's execute_nodes on FailFastError: the failure that stopped the run, printed again (print_run_result_error).
    const stoppedBy = nodeResults.some((r) => r.skipped_because === 'fail-fast') ? nodeResults.find(failsFast) : undefined;
    const stoppedNode = stoppedBy ? manifest.nodes[stoppedBy.unique_id] : undefined;
    if (stoppedBy && stoppedNode) printFailure(logger, stoppedNode, stoppedBy);
    results = [...startHooks, ...nodeResults];
    // Each on-run-end hook is a result after the nodes' (a failing one fails the run, exit 1). One
    // that does not render stops the command as in dbt, with the results so far written first.
    try {
      results = [...results, ...(await runProjectHooks(inv, project, adapter, compiler, 'on-run-end', results))];
    } catch (err) {
      await writeCommandRunResults(inv, project, results, (Date.now() - started) / 1000, plan.command);
      throw err;
    }
  } finally {
    await adapter.close();
    project.session.jinja.saveCode();
  }
  const elapsed = (Date.now() - started) / 1000;
  await writeCommandRunResults(inv, project, results, elapsed, plan.command);
  await writeCommandManifest(inv, project);
  // dbt's SeedTask.task_end_messages: with --show, each seed's sample before the end-of-run summary.
  const samples = plan.command === 'seed' && inv.options.show ? await seedSamples(project, manifest, results) : [];
  const counts = reportSummary(logger, manifest, results, elapsed, () => printSeedSamples(logger, samples));
  return { results, counts };
}

/**
 * target/run_results.json of a command that ran nodes (build, run, ..., clone), with its flags as
 * dbt's `args` (run-args.ts, which `tsdbt retry` reads back); `options` when they differ from the
 * invocation's (clone records the state folder it resolved); `commandArgs`, the command's own flags (show's `limit`).
 */
export async function writeCommandRunResults(inv: Invocation, project: LoadedProject, results: RunResultsInput['results'], elapsedSeconds: number, which: string, options = inv.options, commandArgs: Record<string, unknown> = {}): Promise<void> {
  if (inv.options.writeJson === false) return; // --no-write-json
  await writeRunResults({
    results,
    targetDir: project.targetDir,
    invocationId: inv.invocationId,
    generatedAt: inv.now(),
    elapsedSeconds,
    args: { ...runArgs(options, which, project.cliVars), ...commandArgs },
    env: inv.env,
    startedAt: inv.startedAt,
  });
}

/** An exposure's or saved query's result in build, as dbt 1.10+'s NoOpRunner records it. */
function noOpResult(id: string, thread: string): NodeResult {
  return { unique_id: id, status: 'no-op', timing: [], thread_id: thread, execution_time: 0, adapter_response: {}, message: 'NO-OP', failures: 0 };
}

/** A node's result when it was not run. */
function skippedResult(id: string, message: string): NodeResult {
  return { unique_id: id, status: 'skipped', timing: [], thread_id: 'main', execution_time: 0, adapter_response: {}, message, failures: null };
}

/** Creates every schema the plan builds into before on-run-start hooks run, as dbt does. */
async function createSchemas(adapter: Adapter, plan: ExecutionPlan): Promise<void> {
  const schemas = new Map<string, { database: string | null; schema: string }>();
  for (const { node } of plan.steps) {
    if (node.resource_type === 'test' || isNoOpNode(node)) continue;
    schemas.set(`${node.database ?? ''}.${node.schema}`, { database: node.database, schema: node.schema });
  }
  await adapter.withConnection(async (conn) => {
    for (const { database, schema } of schemas.values()) await adapter.createSchemaIfMissing(conn, database, schema);
  });
}

/**
 * dbt's test runner under --warn-error (or LogTestResult in --warn-error-options' error list): a
 * test that would warn fails instead ("configured to fail if <warn_if>"), so it fails the run and,
 * in build, skips what depends on it.
 */
export function promoteTestWarning(result: NodeResult, node: ManifestNode, policy: WarnErrorPolicy): NodeResult {
  if (result.status !== 'warn' || !policy.promotes('LogTestResult')) return result;
  const failures = result.failures ?? 0;
  return { ...result, status: 'fail', message: `Got ${failures} result${failures === 1 ? '' : 's'}, configured to fail if ${String(node.config.warn_if)}` };
}
