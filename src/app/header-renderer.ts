// How the values read before the profile loads render (dbt_project.yml's header: name, profile,
// target-path; and profiles.yml): env_var and --vars, no `target`, as dbt's PartialProject renders.
// And where a YAML file's `log()` and `print()` write (yamlJinjaOutput): dbt's BaseContext, which
// the contexts of dbt_project.yml, profiles.yml, packages.yml, selectors.yml and property files
// extend, fires JinjaLogInfo / JinjaLogDebug / PrintEvent while the file renders.
import type { ProjectValueRenderer } from '../config/index.js';
import { renderYamlValue, type YamlRenderContext } from '../jinja/dbt/yaml-values.js';
import type { Invocation } from './invocation.js';
import type { Logger } from './logger.js';

/** The loggers whose invocation printed while rendering a file dbt renders on every command (printedWhileLoading). */
const loadPrinters = new WeakSet<Logger>();

/**
 * `log()` / `print()` of a YAML file's Jinja, on the invocation's console and log file. `everyCommand`:
 * the file is one dbt renders on every command (dbt_project.yml, profiles.yml), so a parse that
 * printed from it cannot be answered from the last parse's record (printedWhileLoading).
 */
export function yamlJinjaOutput(inv: Pick<Invocation, 'logger'>, everyCommand = true): NonNullable<YamlRenderContext['output']> {
  return (message, level) => {
    if (everyCommand) loadPrinters.add(inv.logger);
    inv.logger.jinjaLog(message, level);
  };
}

/** Whether loading the invocation's configuration printed something through log() or print(). */
export function printedWhileLoading(inv: Pick<Invocation, 'logger'>): boolean {
  return loadPrinters.has(inv.logger);
}

/** `printing`: log() and print() write (profiles.yml); the header's own read is silent (the whole file's render prints). */
export function headerRenderer(inv: Pick<Invocation, 'env' | 'startedAt' | 'invocationId' | 'logger'>, cliVars: Record<string, unknown>, printing = false): ProjectValueRenderer {
  const output = printing ? yamlJinjaOutput(inv) : undefined;
  return (template, location) => renderYamlValue(template, { env: inv.env, vars: cliVars, location, startedAt: inv.startedAt, invocationId: inv.invocationId, ...(output ? { output } : {}) });
}
