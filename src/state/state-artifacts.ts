// The artifacts of an earlier run that `--state <dir>` (and `--defer-state <dir>`) point at:
// manifest.json (what the project was and where each node lived), run_results.json (how each node
// ended) and sources.json (source freshness). Read once per invocation; a missing or unreadable file
// is a user error naming the file and what to do (exit 2).
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { isPlainObject } from '../config/yaml-file.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { manifestSchemaVersion, upgradeManifestJson } from './upgrade-manifest.js';

/** A column as the state manifest records it. */
export interface StateColumn {
  name: string;
  description?: string;
  data_type?: string | null;
  constraints?: unknown[];
}

/** A node of the state manifest: the fields state comparison and deferral read. */
export interface StateNode {
  unique_id: string;
  resource_type: string;
  name: string;
  package_name?: string;
  fqn?: string[];
  raw_code?: string;
  checksum?: { name: string; checksum: string };
  config?: Record<string, unknown>;
  unrendered_config?: Record<string, unknown>;
  description?: string;
  columns?: Record<string, StateColumn>;
  database?: string | null;
  schema?: string;
  alias?: string;
  relation_name?: string | null;
  contract?: { enforced?: boolean; checksum?: string | null };
  depends_on?: { nodes?: string[]; macros?: string[] };
  test_metadata?: unknown;
  access?: string;
  version?: unknown;
  latest_version?: unknown;
  deprecation_date?: unknown;
  [key: string]: unknown;
}

export interface StateMacro {
  unique_id: string;
  macro_sql: string;
  package_name?: string;
  original_file_path?: string;
}

export interface StateManifest {
  nodes: Record<string, StateNode>;
  sources: Record<string, StateNode>;
  macros: Record<string, StateMacro>;
  unit_tests: Record<string, StateNode>;
  /** dbt 1.11's user-defined functions (absent in a manifest written before them). */
  functions?: Record<string, StateNode>;
  /** Exposures, metrics, semantic models and saved queries, by unique_id (dbt compares these too; groups it does not). */
  declared: Record<string, StateNode>;
  /** Whether tsdbt wrote it (`metadata.tsdbt_version`); false for a manifest dbt wrote. */
  writtenByTsdbt: boolean;
}

export interface StateArtifacts {
  /** The folder, as given (resolved against the project). */
  dir: string;
  manifest: StateManifest;
  /** unique_id -> status of the state's run_results.json; null when it has none. */
  results: Map<string, string> | null;
}

function stateError(message: string, hint: string): TsdbtError {
  return new TsdbtError(message, { code: 'state-invalid', category: 'user', hint });
}

/** The manifest schema version tsdbt writes, and the oldest dbt 1.11 reads as state (WritableManifest.compatible_previous_versions). */
const MANIFEST_VERSION = 12;
const OLDEST_READABLE_MANIFEST = 4;

/**
 * dbt's IncompatibleSchemaError: a manifest older than v4 (dbt before 1.0) cannot be read as state.
 * A manifest without a schema version is read (dbt checks only one it finds).
 */
function checkManifestVersion(raw: Record<string, unknown>, file: string): void {
  const found = (raw.metadata as { dbt_schema_version?: unknown } | undefined)?.dbt_schema_version;
  const version = manifestSchemaVersion(raw);
  if (version === null || version >= OLDEST_READABLE_MANIFEST) return;
  throw stateError(
    `Expected a schema version of "https://schemas.getdbt.com/dbt/manifest/v${MANIFEST_VERSION}.json" in ${file}, but found "${String(found)}". Are you running with a different version of dbt?`,
    `manifests of schema v${OLDEST_READABLE_MANIFEST} and later are read; run the state's project again with a newer dbt or tsdbt to write one`,
  );
}

function readJson(file: string, flag: string, what: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw stateError(`cannot read ${file} (${flag}): ${(err as Error).message}`, `check the folder's permissions, or copy ${what} there again`);
  }
  try {
    const parsed = JSON.parse(text) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not a JSON object');
    return parsed as Record<string, unknown>;
  } catch (err) {
    throw stateError(`${file} (${flag}) is not a valid dbt artifact: ${(err as Error).message}`, `copy ${what} from a complete run (tsdbt writes it into target/) into that folder again`);
  }
}


/** A mapping of the artifact, keeping only entries that are objects (a hand-edited or truncated file loses the rest). */
const objectOf = <T>(value: unknown): Record<string, T> => (isPlainObject(value) ? (Object.fromEntries(Object.entries(value).filter(([, v]) => isPlainObject(v))) as Record<string, T>) : {});

/**
 * Reads `<dir>/manifest.json` (required) and `<dir>/run_results.json` (when present). `flag` names
 * the option in messages (`--state`, `--defer-state`).
 */
export function readStateArtifacts(projectDir: string, dir: string, flag = '--state'): StateArtifacts {
  const abs = path.resolve(projectDir, dir);
  if (!existsSync(abs) || !statSync(abs).isDirectory()) {
    throw stateError(`the ${flag} folder ${abs} does not exist`, 'pass the folder holding the artifacts (manifest.json, run_results.json) of the run to compare with, e.g. a copy of its target/ folder');
  }
  const manifestFile = path.join(abs, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw stateError(`${flag} ${abs} has no manifest.json`, 'copy target/manifest.json of the production run into that folder (tsdbt writes it on parse, compile, run and build)');
  }
  const raw = readJson(manifestFile, flag, 'manifest.json');
  if (typeof raw.nodes !== 'object' || raw.nodes === null) {
    throw stateError(`${manifestFile} (${flag}) has no "nodes": it is not a manifest.json`, 'copy target/manifest.json of the production run into that folder');
  }
  checkManifestVersion(raw, manifestFile);
  upgradeManifestJson(raw);
  const manifest: StateManifest = {
    nodes: objectOf<StateNode>(raw.nodes),
    sources: objectOf<StateNode>(raw.sources),
    macros: objectOf<StateMacro>(raw.macros),
    unit_tests: objectOf<StateNode>(raw.unit_tests),
    functions: objectOf<StateNode>(raw.functions),
    declared: { ...objectOf<StateNode>(raw.exposures), ...objectOf<StateNode>(raw.metrics), ...objectOf<StateNode>(raw.semantic_models), ...objectOf<StateNode>(raw.saved_queries) },
    writtenByTsdbt: writtenByTsdbt(raw),
  };
  const resultsFile = path.join(abs, 'run_results.json');
  let results: Map<string, string> | null = null;
  if (existsSync(resultsFile)) {
    const runResults = readJson(resultsFile, flag, 'run_results.json');
    const list = Array.isArray(runResults.results) ? (runResults.results as { unique_id?: unknown; status?: unknown }[]) : [];
    results = new Map(list.filter((r) => typeof r?.unique_id === 'string').map((r) => [String(r.unique_id), String(r.status)]));
  }
  return { dir: abs, manifest, results };
}

/** The state's manifest entry for `uniqueId`, whatever kind of resource it is. */
export function stateNodeOf(manifest: StateManifest, uniqueId: string): StateNode | undefined {
  return manifest.nodes[uniqueId] ?? manifest.sources[uniqueId] ?? manifest.unit_tests[uniqueId] ?? manifest.functions?.[uniqueId];
}

const perOwner = new WeakMap<object, Map<string, StateArtifacts>>();

/**
 * readStateArtifacts, read once per `owner` (an invocation): selection and deferral share it.
 * `onFirstRead` is told the folder's absolute path, and the path as given, when it is read (dbt warns then if it is the target folder).
 */
export function stateArtifactsFor(owner: object, projectDir: string, dir: string, flag = '--state', onFirstRead?: (abs: string, given: string) => void): StateArtifacts {
  let cache = perOwner.get(owner);
  if (!cache) perOwner.set(owner, (cache = new Map<string, StateArtifacts>()));
  const key = path.resolve(projectDir, dir);
  let found = cache.get(key);
  if (!found) {
    cache.set(key, (found = readStateArtifacts(projectDir, dir, flag)));
    onFirstRead?.(key, dir);
  }
  return found;
}

/** dbt's WarnStateTargetEqual text: the state folder (as given, as dbt prints it) is the one this run writes its artifacts to. */
export function stateIsTargetMessage(given: string): string {
  return `Warning: The state and target directories are the same: '${given}'. This could lead to missing changes due to overwritten state including non-idempotent retries.`;
}

/**
 * Whether tsdbt wrote this manifest: its dbt macros are tsdbt's global project's (their paths
 * `tsdbt/global_project/...` or `tsdbt/adapters/...`, where dbt's read `macros/...`), or, from a
 * tsdbt before its artifacts kept to dbt's schema, `metadata.tsdbt_version`.
 */
function writtenByTsdbt(raw: Record<string, unknown>): boolean {
  if (typeof (raw.metadata as { tsdbt_version?: unknown } | undefined)?.tsdbt_version === 'string') return true;
  for (const macro of Object.values(objectOf<StateMacro>(raw.macros))) {
    if (macro.package_name === 'dbt' && typeof macro.original_file_path === 'string') return macro.original_file_path.startsWith('tsdbt/');
  }
  return false;
}
