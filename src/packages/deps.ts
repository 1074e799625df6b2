// `tsdbt deps` as dbt 1.8+ runs it (dbt-core task/deps.py): when package-lock.yml is missing, was
// written for other packages.yml entries (its sha1_hash), or `--upgrade` is given, the packages
// are resolved again and the lock rewritten; otherwise the lock is installed as it is, with no
// request to the hub for resolving (and none at all when the packages are installed or in the
// download cache). `--lock` stops after writing the lock.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { packageCacheDir, TarballCache } from './download-cache.js';
import { preparePackage, removeScratch, type FetchContext, type PreparedPackage } from './fetch-package.js';
import { networkSettings } from './http-client.js';
import { HubClient, hubUrl } from './hub-client.js';
import { installPinned, lockEntry, type InstallResult } from './install-packages.js';
import { LOCK_FILE, packagesHash, readLockFile, writeLockFile, type LockEntry } from './package-lock.js';
import { packageSpecFile, readPackageSpecs, specFromEntry, type PackageSpec, type ValueRenderer } from './package-specs.js';
import { resolvePackages, type PinnedPackage } from './resolver.js';

export interface DepsOptions {
  projectDir: string;
  projectName: string;
  installPath: string;
  render: ValueRenderer;
  env: NodeJS.ProcessEnv;
  /** dbt's version for `require_dbt_version` (null: no version check). */
  dbtVersion: string | null;
  upgrade?: boolean;
  /** `--lock`: write package-lock.yml, install nothing. */
  lockOnly?: boolean;
  gitTimeoutSeconds?: number;
  log: (line: string) => void;
  warn: (message: string, event: string) => void;
  debug: (line: string) => void;
}

export interface DepsReport {
  pinned: PinnedPackage[];
  /** Whether the packages were resolved (and the lock written) by this run. */
  resolved: boolean;
  install: InstallResult | null;
  hubRequests: number;
  downloads: number;
}

/**
 * A lock entry without the values of DBT_ENV_SECRET_* variables written literally into packages.yml
 * (dbt's DepsScrubbedPackageName: the lock gets `*****` and a warning; templates are kept as they are).
 */
function scrubEntry(entry: LockEntry, env: NodeJS.ProcessEnv, warn: DepsOptions['warn']): LockEntry {
  const secrets = Object.entries(env)
    .filter(([k, v]) => k.startsWith('DBT_ENV_SECRET_') && v)
    .map(([, v]) => v!);
  const out: LockEntry = {};
  for (const [key, value] of Object.entries(entry)) {
    const scrubbed = secrets.reduce((text, secret) => text.split(secret).join('*****'), value);
    if (scrubbed !== value) {
      warn(`Detected secret env var in ${scrubbed}. tsdbt will write a scrubbed representation to the lock file. This will cause issues with subsequent 'tsdbt deps' using the lock file, requiring 'tsdbt deps --upgrade'`, 'DepsScrubbedPackageName');
    }
    out[key] = scrubbed;
  }
  return out;
}

function shortName(pkg: string): string {
  return pkg.split('/').pop() ?? pkg;
}

/** A non-hub spec as the package it pins (its name and git commit are known once fetched). */
function pinSpec(spec: Exclude<PackageSpec, { kind: 'hub' }>, fromDir: string, projectDir: string): PinnedPackage {
  switch (spec.kind) {
    case 'local': {
      const absPath = path.resolve(fromDir, spec.path);
      return { kind: 'local', path: fromDir === projectDir ? spec.path : path.relative(projectDir, absPath) || '.', absPath, name: '' };
    }
    case 'git':
      return { kind: 'git', url: spec.url, urlTemplate: spec.urlTemplate, revision: spec.revision ?? 'HEAD', subdirectory: spec.subdirectory, name: '' };
    case 'tarball':
      return { kind: 'tarball', url: spec.url, urlTemplate: spec.urlTemplate, name: spec.name ?? '' };
  }
}

/** A package-lock.yml entry as the package it pins. */
function pinLocked(entry: unknown, line: number, options: DepsOptions): PinnedPackage {
  const spec = specFromEntry(entry, { file: LOCK_FILE, line }, options.render);
  const name = typeof spec.rendered.name === 'string' ? spec.rendered.name : '';
  if (spec.kind === 'hub') return { kind: 'hub', package: spec.name, version: spec.versions[0]!, latest: null, name: name || shortName(spec.name), tarball: null, sha1: null };
  const pinned = pinSpec(spec, options.projectDir, options.projectDir);
  if (name) pinned.name = name;
  return pinned;
}

export async function runDeps(options: DepsOptions): Promise<DepsReport> {
  const { projectDir, render, env } = options;
  const specFile = packageSpecFile(projectDir) ?? 'packages.yml';
  const specs = readPackageSpecs(projectDir, render);
  const settings = networkSettings(env);
  const hub = new HubClient(hubUrl(env), settings, options.debug);
  const cache = new TarballCache(packageCacheDir(env), settings, options.log);
  const report = (pinned: PinnedPackage[], resolved: boolean, install: InstallResult | null): DepsReport => ({ pinned, resolved, install, hubRequests: hub.requests, downloads: cache.downloads });
  if (specs.length === 0) {
    options.log(`Warning: No packages were found in ${specFile}`);
    return report([], false, null);
  }
  const installDir = path.resolve(projectDir, options.installPath);
  // Packages are fetched beside the install folder, so each moves in with a rename; `--lock` installs
  // nothing and leaves no install folder (dbt fetches what it reads into a temporary folder).
  const scratchParent = options.lockOnly ? mkdtempSync(path.join(os.tmpdir(), 'tsdbt-deps-lock-')) : installDir;
  mkdirSync(scratchParent, { recursive: true });
  try {
    return await resolveAndInstall(options, { specs, specFile, hub, report, installDir, fetchCtx: { scratchParent, hub, cache, env, gitTimeoutSeconds: options.gitTimeoutSeconds, debug: options.debug } });
  } finally {
    if (options.lockOnly) rmSync(scratchParent, { recursive: true, force: true });
  }
}

interface DepsRun {
  specs: PackageSpec[];
  specFile: string;
  hub: HubClient;
  report: (pinned: PinnedPackage[], resolved: boolean, install: InstallResult | null) => DepsReport;
  installDir: string;
  fetchCtx: FetchContext;
}

async function resolveAndInstall(options: DepsOptions, { specs, specFile, hub, report, installDir, fetchCtx }: DepsRun): Promise<DepsReport> {
  const { projectDir, render, env } = options;
  const lockPath = path.join(projectDir, LOCK_FILE);
  const lock = readLockFile(lockPath);
  const hash = packagesHash(specs);
  const ready: PreparedPackage[] = [];
  let pinned: PinnedPackage[];
  const resolve = !lock || options.upgrade === true || lock.sha1Hash !== hash;
  if (resolve) {
    try {
      pinned = await resolvePackages(specs, {
        projectDir,
        projectName: options.projectName,
        specFile,
        hub,
        dbtVersion: options.dbtVersion,
        render,
        warn: options.warn,
        fetch: async (spec, fromDir) => {
          const pin = pinSpec(spec, fromDir, projectDir);
          const prepared = await preparePackage(pin, fetchCtx);
          ready.push(prepared);
          const requested = spec.kind === 'git' ? (spec.revision ?? 'HEAD') : null;
          if (spec.kind === 'git' && spec.warnUnpinned && (requested === 'HEAD' || requested === 'main' || requested === 'master')) {
            const how = requested === 'HEAD' ? 'not pinned, using HEAD (default branch)' : `pinned to the "${requested}" branch`;
            options.warn(`The git package "${spec.urlTemplate}" \n\tis ${how}.\n\tThis can introduce breaking changes into your project without warning!\n\nSee https://docs.getdbt.com/docs/package-management#section-specifying-package-versions`, 'DepsUnpinned');
          }
          return { dir: prepared.dir, name: pin.name, pinned: pin };
        },
        dependenciesOf: (fetched) => readPackageSpecs(fetched.dir, render, path.join(options.installPath, fetched.name)),
      });
    } catch (err) {
      ready.forEach(removeScratch);
      throw err;
    }
    writeLockFile(lockPath, pinned.map((p) => scrubEntry(lockEntry(p), env, options.warn)), hash);
    options.log(`Updating lock file in file path: ${lockPath}`);
  } else {
    options.debug(`${LOCK_FILE} was written for these packages (sha1_hash ${hash}): installing the versions it locks`);
    pinned = lock.packages.map((entry, i) => pinLocked(entry, i + 1, options));
  }
  if (options.lockOnly) {
    ready.forEach(removeScratch);
    return report(pinned, resolve, null);
  }
  const install = await installPinned(pinned, { ...fetchCtx, installDir, log: options.log }, ready);
  return report(pinned, resolve, install);
}
