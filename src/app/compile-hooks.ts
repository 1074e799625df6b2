// The project's on-run-start / on-run-end hooks as compile sees them. dbt parses each hook as an
// `operation` node (HookParser) and its compile selects from every manifest node of
// EXECUTABLE_NODE_TYPES, operations among them: a hook is compiled with the rest (execute true,
// the full `graph`), so a macro a hook calls runs, logs and may raise, though compile runs no hook's
// SQL (dbt-core issues #3530, #4785). Its compiled SQL lands in
// target/compiled/<project>/dbt_project.yml/hooks/<project>-on-run-start-<n>.sql.
import type { ManifestNode } from '../manifest/types.js';
import { hookOperationNode } from '../graph/project-hooks-parse.js';
import { hookProjects } from './project-hooks.js';
import type { LoadedProject } from './project-loader.js';

/** One node per hook of the project and its packages, in dbt's hook order, built into the target's schema. */
export function projectHookNodes(project: LoadedProject): ManifestNode[] {
  const nodes: ManifestNode[] = [];
  for (const owner of hookProjects(project)) {
    for (const [which, hooks] of [['on-run-start', owner.onRunStart], ['on-run-end', owner.onRunEnd]] as const) {
      hooks.forEach((sql, index) => {
        const node = hookOperationNode(owner.name, which, index, sql);
        node.schema = project.target.schema;
        node.database = project.target.database ?? null;
        nodes.push(node);
      });
    }
  }
  return nodes;
}
