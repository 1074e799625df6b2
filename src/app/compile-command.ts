// tsdbt compile, as dbt's CompileTask: renders the selected nodes into target/compiled (no DDL is
// run) and records each in run_results.json; a node that does not compile fails the command, which
// then writes manifest.json as parsed and no run_results.json (compileNodes). Interactive, as dbt 1.5+: the compiled code of each
// node the first --select names is printed ("Compiled node 'x' is:"), and `--inline "select ..."`
// compiles one query against the project and prints it ("Compiled inline node is:"). `--output
// json` prints dbt's `{"node": ..., "compiled": ...}`; under --quiet only the SQL is printed, so
// `tsdbt -q compile -s m > m.sql` writes the query alone.
import path from 'node:path';
import { dialectFor } from '../adapters/index.js';
import type { Adapter } from '../adapters/adapter.js';
import { writeCommandManifest } from './command-manifest.js';
import { Compiler } from '../compile/compiler.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, asTsdbtError, hasErrorCode, throwCollected } from '../errors/tsdbt-error.js';
import { compiledPaths, writesCompiledFile } from '../execution/compiled-path.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import { connectTemplates } from '../jinja/dbt/warehouse-calls.js';
import type { NodeResult } from '../manifest/results.js';
import type { ManifestNode } from '../manifest/types.js';
import { buildExecutionPlan } from '../plan/execution-plan.js';
import { COMPILED_FIELDS } from '../compile/compile-types.js';
import { progressCount, slowProgress, slowStepAfterMs } from '../time/slow-step.js';
import { fileWriter } from './background-writer.js';
import { announceTarget, deferralFor } from './commands.js';
import { openAdapter, writeCommandRunResults } from './execute-plan.js';
import { inlineQueryNode } from './inline-query.js';
import type { Invocation } from './invocation.js';
import { loadProject, type LoadedProject } from './project-loader.js';
import { selectForInvocation } from './select.js';
import { writeGraphSummary } from '../artifacts/graph-summary.js';
import { encodeResults, type EncodedResults } from '../artifacts/run-results-writer.js';
import { workerThreadName } from '../execution/dag-runner.js';
import { announceConcurrency, announceNodes } from './concurrency-line.js';

export interface CompileOptions {
  /** `--inline`: a query to compile against the project and print, instead of the project's nodes. */
  inline?: string;
  /** `--output`: how the printed compiled code looks. */
  output: 'text' | 'json';
}

/**
 * The node names the first --select names, whose compiled code is printed. dbt prints each result
 * whose name is a *substring* of that argument (so `--select stg_orders` also prints `orders`);
 * here a name must be one of its words (`+stg_orders`, `path:models/stg_orders.sql` and
 * `stg_orders+1` all name stg_orders, and only it).
 */
export function namedBySelection(select: readonly string[] | undefined): Set<string> {
  const first = select?.find((s) => s.trim() !== '');
  return new Set(first === undefined ? [] : first.split(/[^A-Za-z0-9_]+/).filter((w) => w !== ''));
}

/** dbt's CompiledNode event: the compiled code of one node (or the inline query), as --output and --quiet ask. */
function printCompiled(inv: Invocation, node: ManifestNode, code: string, inline: boolean, output: CompileOptions['output']): void {
  if (output === 'json') {
    inv.logger.out(JSON.stringify(inline ? { compiled: code } : { node: node.name, compiled: code }, null, 2));
  } else if (inv.logger.quiet) {
    inv.logger.out(code);
  } else {
    // The heading is a log line; the code follows as it is, without timestamps, to copy from.
    inv.logger.info(inline ? 'Compiled inline node is:' : `Compiled node '${node.name}' is:`, 'CompiledNode', { node_name: node.name, unique_id: node.unique_id, is_inline: inline, compiled: code });
    if (inv.logger.format !== 'json') inv.logger.out(code.replace(/\n$/, ''));
  }
}

/** The one thread's name a compile's results carry. */
const COMPILE_THREAD = workerThreadName(1);

/**
 * One node's compile result, as dbt's compile records it in run_results.json. Its timing is
 * BaseRunner.compile_and_execute's: `compile`, then `execute` (CompileRunner.execute, which does
 * nothing) for every node but an ephemeral model, which is only compiled.
 */
export function compileResult(node: ManifestNode, started: Date, completed: Date, outcome: Pick<NodeResult, 'status' | 'message' | 'compiled_code'>): NodeResult {
  const compile = { name: 'compile' as const, started_at: isoTime(started), completed_at: isoTime(completed) };
  const done = isoTime(completed);
  return {
    unique_id: node.unique_id,
    status: outcome.status,
    message: outcome.message,
    compiled_code: outcome.compiled_code,
    timing: node.config.materialized === 'ephemeral' ? [compile] : [compile, { name: 'execute' as const, started_at: done, completed_at: done }],
    thread_id: COMPILE_THREAD,
    execution_time: (completed.getTime() - started.getTime()) / 1000,
    adapter_response: {},
    failures: null,
    relation_name: node.relation_name ?? null,
  };
}

let lastTime = NaN;
let lastIso = '';

/**
 * `date.toISOString()`, the text shared with the previous call's when both are of the same
 * millisecond: most of a big compile's 60,000 timestamps are (nodes render in well under 1 ms),
 * and each is kept until run_results.json is written.
 */
function isoTime(date: Date): string {
  const time = date.getTime();
  if (time !== lastTime) {
    lastTime = time;
    lastIso = date.toISOString();
  }
  return lastIso;
}

/**
 * `compile --no-introspect` opens no connection, so a node whose template asks the warehouse
 * fails as dbt's does: its runner has no connection (InvalidConnectionError, a Runtime Error).
 */
function noIntrospect(node: ManifestNode): TsdbtError {
  return new TsdbtError(`connection never acquired for thread ${COMPILE_THREAD}, have []: ${node.resource_type} '${node.name}' asks the warehouse while compiling (run_query, adapter.get_columns_in_relation ...), and --no-introspect opens no connection`, {
    code: 'no-introspect',
    location: { file: node.original_file_path },
    hint: 'compile without --no-introspect to let its queries run',
  });
}

/** The command's Compiler: offline, or on `adapter` so renders may ask the warehouse; refs and sources read no rows under --empty. */
function commandCompiler(inv: Invocation, project: LoadedProject, adapter?: Adapter): Compiler {
  const { session, parsed } = project;
  const compiler = adapter
    ? new Compiler(session, parsed.manifest, parsed.refs, adapter.sql, connectTemplates(session, adapter, (text) => inv.logger.out(text)))
    : new Compiler(session, parsed.manifest, parsed.refs, dialectFor(project.target).sql);
  if (inv.options.empty) compiler.readNoRows();
  if (inv.options.injectEphemeralCtes === false) compiler.leaveEphemeralCtesOut();
  return compiler;
}

/**
 * `compile --inline`: the query compiled as dbt's `inline_query` (refs resolved, ephemeral parents
 * as CTEs) and printed; its result is recorded in run_results.json (`sql_operation.<project>.inline_query`),
 * as dbt's compile records it. No compiled file is written.
 */
async function compileInline(inv: Invocation, project: LoadedProject, sql: string, output: CompileOptions['output']): Promise<number> {
  const node = inlineQueryNode(project, sql);
  announceConcurrency(inv.logger, project.target, 1);
  const started = inv.now();
  const startedAt = performance.now();
  let code: string;
  try {
    code = commandCompiler(inv, project).compile(node).sql;
  } catch (err) {
    // The query asks the warehouse something (run_query, adapter.get_columns_in_relation...).
    if (!hasErrorCode(err, 'warehouse-unavailable')) throw err;
    if (inv.options.introspect === false) throw noIntrospect(node);
    const adapter = await openAdapter(inv, project);
    try {
      const compiler = commandCompiler(inv, project, adapter);
      code = await adapter.withConnection(async (conn) => (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node))).sql);
    } finally {
      await adapter.close();
    }
  }
  const result = compileResult(node, started, inv.now(), { status: 'success', message: null, compiled_code: code });
  await writeCommandRunResults(inv, project, [result], (performance.now() - startedAt) / 1000, 'compile');
  printCompiled(inv, node, code, true, output);
  return EXIT_OK;
}

/** compile: renders the selected nodes into target/compiled (refs resolved; no DDL is run). */
export async function compileCommand(inv: Invocation, options: CompileOptions = { output: 'text' }): Promise<number> {
  if (options.output === 'json') inv.logger.dataOnStdout = true;
  const project = loadProject(inv, { catalogs: true });
  // The manifest is the parse's as loaded (compile adds and links no node): a summary written from the same parse is reused.
  const graphSummary = () => writeGraphSummary(project.targetDir, project.parsed.manifest, inv.invocationId, { basis: project.basis.generation });
  // Under --output json too, as dbt's FoundStats (on stderr here, stdout being the JSON).
  announceTarget(inv, project);
  if (options.inline !== undefined) {
    await graphSummary();
    return compileInline(inv, project, options.inline, options.output);
  }
  const selected = selectForInvocation(inv, project.parsed.manifest, project.parsed.dag, project);
  // graph_summary.json is written while the writer thread creates the compiled files (compileNodes' `alongside`).
  return compileNodes(inv, project, selected, options.output, graphSummary);
}

/**
 * Compiles `selected` (the selection, or the nodes `tsdbt retry` repeats) and prints those --select
 * names. `alongside` is the command's work that needs no compiled file on disk (compile's
 * graph_summary.json): it runs once the renders are done, whether or not they failed, while the
 * writer thread still creates the files, where this thread would otherwise wait for it (a
 * 10,000-model compile renders its 30,000 files faster than this machine's disk creates them).
 */
export async function compileNodes(inv: Invocation, project: LoadedProject, selected: ReadonlySet<string>, output: CompileOptions['output'], alongside?: () => Promise<void>): Promise<number> {
  const { manifest, dag } = project.parsed;
  project.session.setSelection('compile', selected);
  const plan = buildExecutionPlan(manifest, dag, selected, 'compile');
  announceNodes(inv.logger, project.target, plan.steps.length);
  const errors: TsdbtError[] = [];
  // target/compiled only, as dbt's compile (target/run holds what a build ran); many files are
  // written by a worker thread while this one renders, and only those whose text changed since the
  // last compile (background-writer.ts, with target/compiled.index.json).
  const files = fileWriter(plan.steps.length, { indexFile: path.join(project.targetDir, 'compiled.index.json') });
  const progress = slowProgress((text) => inv.logger.info(`Compiling: ${text}`, 'CompileProgress'), { afterMs: slowStepAfterMs(inv.env) });
  // Each compiled node's result, as dbt's compile records it in run_results.json (timing, compiled_code).
  const results = new Map<string, NodeResult>();
  const selecting = (inv.options.select ?? []).some((s) => s.trim() !== '');
  const record = (node: ManifestNode, started: Date, sql: string | null) => {
    // dbt's results leave ephemeral models out unless --select is given (then a selected ephemeral
    // model's compiled code is printed too).
    if (node.config.materialized === 'ephemeral' && !selecting) return;
    results.set(node.unique_id, compileResult(node, started, inv.now(), { status: 'success', message: null, compiled_code: sql }));
  };
  const targetDirs = [project.targetDir, project.config.targetPath] as const;
  const write = (node: ManifestNode, sql: string, started: Date) => {
    if (!writesCompiledFile(node, sql)) return record(node, started, sql);
    const [file, compiled] = compiledPaths(targetDirs, 'compiled', node);
    files.write(file, sql);
    node.compiled_path = compiled;
    record(node, started, sql);
  };
  const failed = (node: ManifestNode, err: unknown) => {
    const error = asTsdbtError(err).inNode(nodeRefOf(node));
    error.location ??= { file: node.original_file_path };
    errors.push(error);
  };
  const compileStarted = performance.now();
  // Set once every node rendered (some may have failed): the renders ran to their end.
  let rendered = false;
  let manifestWrite: Promise<{ failure: unknown } | null> | null = null;
  // run_results.json's results, in the plan's order.
  const inOrder = () => plan.steps.flatMap((step) => results.get(step.node.unique_id) ?? []);
  let encoded: EncodedResults | undefined;
  try {
    // Without a connection first: the warehouse is opened only if a template asks it something
    // (run_query, adapter.get_columns_in_relation...), as an unconnected project compiles offline.
    const offline = commandCompiler(inv, project);
    offline.prepare(plan.steps.map((s) => s.node));
    // --defer asks the warehouse once which of this target's relations exist.
    const deferral = deferralFor(inv, project.targetDir, selected, []);
    if (deferral) {
      const adapter = await openAdapter(inv, project);
      try {
        await deferral.scan(adapter, manifest);
      } finally {
        await adapter.close();
      }
      offline.deferTo(deferral);
    }
    const needWarehouse: (typeof plan.steps)[number]['node'][] = [];
    for (const [i, step] of plan.steps.entries()) {
      progress.update(() => `${progressCount(i, plan.steps.length)} nodes`);
      const started = inv.now();
      // dbt compiles seeds too (EXECUTABLE_NODE_TYPES): a success with no SQL, and no file written.
      if (step.node.resource_type === 'seed') {
        record(step.node, started, null);
        continue;
      }
      try {
        write(step.node, offline.compile(step.node).sql, started);
      } catch (err) {
        if (hasErrorCode(err, 'warehouse-unavailable')) needWarehouse.push(step.node);
        else failed(step.node, err);
      }
    }
    if (needWarehouse.length > 0 && inv.options.introspect === false) {
      for (const node of needWarehouse) failed(node, noIntrospect(node));
    } else if (needWarehouse.length > 0) {
      const adapter = await openAdapter(inv, project);
      try {
        const compiler = commandCompiler(inv, project, adapter);
        if (deferral) compiler.deferTo(deferral);
        await adapter.withConnection(async (conn) => {
          for (const node of needWarehouse) {
            const started = inv.now();
            try {
              write(node, (await compiler.withWarehouse(conn, node.unique_id, () => compiler.compile(node))).sql, started);
            } catch (err) {
              failed(node, err);
            }
          }
        });
      } finally {
        await adapter.close();
      }
    }
    rendered = true;
    throwCollected(errors);
  } finally {
    progress.update('writing the compiled files');
    // close() hands the writer its last files at once. While it creates them, this thread does
    // what needs the renders but no file on disk: `alongside`, and manifest.json with the compiled
    // code when every node compiled (its own failure is thrown after run_results.json is written).
    const written = files.close();
    const succeeded = rendered && errors.length === 0;
    if (succeeded) manifestWrite = writeCommandManifest(inv, project).then(() => null, (failure: unknown) => ({ failure }));
    const besides = alongside?.();
    // run_results.json's results, encoded while the writer still works (the file is written after).
    if (succeeded && inv.options.writeJson !== false) encoded = encodeResults(inOrder());
    try {
      await Promise.all([written, besides]);
    } finally {
      await manifestWrite;
      // dbt writes manifest.json after parsing, before its compile (`@requires.manifest`), and
      // CompileTask.raise_on_first_error stops the command at a node that does not compile (or
      // at any other error) before GraphRunnableTask.run writes it again or writes
      // run_results.json: the file left is the parse's, without compiled code, and the last
      // command's run_results.json stays. Here every node was rendered and each failure is reported.
      if (!succeeded) await writeParsedManifest(inv, project);
    }
    progress.stop();
    project.session.jinja.saveCode();
  }
  await writeCommandRunResults(inv, project, encoded ?? inOrder(), (performance.now() - compileStarted) / 1000, 'compile');
  const unwritten = await manifestWrite;
  if (unwritten) throw unwritten.failure;
  inv.logger.info(`Compiled ${plan.steps.length} nodes into ${path.relative(inv.projectDir, path.join(project.targetDir, 'compiled'))}`);
  printNamedNodes(inv, plan.steps.map((step) => step.node), results, output);
  return EXIT_OK;
}

/** What compiling sets on a node: the compiler's fields, and compiled_path where its file is written. */
const COMPILED_NODE_FIELDS = [...COMPILED_FIELDS, 'compiled_path'] as const;

/**
 * manifest.json as dbt's compile leaves it when it stops at an error: the parse's, written before
 * any node compiled, so no node carries compiled code. A failure to write it does not hide the
 * compile's error.
 */
async function writeParsedManifest(inv: Invocation, project: LoadedProject): Promise<void> {
  for (const node of Object.values(project.parsed.manifest.nodes)) for (const field of COMPILED_NODE_FIELDS) delete node[field];
  await writeCommandManifest(inv, project).catch((err: unknown) => inv.logger.debug(`manifest.json not written: ${asTsdbtError(err).headline()}`));
}

/**
 * dbt's CompileTask.task_end_messages (which `docs generate` runs too): the compiled code of each
 * result's node the first --select names.
 */
export function printNamedNodes(inv: Invocation, nodes: readonly ManifestNode[], results: ReadonlyMap<string, NodeResult>, output: CompileOptions['output']): void {
  const named = namedBySelection(inv.options.select);
  for (const node of nodes) {
    const code = results.get(node.unique_id)?.compiled_code;
    if (named.has(node.name) && typeof code === 'string') printCompiled(inv, node, code, false, output);
    // dbt's CompileTask notes the nodes it leaves out only when a selection named some.
    else if (typeof code === 'string' && named.size > 0) inv.logger.debug(`Excluded node '${node.name}' from results`);
  }
}

