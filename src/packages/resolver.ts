// Resolves a project's package specs across the whole dependency tree into pinned packages, as
// dbt-core's resolver does: every requirement on a hub package, from packages.yml and from every
// package that requires it (the hub's per-version `packages`, or a git / local / tarball
// package's own packages.yml), is merged, and the highest version satisfying all of them is
// chosen. dbt picks each package once, breadth first, and keeps requirements of versions it later
// drops; here the picks are repeated until they settle, so only the chosen versions' requirements
// count. Conflicting ranges are one error naming both requirers.
import path from 'node:path';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { HubClient, HubPackage } from './hub-client.js';
import { specFromEntry, type PackageSpec, type ValueRenderer } from './package-specs.js';
import { chooseVersion, satisfies, type VersionChoice, type VersionRequirement } from './version-range.js';

export type PinnedPackage =
  | { kind: 'hub'; package: string; version: string; latest: string | null; name: string; tarball: string | null; sha1: string | null }
  | { kind: 'git'; url: string; urlTemplate: string; revision: string; subdirectory: string | null; name: string }
  | { kind: 'local'; path: string; absPath: string; name: string }
  | { kind: 'tarball'; url: string; urlTemplate: string; name: string };

/** What resolving needs of a git, local or tarball package: its folder (fetched once per run). */
export interface FetchedPackage {
  /** The package's folder (its dbt_project.yml). */
  dir: string;
  name: string;
  pinned: PinnedPackage;
}

export interface ResolveContext {
  projectDir: string;
  projectName: string;
  /** How the spec file is named as a requirer: `packages.yml`. */
  specFile: string;
  hub: HubClient;
  /** dbt's version check: hub versions whose `require_dbt_version` excludes it are skipped (null: no check). */
  dbtVersion: string | null;
  render: ValueRenderer;
  /** Fetches (checks out, downloads, finds) a non-hub package; called once per package. */
  fetch: (spec: Exclude<PackageSpec, { kind: 'hub' }>, fromDir: string) => Promise<FetchedPackage>;
  /** The specs a fetched package lists in its own packages.yml / dependencies.yml. */
  dependenciesOf: (fetched: FetchedPackage) => PackageSpec[];
  warn: (message: string, event: string) => void;
}

interface Pending {
  spec: PackageSpec;
  requirer: string;
  fromDir: string;
}

function nonHubKey(spec: Exclude<PackageSpec, { kind: 'hub' }>, fromDir: string): string {
  switch (spec.kind) {
    case 'local':
      return `local:${path.resolve(fromDir, spec.path)}`;
    case 'git':
      return `git:${spec.url.replace(/\.git$/, '')}${spec.subdirectory ? `/${spec.subdirectory}` : ''}`;
    case 'tarball':
      return `tarball:${spec.url}`;
  }
}

/** The versions of `index` dbt may install: those whose `require_dbt_version` admits this dbt. */
function compatibleVersions(index: HubPackage, dbtVersion: string | null): string[] {
  return [...index.versions.values()].filter((v) => !dbtVersion || v.requireDbtVersion.length === 0 || satisfies(dbtVersion, v.requireDbtVersion)).map((v) => v.version);
}

const MAX_ROUNDS = 10;

export async function resolvePackages(rootSpecs: PackageSpec[], ctx: ResolveContext): Promise<PinnedPackage[]> {
  const fetched = new Map<string, Promise<FetchedPackage>>();
  const fetchOnce = (key: string, spec: Exclude<PackageSpec, { kind: 'hub' }>, fromDir: string) => {
    let found = fetched.get(key);
    if (!found) {
      found = ctx.fetch(spec, fromDir);
      fetched.set(key, found);
    }
    return found;
  };
  let chosen = new Map<string, VersionChoice>();
  let failure: TsdbtError | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const reqs = new Map<string, VersionRequirement[]>();
    const order: string[] = [];
    const nonHub = new Map<string, { spec: Exclude<PackageSpec, { kind: 'hub' }>; fromDir: string; revisions: Set<string>; requirers: string[] }>();
    const expanded = new Set<string>();
    const queue: Pending[] = rootSpecs.map((spec) => ({ spec, requirer: ctx.specFile, fromDir: ctx.projectDir }));
    while (queue.length > 0) {
      const { spec, requirer, fromDir } = queue.shift()!;
      if (spec.kind === 'hub') {
        const key = `hub:${spec.name}`;
        const list = reqs.get(spec.name) ?? [];
        list.push({ specifiers: spec.versions, requirer, location: requirer === ctx.specFile ? spec.location : undefined, installPrerelease: spec.installPrerelease });
        reqs.set(spec.name, list);
        if (expanded.has(key)) continue;
        expanded.add(key);
        order.push(key);
        let index: HubPackage;
        try {
          index = await ctx.hub.packageIndex(spec.name);
        } catch (err) {
          if (err instanceof TsdbtError && !err.location && requirer === ctx.specFile) err.location = spec.location;
          throw err;
        }
        if (index.redirect) ctx.warn(`The \`${spec.name}\` package is deprecated in favor of \`${index.redirect}\`. Please update your \`packages.yml\` configuration to use \`${index.redirect}\` instead.`, 'PackageRedirectDeprecation');
        let version = chosen.get(spec.name)?.version;
        if (!version) {
          try {
            version = chooseVersion(spec.name, compatibleVersions(index, ctx.dbtVersion), list).version;
          } catch {
            continue; // reported at the end of the round, with every requirement known
          }
        }
        const meta = index.versions.get(version);
        for (const [i, entry] of (meta?.packages ?? []).entries()) {
          queue.push({ spec: specFromEntry(entry, { file: `${spec.name}@${version} (package hub)`, line: i + 1 }, ctx.render), requirer: `${spec.name}@${version}`, fromDir: ctx.projectDir });
        }
      } else {
        const key = nonHubKey(spec, fromDir);
        const seen = nonHub.get(key) ?? { spec, fromDir, revisions: new Set<string>(), requirers: [] };
        if (spec.kind === 'git') seen.revisions.add(spec.revision ?? 'HEAD');
        seen.requirers.push(requirer);
        nonHub.set(key, seen);
        if (expanded.has(key)) continue;
        expanded.add(key);
        order.push(key);
        let pkg: FetchedPackage;
        try {
          pkg = await fetchOnce(key, spec, fromDir);
        } catch (err) {
          if (err instanceof TsdbtError && !err.location && requirer === ctx.specFile) err.location = spec.location;
          throw err;
        }
        for (const dep of ctx.dependenciesOf(pkg)) queue.push({ spec: dep, requirer: pkg.name, fromDir: pkg.dir });
      }
    }
    // Git packages asked for at two revisions (dbt's MultipleVersionGitDepsError).
    for (const { spec, revisions, requirers } of nonHub.values()) {
      if (spec.kind === 'git' && revisions.size > 1) {
        throw new TsdbtError(`git package ${spec.urlTemplate} is required at several revisions (${[...revisions].join(', ')}) by ${requirers.join(', ')}`, {
          code: 'package-git-revisions',
          location: spec.location,
          hint: 'require one revision of a git package everywhere it is listed',
        });
      }
    }
    const next = new Map<string, VersionChoice>();
    failure = null;
    for (const [name, list] of reqs) {
      try {
        next.set(name, chooseVersion(name, compatibleVersions(await ctx.hub.packageIndex(name), ctx.dbtVersion), list));
      } catch (err) {
        if (!(err instanceof TsdbtError)) throw err;
        failure ??= err;
      }
    }
    const settled = next.size === chosen.size && [...next].every(([n, c]) => chosen.get(n)?.version === c.version);
    chosen = next;
    if (!settled && round < MAX_ROUNDS - 1) continue;
    if (failure) throw failure;
    if (!settled) throw new TsdbtError('the package versions did not settle: requirements keep changing with the versions chosen', { code: 'package-resolution-unsettled', hint: 'pin the hub packages to exact versions in packages.yml' });
    const pinned: PinnedPackage[] = [];
    for (const key of order) {
      if (key.startsWith('hub:')) {
        const name = key.slice(4);
        const choice = chosen.get(name)!;
        const meta = (await ctx.hub.packageIndex(name)).versions.get(choice.version)!;
        pinned.push({ kind: 'hub', package: name, version: choice.version, latest: choice.latest, name: meta.name, tarball: meta.tarball, sha1: meta.sha1 });
      } else {
        pinned.push((await fetched.get(key)!).pinned);
      }
    }
    checkNames(pinned, ctx.projectName);
    return pinned;
  }
  throw failure ?? new TsdbtError('package resolution did not finish', { code: 'package-resolution-unsettled' });
}

/** Two packages with one project name, or one named as the root project (dbt's duplicate checks). */
function checkNames(pinned: PinnedPackage[], projectName: string): void {
  const seen = new Set<string>();
  for (const p of pinned) {
    if (p.name === projectName) {
      throw new TsdbtError(`found a dependency with the same name as the root project "${p.name}": package names must be unique in a project`, { code: 'package-duplicate', hint: 'rename one of them (the `name:` in its dbt_project.yml)' });
    }
    if (seen.has(p.name)) {
      throw new TsdbtError(`found duplicate project "${p.name}": two dependencies have the same project name`, { code: 'package-duplicate', hint: 'list each package once; two packages cannot share a `name:`' });
    }
    seen.add(p.name);
  }
}
