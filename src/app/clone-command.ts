// `tsdbt clone --state <dir> [--select ...] [--full-refresh]` (dbt's CloneTask): each selected model,
// seed and snapshot gets, in this target, a clone of the relation the state manifest records for it
// (src/state/clone-node.ts: a zero-copy table clone where the warehouse has them, else a view).
// Nodes run independently (no DAG order), on the target's threads; results go to run_results.json.
import type { StatementEvent } from '../adapters/adapter.js';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { writeCommandManifest } from './command-manifest.js';
import { Compiler } from '../compile/compiler.js';
import { runDag } from '../execution/dag-runner.js';
import { NodeExecutor } from '../execution/node-executor.js';
import { FAIL_FAST_SKIP, type NodeResult } from '../manifest/results.js';
import type { ManifestNode } from '../manifest/types.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import { CLONABLE, cloneNode } from '../state/clone-node.js';
import { stateArtifactsFor } from '../state/index.js';
import { openAdapter, writeCommandRunResults } from './execute-plan.js';
import { queryComments, runFileStatements } from './query-comments.js';
import type { Invocation } from './invocation.js';
import { loadProject, type LoadedProject } from './project-loader.js';
import { reportSummary, runFailed } from './run-summary.js';
import { selectForInvocation, warnIfStateIsTarget } from './select.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { announceConcurrency, warnNothingToDo } from './concurrency-line.js';

export async function cloneCommand(inv: Invocation): Promise<number> {
  const dir = inv.options.state ?? inv.options.deferState;
  if (!dir) {
    throw new TsdbtError('--state or --defer-state are required for deferral, but neither was provided: clone copies the relations of an earlier run, so it needs --state', {
      code: 'state-missing',
      hint: "pass --state <folder> holding that run's manifest.json, e.g. a copy of production's target/ folder",
    });
  }
  const project = loadProject(inv);
  const { manifest, dag } = project.parsed;
  const types = (inv.options.resourceTypes?.length ? inv.options.resourceTypes : CLONABLE).filter((t) => CLONABLE.includes(t));
  // Ephemeral models have no relation to clone, and dbt records no result for them.
  const selected = [...selectForInvocation(inv, manifest, dag, project)].filter((id) => {
    const node = manifest.nodes[id];
    return node !== undefined && types.includes(node.resource_type) && node.config.materialized !== 'ephemeral';
  });
  return cloneNodes(inv, project, dir, selected);
}

/** Clones `selected` (the selection, or the nodes `tsdbt retry` repeats) from the run whose artifacts are in `dir`. */
export async function cloneNodes(inv: Invocation, project: LoadedProject, dir: string, selected: readonly string[]): Promise<number> {
  const { logger } = inv;
  const started = Date.now();
  const state = stateArtifactsFor(inv, inv.projectDir, dir, inv.options.state ? '--state' : '--defer-state', warnIfStateIsTarget(inv, project.targetDir));
  const { manifest } = project.parsed;
  project.session.setSelection('clone', selected);
  await writeCommandManifest(inv, project);
  await writeGraphSummary(project.targetDir, manifest, inv.invocationId);
  const nodes = selected.map((id) => manifest.nodes[id] as ManifestNode).sort((a, b) => (a.unique_id < b.unique_id ? -1 : 1));
  if (nodes.length === 0) {
    warnNothingToDo(logger);
    return EXIT_OK;
  }
  const statements = new Map<string, StatementEvent[]>();
  const comments = queryComments(project);
  const adapter = await openAdapter(inv, project, statements, comments);
  let results: NodeResult[] = [];
  try {
    const renders = connectTemplates(project.session, adapter, (text) => logger.out(text));
    const compiler = new Compiler(project.session, manifest, project.parsed.refs, adapter.sql, renders);
    const executor = new NodeExecutor({
      adapter,
      compiler,
      session: project.session,
      targetDir: project.targetDir,
      fullRefresh: Boolean(inv.options.fullRefresh),
      now: inv.now,
      // target/run without the query comment, as run and build write it.
      statementsFor: runFileStatements(statements, comments),
      materializations: { capabilities: adapter.capabilities, requireExplicitPackageOverrides: project.config.flags.require_explicit_package_overrides_for_builtin_materializations !== false },
    });
    const ctx = { adapter, compiler, session: project.session, executor, state: state.manifest, fullRefresh: Boolean(inv.options.fullRefresh), log: (m: string) => logger.info(m) };
    announceConcurrency(logger, project.target, nodes.length);
    let done = 0;
    results = await runDag({
      steps: nodes.map((node) => ({ id: node.unique_id, node, dependsOn: [] })),
      threads: project.target.threads,
      failFast: Boolean(inv.options.failFast),
      execute: async (step, thread) => {
        const outcome = await cloneNode(ctx, step.node, thread);
        done += 1;
        const what = outcome.action === 'clone' ? `cloned ${outcome.from}` : outcome.action === 'view' ? `view of ${outcome.from}` : 'no-op';
        const line = `${done} of ${nodes.length} ${outcome.result.status === 'error' ? 'ERROR' : 'OK'} clone ${step.node.resource_type} ${step.node.relation_name ?? step.node.name}: ${what}`;
        // dbt's CloneRunner prints no line of its own per node (its after_execute passes): only the
        // clone materialization's logs, and the errors in the end-of-run summary.
        logger.debug(outcome.result.status === 'error' ? `${line}\n  ${outcome.result.message ?? ''}` : line);
        return outcome.result;
      },
      skip: (step, reason) => ({ unique_id: step.id, status: 'skipped', timing: [], thread_id: 'main', execution_time: 0, adapter_response: {}, message: reason === 'fail-fast' ? FAIL_FAST_SKIP : `Skipped (${reason})`, failures: null, skipped_because: reason }),
    });
    executor.flushWrites(); // the nodes' files still queued
  } finally {
    await adapter.close();
  }
  const elapsed = (Date.now() - started) / 1000;
  await writeCommandRunResults(inv, project, results, elapsed, 'clone', { ...inv.options, state: dir });
  const counts = reportSummary(logger, manifest, results, elapsed);
  return runFailed(counts) ? EXIT_NODE_FAILURE : EXIT_OK;
}
