// `tsdbt run-operation <macro> --args '{...}'`: calls one macro with the warehouse available, as
// dbt's RunOperationTask does. The macro's `run_query`, `statement` blocks and `adapter.*` calls run
// on one connection through the render replay (see ARCHITECTURE.md), each statement committed as it
// runs; on-run-start / on-run-end hooks do not run. run_results.json gets one result for the macro.
// Exit codes: 0 the macro ran, 1 it raised (or a statement failed), 2 an unknown macro or bad --args.
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, asTsdbtError } from '../errors/tsdbt-error.js';
import { writeRunResults } from '../artifacts/run-results-writer.js';
import { Compiler } from '../compile/compiler.js';
import type { NodeResult, TimingInfo } from '../manifest/results.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { ManifestNode } from '../manifest/types.js';
import { bindMacro, callMacro, pyJson, pyStr } from '../jinja/engine/index.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import { openAdapter } from './execute-plan.js';
import { runArgs } from './run-args.js';
import type { Invocation } from './invocation.js';
import { describeFailure } from './failure-text.js';
import { findOperationMacro, parseOperationArgs, type OperationMacro } from './operation-macro.js';
import { loadProject, type LoadedProject } from './project-loader.js';
import { writeCommandManifest } from './command-manifest.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { announceTarget } from './commands.js';

export interface RunOperationOptions {
  /** `macro` or `package.macro`. */
  macro: string;
  /** `--args`: YAML mapping of keyword arguments. */
  args?: string;
}

/** The node a macro runs for: dbt's operation node, in the target's schema. */
function operationNode(project: LoadedProject, macro: OperationMacro): ManifestNode {
  const node = nodeSkeleton({
    resourceType: 'operation',
    packageName: macro.namespace === 'dbt' ? project.config.name : macro.namespace,
    name: macro.name,
    originalFilePath: macro.node.original_file_path,
    pathInResourceDir: macro.node.path,
    rawCode: macro.node.macro_sql,
    config: { ...defaultConfig('operation'), materialized: 'operation' },
  });
  node.schema = project.target.schema;
  node.database = project.target.database ?? null;
  return node;
}

/** A macro's value as JSON: `return()`ed lists, dicts and scalars as they are, anything else as its text. */
function jsonValue(value: unknown): unknown {
  try {
    return JSON.parse(pyJson(value)) as unknown;
  } catch {
    return pyStr(value);
  }
}

export async function runOperationCommand(inv: Invocation, options: RunOperationOptions): Promise<number> {
  const { logger } = inv;
  const kwargs = parseOperationArgs(options.args);
  // dbt's RunOperationTask times two steps: `compile` (loading the manifest) and `execute` (the macro).
  const compileStarted = new Date();
  const project = loadProject(inv);
  // dbt's RunOperationTask compiles the manifest first, whose compiler prints the FoundStats line.
  announceTarget(inv, project);
  await writeCommandManifest(inv, project);
  await writeGraphSummary(project.targetDir, project.parsed.manifest, inv.invocationId);
  project.session.services.flags.WHICH = 'run-operation';
  // dbt's invocation_args_dict of run-operation has the macro and its parsed --args.
  const commandArgs = project.session.services.invocationArgs;
  project.session.services.invocationArgs = () => ({ ...commandArgs?.(), macro: options.macro, args: kwargs });
  const { manifest } = project.parsed;
  const macro = findOperationMacro(options.macro, manifest.macros, project.config.name, project.packages.map((p) => p.name));
  const node = operationNode(project, macro);
  const started = new Date();
  const timing: TimingInfo[] = [{ name: 'compile', started_at: compileStarted.toISOString(), completed_at: started.toISOString() }];
  let failure: unknown = null;
  let returned: unknown = null;
  const adapter = await openAdapter(inv, project);
  try {
    const renders = connectTemplates(project.session, adapter, (text) => logger.out(text));
    const compiler = new Compiler(project.session, manifest, project.parsed.refs, adapter.sql, renders);
    await adapter.withConnection(async (conn) => {
      try {
        returned = await compiler.withWarehouse(conn, node.unique_id, () => {
          const context = compiler.phase.contextFor(node, { thisRelation: null });
          return callMacro(bindMacro(project.session.library, macro.namespace, macro.name, context), [], kwargs);
        });
      } catch (err) {
        // An error outside the macro's lines (a wrong --args name) points at its definition.
        if (err instanceof TsdbtError && !err.location) {
          err.location = { file: macro.node.original_file_path, line: macro.node.line };
          err.hint ??= `the macro's arguments are: ${macro.node.arguments.map((a) => a.name).join(', ') || '(none)'}`;
        }
        failure = err;
      }
    });
  } finally {
    await adapter.close();
  }
  const finished = new Date();
  timing.push({ name: 'execute', started_at: started.toISOString(), completed_at: finished.toISOString() });
  const elapsed = (finished.getTime() - compileStarted.getTime()) / 1000;
  const message = failure === null ? null : describeFailure(failure, { debug: false });
  const result: NodeResult = {
    unique_id: macro.node.unique_id,
    status: failure === null ? 'success' : 'error',
    timing,
    thread_id: 'main',
    execution_time: elapsed,
    adapter_response: {},
    message,
    failures: failure === null ? 0 : 1,
  };
  if (inv.options.writeJson !== false) await writeRunResults({
    results: [result],
    targetDir: project.targetDir,
    invocationId: inv.invocationId,
    generatedAt: finished,
    elapsedSeconds: elapsed,
    // Every flag, as for the other commands, so `tsdbt retry` repeats it with its --vars and --target.
    args: { ...runArgs(inv.options, 'run-operation', project.cliVars), macro: options.macro, args: kwargs },
    env: inv.env,
    startedAt: inv.startedAt,
  });
  if (message !== null) {
    const internal = asTsdbtError(failure).category === 'internal';
    logger.error(`Encountered an error while running operation: ${describeFailure(failure, { debug: logger.debugEnabled })}`, internal ? 'RunningOperationUncaughtError' : 'RunningOperationCaughtError');
    return EXIT_NODE_FAILURE;
  }
  // dbt prints nothing of the value; JSON log readers get it, text logs show it with --debug.
  const data = { macro: macro.node.unique_id, returned: jsonValue(returned) };
  if (logger.format === 'json') logger.info(`${macro.node.unique_id} returned`, 'RunOperationResult', data);
  else logger.debug(`${macro.node.unique_id} returned: ${pyStr(returned).trim()}`, 'RunOperationResult');
  return EXIT_OK;
}
