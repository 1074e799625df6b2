// `tsdbt deps`: installs packages.yml / dependencies.yml into packages-install-path, and says
// which packages need the network it does not have, with how to vendor them.
import { TsdbtErrorList } from '../errors/tsdbt-error.js';
import { EXIT_OK } from '../errors/exit-codes.js';
import { installPackages, unfetchedHelp } from '../packages/install-packages.js';
import { renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { loadProjectConfig, parseCliVars } from '../config/index.js';
import type { Invocation } from './invocation.js';

export async function depsCommand(inv: Invocation): Promise<number> {
  const cliVars = inv.options.vars ? parseCliVars(inv.options.vars) : {};
  const render = (template: string, location: Parameters<typeof renderYamlValue>[1]['location']) => renderYamlValue(template, { env: inv.env, vars: cliVars, location });
  const config = loadProjectConfig(inv.projectDir, render);
  const report = installPackages({
    projectDir: inv.projectDir,
    installPath: config.packagesInstallPath,
    render: (template, location) => render(template, location),
    log: (line) => inv.logger.info(line),
  });
  if (report.installed.length === 0 && report.unfetched.length === 0) inv.logger.info('Nothing to install: no packages.yml or dependencies.yml lists packages');
  else inv.logger.info(`Installed ${report.installed.length} package(s) in ${config.packagesInstallPath}/`);
  if (report.unfetched.length > 0) throw new TsdbtErrorList(unfetchedHelp(report.unfetched, config.packagesInstallPath));
  return EXIT_OK;
}
