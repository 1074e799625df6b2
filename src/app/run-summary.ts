// The closing summary of a run, as dbt prints it:
//   Finished running 2 seeds, 8 data tests, 3 view models in 0 hours 0 minutes and 1.23 seconds (1.23s).
//   Completed successfully
//   Done. PASS=13 WARN=0 ERROR=0 SKIP=0 NO-OP=0 TOTAL=13
import path from 'node:path';
import { compiledPath, writesCompiledFile } from '../execution/compiled-path.js';
import { formatErrors, type TsdbtError } from '../errors/tsdbt-error.js';
import { isErrorSkip, isHookResult, type NodeResult } from '../manifest/results.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import type { Logger } from './logger.js';
import type { GroupInfo, NodeInfo } from './node-log-info.js';

export interface RunCounts {
  pass: number;
  warn: number;
  error: number;
  skip: number;
  noop: number;
  /** Microbatch models with some failed windows. */
  partial: number;
  /** Skips that are errors (an inlined ephemeral model failed to compile), also in `skip`. */
  errorSkip: number;
  total: number;
}

/** The run failed (exit 1): an error, a failed test, a partial microbatch or an error skip. */
export function runFailed(counts: RunCounts): boolean {
  return counts.error + counts.partial + counts.errorSkip > 0;
}

export function countResults(results: NodeResult[]): RunCounts {
  const counts: RunCounts = { pass: 0, warn: 0, error: 0, skip: 0, noop: 0, partial: 0, errorSkip: 0, total: results.length };
  for (const r of results) {
    if (r.status === 'success' || r.status === 'pass') counts.pass++;
    else if (r.status === 'warn') counts.warn++;
    else if (r.status === 'skipped') {
      counts.skip++;
      if (isErrorSkip(r)) counts.errorSkip++;
    }
    else if (r.status === 'no-op') counts.noop++;
    else if (r.status === 'partial success') counts.partial++;
    else counts.error++;
  }
  return counts;
}

/** dbt's get_counts key of a result's node: `table model`, `test`, `unit_test`, `seed`, `project hook`. */
function countKey(node: ManifestNode): string {
  return node.resource_type === 'model' ? `${node.config.materialized} model` : node.resource_type === 'operation' ? 'project hook' : node.resource_type;
}

/** dbt's pluralize of a count key (NodeType.pluralize: `data_tests`, `analyses`), underscores as spaces. */
export function countLabel(n: number, key: string): string {
  const plural = key === 'test' ? 'data_tests' : key === 'analysis' ? 'analyses' : key === 'saved_query' ? 'saved_queries' : `${key}s`;
  return `${n} ${n === 1 ? key : plural}`.replaceAll('_', ' ');
}

/** `1 error`, `2 errors`, `3 successes`. */
export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : word.endsWith('s') ? 'es' : 's'}`;
}

/** Errors that read the same apart from the node they happened in. */
function sameErrorKey(error: TsdbtError): string {
  return JSON.stringify([error.code, error.headline(), error.hint ?? '']);
}

/**
 * dbt's FinishedRunningStats after a blank line (RunTask.print_results_line): `Finished running
 * 1 project hook, 2 sources in 0 hours 0 minutes and 0.12 seconds (0.12s).`, each kind of node
 * counted (`byKind`: dbt's count key, `view model`, `source`, `project hook`) in the key's order.
 */
export function printFinishedRunning(logger: Logger, byKind: ReadonlyMap<string, number>, elapsedSeconds: number): void {
  const kinds = [...byKind.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([k, n]) => countLabel(n, k)).join(', ') || 'nothing';
  const minutes = Math.floor(elapsedSeconds / 60);
  const seconds = (elapsedSeconds - minutes * 60).toFixed(2);
  logger.info('');
  const execution = `0 hours ${minutes} minutes and ${seconds} seconds`;
  logger.info(`Finished running ${kinds} in ${execution} (${elapsedSeconds.toFixed(2)}s).`, 'FinishedRunningStats', { stat_line: kinds, execution, execution_time: elapsedSeconds });
}

/** `afterFinished`: what a command prints between the "Finished running" line and the end-of-run summary (seed --show's samples). */
export function reportSummary(logger: Logger, manifest: Manifest, results: NodeResult[], elapsedSeconds: number, afterFinished?: () => void): RunCounts {
  // `Finished running 4 project hooks, 2 seeds, 3 view models`: each kind counted, sorted by dbt's key.
  const byKind = new Map<string, number>();
  for (const r of results) {
    const node = manifest.nodes[r.unique_id];
    const key = node ? countKey(node) : (manifest.declared?.[r.unique_id]?.resource_type ?? (isHookResult(r) ? 'project hook' : null));
    if (key) byKind.set(key, (byKind.get(key) ?? 0) + 1);
  }
  printFinishedRunning(logger, byKind, elapsedSeconds);
  afterFinished?.();
  const counts = countResults(results);
  const c = logger.colors;
  logger.info('');
  const errorCount = counts.error + counts.errorSkip + results.filter((r) => r.skipped_because === 'fail-fast').length;
  const summary = { num_errors: errorCount, num_warnings: counts.warn, keyboard_interrupt: false, num_partial_success: counts.partial };
  if (!runFailed(counts) && counts.warn === 0) {
    logger.info(c.green('Completed successfully'), 'EndOfRunSummary', summary);
  } else {
    const partials = `${counts.partial} partial success${counts.partial === 1 ? '' : 'es'}`;
    // dbt counts a skip caused by an ephemeral model's error among the errors.
    // dbt's EndOfRunSummary: errors, else partial successes (no colon), else warnings.
    const head =
      errorCount > 0
        ? c.red(`Completed with ${plural(errorCount, 'error')}, ${partials}, and ${plural(counts.warn, 'warning')}:`)
        : counts.partial > 0
          ? c.yellow(`Completed with ${partials} and ${plural(counts.warn, 'warning')}`)
          : c.yellow(`Completed with ${plural(counts.warn, 'warning')}:`);
    logger.info(head, 'EndOfRunSummary', summary);
    reportEphemeralFailures(logger, manifest, results);
    // Nodes that failed with the same error (one macro raising for many models) print it once.
    const sameError = new Map<string, NodeResult[]>();
    for (const r of results) {
      if (r.status !== 'error' || !r.error || !manifest.nodes[r.unique_id]) continue;
      const key = sameErrorKey(r.error);
      sameError.set(key, [...(sameError.get(key) ?? []), r]);
    }
    const printed = new Set<NodeResult>();
    for (const r of results) {
      // dbt's print_run_end_messages: errors and warnings; a partial success's failed batches were reported as they failed (GenericExceptionOnRun).
      if (r.status !== 'error' && r.status !== 'fail' && r.status !== 'warn') continue;
      if (printed.has(r)) continue;
      const node = manifest.nodes[r.unique_id];
      if (!node) {
        // A result of no manifest node (a project hook whose node the `models:` config disabled): named as dbt names a hook's.
        logger.info('');
        const hook = isHookResult(r);
        const name = hook ? r.unique_id.split('.').slice(2).join('.') : r.unique_id;
        failureLine(logger, `Failure in ${hook ? `operation ${name} (./dbt_project.yml)` : name}`, { resource_type: hook ? 'operation' : '', node_name: name, path: hook ? './dbt_project.yml' : '' });
        if (r.message) errorLine(logger, `  ${r.message.split('\n').join('\n  ')}`, { msg: r.message });
        continue;
      }
      const group = r.status === 'error' && r.error ? (sameError.get(sameErrorKey(r.error)) ?? [r]) : [r];
      if (group.length > 1) {
        for (const g of group) printed.add(g);
        logger.info('');
        // One line for them all: each node's node_info is in its own LogModelResult line.
        failureLine(logger, `Failure in ${group.length} nodes with the same error:`, { resource_type: node.resource_type, node_name: group.map((g) => g.unique_id).join(', '), path: '' });
        const text = formatErrors(group.map((g) => g.error as TsdbtError))[0] ?? '';
        errorLine(logger, `  ${text.split('\n').join('\n  ')}`, { msg: text });
        continue;
      }
      printFailure(logger, node, r);
    }
    // dbt counts a node fail-fast skipped (a skip with a message) among the errors, and prints its message at debug level.
    for (const r of results) {
      if (r.skipped_because !== 'fail-fast' || !r.message) continue;
      logger.debug('');
      logger.debug(`  ${r.message}`, 'RunResultError', { msg: r.message });
    }
  }
  logger.info('');
  // dbt's interpret_run_result counts a partial success (a microbatch model with failed batches) as an error.
  const errors = counts.error + counts.partial;
  logger.info(
    `Done. PASS=${counts.pass} WARN=${counts.warn} ERROR=${errors} SKIP=${counts.skip} NO-OP=${counts.noop} TOTAL=${counts.total}`,
    'StatsLine',
    // dbt's stats keys; ERROR counts what the line's ERROR= does.
    { stats: { error: errors, skip: counts.skip, pass: counts.pass, warn: counts.warn, noop: counts.noop, total: counts.total } },
  );
  return counts;
}

/** Each ephemeral model that failed to compile, once, with the nodes skipped because of it. */
function reportEphemeralFailures(logger: Logger, manifest: Manifest, results: NodeResult[]): void {
  const byEphemeral = new Map<string, NodeResult[]>();
  for (const r of results) {
    if (isErrorSkip(r) && r.skipped_because) byEphemeral.set(r.skipped_because, [...(byEphemeral.get(r.skipped_because) ?? []), r]);
  }
  for (const [id, skipped] of byEphemeral) {
    const ephemeral = manifest.nodes[id];
    const error = skipped[0]?.error;
    if (!ephemeral || !error) continue;
    logger.info('');
    const failure = resultErrorData(logger, ephemeral);
    failureLine(logger, `Failure in ${ephemeral.resource_type} ${ephemeral.name} (${ephemeral.original_file_path})`, failure);
    const text = error.format({ node: false });
    errorLine(logger, `  ${text.split('\n').join('\n  ')}`, { msg: text, node_info: failure.node_info });
    const because = `skipped because of it: ${skipped.map((r) => r.unique_id).sort().join(', ')}`;
    errorLine(logger, `  ${because}`, { msg: because, node_info: failure.node_info });
  }
}

/**
 * One failed, errored or warned node as dbt's print_run_result_error prints it: `Failure in` (or
 * `Warning in`) `<type> <name> (<path>)` (RunResultFailure / RunResultWarning), then the result's
 * message (RunResultError / RunResultWarningMessage). An error's message is run_results.json's,
 * whose first line names the node and dbt's kind of error (`Compilation Error in model x (path)`),
 * as dbt's does; a test's failure message (`Got 3 results, configured to fail if != 0`) is as it is.
 */
function printResultError(logger: Logger, node: ManifestNode, r: NodeResult): void {
  const c = logger.colors;
  const place = `${node.resource_type} ${node.name} (${node.original_file_path})`;
  const failure = resultErrorData(logger, node);
  const { node_info, group } = failure;
  if (r.status === 'warn') {
    logger.emit({ level: 'warn', name: 'RunResultWarning', message: c.yellow(`Warning in ${place}`), data: failure });
    if (r.message) logger.emit({ level: 'warn', name: 'RunResultWarningMessage', message: r.message, data: { msg: r.message, node_info } });
    else logger.emit({ level: 'error', name: 'RunResultErrorNoMessage', message: `  Status: ${r.status}`, data: { status: r.status, node_info } });
    return;
  }
  failureLine(logger, `Failure in ${place}`, failure);
  const text = r.message ?? r.error?.resultMessage(nodeRefOf(node));
  if (text) errorLine(logger, `  ${text}`, { msg: text, node_info, ...(group ? { group } : {}) });
  else logger.emit({ level: 'error', name: 'RunResultErrorNoMessage', message: `  Status: ${r.status}`, data: { status: r.status, node_info } });
}

/** dbt's RunResultFailure: an error-level event, its whole line red. */
function failureLine(logger: Logger, message: string, data: Record<string, unknown>): void {
  logger.emit({ level: 'error', name: 'RunResultFailure', message: logger.colors.red(message), data });
}

/** dbt's RunResultError: the result's message, an error-level event. */
function errorLine(logger: Logger, message: string, data: Record<string, unknown>): void {
  logger.emit({ level: 'error', name: 'RunResultError', message, data });
}

/** dbt's RunResultFailure / RunResultWarning fields: the node's type, name and file, node_info and group. */
function resultErrorData(logger: Logger, node: ManifestNode): { resource_type: string; node_name: string; path: string; node_info: NodeInfo; group?: GroupInfo } {
  const group = logger.nodes.group(node);
  return { resource_type: node.resource_type, node_name: node.name, path: node.original_file_path, node_info: logger.nodes.info(node), ...(group ? { group } : {}) };
}

/** dbt's print_run_result_error of a failed node: its failure and message, where its compiled code is, where its failures are stored. */
export function printFailure(logger: Logger, node: ManifestNode, r: NodeResult): void {
  logger.info('');
  printResultError(logger, node, r);
  // dbt prints it where the node has a compiled_path (none for a seed, a snapshot or empty code).
  if (writesCompiledFile(node, r.compiled_code)) {
    logger.info('');
    const compiled = compiledPath('target', 'compiled', node).split(path.sep).join('/');
    logger.info(`  compiled code at ${compiled}`, 'SQLCompiledPath', { path: compiled, node_info: logger.nodes.info(node) });
  }
  if (node.resource_type === 'test' && node.relation_name && r.status !== 'error') {
    // dbt's CheckNodeTestFailure.
    const select = `select * from ${node.relation_name}`;
    const border = '-'.repeat(select.length);
    logger.info('');
    logger.info(`  See test failures:\n  ${border}\n  ${select}\n  ${border}`, 'CheckNodeTestFailure', { relation_name: node.relation_name, node_info: logger.nodes.info(node) });
  }
}
