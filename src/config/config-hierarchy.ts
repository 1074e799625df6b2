// dbt_project.yml's config trees (`models:`, `seeds:`, `data_tests:` ...): walk a node's fqn
// through the tree, layering configs from shallow to deep, with dbt's merge rules (dbt-core's
// NodeConfig MergeBehavior): tags, hooks and packages accumulate; meta, quoting, column_types,
// docs and contract merge key by key; grants merge by privilege (a `+select` key adds grantees
// instead of replacing them); everything else is replaced. As in dbt-core (`fqn_search` and
// `_project_configs`), a key without `+` whose value is a mapping is always a folder, so a
// folder may be named like a config (`labels/`, `tags/`), and a mapping config needs its `+`
// (`+persist_docs: {...}`); a package's resources take the package's own tree, then the root
// project's tree over it, level by level (`layeredTree`).
import { isPlainObject } from './yaml-file.js';

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
  return !key.startsWith('+') && isPlainObject(value);
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
export function resolveHierarchyConfig(tree: Record<string, unknown> | undefined, fqn: string[], resourceType: string): Record<string, unknown> {
  if (!tree) return {};
  const layers = (tree as { [LAYERS]?: [Tree, Tree] })[LAYERS];
  if (layers) return mergeConfigs(resolveHierarchyConfig(layers[0], fqn, resourceType), resolveHierarchyConfig(layers[1], fqn, resourceType));
  let config: Record<string, unknown> = {};
  let level: unknown = tree[fqn[0] ?? ''];
  for (let depth = 1; isPlainObject(level); depth++) {
    config = mergeConfigs(config, levelConfigs(level));
    const next = fqn[depth];
    if (next === undefined) break;
    level = level[next];
  }
  // Top-level configs apply to every package.
  return mergeConfigs(mergeConfigs({}, levelConfigs(tree)), config);
}

type Tree = Record<string, unknown> | undefined;

/**
 * The configs each level of a project config tree sets for a node, shallowest first (the
 * top-level keys, the package, then one per fqn part), unmerged: dbt builds `unrendered_config`
 * from them with a plain key update per level (UnrenderedConfigGenerator), so a deeper level's
 * `meta` or `tags` replaces a shallower one's instead of merging with it.
 */
export function hierarchyLevels(tree: Record<string, unknown> | undefined, fqn: string[]): Record<string, unknown>[] {
  if (!tree) return [];
  const layers = (tree as { [LAYERS]?: [Tree, Tree] })[LAYERS];
  if (layers) return [...hierarchyLevels(layers[0], fqn), ...hierarchyLevels(layers[1], fqn)];
  const out = [levelConfigs(tree)];
  let level: unknown = tree[fqn[0] ?? ''];
  for (let depth = 1; isPlainObject(level); depth++) {
    out.push(levelConfigs(level));
    const next = fqn[depth];
    if (next === undefined) break;
    level = level[next];
  }
  return out;
}

/**
 * How many leading parts of `fqn` resolveHierarchyConfig reads from `tree` (the deepest of a
 * layered tree's two walks): nodes whose fqns agree on those parts get the same config from it.
 */
export function hierarchyDepth(tree: Record<string, unknown> | undefined, fqn: string[]): number {
  if (!tree) return 0;
  const layers = (tree as { [LAYERS]?: [Tree, Tree] })[LAYERS];
  if (layers) return Math.max(hierarchyDepth(layers[0], fqn), hierarchyDepth(layers[1], fqn));
  let level: unknown = tree[fqn[0] ?? ''];
  let depth = 1;
  for (; isPlainObject(level); depth++) {
    const next = fqn[depth];
    if (next === undefined) return fqn.length;
    level = level[next];
  }
  return depth;
}


/** The trees a package's config view was layered from (its own, then the root project's). */
const LAYERS = Symbol('config tree layers');

/** `base` with `over` merged into it, mapping by mapping: where both hold a mapping they merge, else `over`'s value wins. */
export function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

/**
 * A package's config tree with the root project's over it, as dbt applies them: a node's config
 * is the package tree's levels along its fqn, then the root tree's levels, so a root setting at
 * any depth wins over the package's at any depth. The result also reads as one merged tree (for
 * code listing its paths); `resolveHierarchyConfig` resolves the two trees in turn.
 */
export function layeredTree(base: Tree, over: Tree): Tree {
  if (!base) return over;
  if (!over) return base;
  const out = deepMerge(base, over);
  Object.defineProperty(out, LAYERS, { value: [base, over], enumerable: false });
  return out;
}
