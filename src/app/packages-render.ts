// dbt renders packages.yml / dependencies.yml on every command that loads the project, not only
// `deps` (Project.from_project_root renders packages_dict with its PackageRenderer: env_var and
// --vars, a SecretContext), so a log() or print() in it prints on `run`, `parse`... too.
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { readPackageSpecs, type ValueRenderer } from '../packages/package-specs.js';
import { yamlJinjaOutput } from './header-renderer.js';
import type { Invocation } from './invocation.js';

/** packages.yml's renderer, as `deps` renders it (a secret env var's value kept as its placeholder). */
export function packagesRenderer(inv: Invocation, cliVars: Record<string, unknown>): ValueRenderer {
  return (template, location) => renderYamlValue(template, { env: inv.env, vars: cliVars, location, startedAt: inv.startedAt, invocationId: inv.invocationId, requireVars: false, secretPlaceholders: true, output: yamlJinjaOutput(inv) });
}

/**
 * Renders the root project's packages file as dbt does when it loads the project. What it
 * refuses is `deps`' to report (the packages it names are installed already or not at all).
 */
export function renderPackagesFile(inv: Invocation, cliVars: Record<string, unknown>): void {
  try {
    readPackageSpecs(inv.projectDir, packagesRenderer(inv, cliVars));
  } catch {
    // left to `deps`
  }
}
