// tsdbt retry, as dbt's RetryTask: reads the previous run_results.json (target/, or --state), and
// runs its command (run, build, test, seed, snapshot, compile, clone, run-operation) again with its
// recorded flags, only for the nodes that errored, failed or were skipped, in DAG order; a failed
// run-operation is called again whole. Flags of the invocation itself (project and profiles folders, logging,
// --warn-error) are today's; --vars and --threads given now override the recorded ones.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { headerTargetDir } from './header-target-dir.js';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { buildExecutionPlan } from '../plan/execution-plan.js';
import { dialectFor } from '../adapters/index.js';
import { cloneNodes } from './clone-command.js';
import { announceTarget, deferralFor } from './commands.js';
import { compileNodes } from './compile-command.js';
import { executePlan } from './execute-plan.js';
import { createInvocation, type Invocation, type InvocationOptions } from './invocation.js';
import { loadProject } from './project-loader.js';
import { optionsFromRunArgs, RETRYABLE_COMMANDS, type RetryableCommand } from './run-args.js';
import { runOperationCommand } from './run-operation.js';
import { preflightSeeds } from './seed-preflight.js';
import { runFailed } from './run-summary.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import type { BatchResults } from '../materializations/materialization.js';

/** dbt's RETRYABLE_STATUSES (`warn` too under --warn-error). */
const RETRYABLE_STATUSES = new Set(['error', 'fail', 'skipped', 'runtime error', 'partial success']);

interface PreviousRun {
  file: string;
  which: RetryableCommand;
  args: Record<string, unknown>;
  results: { unique_id: string; status: string; batches: BatchResults | null }[];
  /** metadata.invocation_started_at: when the retried command started. */
  startedAt?: Date;
}

function startedAtOf(value: unknown): { startedAt?: Date } {
  const at = typeof value === 'string' ? new Date(value) : null;
  return at && !Number.isNaN(at.getTime()) ? { startedAt: at } : {};
}

/** A result's `batch_results` (dbt 1.9): a microbatch model's successful and failed batches, as pairs of ISO times. */
function batchResultsOf(result: { batch_results?: unknown }): BatchResults | null {
  const value = result.batch_results as { successful?: unknown; failed?: unknown } | null | undefined;
  const pairs = (list: unknown): [string, string][] =>
    Array.isArray(list) ? list.filter((p): p is [string, string] => Array.isArray(p) && typeof p[0] === 'string' && typeof p[1] === 'string' && !Number.isNaN(Date.parse(p[0])) && !Number.isNaN(Date.parse(p[1]))) : [];
  return value && typeof value === 'object' ? { successful: pairs(value.successful), failed: pairs(value.failed) } : null;
}

async function readPreviousRun(inv: Invocation): Promise<PreviousRun> {
  const dir = inv.options.state !== undefined ? path.resolve(inv.projectDir, inv.options.state) : await headerTargetDir(inv);
  const file = path.join(dir, 'run_results.json');
  const shown = path.relative(inv.projectDir, file) || file;
  if (!existsSync(file)) {
    throw new TsdbtError(`Could not find previous run in '${path.relative(inv.projectDir, dir) || dir}' target directory (no run_results.json)`, {
      code: 'retry-no-previous-run',
      hint: 'run the command first (tsdbt build / run / test / seed / snapshot / compile / clone / run-operation); retry repeats what it left failed or skipped',
    });
  }
  let parsed: { args?: unknown; results?: unknown; metadata?: { invocation_started_at?: unknown } };
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as typeof parsed;
  } catch (err) {
    throw new TsdbtError(`${shown} is not valid JSON: ${(err as Error).message}`, { code: 'retry-invalid-run-results', location: { file: shown }, hint: 'run the command again instead of retrying it' });
  }
  const args = parsed.args && typeof parsed.args === 'object' ? (parsed.args as Record<string, unknown>) : {};
  const which = args.which;
  if (typeof which !== 'string' || !(RETRYABLE_COMMANDS as readonly string[]).includes(which)) {
    throw new TsdbtError(`${shown} was written by ${typeof which === 'string' ? `'${which}'` : 'a command that did not record itself (args.which)'}, which tsdbt retry cannot repeat`, {
      code: 'retry-unsupported-command',
      location: { file: shown },
      hint: `retry repeats ${RETRYABLE_COMMANDS.join(', ')}`,
    });
  }
  const results = Array.isArray(parsed.results) ? (parsed.results as { unique_id?: unknown; status?: unknown; batch_results?: unknown }[]) : [];
  return {
    file: shown,
    which: which as RetryableCommand,
    args,
    results: results.filter((r) => typeof r.unique_id === 'string').map((r) => ({ unique_id: String(r.unique_id), status: String(r.status), batches: batchResultsOf(r) })),
    ...startedAtOf(parsed.metadata?.invocation_started_at),
  };
}

/** The options of the retried command: the recorded ones, with today's invocation settings. */
export function retryOptions(current: InvocationOptions, recorded: Record<string, unknown>): InvocationOptions {
  const previous = optionsFromRunArgs(recorded);
  return {
    ...current,
    ...previous,
    // dbt's ALLOW_CLI_OVERRIDE_FLAGS: given on the retry's command line, they win.
    ...(current.vars !== undefined ? { vars: current.vars } : {}),
    ...(current.threads !== undefined ? { threads: current.threads } : {}),
  };
}

export async function retryCommand(inv: Invocation): Promise<number> {
  const previous = await readPreviousRun(inv);
  const retryInv = createInvocation({ ...retryOptions(inv.options, previous.args), invocationId: inv.invocationId });
  retryInv.logger.shareDeprecations(inv.logger); // the command's summary counts the retried run's
  const retryable = new Set(RETRYABLE_STATUSES);
  if (retryInv.logger.warnError.promotes('LogTestResult')) retryable.add('warn');
  if (previous.which === 'run-operation') return retryOperation(retryInv, previous, retryable);
  const project = loadProject(retryInv);
  announceTarget(retryInv, project);
  const { manifest, dag } = project.parsed;
  // Operation nodes (project hooks) are neither retried, as in dbt, nor counted.
  const nodeResults = previous.results.filter((r) => !r.unique_id.startsWith('operation.'));
  const ids = new Set(nodeResults.filter((r) => retryable.has(r.status)).map((r) => r.unique_id));
  // A node to retry that is gone since (removed, disabled) stops the retry, as dbt's get_subset_graph does.
  const gone = [...ids].find((id) => !manifest.nodes[id]);
  if (gone !== undefined) {
    throw new TsdbtError(`Couldn't find model '${gone}' -- does it exist or is it disabled?`, {
      code: 'retry-node-not-found',
      location: { file: previous.file },
      hint: `the previous \`${previous.which}\` left it failed or skipped; restore or enable it, or run \`tsdbt ${previous.which}\` again instead of retrying`,
    });
  }
  if (ids.size > 0) retryInv.logger.info(`Retrying ${ids.size} of ${nodeResults.length} nodes of the previous \`${previous.which}\` (${previous.file})`);
  if (previous.which === 'compile') {
    // compileCommand writes graph_summary.json before compileNodes; cloneNodes and executePlan write their own.
    await writeGraphSummary(project.targetDir, manifest, retryInv.invocationId);
    return compileNodes(retryInv, project, ids, 'text');
  }
  if (previous.which === 'clone') {
    const stateDir = retryInv.options.state ?? retryInv.options.deferState;
    if (!stateDir) throw new TsdbtError(`${previous.file} records a clone without --state`, { code: 'retry-invalid-run-results', location: { file: previous.file }, hint: 'run tsdbt clone --state <folder> again instead of retrying it' });
    return cloneNodes(retryInv, project, stateDir, [...ids]);
  }
  project.session.setSelection(previous.which, ids);
  const plan = buildExecutionPlan(manifest, dag, ids, previous.which);
  await preflightSeeds(plan, dialectFor(project.target).sql, (message) => retryInv.logger.warnOrError(message, 'SeedColumnNameShortened'));
  // A retried slim-CI build reads production's relations as the build did (--defer recorded in args).
  const deferral = deferralFor(retryInv, project.targetDir, ids, previous.which === 'test' ? [] : plan.steps.map((s) => s.id));
  // A microbatch model with batches done and batches failed runs the failed ones only, as dbt's
  // retry does (its batch_map; with none done the model runs whole).
  const retryBatches = new Map<string, BatchResults>();
  for (const r of nodeResults) if (r.batches && r.batches.successful.length > 0 && r.batches.failed.length > 0) retryBatches.set(r.unique_id, r.batches);
  // Batches are recomputed up to the retried command's start, not today (dbt's retry does the same).
  const outcome = await executePlan(retryInv, project, plan, { deferral, retryBatches, ...(previous.startedAt ? { batchEndTime: previous.startedAt } : {}) });
  return runFailed(outcome.counts) ? EXIT_NODE_FAILURE : EXIT_OK;
}

/**
 * A run-operation is one call, repeated whole with its recorded macro, --args, --vars and target
 * when it failed; when it succeeded there is nothing to retry (dbt returns the previous results).
 */
async function retryOperation(inv: Invocation, previous: PreviousRun, retryable: ReadonlySet<string>): Promise<number> {
  if (!previous.results.some((r) => retryable.has(r.status))) {
    inv.logger.info(`Nothing to retry: the previous \`run-operation\` succeeded (${previous.file})`);
    return EXIT_OK;
  }
  const macro = previous.args.macro;
  if (typeof macro !== 'string' || macro === '') {
    throw new TsdbtError(`${previous.file} records a run-operation without its macro (args.macro)`, { code: 'retry-invalid-run-results', location: { file: previous.file }, hint: 'run tsdbt run-operation <macro> again instead of retrying it' });
  }
  const args = previous.args.args;
  inv.logger.info(`Retrying the previous \`run-operation ${macro}\` (${previous.file})`);
  return runOperationCommand(inv, { macro, args: args && typeof args === 'object' ? JSON.stringify(args) : undefined });
}
