// `tsdbt deps`: installs packages.yml / dependencies.yml into packages-install-path, and says
// which packages need the network it does not have, with how to vendor them.
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { installPackages, unfetchedHelp } from '../packages/install-packages.js';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { loadProjectConfig, parseCliVars } from '../config/index.js';
import type { ProjectConfig } from '../config/types.js';
import type { Invocation } from './invocation.js';
import { loadConfigAndProfile } from './project-loader.js';

/**
 * dbt_project.yml as deps reads it: rendered with the profile's `target` as every command does;
 * deps needs no warehouse, so a project without a usable profile renders with an empty `target`.
 */
function depsProjectConfig(inv: Invocation, cliVars: Record<string, unknown>): ProjectConfig {
  try {
    return loadConfigAndProfile(inv).config;
  } catch (err) {
    // No usable profile (or a project error, which the render below reports again).
    if (!(err instanceof TsdbtError)) throw err;
    return loadProjectConfig(inv.projectDir, (template, location) => renderYamlValue(template, { env: inv.env, vars: cliVars, location, target: {} }));
  }
}

export async function depsCommand(inv: Invocation): Promise<number> {
  const cliVars = inv.options.vars ? parseCliVars(inv.options.vars) : {};
  const config = depsProjectConfig(inv, cliVars);
  const report = installPackages({
    projectDir: inv.projectDir,
    installPath: config.packagesInstallPath,
    render: (template, location) => renderYamlValue(template, { env: inv.env, vars: cliVars, location }),
    log: (line) => inv.logger.info(line),
  });
  if (report.installed.length === 0 && report.unfetched.length === 0) inv.logger.info('Nothing to install: no packages.yml or dependencies.yml lists packages');
  else inv.logger.info(`Installed ${report.installed.length} package(s) in ${config.packagesInstallPath}/`);
  if (report.unfetched.length > 0) throw new TsdbtErrorList(unfetchedHelp(report.unfetched, config.packagesInstallPath));
  return EXIT_OK;
}
