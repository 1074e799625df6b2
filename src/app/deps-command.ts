// `tsdbt deps`: resolves packages.yml / dependencies.yml (hub, git, tarball, local packages),
// keeps package-lock.yml, and installs into packages-install-path (src/packages/deps.ts).
import { EXIT_OK } from '../errors/exit-codes.js';
import { DBT_VERSION } from '../artifacts/metadata.js';
import { runDeps, type DepsReport } from '../packages/deps.js';
import { addPackage, parseAddPackage, type PackageSource } from '../packages/add-package.js';
import type { Invocation } from './invocation.js';
import { loadConfigWithoutProfile } from './config-and-profile.js';
import { packagesRenderer } from './packages-render.js';
import { truthyEnv } from './warn-error.js';

export interface DepsFlags {
  /** `--upgrade`: resolve again even when package-lock.yml matches packages.yml. */
  upgrade?: boolean;
  /** `--lock`: write package-lock.yml without installing. */
  lock?: boolean;
  /** `--add-package org/name@version`. */
  addPackage?: string;
  /** `--source hub|git|local` for --add-package (default hub). */
  source?: PackageSource;
  /** Seconds a git command may take. */
  gitTimeoutSeconds?: number;
}

export async function depsCommand(inv: Invocation, flags: DepsFlags = {}): Promise<number> {
  await runDepsCommand(inv, flags);
  return EXIT_OK;
}

/** `tsdbt deps`, returning what it did (tests read the request counts). */
export async function runDepsCommand(inv: Invocation, flags: DepsFlags = {}): Promise<DepsReport> {
  // dbt's deps runs without a profile (UnsetProfile): dbt_project.yml renders with an empty `target`.
  const { config, cliVars } = loadConfigWithoutProfile(inv);
  if (flags.addPackage) {
    const source = flags.source ?? 'hub';
    const added = parseAddPackage(flags.addPackage, source);
    const { file, removed } = addPackage(inv.projectDir, added, source);
    for (const r of removed) inv.logger.info(`Found duplicate package in ${file}, removing: ${r}`, 'DepsFoundDuplicatePackage');
    inv.logger.info(`Added new package ${added.name}@${added.version ?? 'None'} to ${file}`, 'DepsAddPackage');
  }
  // dbt's registry lists every hub version when VERSION_CHECK is off (`--no-version-check`, which
  // the CLI also reads from DBT_VERSION_CHECK), else only those whose require_dbt_version admits dbt.
  const versionCheck = !inv.options.noVersionCheck && (truthyEnv(inv.env.TSDBT_VERSION_CHECK ?? inv.env.DBT_VERSION_CHECK) ?? true);
  return runDeps({
    projectDir: inv.projectDir,
    projectName: config.name,
    installPath: config.packagesInstallPath,
    render: packagesRenderer(inv, cliVars),
    env: inv.env,
    dbtVersion: versionCheck ? DBT_VERSION : null,
    upgrade: flags.upgrade,
    lockOnly: flags.lock,
    gitTimeoutSeconds: flags.gitTimeoutSeconds,
    log: (line) => inv.logger.info(line, 'DepsInfo'),
    warn: (message, event) => inv.logger.warnOrError(message, event),
    debug: (line) => inv.logger.debug(line),
  });
}
