// dbt_project.yml's config trees (`models:`, `seeds:`, `data_tests:` ...): walk a node's fqn
// through the tree, layering configs from shallow to deep, with dbt's merge rules (dbt-core's
// NodeConfig MergeBehavior): tags, hooks and packages accumulate; meta, quoting, column_types,
// docs and contract merge key by key; grants merge by privilege (a `+select` key adds grantees
// instead of replacing them); everything else is replaced.
import { isPlainObject } from './yaml-file.js';

/** Config keys whose values are mappings (so a mapping under them is not a sub-folder). */
const DICT_CONFIGS = new Set(['persist_docs', 'meta', 'grants', 'docs', 'contract', 'column_types', 'quoting', 'labels', 'freshness', 'snapshot_meta_column_names', 'partition_by', 'settings', 'access']);

/** Configs whose values accumulate across levels instead of being replaced (MergeBehavior.Append). */
const APPEND = new Set(['tags', 'pre_hook', 'post_hook', 'packages']);
/** Mappings merged key by key, the deeper level winning per key (MergeBehavior.Update). */
const UPDATE = new Set(['meta', 'quoting', 'column_types', 'docs', 'contract']);

function normalizeKey(key: string): string {
  const bare = key.startsWith('+') ? key.slice(1) : key;
  if (bare === 'pre-hook') return 'pre_hook';
  if (bare === 'post-hook') return 'post_hook';
  return bare;
}

function asList(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * Grants (MergeBehavior.DictKeyAppend): each privilege's grantees as a list; a deeper level
 * replaces a privilege's list, or extends it when the key is written `+select`.
 */
function mergeGrants(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [privilege, grantees] of Object.entries(base)) out[privilege] = asList(grantees);
  for (const [key, grantees] of Object.entries(override)) {
    const privilege = key.replace(/^\++/, '');
    out[privilege] = key.startsWith('+') && out[privilege] ? [...out[privilege], ...asList(grantees)] : asList(grantees);
  }
  return out;
}

/**
 * Layers `override` over `base` with dbt's rules. `base` is copied with Object.assign, not spread:
 * in Node 20 a spread copy that then gains a key gets a hidden class of its own, slow to make and
 * to collect (a 10,000-model parse merges configs some 100,000 times).
 */
export function mergeConfigs(base: Record<string, unknown>, override: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.assign({}, base);
  for (const [rawKey, value] of Object.entries(override)) {
    const key = normalizeKey(rawKey);
    if (APPEND.has(key)) {
      const merged = [...asList(out[key]), ...asList(value)];
      out[key] = key === 'tags' ? [...new Set(merged.map(String))] : merged;
    } else if (UPDATE.has(key) && isPlainObject(out[key]) && isPlainObject(value)) {
      out[key] = { ...out[key], ...value };
    } else if (key === 'grants' && isPlainObject(value)) {
      out[key] = mergeGrants(isPlainObject(out[key]) ? out[key] : {}, value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** True when a key of a config tree is a folder (a package or sub-folder), not a config. */
export function isFolderKey(key: string, value: unknown): boolean {
  return !key.startsWith('+') && isPlainObject(value) && !DICT_CONFIGS.has(normalizeKey(key));
}

/** The configs of one level of the tree (keys with `+`, and plain keys that are not folders). */
function levelConfigs(level: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(level)) {
    if (!isFolderKey(key, value)) out[key] = value;
  }
  return out;
}

/**
 * The config a node gets from a project config tree: the first level is the package name, then
 * one level per folder in the node's fqn (the last fqn element, the node name, may match too).
 */
export function resolveHierarchyConfig(tree: Record<string, unknown> | undefined, fqn: string[], _resourceType: string): Record<string, unknown> {
  if (!tree) return {};
  let config: Record<string, unknown> = {};
  let level: unknown = tree[fqn[0] ?? ''];
  for (let depth = 1; isPlainObject(level); depth++) {
    config = mergeConfigs(config, levelConfigs(level));
    const next = fqn[depth];
    if (next === undefined) break;
    const child = level[next];
    level = isPlainObject(child) && !DICT_CONFIGS.has(next) ? child : undefined;
  }
  // Top-level configs apply to every package.
  return mergeConfigs(mergeConfigs({}, levelConfigs(tree)), config);
}
