// dbt parses a project's on-run-start / on-run-end hooks as nodes (HookParser: one `operation`
// node per hook, `<project>-on-run-start-<index>`), rendering each at parse like any SQL node, so a
// log() or print() in a hook prints while parsing (execute false) as well as when it runs. Their
// refs are not the run's dependencies (dbt runs hooks around the DAG), so only the render is kept;
// a render error is left to the hook's run, which reports it (dbt would stop the parse).
import type { ParsePhase } from '../compile/parse-phase.js';
import type { ProjectConfig } from '../config/types.js';
import type { ManifestNode } from '../manifest/types.js';
import { defaultConfig, nodeSkeleton } from './node-factory.js';

/**
 * The `operation` node dbt's HookParser makes of a project's hook: `operation.<project>.<project>-on-run-start-<index>`,
 * fqn `[<project>, hooks, <name>]`, its SQL the hook's text.
 */
export function hookOperationNode(packageName: string, which: 'on-run-start' | 'on-run-end', index: number, sql: string): ManifestNode {
  return nodeSkeleton({
    resourceType: 'operation',
    packageName,
    name: `${packageName}-${which}-${index}`,
    originalFilePath: 'dbt_project.yml',
    pathInResourceDir: `hooks/${packageName}-${which}-${index}.sql`,
    rawCode: sql,
    config: { ...defaultConfig('operation'), materialized: 'hook' },
  });
}

/** Renders each of the project's (or package's) on-run-start and on-run-end hooks as dbt's parse does. */
export function renderProjectHooksAtParse(session: ParsePhase, project: Pick<ProjectConfig, 'name' | 'onRunStart' | 'onRunEnd'>): void {
  for (const [which, hooks] of [['on-run-start', project.onRunStart], ['on-run-end', project.onRunEnd]] as const) {
    hooks.forEach((sql, index) => {
      if (!sql.includes('{')) return;
      const node = hookOperationNode(project.name, which, index, sql);
      try {
        session.parseCalls(node, sql, 'dbt_project.yml');
      } catch {
        // A hook that does not render is reported where it runs (runProjectHooks), as before.
      }
    });
  }
}
