// on-run-start / on-run-end hooks, the manifest's `operation` nodes parsed from dbt_project.yml
// (graph/project-hooks-parse.ts), rendered with `schemas` and `results` (on-run-end) and run in
// order on one connection; each hook is a result of the run (run_results.json, the summary's
// counts), as in dbt 1.9+.
import type { Adapter } from '../adapters/adapter.js';
import type { Compiler } from '../compile/compiler.js';
import { asTsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult, TimingInfo } from '../manifest/results.js';
import type { FreshnessResult } from '../artifacts/sources-writer.js';
import { freshnessTemplateResults, nodeTemplateResults } from './hook-results.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { tuple } from '../jinja/engine/values.js';
import type { Invocation } from './invocation.js';
import type { LoadedProject } from './project-loader.js';
import { dots } from './progress-reporter.js';
import { hookProjectFile } from '../graph/project-hooks-parse.js';
import { hookFromText } from '../graph/hooks.js';
import { compiledPath, writesCompiledFile } from '../execution/compiled-path.js';
import { writeFileIfChanged } from '../execution/write-file.js';

/** Python's `<` on two package names (plain identifiers: UTF-16 order is code point order). */
const byCodePoints = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/**
 * The hooks of type `which` that run, as dbt's RunTask.get_hooks_by_type finds them: the manifest's
 * `operation` nodes (HookParser's, one per hook of the project and of each package) tagged with the
 * hook type (its tags, config tags among them), so a hook disabled through `models:` config, which
 * dbt's parse moves to `disabled`, does not run. Sorted by dbt's `_hook_keyfunc`: the root project
 * first (its name is a `BiggestName`, whose `__lt__` is always true), then the packages by name as
 * Python compares strings, each one's hooks by their index in its list (a stable sort, as Python's).
 */
export function hooksToRun(manifest: Manifest, rootProject: string, which: 'on-run-start' | 'on-run-end'): ManifestNode[] {
  const hooks: ManifestNode[] = [];
  for (const id in manifest.nodes) {
    const node = manifest.nodes[id] as ManifestNode;
    if (node.resource_type === 'operation' && node.tags.includes(which)) hooks.push(node);
  }
  return hooks.sort((a, b) => {
    if (a.package_name !== b.package_name) return a.package_name === rootProject ? -1 : b.package_name === rootProject ? 1 : byCodePoints(a.package_name, b.package_name);
    return (a.index ?? 0) - (b.index ?? 0);
  });
}

/** The dbt_project.yml a hook of `packageName` comes from, as a path from the project's folder. */
export function hookFile(project: Pick<LoadedProject, 'config' | 'packages'>, packageName: string): string {
  const owner = project.packages.find((p) => p.name === packageName);
  return packageName === project.config.name || !owner ? 'dbt_project.yml' : hookProjectFile(project.config.projectDir, owner.projectDir);
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
  const { manifest } = project.parsed;
  const all = hooksToRun(manifest, project.config.name, which);
  if (!all.length) return [];
  const templateResults = freshness ? freshnessTemplateResults(freshness, manifest) : nodeTemplateResults(results, manifest);
  // on-run-end's context (dbt's RunTask.after_run); on-run-start's has none of it.
  const extra = which === 'on-run-end' ? { ...builtSchemas(manifest, results, inv.options.storeFailures === true), results: templateResults } : {};
  const { logger } = inv;
  const c = logger.colors;
  const line = (position: number, text: string, status: string, event: 'LogHookStartLine' | 'LogHookEndLine' = 'LogHookEndLine') =>
    logger.info(dots(`${position + 1} of ${all.length} ${text}`, status, logger.printerWidth), event);
  const out: NodeResult[] = [];
  let failed = false;
  await adapter.withConnection(async (conn) => {
    for (const [position, operation] of all.entries()) {
      // dbt's RunTask.safe_run_hooks sets the hook node's index to its 1-based place among all of
      // this run's hooks of the type (the parse's, its place in its own list, stays in its name),
      // before the hook compiles: `model.index`, on-run-end's `results` and the manifest.json written
      // at the end show it; the hook is named by that place.
      const own = operation.index ?? position;
      operation.index = position + 1;
      const name = `${operation.package_name}.${which}.${position}`;
      const id = operation.unique_id;
      if (failed) {
        out.push(hookResult(id, 'skipped', `${name} skipped`, [], 0));
        line(position, `${c.yellow('SKIP')} hook: ${name}`, `[${c.yellow('SKIP')}]`);
        continue;
      }
      const compileStart = new Date();
      let sql: string;
      try {
        // Compiled as dbt's get_hook_sql compiles the hook node: `model` is the node (raw_code the
        // hook's SQL, its tags, config, depends_on), the ephemeral models it refs as CTEs in front.
        sql = await compiler.withWarehouse(conn, id, () => compiler.compileHook(operation, extra));
      } catch (err) {
        const file = hookFile(project, operation.package_name);
        const error = asTsdbtError(err).inNode({ resourceType: 'hook', name: `${operation.package_name}.${which}.${own}`, file });
        error.location ??= { file };
        throw error;
      }
      // dbt's get_hook_sql: the compiled code goes to target/compiled (Compiler._write_node), and
      // runs as get_hook_dict reads it: JSON text `{"sql": ...}` runs its `sql`.
      if (writesCompiledFile(operation, sql)) writeFileIfChanged(compiledPath(project.targetDir, 'compiled', operation), sql);
      sql = hookFromText(sql)?.sql ?? sql;
      const executeStart = new Date();
      line(position, `START hook: ${name}`, '[RUN]', 'LogHookStartLine');
      let status: 'success' | 'error' = 'success';
      let message = `${name} passed`;
      if (sql.trim()) {
        try {
          await conn.execute(sql, { nodeId: id });
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
