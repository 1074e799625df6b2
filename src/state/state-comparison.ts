// dbt's state comparison (StateSelectorMethod over ParsedNode.same_*): for each node of this
// project, whether the state manifest has it, and which of dbt's criteria say it changed:
//   body                    raw code (stripped, as dbt stores files), a seed's file checksum
//   configs                 unrendered config, without database/schema/alias/tags/group (tests: their
//                           severity/where/limit/fail_calc/warn_if/error_if/store_failures(_as) only)
//   relation                unrendered database/schema/alias (not what target or generate_x_name made of them)
//   persisted_descriptions  the relation / column descriptions, only where persist_docs writes them
//   macros                  a macro the node calls, directly or through other macros, changed
//   contract                the enforced contract's checksum (columns, types, constraints)
//   other                   fqn, a model's access / version fields, a source's identity, freshness, quoting;
//                           an exposure's, metric's, semantic model's or saved query's own fields (their same_contents)
// Comparing the manifests as tsdbt writes them (manifest-writer.ts) keeps both sides in one shape.
import { nodeJson, sourceJson, unitTestJson } from '../artifacts/resource-json.js';
import { declaredJson } from '../graph/declared-resources.js';
import type { DeclaredResource, Manifest, ManifestNode, SourceTable } from '../manifest/types.js';
import type { StateManifest, StateNode } from './state-artifacts.js';
import { comparableConfig, withoutDefaults } from './comparable-config.js';

export type ModifiedKind = 'body' | 'configs' | 'relation' | 'persisted_descriptions' | 'macros' | 'contract' | 'other';

export interface NodeState {
  /** The state manifest has a node with this unique_id. */
  old: boolean;
  /** What changed (every kind for a new node, as dbt's sub-selectors select new nodes). */
  modified: ModifiedKind[];
  /** dbt's error when the node's test macro no longer exists and macros changed (selection raises it). */
  missingMacro?: string;
}

/** dbt's NodeAndTestConfig fields excluded from config comparison (they are the relation or metadata). */
const CONFIG_EXCLUDED = new Set(['alias', 'schema', 'database', 'tags', 'group']);
/** TestConfig.same_contents: the only keys compared for tests. */
const TEST_MODIFIERS = ['severity', 'where', 'limit', 'fail_calc', 'warn_if', 'error_if', 'store_failures', 'store_failures_as'];

/** Deep equality of JSON values (key order ignored). */
export function sameJson(a: unknown, b: unknown): boolean {
  return stableText(a) === stableText(b);
}

function stableText(value: unknown): string {
  if (value === undefined) return 'undefined';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(stableText).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${stableText(v)}`).join(',')}}`;
}

/** dbt-common's BaseConfig.compare_key: absent on both sides is equal, absent on one is not. */
function sameKey(a: Record<string, unknown>, b: Record<string, unknown>, key: string): boolean {
  const inA = key in a;
  const inB = key in b;
  if (!inA && !inB) return true;
  if (inA !== inB) return false;
  return sameJson(a[key], b[key]);
}

function sameConfig(resourceType: string, now: Record<string, unknown>, before: Record<string, unknown>): boolean {
  if (resourceType === 'test') return TEST_MODIFIERS.every((key) => sameKey(now, before, key));
  for (const key of new Set([...Object.keys(now), ...Object.keys(before)])) {
    if (!CONFIG_EXCLUDED.has(key) && !sameKey(now, before, key)) return false;
  }
  return true;
}

/**
 * A source's rendered config, as dbt compares its SourceConfig objects: a field one
 * manifest lacks reads as its default (null), so a state written before a field existed (dbt
 * 1.11's `static_analysis`) is no change.
 */
function sameRenderedConfig(now: Record<string, unknown>, before: Record<string, unknown>): boolean {
  for (const key of new Set([...Object.keys(now), ...Object.keys(before)])) {
    if (!CONFIG_EXCLUDED.has(key) && !sameJson(now[key] ?? null, before[key] ?? null)) return false;
  }
  return true;
}

function sameRelation(now: Record<string, unknown>, before: Record<string, unknown>): boolean {
  return ['database', 'schema', 'alias'].every((key) => sameJson(now[key] ?? null, before[key] ?? null));
}

/** dbt strips a file's leading and trailing whitespace when it reads it: that is no change. */
const stripped = (code: unknown) => (typeof code === 'string' ? code.trim() : '');

function sameBody(now: StateNode, before: StateNode): boolean {
  if (now.resource_type === 'seed') return sameJson(now.checksum, before.checksum);
  return stripped(now.raw_code) === stripped(before.raw_code);
}

function persistDocs(node: StateNode): { relation: boolean; columns: boolean } {
  const config = (node.config?.persist_docs ?? {}) as Record<string, unknown>;
  return { relation: Boolean(config.relation), columns: Boolean(config.columns) };
}

function samePersistedDescriptions(now: StateNode, before: StateNode): boolean {
  const persist = persistDocs(now);
  if (persist.relation && (now.description ?? '') !== (before.description ?? '')) return false;
  if (persist.columns) {
    const descriptions = (node: StateNode) => Object.fromEntries(Object.entries(node.columns ?? {}).map(([k, c]) => [k, c.description ?? '']));
    if (!sameJson(descriptions(now), descriptions(before))) return false;
  }
  return true;
}

/** ModelNode.same_contract (the breaking-change check aside): enforcement or the checksum changed. */
function sameContract(now: StateNode, before: StateNode): boolean {
  if (now.resource_type !== 'model') return true;
  const was = before.contract?.enforced === true;
  const is = now.contract?.enforced === true;
  if (!was && !is) return true;
  if (was !== is) return false;
  return (now.contract?.checksum ?? null) === (before.contract?.checksum ?? null);
}

function sameOther(now: StateNode, before: StateNode): boolean {
  if (!sameJson(now.fqn, before.fqn)) return false;
  if (now.resource_type === 'model') {
    // ModelNode.same_ref_representation: what downstream refs depend on. A manifest written before
    // models had `access` (schema v8 and older) reads as dbt's default, protected.
    const access = (n: StateNode) => n.access ?? 'protected';
    return sameJson(now.latest_version ?? null, before.latest_version ?? null) && access(now) === access(before) && sameJson(now.deprecation_date ?? null, before.deprecation_date ?? null);
  }
  return true;
}

/**
 * SourceDefinition.same_contents: where it lives, its quoting, freshness, external and config.
 * Where it lives is the database and schema as rendered, or as written when the project sets
 * `state_modified_compare_more_unrendered_values` (same_database_representation).
 */
function sameSource(now: StateNode, before: StateNode, unrendered: boolean): boolean {
  const place = unrendered ? ['unrendered_database', 'unrendered_schema'] : ['database', 'schema'];
  const fields = [...place, 'identifier', 'freshness', 'loaded_at_field', 'external'];
  // dbt's Quoting: a key one manifest lacks (`column`, which tsdbt wrote from 2026-11-28) is None.
  const quoting = (n: StateNode) => ({ database: null, schema: null, identifier: null, column: null, ...((n.quoting as Record<string, unknown> | undefined) ?? {}) });
  return fields.every((f) => sameJson(now[f] ?? null, before[f] ?? null)) && sameJson(quoting(now), quoting(before)) && sameRenderedConfig(now.config ?? {}, before.config ?? {});
}

const NEW_NODE_KINDS: ModifiedKind[] = ['body', 'configs', 'relation', 'persisted_descriptions', 'contract', 'other'];

/**
 * Macro unique_ids whose text differs from the state's, or that one side lacks (dbt's
 * _macros_modified). Against a manifest dbt wrote, the engine's own macros (package `dbt`, and
 * dbt's adapter packages, which tsdbt's manifest does not have) are left out: their text is
 * each engine's, not the project's, and comparing it would select every node of a project that
 * moves from dbt to tsdbt with its production manifest (dbt itself selects them after each of its
 * upgrades).
 */
function modifiedMacros(current: Manifest, state: StateManifest): Set<string> {
  const out = new Set<string>();
  const packages = new Set(Object.values(current.macros).map((m) => m.package_name));
  // dbt's own packages: `dbt`, and an adapter's (`dbt_postgres`) that is no package of this project.
  const engine = (pkg: string | undefined) => !state.writtenByTsdbt && (pkg === 'dbt' || (pkg !== undefined && pkg.startsWith('dbt_') && !packages.has(pkg)));
  for (const [id, macro] of Object.entries(current.macros)) if (state.macros[id]?.macro_sql !== macro.macro_sql && !engine(macro.package_name)) out.add(id);
  for (const [id, macro] of Object.entries(state.macros)) if (!current.macros[id] && !engine(macro.package_name)) out.add(id);
  return out;
}

/** True when a macro the node calls, directly or through other macros, is in `changed`. */
function reachesChangedMacro(start: string[], current: Manifest, changed: Set<string>): boolean {
  if (changed.size === 0) return false;
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop() as string;
    if (seen.has(id)) continue;
    seen.add(id);
    if (changed.has(id)) return true;
    stack.push(...(current.macros[id]?.depends_on.macros ?? []));
  }
  return false;
}

/** A warning of the comparison, with dbt's event name (for --warn-error-options). */
export type StateWarn = (message: string, event: string) => void;

/**
 * dbt's SeedNode.same_seeds warnings: a seed over 1MB is checksummed by its path, so whether its
 * contents changed is a guess, said so.
 */
function seedSizeWarning(node: ManifestNode, now: StateNode, before: StateNode, warn: StateWarn): void {
  if (now.checksum?.name !== 'path') return;
  const seed = `Found a seed (${node.package_name}.${node.name}) >1MB in size`;
  if (before.checksum?.name !== 'path') warn(`${seed}. The previous file was <=1MB, so it has changed`, 'SeedIncreased');
  else if (sameJson(now.checksum, before.checksum)) warn(`${seed} at the same path, dbt cannot tell if it has changed: assuming they are the same`, 'SeedExceedsLimitSamePath');
  else warn(`${seed}. The previous file was in a different location, assuming it has changed`, 'SeedExceedsLimitAndPathChanged');
}

/** The state of every node and source of `current` against the state manifest. */
export function compareWithState(current: Manifest, state: StateManifest, warn: StateWarn = () => undefined): Map<string, NodeState> {
  const out = new Map<string, NodeState>();
  const changedMacros = modifiedMacros(current, state);
  for (const node of Object.values(current.nodes)) {
    const now = (node.resource_type === 'unit_test' ? unitTestJson(node) : nodeJson(node)) as StateNode;
    const before = node.resource_type === 'unit_test' ? state.unit_tests[node.unique_id] : node.resource_type === 'function' ? state.functions?.[node.unique_id] : state.nodes[node.unique_id];
    if (before && node.resource_type === 'seed') seedSizeWarning(node, now, before, warn);
    out.set(node.unique_id, compareNode(node, now, before, current, changedMacros));
  }
  for (const source of Object.values(current.sources)) {
    const before = state.sources[source.unique_id];
    out.set(source.unique_id, compareSource(source, before, current.comparesUnrenderedValues === true));
  }
  for (const resource of Object.values(current.declared ?? {})) {
    if (resource.resource_type === 'group') continue; // dbt's state: method does not look at groups
    out.set(resource.unique_id, compareDeclared(resource, state.declared[resource.unique_id]));
  }
  return out;
}

function compareNode(node: ManifestNode, now: StateNode, before: StateNode | undefined, current: Manifest, changedMacros: Set<string>): NodeState {
  const macros = reachesChangedMacro(node.depends_on.macros, current, changedMacros);
  // dbt's sub-selectors select a new node (no old one to compare with), except `.macros`, which only asks about macros.
  const missing = missingTestMacro(node, changedMacros);
  if (!before) return { old: false, modified: [...NEW_NODE_KINDS, ...(macros ? (['macros'] as const) : [])], ...missing };
  const modified: ModifiedKind[] = [];
  if (node.resource_type === 'unit_test') {
    // UnitTestDefinition.same_contents: its checksum, of the model, versions, given, expect and
    // overrides (not its description or config: a changed tag is no change to dbt).
    // A sql fixture's text is compared without surrounding whitespace (a YAML `|` block's last line end).
    const rows = (f: unknown) => (f && typeof f === 'object' && typeof (f as { rows?: unknown }).rows === 'string' ? { ...f, rows: ((f as { rows: string }).rows).trim() } : f);
    const definition = (n: StateNode) => ({ model: n.model, versions: n.versions ?? null, given: Array.isArray(n.given) ? n.given.map(rows) : n.given, expect: rows(n.expect), overrides: n.overrides });
    if (!sameJson(definition(now), definition(before))) modified.push('body');
    if (macros) modified.push('macros');
    return { old: true, modified };
  }
  const isGenericTest = node.resource_type === 'test' && node.test_metadata !== undefined;
  if (!isGenericTest && !sameBody(now, before)) modified.push('body');
  const [nowConfig, beforeConfig] = [comparableConfig(now.unrendered_config ?? {}), comparableConfig(before.unrendered_config ?? {})];
  if (!sameConfig(node.resource_type, nowConfig, beforeConfig)) modified.push('configs');
  if (!isGenericTest && !sameRelation(nowConfig, beforeConfig)) modified.push('relation');
  if (!isGenericTest && !samePersistedDescriptions(now, before)) modified.push('persisted_descriptions');
  if (macros) modified.push('macros');
  if (!sameContract(now, before)) modified.push('contract');
  if (!sameOther(now, before)) modified.push('other');
  return { old: true, modified, ...missing };
}

/**
 * A generic test whose `{% test %}` macro is gone (removed but still referenced: its node lists no
 * test macro), while some macro changed: dbt's state check of macro changes meets the missing
 * macro and stops with this error (selector_methods.py, recursively_check_macros_modified).
 */
function missingTestMacro(node: ManifestNode, changedMacros: Set<string>): { missingMacro?: string } {
  const meta = node.test_metadata;
  if (!meta || changedMacros.size === 0 || node.depends_on.macros.some((id) => id.endsWith(`.test_${meta.name}`))) return {};
  return {
    missingMacro: `Node '${node.name}' (in ${node.original_file_path}) depends on a macro or test that does not exist. This can happen when a macro or generic test is removed but is still referenced. Check for typos and/or install package dependencies with 'dbt deps'.`,
  };
}

function compareSource(source: SourceTable, before: StateNode | undefined, unrendered: boolean): NodeState {
  // A new source is state:modified (dbt's docs: "all new nodes"); sources have no body, config or relation sub-selector.
  if (!before) return { old: false, modified: ['other'] };
  return { old: true, modified: sameSource(sourceJson(source) as StateNode, before, unrendered) ? [] : ['other'] };
}

/** The fields dbt's same_contents compares, per kind (Exposure, Metric, SemanticModel, SavedQuery in contracts/graph/nodes.py). */
const DECLARED_FIELDS: Record<string, (json: StateNode) => unknown[]> = {
  exposure: (j) => [j.fqn, j.type, j.owner, j.maturity ?? null, j.url ?? null, j.description ?? '', j.label ?? null, [...(j.depends_on?.nodes ?? [])].sort()],
  metric: (j) => [j.type, j.description ?? '', j.label ?? null],
  semantic_model: (j) => [j.model, j.description ?? '', j.defaults ?? null, withoutDefaults(j.entities ?? []), withoutDefaults(j.dimensions ?? []), withoutDefaults(j.measures ?? []), j.primary_entity ?? null, j.group ?? null],
  saved_query: (j) => {
    const params = (j.query_params ?? {}) as Record<string, unknown>;
    const exports = Array.isArray(j.exports) ? (j.exports as Record<string, unknown>[]) : [];
    // same_exports: each export's name and its export_as / schema / alias as written.
    const exported = exports.map((e) => {
      // dbt writes the export's config as written in unrendered_config; tsdbt's config is that.
      const config = (e.unrendered_config ?? e.config ?? {}) as Record<string, unknown>;
      return [e.name, config.export_as ?? null, config.schema ?? null, config.alias ?? null];
    });
    return [params.metrics ?? [], params.group_by ?? [], params.where ?? null, j.description ?? '', j.label ?? null, j.group ?? null, exported, j.tags ?? []];
  },
};

/**
 * An exposure, metric, semantic model or saved query against the state's: dbt compares each
 * kind's own fields and its config (meta and tags are metadata, not changes: docs, caveats to
 * state comparison). A change is `state:modified` (no sub-selector names these resources).
 */
function compareDeclared(resource: DeclaredResource, before: StateNode | undefined): NodeState {
  if (!before) return { old: false, modified: ['other'] };
  const now = declaredJson(resource) as StateNode;
  const fields = DECLARED_FIELDS[resource.resource_type];
  const sameFields = fields ? sameJson(fields(now), fields(before)) : true;
  const config = (node: StateNode) => {
    const { meta: _meta, tags: _tags, ...rest } = node.config ?? {};
    return rest;
  };
  return { old: true, modified: sameFields && sameJson(config(now), config(before)) ? [] : ['other'] };
}
