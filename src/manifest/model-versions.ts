// Model version identifiers (`v:`), ordered as dbt orders them (UnparsedVersion.__lt__): as numbers
// when both read as numbers, else as text. `latest`, `prerelease` and `old` follow from the order.

export type VersionId = string | number;

function asNumber(v: VersionId): number | null {
  if (typeof v === 'number') return v;
  const text = v.trim();
  if (text === '') return null;
  const n = Number(text);
  return Number.isNaN(n) ? null : n;
}

/** < 0 when `a` comes before `b`, 0 when they are the same version, > 0 after. */
export function compareVersions(a: VersionId, b: VersionId): number {
  const x = asNumber(a);
  const y = asNumber(b);
  if (x !== null && y !== null) return x - y;
  const s = String(a);
  const t = String(b);
  return s < t ? -1 : s > t ? 1 : 0;
}

/** The same version, whatever its spelling in YAML or in a ref: `2`, `'2'`. */
export function sameVersion(a: VersionId | null | undefined, b: VersionId | null | undefined): boolean {
  if (a === null || a === undefined || b === null || b === undefined) return false;
  return String(a) === String(b);
}

/** The greatest of `versions` (dbt's default latest_version). */
export function greatestVersion(versions: VersionId[]): VersionId | undefined {
  return versions.reduce<VersionId | undefined>((best, v) => (best === undefined || compareVersions(v, best) > 0 ? v : best), undefined);
}

/** How a node's version relates to its model's latest one (`version:` selection). */
export function versionStatus(version: VersionId | null | undefined, latest: VersionId | null | undefined): 'none' | 'latest' | 'prerelease' | 'old' {
  if (version === null || version === undefined) return 'none';
  if (latest === null || latest === undefined || sameVersion(version, latest)) return 'latest';
  return compareVersions(version, latest) > 0 ? 'prerelease' : 'old';
}
