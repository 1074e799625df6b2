// The vars a node sees, by package (dbt's rule): the package's own dbt_project.yml vars, then the
// root project's global vars (a key named after a package among them, as a dict), then the root
// project's `vars: {<package>: {...}}` scope, then --vars.
import { resolveVars } from '../config/vars.js';
import type { ProjectConfig } from '../config/types.js';

export function packageVars(
  root: ProjectConfig,
  pkg: ProjectConfig | null,
  packageName: string,
  cliVars: Record<string, unknown>,
): Record<string, unknown> {
  const fromRoot = resolveVars(root, packageName, cliVars);
  if (!pkg) return fromRoot;
  return { ...resolveVars(pkg, packageName, {}), ...fromRoot };
}
