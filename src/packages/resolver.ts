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

function nonHubKey(spec: NonHubSpec, fromDir: string): string {
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

type NonHubSpec = Exclude<PackageSpec, { kind: 'hub' }>;

/** What one round's walk of the dependency tree found, given the versions chosen so far. */
interface RoundTree {
  /** Every requirement on each hub package. */
  reqs: Map<string, VersionRequirement[]>;
  /** Package keys (`hub:<name>` or nonHubKey) in the order first reached: the pinned list's order. */
  order: string[];
  /** Each git, local or tarball package, with the revisions asked for and who asked. */
  nonHub: Map<string, { spec: NonHubSpec; fromDir: string; revisions: Set<string>; requirers: string[] }>;
}

/** The project's packages, resolved: each round walks the tree with the last round's choices until they settle. */
export async function resolvePackages(rootSpecs: PackageSpec[], given: ResolveContext): Promise<PinnedPackage[]> {
  // Every round walks the tree again; a warning (a hub package's redirect) is shown once, as dbt
  // memoizes each hub lookup per invocation and warns when it first fetches the package.
  const shown = new Set<string>();
  const ctx: ResolveContext = {
    ...given,
    warn: (message, event) => {
      if (shown.has(`${event}\n${message}`)) return;
      shown.add(`${event}\n${message}`);
      given.warn(message, event);
    },
  };
  const fetched = new Map<string, Promise<FetchedPackage>>();
  let chosen = new Map<string, VersionChoice>();
  let failure: TsdbtError | null = null;
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const tree = await walkTree(rootSpecs, ctx, chosen, fetched);
    checkGitRevisions(tree);
    const choice = await chooseVersions(tree, ctx);
    failure = choice.failure;
    const settled = choice.chosen.size === chosen.size && [...choice.chosen].every(([n, c]) => chosen.get(n)?.version === c.version);
    chosen = choice.chosen;
    if (!settled && round < MAX_ROUNDS - 1) continue;
    if (failure) throw failure;
    if (!settled) throw new TsdbtError('the package versions did not settle: requirements keep changing with the versions chosen', { code: 'package-resolution-unsettled', hint: 'pin the hub packages to exact versions in packages.yml' });
    const pinned = await pinAll(tree.order, chosen, fetched, ctx);
    checkNames(pinned, ctx.projectName);
    return pinned;
  }
  throw failure ?? new TsdbtError('package resolution did not finish', { code: 'package-resolution-unsettled' });
}

/**
 * One breadth-first walk from packages.yml: a hub package is expanded at the version chosen by the
 * last round (or the best for the requirements seen so far), a git, local or tarball package is
 * fetched once per run (`fetched`) and its own packages.yml followed.
 */
async function walkTree(rootSpecs: PackageSpec[], ctx: ResolveContext, chosen: Map<string, VersionChoice>, fetched: Map<string, Promise<FetchedPackage>>): Promise<RoundTree> {
  const tree: RoundTree = { reqs: new Map(), order: [], nonHub: new Map() };
  const expanded = new Set<string>();
  const queue: Pending[] = rootSpecs.map((spec) => ({ spec, requirer: ctx.specFile, fromDir: ctx.projectDir }));
  while (queue.length > 0) {
    const { spec, requirer, fromDir } = queue.shift()!;
    if (spec.kind === 'hub') {
      const key = `hub:${spec.name}`;
      const list = tree.reqs.get(spec.name) ?? [];
      list.push({ specifiers: spec.versions, requirer, location: requirer === ctx.specFile ? spec.location : undefined, installPrerelease: spec.installPrerelease });
      tree.reqs.set(spec.name, list);
      if (expanded.has(key)) continue;
      expanded.add(key);
      tree.order.push(key);
      queue.push(...(await hubDependencies(spec, requirer, list, ctx, chosen)));
    } else {
      const key = nonHubKey(spec, fromDir);
      const seen = tree.nonHub.get(key) ?? { spec, fromDir, revisions: new Set<string>(), requirers: [] };
      if (spec.kind === 'git') seen.revisions.add(spec.revision ?? 'HEAD');
      seen.requirers.push(requirer);
      tree.nonHub.set(key, seen);
      if (expanded.has(key)) continue;
      expanded.add(key);
      tree.order.push(key);
      let found = fetched.get(key);
      if (!found) fetched.set(key, (found = ctx.fetch(spec, fromDir)));
      const pkg = await withSpecLocation(found, spec, requirer, ctx);
      for (const dep of ctx.dependenciesOf(pkg)) queue.push({ spec: dep, requirer: pkg.name, fromDir: pkg.dir });
    }
  }
  return tree;
}

/** The packages a hub package requires at the version this round expands it at (none when no version fits yet). */
async function hubDependencies(spec: Extract<PackageSpec, { kind: 'hub' }>, requirer: string, requirements: VersionRequirement[], ctx: ResolveContext, chosen: Map<string, VersionChoice>): Promise<Pending[]> {
  const index = await withSpecLocation(ctx.hub.packageIndex(spec.name), spec, requirer, ctx);
  if (index.redirect) ctx.warn(`The \`${spec.name}\` package is deprecated in favor of \`${index.redirect}\`. Please update your \`packages.yml\` configuration to use \`${index.redirect}\` instead.`, 'PackageRedirectDeprecation');
  let version = chosen.get(spec.name)?.version;
  if (!version) {
    try {
      version = chooseVersion(spec.name, compatibleVersions(index, ctx.dbtVersion), requirements).version;
    } catch {
      return []; // reported at the end of the round, with every requirement known
    }
  }
  const meta = index.versions.get(version);
  return (meta?.packages ?? []).map((entry, i) => ({ spec: specFromEntry(entry, { file: `${spec.name}@${version} (package hub)`, line: i + 1 }, ctx.render), requirer: `${spec.name}@${version}`, fromDir: ctx.projectDir }));
}

/** Awaits `work`; an error without a place, for a spec of packages.yml itself, gets the spec's line. */
async function withSpecLocation<T>(work: Promise<T>, spec: PackageSpec, requirer: string, ctx: ResolveContext): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof TsdbtError && !err.location && requirer === ctx.specFile) err.location = spec.location;
    throw err;
  }
}

/** Git packages asked for at two revisions (dbt's MultipleVersionGitDepsError). */
function checkGitRevisions(tree: RoundTree): void {
  for (const { spec, revisions, requirers } of tree.nonHub.values()) {
    if (spec.kind === 'git' && revisions.size > 1) {
      throw new TsdbtError(`git package ${spec.urlTemplate} is required at several revisions (${[...revisions].join(', ')}) by ${requirers.join(', ')}`, {
        code: 'package-git-revisions',
        location: spec.location,
        hint: 'require one revision of a git package everywhere it is listed',
      });
    }
  }
}

/** The highest version of each hub package that meets all its requirements; the first conflict, if any. */
async function chooseVersions(tree: RoundTree, ctx: ResolveContext): Promise<{ chosen: Map<string, VersionChoice>; failure: TsdbtError | null }> {
  const chosen = new Map<string, VersionChoice>();
  let failure: TsdbtError | null = null;
  for (const [name, list] of tree.reqs) {
    try {
      chosen.set(name, chooseVersion(name, compatibleVersions(await ctx.hub.packageIndex(name), ctx.dbtVersion), list));
    } catch (err) {
      if (!(err instanceof TsdbtError)) throw err;
      failure ??= err;
    }
  }
  return { chosen, failure };
}

/** The pinned list in the order packages were reached: hub packages at their chosen version, the rest as fetched. */
async function pinAll(order: string[], chosen: Map<string, VersionChoice>, fetched: Map<string, Promise<FetchedPackage>>, ctx: ResolveContext): Promise<PinnedPackage[]> {
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
  return pinned;
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
