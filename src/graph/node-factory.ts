// Builds the skeleton of a manifest node (ids, paths, fqn, checksum) from a file; rendering and
// config layering happen in the parse stage.
import { hash as digest } from 'node:crypto';
import path from 'node:path';
import type { ManifestNode, NodeConfig, NodeResourceType } from '../manifest/types.js';
import { pythonStrip } from '../manifest/raw-code.js';

export interface NodeSkeletonInput {
  resourceType: NodeResourceType;
  packageName: string;
  name: string;
  /** Project-relative file path (forward slashes). */
  originalFilePath: string;
  /** Path relative to its resource folder (models/, seeds/...). */
  pathInResourceDir: string;
  rawCode: string;
  config: NodeConfig;
  line?: number;
  uniqueIdSuffix?: string;
  /** sha256 of the trimmed rawCode, where the caller has it already (generic tests share their text). */
  checksum?: string;
}

export function sha256(text: string): string {
  return digest('sha256', text);
}

/**
 * dbt's fqn: package, the folders under the resource path, then the name. Made by concat, which
 * sizes the list to its parts: `[a, ...dirs, b]` leaves room for 19 (144 bytes more a node, kept
 * for the whole parse by each of the 30,000 nodes of a 10,000-model project, issue 18).
 */
export function fqnFor(packageName: string, pathInResourceDir: string, name: string): string[] {
  const dirs = path.posix.dirname(pathInResourceDir).split('/').filter((p) => p && p !== '.');
  return [packageName].concat(dirs, [name]);
}

export function nodeSkeleton(input: NodeSkeletonInput): ManifestNode {
  const id = `${input.resourceType}.${input.packageName}.${input.name}${input.uniqueIdSuffix ? `.${input.uniqueIdSuffix}` : ''}`;
  return {
    unique_id: id,
    resource_type: input.resourceType,
    package_name: input.packageName,
    name: input.name,
    path: input.pathInResourceDir,
    original_file_path: input.originalFilePath,
    line: input.line ?? 1,
    fqn: fqnFor(input.packageName, input.pathInResourceDir, input.name),
    raw_code: input.rawCode,
    language: 'sql',
    // dbt hashes the file's text stripped of leading and trailing whitespace (read_files.py).
    checksum: { name: 'sha256', checksum: input.checksum ?? sha256(pythonStrip(input.rawCode)) },
    config: input.config,
    tags: input.config.tags,
    description: '',
    columns: {},
    meta: input.config.meta,
    docs: { show: true, node_color: null },
    patch_path: null,
    database: null,
    schema: '',
    alias: input.name,
    relation_name: null,
    refs: [],
    sources: [],
    depends_on: { nodes: [], macros: [] },
  };
}

/** dbt's TestConfig fields and their defaults (a test's own configs). */
export const TEST_CONFIG_DEFAULTS: Readonly<Record<string, unknown>> = Object.freeze({
  schema: 'dbt_test__audit',
  severity: 'ERROR',
  store_failures: null,
  store_failures_as: null,
  where: null,
  limit: null,
  fail_calc: 'count(*)',
  warn_if: '!= 0',
  error_if: '!= 0',
});

/** Config every node starts from before project / property / in-file layers. */
export function defaultConfig(resourceType: NodeResourceType): NodeConfig {
  const materialized = resourceType === 'seed' || resourceType === 'test' || resourceType === 'snapshot' || resourceType === 'function' ? resourceType : 'view';
  const base: NodeConfig = { enabled: true, materialized, tags: [], meta: {}, pre_hook: [], post_hook: [] };
  if (resourceType === 'test') Object.assign(base, TEST_CONFIG_DEFAULTS);
  if (resourceType === 'seed') Object.assign(base, { quote_columns: null, column_types: {}, delimiter: ',' });
  // dbt's FunctionConfig.
  if (resourceType === 'function') Object.assign(base, { type: 'scalar', volatility: null, runtime_version: null, entry_point: null });
  return base;
}

/**
 * dbt's store_failures rules: `store_failures_as` (table | view | ephemeral) wins when set, and
 * `ephemeral` stores nothing; otherwise `store_failures: true` stores a table. Null: not stored.
 */
export function storesFailures(config: NodeConfig, flag = false): 'table' | 'view' | null {
  return storedAs(config, flag) ?? null;
}

/**
 * A `store_failures_as` dbt's test materialization refuses: a value other than table, view or
 * ephemeral on a test that stores its failures (dbt's TestConfig makes `store_failures` true for
 * it, and the materialization raises "'x' is not a valid value for `store_failures_as`").
 */
export function invalidStoreFailuresAs(config: NodeConfig, flag = false): string | null {
  return storedAs(config, flag) === undefined ? String(config.store_failures_as) : null;
}

/** What storesFailures answers, undefined for a store_failures_as dbt refuses. */
function storedAs(config: NodeConfig, flag: boolean): 'table' | 'view' | null | undefined {
  const as = config.store_failures_as;
  if (typeof as === 'string' && as !== '') {
    const kind = as.toLowerCase();
    if (kind === 'table' || kind === 'view') return kind;
    return kind === 'ephemeral' ? null : undefined;
  }
  // dbt's should_store_failures: the config when set, else the --store-failures flag.
  const configured = config.store_failures;
  return (configured === undefined || configured === null ? flag : configured === true) ? 'table' : null;
}
