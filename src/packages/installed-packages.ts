// The packages a project uses at parse time: every folder in `packages-install-path` with a
// dbt_project.yml, loaded as its own project (its paths, config trees, vars), and a check that
// `tsdbt deps` has installed everything packages.yml lists.
import { existsSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { loadProjectConfig, type ProjectValueRenderer } from '../config/project-config.js';
import type { ProjectConfig } from '../config/types.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { readPackageSpecs } from './package-specs.js';

export interface InstalledProject {
  config: ProjectConfig;
  /** How its folder is named in messages: `dbt_packages/dbt_utils`. */
  display: string;
}

export function loadInstalledPackages(root: ProjectConfig, render?: ProjectValueRenderer): InstalledProject[] {
  const installDir = path.resolve(root.projectDir, root.packagesInstallPath);
  const found: InstalledProject[] = [];
  if (existsSync(installDir)) {
    for (const entry of readdirSync(installDir).sort()) {
      const dir = path.join(installDir, entry);
      let real: string;
      try {
        real = realpathSync(dir);
        if (!statSync(real).isDirectory() || !existsSync(path.join(real, 'dbt_project.yml'))) continue;
      } catch {
        continue; // a dangling link: `tsdbt deps` re-creates it
      }
      const config = loadProjectConfig(real, render, { display: path.join(root.packagesInstallPath, entry, 'dbt_project.yml'), isPackage: true });
      if (config.name === root.name) continue;
      found.push({ config, display: path.join(root.packagesInstallPath, entry) });
    }
  }
  const specs = readPackageSpecs(root.projectDir);
  if (specs.length > found.length) {
    throw new TsdbtError(`packages.yml lists ${specs.length} package(s) but only ${found.length} are installed in ${root.packagesInstallPath}/`, {
      code: 'packages-not-installed',
      location: specs[found.length]?.location,
      hint: 'run `tsdbt deps` to install them',
    });
  }
  return found;
}
