// `tsdbt deps`: installs a project's packages into `packages-install-path` (dbt_packages/).
// Local packages are linked (as dbt does), their own packages.yml followed; git packages are
// cloned with the system's git; hub and tarball packages need hub.getdbt.com, so they are reported
// with how to vendor them, unless a copy is already in the install folder.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, renameSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { isPlainObject, readYamlFile } from '../config/yaml-file.js';
import { describeSpec, readPackageSpecs, type PackageSpec, type ValueRenderer } from './package-specs.js';

export interface InstalledPackage {
  name: string;
  spec: string;
  /** How it got there: linked (local), cloned (git), kept (already vendored). */
  how: 'linked' | 'copied' | 'cloned' | 'kept';
  dir: string;
}

export interface UnfetchedPackage {
  spec: PackageSpec;
  reason: string;
}

export interface InstallReport {
  installed: InstalledPackage[];
  unfetched: UnfetchedPackage[];
}

export interface InstallOptions {
  projectDir: string;
  installPath: string;
  render?: ValueRenderer;
  log?: (line: string) => void;
  /** Seconds a `git clone` may take. */
  gitTimeoutSeconds?: number;
}

/** The `name:` in a package folder's dbt_project.yml. */
export function packageName(dir: string, display: string): string {
  const file = path.join(dir, 'dbt_project.yml');
  if (!existsSync(file)) {
    throw new TsdbtError(`${display} is not a dbt package: it has no dbt_project.yml`, { code: 'package-invalid', hint: 'point the package entry at the folder that holds its dbt_project.yml' });
  }
  const yaml = readYamlFile(file, path.join(display, 'dbt_project.yml'));
  const name = isPlainObject(yaml.value) ? yaml.value.name : undefined;
  if (typeof name !== 'string' || !/^[A-Za-z_]\w*$/.test(name)) {
    throw new TsdbtError('a package needs a `name:` that is an identifier', { code: 'package-invalid', location: yaml.locate(['name']), hint: 'e.g. name: my_package' });
  }
  return name;
}

/** Replaces whatever is at `dest` (a link is unlinked, never followed). */
function clear(dest: string): void {
  let stat;
  try {
    stat = lstatSync(dest);
  } catch {
    return;
  }
  if (stat.isSymbolicLink()) unlinkSync(dest);
  else rmSync(dest, { recursive: true, force: true });
}

export function installPackages(options: InstallOptions): InstallReport {
  const { projectDir, render } = options;
  const log = options.log ?? (() => undefined);
  const installDir = path.resolve(projectDir, options.installPath);
  const report: InstallReport = { installed: [], unfetched: [] };
  const done = new Set<string>();

  const visit = (fromDir: string, display: string) => {
    for (const spec of readPackageSpecs(fromDir, render, display)) {
      mkdirSync(installDir, { recursive: true });
      log(`Installing ${describeSpec(spec)}`);
      const installed = installOne(spec, fromDir, installDir, options, report);
      if (!installed || done.has(installed.name)) continue;
      done.add(installed.name);
      report.installed.push(installed);
      log(`  Installed ${installed.name} (${installed.how === 'linked' ? `linked to ${installed.dir}` : installed.how})`);
      // A package's own dependencies are installed beside it.
      visit(realpathSync(path.join(installDir, installed.name)), path.join(options.installPath, installed.name));
    }
  };
  visit(projectDir, '');
  return report;
}

function installOne(spec: PackageSpec, fromDir: string, installDir: string, options: InstallOptions, report: InstallReport): InstalledPackage | null {
  const location = spec.location;
  if (spec.kind === 'local') {
    const source = path.resolve(fromDir, spec.path);
    if (!existsSync(source)) {
      throw new TsdbtError(`local package '${spec.path}' does not exist (looked in ${source})`, { code: 'package-missing', location, hint: 'local paths are relative to the folder holding packages.yml' });
    }
    const real = realpathSync(source);
    const name = packageName(real, spec.path);
    const dest = path.join(installDir, name);
    if (existsSync(dest) && realpathSync(dest) === real) return { name, spec: describeSpec(spec), how: 'linked', dir: real };
    clear(dest);
    try {
      symlinkSync(real, dest, 'dir');
      return { name, spec: describeSpec(spec), how: 'linked', dir: real };
    } catch {
      cpSync(real, dest, { recursive: true, filter: (src) => !src.startsWith(installDir) });
      return { name, spec: describeSpec(spec), how: 'copied', dir: dest };
    }
  }
  if (spec.kind === 'git') return cloneGit(spec, installDir, options, report);
  // hub.getdbt.com and tarballs: a vendored copy already in the install folder is kept.
  const guess = spec.kind === 'hub' ? (spec.name.split('/').pop() ?? spec.name) : spec.name;
  if (guess && existsSync(path.join(installDir, guess, 'dbt_project.yml'))) {
    return { name: packageName(path.join(installDir, guess), path.join(options.installPath, guess)), spec: describeSpec(spec), how: 'kept', dir: path.join(installDir, guess) };
  }
  report.unfetched.push({
    spec,
    reason: spec.kind === 'hub' ? 'packages from hub.getdbt.com are not downloaded by tsdbt' : 'tarball packages are not downloaded by tsdbt',
  });
  return null;
}

/** How long a `git clone` may take by default. */
const GIT_TIMEOUT_SECONDS = 60;

/** The host (and port) a git URL points at, for messages: `https://h:1/x`, `ssh://u@h/x`, `u@h:x`. */
export function gitHost(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.host) return parsed.host;
  } catch {
    // scp-like syntax below
  }
  return /^(?:[^@/]+@)?([^:/]+):/.exec(url)?.[1] ?? url;
}

function cloneGit(spec: Extract<PackageSpec, { kind: 'git' }>, installDir: string, options: InstallOptions, report: InstallReport): InstalledPackage | null {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-deps-'));
  try {
    const args = ['clone', '--quiet', '--depth', '1', ...(spec.revision ? ['--branch', spec.revision] : []), spec.url, path.join(scratch, 'repo')];
    const seconds = options.gitTimeoutSeconds ?? GIT_TIMEOUT_SECONDS;
    const run = spawnSync('git', args, { encoding: 'utf8', timeout: seconds * 1000, env: { ...process.env, GIT_TERMINAL_PROMPT: '0' } });
    if (run.status !== 0) {
      const timedOut = (run.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
      const why = timedOut
        ? `it did not finish within ${seconds} s (${gitHost(spec.url)} did not answer, or too slowly)`
        : run.error
          ? run.error.message
          : (run.stderr || '').trim().split('\n').pop() || `git exited with ${run.status}`;
      report.unfetched.push({ spec, reason: `git clone failed: ${why}` });
      return null;
    }
    const root = path.join(scratch, 'repo', spec.subdirectory ?? '');
    const name = packageName(root, spec.url);
    const dest = path.join(installDir, name);
    clear(dest);
    rmSync(path.join(root, '.git'), { recursive: true, force: true });
    try {
      renameSync(root, dest);
    } catch {
      cpSync(root, dest, { recursive: true });
    }
    return { name, spec: describeSpec(spec), how: 'cloned', dir: dest };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** What to tell the user about packages that could not be fetched. */
export function unfetchedHelp(unfetched: UnfetchedPackage[], installPath: string): TsdbtError[] {
  return unfetched.map(({ spec, reason }) => {
    const name = spec.kind === 'hub' ? (spec.name.split('/').pop() ?? spec.name) : spec.kind === 'tarball' ? (spec.name ?? '<name>') : '<name>';
    const source = spec.kind === 'hub' ? `https://hub.getdbt.com/${spec.name}/latest/ (its GitHub repository${spec.version ? `, tag ${spec.version}` : ''})` : spec.kind === 'git' ? spec.url : spec.kind === 'tarball' ? spec.url : spec.path;
    return new TsdbtError(`could not install ${describeSpec(spec)}: ${reason}`, {
      code: 'package-unfetched',
      location: spec.location,
      hint: `vendor it: download ${source} where the network allows, then either list its folder as \`- local: <folder>\` in packages.yml, or copy it to ${path.join(installPath, name)}/ (tsdbt deps keeps a copy it finds there)`,
    });
  });
}
