// How the values read before the profile loads render (dbt_project.yml's header: name, profile,
// target-path; and profiles.yml): env_var and --vars, no `target`, as dbt's PartialProject renders.
import type { ProjectValueRenderer } from '../config/index.js';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import type { Invocation } from './invocation.js';

export function headerRenderer(inv: Pick<Invocation, 'env' | 'startedAt' | 'invocationId'>, cliVars: Record<string, unknown>): ProjectValueRenderer {
  return (template, location) => renderYamlValue(template, { env: inv.env, vars: cliVars, location, startedAt: inv.startedAt, invocationId: inv.invocationId });
}
