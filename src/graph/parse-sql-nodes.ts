// Parses SQL-file nodes (models, singular tests, analyses) and seeds: the config layers
// (project hierarchy < property file < in-file config()), then a parse-phase render that records
// ref/source/config calls.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { ProjectConfig } from '../config/types.js';
import { deepMerge, hierarchyLevels, mergeConfigs, resolveHierarchyConfig } from '../config/index.js';
import { unrenderedConfigCall } from '../jinja/dbt/unrendered-config-call.js';
import { staticModelCallLayers } from './static-unrendered.js';
import { normalizeHooks } from './hooks.js';
import { addHookDependencies, checkHookKeyConflicts } from './hook-dependencies.js';
import { defaultConfig, nodeSkeleton, sha256 } from './node-factory.js';
import { pythonStrip } from '../manifest/raw-code.js';
import type { ParsePhase } from '../compile/parse-phase.js';
import { lineAligned } from '../compile/line-aligned.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import type { ManifestNode, NodeConfig, NodeResourceType } from '../manifest/types.js';
import { enabledError, enabledFlag } from './node-config-checks.js';
import { fileStem } from '../project/index.js';
import { configCallWarnings } from './config-call-keys.js';

export interface SqlFileInput {
  resourceType: NodeResourceType;
  /** Project-relative path. */
  path: string;
  absPath: string;
  content: string;
  /** The resource folder it was found under (e.g. `models`). */
  resourceDir: string;
  packageName: string;
  /** Node name when it is not the file's name (snapshot blocks). */
  name?: string;
  /** Line where the node's SQL starts in the file (snapshot blocks). */
  line?: number;
  /** A version of a versioned model (`name` is then the model's): its unique_id and fqn end in `v<v>`. */
  version?: { v: string | number; latest: string | number; deprecationDate: string | null };
  /** A snapshot block: its fqn has the file's name before its own, as dbt's SnapshotParser.get_fqn gives it. */
  fqnIncludesFile?: boolean;
  /** The text the node's checksum is of when it is not `content`: a snapshot block's whole file (dbt's `block.file.checksum`). */
  checksumOf?: string;
}

/** The config tree in dbt_project.yml for a resource type. */
export function configTreeFor(config: ProjectConfig, resourceType: NodeResourceType): Record<string, unknown> | undefined {
  switch (resourceType) {
    case 'model':
      return config.models;
    case 'seed':
      return config.seeds;
    case 'test':
      return config.tests;
    case 'snapshot':
      return config.snapshots;
    case 'function':
      return config.functions;
    case 'analysis':
      return correctedAnalysisFqns(config) ? config.analyses : config.models;
    default:
      return undefined;
  }
}

/**
 * dbt 1.12's behaviour flag `require_corrected_analysis_fqns` (off by default, and dbt 1.11 has no
 * other behaviour): without it an analysis's path and fqn carry an `analysis` segment
 * (`[project, 'analysis', ...folders, name]`, AnalysisParser.get_compiled_path) and it takes its
 * project config from the `models:` tree, dbt_project.yml's `analyses:` block being ignored; with
 * it, the fqn is a model's and the `analyses:` block applies.
 */
export function correctedAnalysisFqns(config: ProjectConfig): boolean {
  return config.flags?.require_corrected_analysis_fqns === true;
}

/** The dbt_project.yml tree of a resource type as written (before rendering). */
function unrenderedTreeFor(config: ProjectConfig, resourceType: NodeResourceType): Record<string, unknown> | undefined {
  const trees = config.unrenderedTrees;
  if (!trees) return configTreeFor(config, resourceType);
  if (resourceType === 'model') return trees.models;
  if (resourceType === 'seed') return trees.seeds;
  if (resourceType === 'test') return trees.tests;
  if (resourceType === 'snapshot') return trees.snapshots;
  // dbt 1.11's UnrenderedConfig reads a function's unrendered config from `models:` (it has no
  // `functions` case, while its rendered config reads `functions:`): as dbt writes it.
  if (resourceType === 'function') return trees.models;
  if (resourceType === 'analysis') return correctedAnalysisFqns(config) ? trees.analyses : trees.models;
  return undefined;
}

/**
 * dbt's `unrendered_config`: only the keys a layer sets (no defaults), dbt_project.yml's as
 * written level by level, then the property file's and the `config()` calls' (rendered, as dbt
 * records them, unless the project compares unrendered values: unrenderedPropertyLayer,
 * unrenderedCallLayers). Each layer replaces the keys it sets, as dbt's plain dict update does
 * (UnrenderedConfigGenerator): a property file's `meta` replaces dbt_project.yml's.
 */
export function unrenderedConfig(project: ProjectConfig, resourceType: NodeResourceType, fqn: string[], layers: Record<string, unknown>[]): Record<string, unknown> {
  const merged: Record<string, unknown> = {};
  // Tags as written: dbt's plain update keeps a text `tags` (or the text of its syntax tree) as it is.
  for (const layer of [...hierarchyLevels(unrenderedTreeFor(project, resourceType), fqn), ...layers]) Object.assign(merged, normalizeConfigKeys(layer, false));
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(merged)) out[key === 'pre_hook' ? 'pre-hook' : key === 'post_hook' ? 'post-hook' : key] = value;
  return out;
}

/**
 * Whether the project sets dbt's `state_modified_compare_more_unrendered_values` (off in dbt 1.11):
 * then a node's unrendered config takes its property entry's `config:` and its `config()` call's
 * arguments as written, not as rendered (docs: behavior flags), so a config that depends on the
 * target or an env var is no state:modified change.
 */
export function comparesUnrenderedValues(session: ParsePhase): boolean {
  return session.services.flags.STATE_MODIFIED_COMPARE_MORE_UNRENDERED_VALUES === true;
}

/**
 * The property entry's layer of a node's unrendered config: the rendered `config:`, with the flag
 * the entry's config as written merged over it (dbt's update_parsed_node_config).
 */
export function unrenderedPropertyLayer(session: ParsePhase, rendered: Record<string, unknown> | undefined, written: Record<string, unknown> | undefined): Record<string, unknown> {
  if (!comparesUnrenderedValues(session) || !written) return rendered ?? {};
  return deepMerge(rendered ?? {}, written);
}

/**
 * The `config()` calls' layer of a node's unrendered config: the values dbt's static parser read
 * where it reads the file (static-unrendered.ts); otherwise as rendered, or with the flag the first
 * call's keyword arguments as written (when the file called config() with keywords).
 */
function unrenderedCallLayers(session: ParsePhase, file: SqlFileInput, calls: Record<string, unknown>[], hasPropertyConfig: boolean): Record<string, unknown>[] {
  if (calls.length === 0) return calls;
  const compares = comparesUnrenderedValues(session);
  // One call's values as rendered are those dbt-extractor reads (but a string's escapes): no need to read the file again.
  if (calls.length === 1 && !compares) return calls;
  const { content: rawCode, path } = file;
  const statically = staticModelCallLayers(session, { resourceType: file.resourceType, packageName: file.packageName, path, rawCode }, hasPropertyConfig);
  if (statically) return statically;
  // dbt merges a file's config() calls into one dict first (tags add up), then lays that over.
  const merged = calls.length > 1 ? [calls.reduce((a, c) => mergeConfigs(a, normalizeConfigKeys(c)), {})] : calls;
  if (!compares) return merged;
  const written = unrenderedConfigCall(rawCode, path);
  return written ? [written] : merged;
}

/**
 * A config() call's `enabled` is a Python value, never read from text: `config(enabled='false')`
 * is dbt's ConfigUpdateError ("'false' is not of type 'boolean'") at parse, even where the
 * project's YAML `"false"` would be taken.
 */
function checkConfigCallEnabled(calls: Record<string, unknown>[], node: ManifestNode, file: string): void {
  for (const call of calls) {
    if (!Object.hasOwn(call, 'enabled') || typeof call.enabled === 'boolean' || call.enabled === undefined || call.enabled === null) continue;
    const error = enabledError(call.enabled, `${node.resource_type} '${node.name}'`, { file, line: node.line });
    if (error) throw error;
  }
}

/** Layers configs and normalises what dbt normalises (tags list, hooks). */
export function finalizeConfig(layers: Record<string, unknown>[]): NodeConfig {
  let merged: Record<string, unknown> = {};
  for (const layer of layers) merged = mergeConfigs(merged, normalizeConfigKeys(layer));
  const config = merged as NodeConfig;
  config.tags = toStringList(config.tags);
  config.meta = config.meta ?? {};
  config.pre_hook = normalizeHooks(config.pre_hook);
  config.post_hook = normalizeHooks(config.post_hook);
  // An unreadable value stays for nodeConfigError to refuse.
  config.enabled = enabledFlag(config.enabled) as boolean;
  return config;
}

/** `pre-hook` -> `pre_hook`, `post-hook` -> `post_hook`; tags as a list (unless `listTags` is false). */
export function normalizeConfigKeys(layer: Record<string, unknown>, listTags = true): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(layer)) {
    const k = key.startsWith('+') ? key.slice(1) : key;
    if (k === 'pre-hook' || k === 'pre_hook') out.pre_hook = [...normalizeHooks(out.pre_hook), ...normalizeHooks(value)];
    else if (k === 'post-hook' || k === 'post_hook') out.post_hook = [...normalizeHooks(out.post_hook), ...normalizeHooks(value)];
    else if (k === 'tags' && listTags) out.tags = toStringList(value);
    else out[k] = value;
  }
  return out;
}

function toStringList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Parses one SQL file into a node (models, singular tests, analyses). */
export function parseSqlNode(
  session: ParsePhase,
  project: ProjectConfig,
  file: SqlFileInput,
  propertyConfig: Record<string, unknown> | undefined,
  writtenPropertyConfig?: Record<string, unknown>,
): ManifestNode | null {
  const name = file.name ?? fileStem(file.path);
  const inDir = path.posix.relative(file.resourceDir, file.path);
  const pathInDir = file.resourceType === 'analysis' && !correctedAnalysisFqns(project) ? `analysis/${inDir}` : inDir;
  const skeleton = nodeSkeleton({
    resourceType: file.resourceType,
    packageName: file.packageName,
    name,
    originalFilePath: file.path,
    pathInResourceDir: pathInDir,
    rawCode: file.content,
    config: defaultConfig(file.resourceType),
    line: file.line,
    ...(file.checksumOf !== undefined ? { checksum: sha256(pythonStrip(file.checksumOf)) } : {}),
    ...(file.version ? { uniqueIdSuffix: `v${String(file.version.v)}` } : {}),
  });
  if (file.fqnIncludesFile) skeleton.fqn.splice(-1, 0, fileStem(file.path));
  if (file.version) {
    // dbt: a version's fqn is the model's name then `v<v>`; project config follows that path.
    skeleton.fqn.push(`v${String(file.version.v)}`);
    skeleton.version = file.version.v;
    skeleton.latest_version = file.version.latest;
    skeleton.deprecation_date = file.version.deprecationDate;
  }
  const projectLayer = resolveHierarchyConfig(configTreeFor(project, file.resourceType), skeleton.fqn, file.resourceType);
  skeleton.config = finalizeConfig([defaultConfig(file.resourceType), projectLayer, propertyConfig ?? {}]);
  try {
    const state = session.parseCalls(skeleton, lineAligned(file.content, skeleton.line));
    checkHookKeyConflicts(state.configCalls, file.path, file.content, skeleton.line);
    checkConfigCallEnabled(state.configCalls, skeleton, file.path);
    if (file.resourceType === 'model' && session.checkConfigKeys) session.warnings.push(...configCallWarnings(state.configCalls, file.path, skeleton.line));
    skeleton.config = finalizeConfig([skeleton.config, ...state.configCalls]);
    skeleton.unrendered_config = unrenderedConfig(project, file.resourceType, skeleton.fqn, [
      unrenderedPropertyLayer(session, propertyConfig, writtenPropertyConfig),
      ...unrenderedCallLayers(session, file, state.configCalls, Object.keys(propertyConfig ?? {}).length > 0),
    ]);
    skeleton.refs = state.refs;
    skeleton.sources = state.sources;
    if (state.functions?.length) skeleton.functions = state.functions;
    if (state.metrics?.length) skeleton.metrics = state.metrics;
    addHookDependencies(session, skeleton);
  } catch (err) {
    session.fail(err, file.path, nodeRefOf(skeleton));
    return null;
  }
  skeleton.tags = skeleton.config.tags;
  skeleton.meta = skeleton.config.meta;
  return skeleton;
}

/**
 * A seed node: no template, config from the project's `seeds:` tree and its property entry; its
 * hooks are rendered as dbt renders them at parse (a hook may not ref another node). Null when
 * that fails (the error is recorded in the session).
 */
export function parseSeedNode(
  session: ParsePhase,
  project: ProjectConfig,
  file: { path: string; absPath: string; resourceDir: string; packageName: string },
  propertyConfig: Record<string, unknown> | undefined,
  writtenPropertyConfig?: Record<string, unknown>,
): ManifestNode | null {
  const name = fileStem(file.path);
  const pathInDir = path.posix.relative(file.resourceDir, file.path);
  const node = nodeSkeleton({
    resourceType: 'seed',
    packageName: file.packageName,
    name,
    originalFilePath: file.path,
    pathInResourceDir: pathInDir,
    rawCode: '',
    config: defaultConfig('seed'),
  });
  const projectLayer = resolveHierarchyConfig(configTreeFor(project, 'seed'), node.fqn, 'seed');
  node.config = finalizeConfig([defaultConfig('seed'), projectLayer, propertyConfig ?? {}]);
  node.unrendered_config = unrenderedConfig(project, 'seed', node.fqn, [unrenderedPropertyLayer(session, propertyConfig, writtenPropertyConfig)]);
  node.checksum = seedChecksum(file.absPath, file.path);
  node.tags = node.config.tags;
  node.meta = node.config.meta;
  node.seed_file = file.absPath;
  try {
    addHookDependencies(session, node);
  } catch (err) {
    session.fail(err, file.path, nodeRefOf(node));
    return null;
  }
  return node;
}

/** dbt's seed checksum: the stripped file text's sha256 up to 1 MiB; beyond that, the path (dbt cannot compare contents then). */
export function seedChecksum(absPath: string, relPath: string): ManifestNode['checksum'] {
  try {
    if (statSync(absPath).size > SEED_HASH_LIMIT) return { name: 'path', checksum: relPath };
    return { name: 'sha256', checksum: sha256(readFileSync(absPath, 'utf8').trim()) };
  } catch {
    return { name: 'path', checksum: relPath };
  }
}

/** dbt's MAXIMUM_SEED_SIZE (1 MiB): larger seeds are compared by path only. */
const SEED_HASH_LIMIT = 1024 * 1024;
