// A model entry's `versions:`, `latest_version` and `deprecation_date`, read and checked as dbt's
// UnparsedModelUpdate does: each version's config, columns (its include/exclude element) and tests.
// schema-file.ts asks it for every `models:` entry.
import { isPlainObject } from '../config/yaml-file.js';
import { normalizeDeprecationDate } from './deprecation-date.js';
import { greatestVersion } from '../manifest/model-versions.js';
import type { ResourceEntry, VersionEntry } from './types.js';
import type { EntryReader, Path } from './entry-reader.js';

/** A model's `versions:`, `latest_version` and `deprecation_date`, checked as dbt's UnparsedModelUpdate does. */
export function modelVersioning(r: EntryReader, e: Record<string, unknown>, epath: Path): Pick<ResourceEntry, 'versions' | 'latest_version' | 'deprecation_date'> {
  const versions: VersionEntry[] = [];
  const seen = new Set<string>();
  r.list(e.versions, [...epath, 'versions'], 'versions').forEach((item, i) => {
    const vpath = [...epath, 'versions', i];
    if (!isPlainObject(item) || !isVersionId(item.v)) {
      r.error(`each version of model '${String(e.name)}' needs a \`v\` (a number or a string)`, vpath, 'write `- v: 2`');
      return;
    }
    if (seen.has(String(item.v))) {
      r.error(`Found duplicate version: '${String(item.v)}' in versions list of model '${String(e.name)}'`, [...vpath, 'v'], 'give each version its own `v`');
      return;
    }
    seen.add(String(item.v));
    const scope = includeExclude(r, item, vpath);
    // dbt's get_tests_for_version: the version's `data_tests` unless None; `tests:` (the old name)
    // becomes `data_tests` only when not empty, so `tests:` left empty or null means the model's.
    const hasTests = (Array.isArray(item.tests) && item.tests.length > 0) || (item.data_tests !== undefined && item.data_tests !== null);
    versions.push({
      v: item.v,
      defined_in: typeof item.defined_in === 'string' && item.defined_in !== '' ? item.defined_in.replace(/\.(sql|py)$/, '') : null,
      description: typeof item.description === 'string' ? item.description : null,
      config: isPlainObject(item.config) ? item.config : {},
      ...r.writtenConfig(vpath),
      constraints: Array.isArray(item.constraints) ? item.constraints : null,
      docs: isPlainObject(item.docs) ? item.docs : undefined,
      include: scope.include,
      exclude: scope.exclude,
      columns: r.columns(item, vpath, isIncludeExclude),
      tests: hasTests ? r.tests(item, vpath) : null,
      deprecation_date: deprecationDate(r, item, vpath),
      location: r.yaml.locate(vpath),
    });
  });
  let latest: string | number | null = null;
  if (e.latest_version !== undefined && e.latest_version !== null) {
    const known = versions.map((v) => v.v);
    const wanted = e.latest_version;
    const match = isVersionId(wanted) ? known.find((v) => String(v) === String(wanted)) : undefined;
    if (match === undefined) {
      r.error(
        `latest_version: ${String(wanted)} is not one of model '${String(e.name)}' versions: [${known.map(String).join(', ')}]`,
        [...epath, 'latest_version'],
        known.length ? `set latest_version to one of ${known.map(String).join(', ')}, or add a version \`- v: ${String(wanted)}\`` : 'list the versions under `versions:`',
      );
    } else latest = match;
  } else if (versions.length > 0) latest = greatestVersion(versions.map((v) => v.v)) ?? null;
  return { versions, latest_version: latest, deprecation_date: deprecationDate(r, e, epath) };
}

function deprecationDate(r: EntryReader, entry: Record<string, unknown>, path: Path): string | null {
  const value = entry.deprecation_date;
  if (value === undefined || value === null) return null;
  const normalized = normalizeDeprecationDate(value);
  if (normalized === null) {
    r.error(`deprecation_date '${String(value)}' is not a date`, [...path, 'deprecation_date'], 'write YYYY-MM-DD, or YYYY-MM-DD hh:mm:ss with an optional offset like +00:00');
  }
  return normalized;
}

/** The version's `- include: ... / exclude: ...` element of `columns` (at most one; default: all). */
function includeExclude(r: EntryReader, item: Record<string, unknown>, vpath: Path): { include: 'all' | string[]; exclude: string[] } {
  const elements = (Array.isArray(item.columns) ? item.columns : []).map((c, i) => [c, i] as const).filter(([c]) => isIncludeExclude(c));
  if (elements.length === 0) return { include: 'all', exclude: [] };
  if (elements.length > 1) r.error('version can have at most one include/exclude element', [...vpath, 'columns', elements[1]?.[1] ?? 0], 'merge them into one `- include: ... exclude: [...]`');
  const [element, index] = elements[0] as readonly [Record<string, unknown>, number];
  const cpath = [...vpath, 'columns', index];
  const include = element.include === undefined ? 'all' : element.include;
  const names = (value: unknown): string[] | null => (Array.isArray(value) && value.every((n) => typeof n === 'string') ? value : null);
  const all = include === 'all' || include === '*';
  if (!all && names(include) === null) {
    r.error(`include must be one of 'all', '*' or a list of column names, got ${JSON.stringify(include)}`, [...cpath, 'include'], "write `include: all` or `include: [col_a, col_b]`");
    return { include: 'all', exclude: [] };
  }
  const exclude = element.exclude === undefined || element.exclude === null ? [] : names(element.exclude);
  if (exclude === null) {
    r.error('exclude must be a list of column names', [...cpath, 'exclude'], 'write `exclude: [col_a]`');
    return { include: all ? 'all' : (names(include) as string[]), exclude: [] };
  }
  if (exclude.length > 0 && !all) r.error(`exclude can only be specified if include is one of 'all' or '*'`, [...cpath, 'exclude'], 'use `include: all` with `exclude`, or list only the columns to include');
  return { include: all ? 'all' : (names(include) as string[]), exclude };
}

export function isVersionId(value: unknown): value is string | number {
  return (typeof value === 'number' && Number.isFinite(value)) || (typeof value === 'string' && value.trim() !== '');
}

/** A version's `columns` element that says which top-level columns it has, not a column. */
function isIncludeExclude(value: unknown): value is Record<string, unknown> {
  return isPlainObject(value) && value.name === undefined && ('include' in value || 'exclude' in value);
}
