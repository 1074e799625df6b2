// dbt_project.yml's `config-version`: dbt 1.x reads version 2 only, and says so when it parses a
// node of a project (dbt-core parser/base.py initial_config: the lower of the node's project's
// version and the root project's must be 2, else "Got an unexpected project version=1, expected 2").
// A project with no nodes (macros only) is never asked, so it loads whatever its version.
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ProjectConfig } from '../config/types.js';
import type { ManifestNode } from '../manifest/types.js';

/** The kinds of node dbt builds its config through `initial_config` for. */
const CONFIGURED = new Set(['model', 'seed', 'snapshot', 'test', 'analysis']);

/** The error for the first project (root first) with a node whose config version is not 2, or null. */
export function configVersionError(root: ProjectConfig, packages: readonly ProjectConfig[], nodes: Iterable<ManifestNode>): TsdbtError | null {
  const versions = new Map([root, ...packages].map((p) => [p.name, Math.min(p.configVersion, root.configVersion)]));
  if ([...versions.values()].every((v) => v === 2)) return null;
  for (const node of nodes) {
    const version = versions.get(node.package_name);
    if (version === undefined || version === 2 || !CONFIGURED.has(node.resource_type)) continue;
    const culprit = root.configVersion === version ? root : (packages.find((p) => p.name === node.package_name) ?? root);
    return new TsdbtError(`Got an unexpected project version=${version}, expected 2`, {
      code: 'project-config-version',
      location: { file: `${culprit.projectDir}/dbt_project.yml` },
      hint: `set config-version: 2 in ${culprit.name}'s dbt_project.yml (or leave it out): dbt 1.x reads only version 2 (${node.unique_id} is parsed with it)`,
    });
  }
  return null;
}
