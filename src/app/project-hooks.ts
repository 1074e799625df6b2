// on-run-start / on-run-end hooks from dbt_project.yml, rendered with `schemas` and `results`
// (on-run-end) and run in order on one connection; each hook is a result of the run (run_results.json,
// the summary's counts), as in dbt 1.9+.
import path from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import type { ProjectConfig } from '../config/types.js';
import type { Compiler } from '../compile/compiler.js';
import { asTsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult, TimingInfo } from '../manifest/results.js';
import type { FreshnessResult } from '../artifacts/sources-writer.js';
import { freshnessTemplateResults, nodeTemplateResults } from './hook-results.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { tuple } from '../jinja/engine/values.js';
import { hookOperationNode } from '../graph/project-hooks-parse.js';
import type { Invocation } from './invocation.js';
import type { LoadedProject } from './project-loader.js';
import { dots } from './progress-reporter.js';

/**
 * The projects whose hooks run, in dbt's order (RunTask._hook_keyfunc: the root project's name is a
 * `BiggestName`, whose `__lt__` is always true, so it sorts first): the root project, then the
 * installed packages by name as Python compares strings (code points), each one's hooks in order.
 */
export function hookProjects(project: LoadedProject): ProjectConfig[] {
  return [project.config, ...[...project.packages].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))];
}

/** A hook's result, as dbt 1.9+ records one: `operation.<package>.<package>-on-run-end-<index>`, thread `main`. */
function hookResult(id: string, status: 'success' | 'error' | 'skipped', message: string, timing: TimingInfo[], seconds: number): NodeResult {
  return { unique_id: id, status, timing, thread_id: 'main', execution_time: seconds, adapter_response: {}, message, failures: status === 'success' ? 0 : 1 };
}

/**
 * on-run-end's `database_schemas` and `schemas`, as dbt's RunTask.after_run makes them: the
 * (database, schema) pairs of the results' relational nodes (models, seeds, snapshots, and tests
 * that store their failures) that did not error, fail or skip, each pair once.
 */
function builtSchemas(manifest: Manifest, results: NodeResult[], storeFailuresFlag: boolean): { schemas: string[]; database_schemas: unknown[][] } {
  const pairs = new Map<string, unknown[]>();
  for (const r of results) {
    if (r.status === 'error' || r.status === 'fail' || r.status === 'skipped') continue;
    const node = manifest.nodes[r.unique_id];
    if (!node) continue;
    const relational = node.resource_type === 'model' || node.resource_type === 'seed' || node.resource_type === 'snapshot' || (node.resource_type === 'test' && (node.config.store_failures ?? storeFailuresFlag) === true);
    if (!relational) continue;
    const database = node.database ?? null;
    pairs.set(JSON.stringify([database, node.schema]), tuple([database, node.schema]));
  }
  const database_schemas = [...pairs.values()];
  return { schemas: [...new Set(database_schemas.map((p) => p[1] as string))], database_schemas };
}

/**
 * Runs the on-run-start or on-run-end hooks of the project and its packages, in dbt's order, and
 * returns a result for each, as dbt 1.9+ does: `<package>.on-run-end.<n> passed`, or `failed,
 * error:` with the warehouse's message, after which the remaining hooks are skipped. A hook that
 * does not render stops the command (dbt raises a compilation error). on-run-end's `results` are
 * `results` but for the hooks that did not fail (dbt leaves them out for backwards compatibility);
 * `source freshness` hands its own results (`freshness`), dbt's SourceFreshnessResults.
 */
export async function runProjectHooks(
  inv: Invocation,
  project: LoadedProject,
  adapter: Adapter,
  compiler: Compiler,
  which: 'on-run-start' | 'on-run-end',
  results: NodeResult[],
  freshness?: FreshnessResult[],
): Promise<NodeResult[]> {
  const all = hookProjects(project).flatMap((owner) => (which === 'on-run-start' ? owner.onRunStart : owner.onRunEnd).map((hook, index) => ({ owner, hook, index })));
  if (!all.length) return [];
  const { manifest } = project.parsed;
  const templateResults = freshness ? freshnessTemplateResults(freshness, manifest) : nodeTemplateResults(results, manifest);
  // on-run-end's context (dbt's RunTask.after_run); on-run-start's has none of it.
  const extra = which === 'on-run-end' ? { ...builtSchemas(manifest, results, inv.options.storeFailures === true), results: templateResults } : {};
  const operations = new Map<string, ManifestNode>();
  // One node per hook, as dbt's HookParser makes them: `model.unique_id` in the hook's SQL is
  // `operation.<project>.<project>-on-run-start-<index>`, its run result's id.
  const operationFor = (owner: ProjectConfig, index: number): ManifestNode => {
    const key = `${owner.name}-${which}-${index}`;
    let operation = operations.get(key);
    if (!operation) {
      operation = hookOperationNode(owner.name, which, index, '');
      operation.schema = project.target.schema;
      operation.database = project.target.database ?? null;
      operations.set(key, operation);
    }
    return operation;
  };
  const { logger } = inv;
  const c = logger.colors;
  const line = (position: number, text: string, status: string, event: 'LogHookStartLine' | 'LogHookEndLine' = 'LogHookEndLine') =>
    logger.info(dots(`${position + 1} of ${all.length} ${text}`, status, logger.printerWidth), event);
  const out: NodeResult[] = [];
  let failed = false;
  await adapter.withConnection(async (conn) => {
    for (const [position, { owner, hook, index }] of all.entries()) {
      // dbt names a hook by its place among all of this run's hooks, and identifies it by its place in its project's list.
      const name = `${owner.name}.${which}.${position}`;
      const id = `operation.${owner.name}.${owner.name}-${which}-${index}`;
      if (failed) {
        out.push(hookResult(id, 'skipped', `${name} skipped`, [], 0));
        line(position, `${c.yellow('SKIP')} hook: ${name}`, `[${c.yellow('SKIP')}]`);
        continue;
      }
      const operation = operationFor(owner, index);
      const compileStart = new Date();
      let sql: string;
      try {
        sql = await compiler.withWarehouse(conn, operation.unique_id, () => compiler.phase.render(operation, { refs: [], sources: [], configCalls: [], extra }, hook).sql);
      } catch (err) {
        const file = owner === project.config ? 'dbt_project.yml' : `${path.relative(project.config.projectDir, owner.projectDir) || owner.name}/dbt_project.yml`;
        const error = asTsdbtError(err).inNode({ resourceType: 'hook', name: `${owner.name}.${which}.${index}`, file });
        error.location ??= { file };
        throw error;
      }
      const executeStart = new Date();
      line(position, `START hook: ${name}`, '[RUN]', 'LogHookStartLine');
      let status: 'success' | 'error' = 'success';
      let message = `${name} passed`;
      if (sql.trim()) {
        try {
          await conn.execute(sql, { nodeId: operation.unique_id });
        } catch (err) {
          status = 'error';
          message = `${name} failed, error:\n ${asTsdbtError(err).headline()}`;
          failed = true;
        }
      }
      const done = new Date();
      const timing: TimingInfo[] = [
        { name: 'compile', started_at: compileStart.toISOString(), completed_at: executeStart.toISOString() },
        { name: 'execute', started_at: executeStart.toISOString(), completed_at: done.toISOString() },
      ];
      const seconds = (done.getTime() - compileStart.getTime()) / 1000;
      out.push(hookResult(id, status, message, timing, seconds));
      const shown = status === 'success' ? c.green('OK') : c.red('ERROR');
      line(position, `${shown} hook: ${name}`, `[${shown} in ${seconds.toFixed(2)}s]`);
    }
  });
  return out;
}
