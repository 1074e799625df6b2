// Places resolved packages in `packages-install-path` (dbt_packages/) with dbt's log lines:
// local packages are linked (copied where links are not allowed), the others moved in from their
// scratch folders. Everything is fetched first, so a failed download or checkout leaves the
// install folder as it was. A package already installed at the locked version is kept without a
// download (a `.tsdbt-package.json` inside each downloaded package's folder records what it holds,
// so the install folder lists the packages alone, as dbt's does); folders of packages the lock no
// longer lists are removed, as dbt's `deps` empties the folder.
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { preparePackage, removeScratch, type FetchContext, type PreparedPackage } from './fetch-package.js';
import type { LockEntry } from './package-lock.js';
import type { PinnedPackage } from './resolver.js';

/** Inside a downloaded package's folder: what it holds (a local package's folder is the user's own: none). */
const PACKAGE_MARKER = '.tsdbt-package.json';
/** Where tsdbt 0.1 kept every folder's identity, in the install folder itself: read once, then removed. */
const LEGACY_MARKER = '.tsdbt-installed.json';

/** package-lock.yml's entry for a pinned package. */
export function lockEntry(p: PinnedPackage): LockEntry {
  switch (p.kind) {
    case 'hub':
      return { name: p.name, package: p.package, version: p.version };
    case 'git':
      return { git: p.urlTemplate, name: p.name, revision: p.revision, ...(p.subdirectory ? { subdirectory: p.subdirectory } : {}) };
    case 'local':
      return { local: p.path, name: p.name };
    case 'tarball':
      return { name: p.name, tarball: p.urlTemplate };
  }
}

/** What a folder must hold to count as this package, without its name (known only once fetched). */
function identity(p: PinnedPackage): string {
  const { name: _name, ...rest } = lockEntry(p);
  return JSON.stringify(rest);
}

/** How dbt names the package in `Installing ...`. */
export function installLabel(p: PinnedPackage): string {
  return p.kind === 'hub' ? p.package : p.kind === 'git' ? p.urlTemplate : p.kind === 'local' ? p.path : p.name;
}

function niceVersion(p: PinnedPackage): string {
  switch (p.kind) {
    case 'hub':
      return `version ${p.version}`;
    case 'git':
      return p.revision === 'HEAD' ? 'HEAD (default revision)' : `revision ${p.revision}`;
    case 'local':
      return `<local @ ${p.path}>`;
    case 'tarball':
      return `tarball (url: ${p.urlTemplate})`;
  }
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

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch {
    return null;
  }
}

/** Installed packages by what they hold (identity -> folder name): each folder's marker, else the legacy list's entry. */
function installedPackages(installDir: string): Map<string, string> {
  const legacy = readJson(path.join(installDir, LEGACY_MARKER));
  const listed = typeof legacy === 'object' && legacy !== null ? (legacy as Record<string, unknown>) : {};
  const installed = new Map<string, string>();
  for (const name of readdirSync(installDir)) {
    if (name.startsWith('.') || !existsSync(path.join(installDir, name, 'dbt_project.yml'))) continue;
    const marker = readJson(path.join(installDir, name, PACKAGE_MARKER)) as { identity?: unknown } | null;
    const identity = typeof marker?.identity === 'string' ? marker.identity : listed[name];
    if (typeof identity === 'string') installed.set(identity, name);
  }
  return installed;
}

export interface InstallContext extends FetchContext {
  installDir: string;
  log: (line: string) => void;
}

export interface InstallResult {
  /** Hub packages with a newer version than the one installed. */
  outdated: string[];
  /** Packages taken as they were in the install folder (no download). */
  kept: string[];
}

/** `ready`: packages already fetched while resolving (git checkouts, tarballs), not fetched again. */
export async function installPinned(pinned: PinnedPackage[], ctx: InstallContext, ready: PreparedPackage[] = []): Promise<InstallResult> {
  const { installDir } = ctx;
  mkdirSync(installDir, { recursive: true });
  const installed = installedPackages(installDir);
  const kept = new Map<PinnedPackage, string>();
  for (const p of pinned) {
    const name = p.kind !== 'local' ? installed.get(identity(p)) : undefined;
    if (name !== undefined) kept.set(p, name);
  }
  // Fetch everything first: a failure here changes nothing in the install folder.
  const prepared: PreparedPackage[] = [];
  try {
    for (const p of pinned) {
      const early = ready.find((r) => r.pinned === p);
      if (kept.has(p)) {
        p.name = kept.get(p)!;
        if (early) removeScratch(early);
        continue;
      }
      prepared.push(early ?? (await preparePackage(p, ctx)));
    }
  } catch (err) {
    prepared.forEach(removeScratch);
    ready.forEach(removeScratch);
    throw err;
  }
  const wanted = new Set(pinned.map((p) => p.name));
  for (const entry of readdirSync(installDir)) {
    if (!entry.startsWith('.') && !wanted.has(entry)) clear(path.join(installDir, entry));
  }
  const outdated: string[] = [];
  for (const p of pinned) {
    ctx.log(`Installing ${installLabel(p)}`);
    const fetched = prepared.find((r) => r.pinned === p);
    const dest = path.join(installDir, p.name);
    if (fetched) {
      clear(dest);
      if (p.kind === 'local') {
        try {
          symlinkSync(fetched.dir, dest, 'dir');
        } catch {
          cpSync(fetched.dir, dest, { recursive: true, filter: (src) => !src.startsWith(installDir) });
        }
      } else {
        renameSync(fetched.dir, dest);
        removeScratch(fetched);
      }
    } else {
      ctx.debug(`${p.name} is already installed at ${niceVersion(p)}`);
    }
    if (p.kind !== 'local') writeFileSync(path.join(dest, PACKAGE_MARKER), `${JSON.stringify({ identity: identity(p) })}\n`);
    ctx.log(`  Installed from ${niceVersion(p)}`);
    if (p.kind === 'hub' && p.latest) {
      if (p.latest !== p.version) {
        outdated.push(p.package);
        ctx.log(`  Updated version available: ${p.latest}`);
      } else ctx.log('  Up to date!');
    }
    if (p.kind === 'git' && p.subdirectory) ctx.log(`  and subdirectory ${p.subdirectory}`);
  }
  rmSync(path.join(installDir, LEGACY_MARKER), { force: true });
  if (outdated.length > 0) {
    ctx.log('');
    ctx.log(`Updates available for packages: [${outdated.map((o) => `'${o}'`).join(', ')}]\nUpdate your versions in packages.yml, then run tsdbt deps`);
  }
  return { outdated, kept: [...kept.values()] };
}
