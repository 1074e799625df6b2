// What dbt's GraphRunnableTask says before it runs the selected nodes (task/runnable.py): with none
// selected, the NothingToDo warning (run); otherwise execute_with_hooks' ConcurrencyLine between two
// blank lines. Every command built on it says so: run, build, seed, test, snapshot, clone, compile,
// show (not --inline-direct: dbt's ShowTaskDirect), docs generate (when it compiles), retry.
import type { Logger } from './logger.js';

const NOTHING_TO_DO = 'Nothing to do. Try checking your model configs and model specification args';

/** dbt's NothingToDo warning: no node was selected. */
export function warnNothingToDo(logger: Logger): void {
  logger.warnOrError(NOTHING_TO_DO, 'NothingToDo');
}

/** dbt's ConcurrencyLine, a blank line (Formatting) on each side. */
export function announceConcurrency(logger: Logger, target: { threads: number; name: string }, nodeCount: number): void {
  logger.info('');
  logger.info(`Concurrency: ${target.threads} threads (target='${target.name}')`, 'ConcurrencyLine', { num_threads: target.threads, target_name: target.name, node_count: nodeCount });
  logger.info('');
}

/** NothingToDo when no node is selected, else the ConcurrencyLine; whether there are nodes to run. */
export function announceNodes(logger: Logger, target: { threads: number; name: string }, nodeCount: number): boolean {
  if (nodeCount === 0) warnNothingToDo(logger);
  else announceConcurrency(logger, target, nodeCount);
  return nodeCount > 0;
}
