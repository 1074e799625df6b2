// dbt's version specifiers for hub packages (dbt-common's semver.py) over npm's semver: a
// requirement is a list of `>=1.1.0`, `<2.0.0`, `1.3.0` (exact), `=1.3.0`; every requirement on one
// package, from every requirer, must hold at once (dbt's `reduce_versions`); the highest available
// version that satisfies them wins, and prereleases count only with `install_prerelease` or when a
// specifier names one. As in dbt, `<2.0.0` does not let in `2.0.0-rc1`.
import semver from 'semver';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';

/** One requirer's version specifiers for a package: `packages.yml` or `dbt-labs/a@1.2.0`. */
export interface VersionRequirement {
  specifiers: string[];
  requirer: string;
  location?: SourceLocation;
  installPrerelease?: boolean;
}

const SPECIFIER = /^\s*(>=|<=|>|<|=)?\s*v?(\S+)\s*$/;
const OPTIONS = { loose: true, includePrerelease: true } as const;

interface Specifier {
  op: '>=' | '<=' | '>' | '<' | '=';
  version: semver.SemVer;
}

function parseSpecifier(text: string, req: VersionRequirement, pkg: string): Specifier {
  const m = SPECIFIER.exec(text);
  const version = m ? semver.parse(m[2], { loose: true }) : null;
  if (!m || !version) {
    throw new TsdbtError(`"${text}" is not a valid version for ${pkg} (required by ${req.requirer})`, {
      code: 'package-version-invalid',
      location: req.location,
      hint: 'write a version as 1.3.0, or a range as [">=1.1.0", "<2.0.0"] (operators >=, >, <=, <, =)',
    });
  }
  return { op: (m[1] as Specifier['op'] | undefined) ?? '=', version };
}

/** The npm range of one requirement: its comparators joined (all must hold). */
function rangeOf(req: VersionRequirement, pkg: string): semver.Range {
  const parts = req.specifiers
    .flatMap((s) => s.split(','))
    .filter((s) => s.trim() !== '')
    .map((s) => parseSpecifier(s, req, pkg))
    .map(({ op, version }) => {
      // dbt: an upper bound without a prerelease keeps out that version's own prereleases.
      if (op === '<' && version.prerelease.length === 0) return `<${version.major}.${version.minor}.${version.patch}-0`;
      return `${op}${version.version}`;
    });
  return new semver.Range(parts.join(' ') || '*', OPTIONS);
}

/** `>=1.1.0, <2.0.0` as a requirement reads in messages. */
export function describeRequirement(req: VersionRequirement): string {
  return req.specifiers.join(', ');
}

function mentionsPrerelease(reqs: VersionRequirement[], pkg: string): boolean {
  return reqs.some((r) => r.specifiers.flatMap((s) => s.split(',')).some((s) => s.trim() !== '' && parseSpecifier(s, r, pkg).version.prerelease.length > 0));
}

/** Two requirers whose ranges share no version, or null. */
export function findConflict(pkg: string, reqs: VersionRequirement[]): [VersionRequirement, VersionRequirement] | null {
  const ranges = reqs.map((r) => rangeOf(r, pkg));
  for (let i = 0; i < reqs.length; i++) {
    for (let j = i + 1; j < reqs.length; j++) {
      if (!ranges[i]!.intersects(ranges[j]!, OPTIONS)) return [reqs[i]!, reqs[j]!];
    }
  }
  return null;
}

/** The versions a resolution may choose from, oldest first (prereleases only when asked for). */
export function installableVersions(pkg: string, available: string[], reqs: VersionRequirement[]): string[] {
  const prerelease = reqs.some((r) => r.installPrerelease) || mentionsPrerelease(reqs, pkg);
  return available
    .filter((v) => semver.parse(v, { loose: true }) !== null)
    .filter((v) => prerelease || semver.prerelease(v, { loose: true }) === null)
    .sort((a, b) => semver.compare(a, b, { loose: true }));
}

export interface VersionChoice {
  version: string;
  /** The newest installable version (dbt's "Updated version available"). */
  latest: string;
}

/**
 * The highest of `available` that every requirement admits. Ranges that share no version are one
 * error naming both requirers; ranges that meet where the hub has no version are another.
 */
export function chooseVersion(pkg: string, available: string[], reqs: VersionRequirement[]): VersionChoice {
  const conflict = findConflict(pkg, reqs);
  if (conflict) {
    const [a, b] = conflict;
    throw new TsdbtError(`version conflict for ${pkg}: ${a.requirer} requires ${describeRequirement(a)}, but ${b.requirer} requires ${describeRequirement(b)}; no version satisfies both`, {
      code: 'package-version-conflict',
      location: a.location ?? b.location,
      hint: `change the version range of ${pkg} (or of the package that requires it) in packages.yml so the two ranges overlap`,
    });
  }
  const ranges = reqs.map((r) => rangeOf(r, pkg));
  const installable = installableVersions(pkg, available, reqs);
  const matching = installable.filter((v) => ranges.every((r) => r.test(v)));
  const version = matching[matching.length - 1];
  if (!version) {
    const wanted = reqs.map((r) => `${describeRequirement(r)} (${r.requirer})`).join(' and ');
    throw new TsdbtError(`no version of ${pkg} satisfies ${wanted}; the hub has ${installable.length > 0 ? installable.join(', ') : 'no installable versions'}`, {
      code: 'package-version-not-found',
      location: reqs.find((r) => r.location)?.location,
      hint: installable.some((v) => semver.prerelease(v, { loose: true })) || reqs.some((r) => r.installPrerelease) ? `pick one of the versions listed` : `pick one of the versions listed (prereleases are used only with \`install_prerelease: true\`)`,
    });
  }
  return { version, latest: installable[installable.length - 1]! };
}

/** Whether `version` satisfies a single specifier list (lock checks, `require_dbt_version`). */
export function satisfies(version: string, specifiers: string[]): boolean {
  const req: VersionRequirement = { specifiers, requirer: '' };
  try {
    return rangeOf(req, '').test(version);
  } catch {
    return true; // an unreadable requirement excludes nothing (dbt would refuse it elsewhere)
  }
}
