// One resource as dbt's manifest v12 writes it: a node (model, seed, test, snapshot, analysis,
// function), a unit test, a source, a macro, their columns and constraints. manifest-writer.ts
// assembles the file from these; `ls --output json`, the `graph` context, on-run-end `results` and
// state comparison read a node through them too.
import { dirname, sep } from 'node:path';
import type { ColumnDef, Constraint, Manifest, ManifestNode, SourceTable, UnitTestRows } from '../manifest/types.js';
import { csvTextRows } from '../manifest/csv-text-rows.js';
import { contractChecksum } from '../manifest/contract-checksum.js';
import { nodeGroup } from '../graph/model-access.js';
import { dbtConfigJson } from './config-defaults.js';
import { literalObject } from './literal-object.js';
import { dbtRawCode } from '../manifest/raw-code.js';
import { staticAnalysisValue } from '../manifest/static-analysis.js';

const NONE: readonly never[] = Object.freeze([]);

/** The project folder a seed's CSV is in: its absolute path without its project-relative one. */
function seedRootPath(file: string, relative: string): string {
  const rel = relative.split('/').join(sep);
  return file.endsWith(sep + rel) ? file.slice(0, file.length - rel.length - 1) : dirname(file);
}

/** A node as dbt's manifest writes it (also what templates see in `graph` and on-run-end `results`). */
export function nodeJson(node: ManifestNode): Record<string, unknown> {
  return nodeJsonObject(node);
}

/** tsdbt's own fields of a node, not in dbt's manifest (and `group`, written after the loop in dbt's place). */
const INTERNAL_KEYS = ['seed_file', 'seed_columns', 'line', '_patch', 'group', 'metric_ids'];
/** dbt's CompiledResource fields, written in dbt's places below (after `sources`, and after the loop). */
const PLACED_KEYS = ['metrics', 'functions', 'compiled_path', 'extra_ctes'];
/** dbt's v12 nodes: only models have `access` and `constraints`. */
const MODEL_ONLY_KEYS = ['access', 'constraints'];
/** The compiled-node fields dbt's SeedNode does not have. */
const SEED_ABSENT_KEYS = ['language', 'refs', 'sources', 'contract', 'compiled', 'compiled_code'];
/** Fields left out where the node has them undefined. */
const ABSENT_WHEN_UNDEFINED = ['language', 'refs', 'sources', 'compiled', 'compiled_code'];

/** How a node's own key is treated (bits), found by one lookup: most keys have none. */
const SKIPPED = 1;
const MODEL_ONLY = 2;
const SEED_ABSENT = 4;
const UNDEFINED_ABSENT = 8;
const STRIPPED = 16;
const KEY_RULES = new Map<string, number>();
for (const [keys, rule] of [
  [INTERNAL_KEYS, SKIPPED],
  [PLACED_KEYS, SKIPPED],
  [MODEL_ONLY_KEYS, MODEL_ONLY],
  [SEED_ABSENT_KEYS, SEED_ABSENT],
  [ABSENT_WHEN_UNDEFINED, UNDEFINED_ABSENT],
  [['raw_code'], STRIPPED],
] as const) {
  for (const key of keys) KEY_RULES.set(key, (KEY_RULES.get(key) ?? 0) | rule);
}

/**
 * A node as dbt writes it. Its keys and values are gathered in order, then made into one object
 * literal of that shape (literal-object.ts): an object given 40 keys one by one (`json[key] =
 * value`) is a dictionary to V8, which JSON.stringify then reads slowly, and a spread copy with
 * one field added gets a hidden class of its own, which the young-generation collector then copies
 * around. `set` is that assignment: a key already gathered keeps its place and takes the new value.
 */
export function nodeJsonObject(node: ManifestNode, config: unknown = dbtConfigJson(node.resource_type, node.config)): Record<string, unknown> {
  const model = node.resource_type === 'model';
  const seed = node.resource_type === 'seed';
  const keys: string[] = [];
  const values: unknown[] = [];
  const set = (key: string, value: unknown) => {
    const at = keys.indexOf(key);
    if (at < 0) {
      keys.push(key);
      values.push(value);
    } else values[at] = value;
  };
  const fields = node as unknown as Record<string, unknown>;
  for (const key in fields) {
    const value = fields[key];
    const rule = KEY_RULES.get(key);
    if (rule !== undefined && (rule & SKIPPED || (!model && rule & MODEL_ONLY) || (seed && rule & SEED_ABSENT) || (value === undefined && rule & UNDEFINED_ABSENT))) continue;
    // A node's own keys are distinct, and none is one of the PLACED_KEYS set beside them here.
    keys.push(key);
    // raw_code as dbt keeps it: a whole file's text stripped (raw-code.ts).
    values.push(rule !== undefined && rule & STRIPPED && typeof value === 'string' ? dbtRawCode(node.resource_type, value) : value);
    // dbt's CompiledResource (every node but a seed): the metric() and function() calls after sources.
    if (key === 'sources') {
      keys.push('metrics', 'functions');
      values.push(node.metrics ?? NONE, node.functions ?? NONE);
    }
  }
  if (!seed) {
    // Unset until the compiled SQL is written; dbt keeps the key (null) on a node never compiled,
    // and on a snapshot (its compiler's _write_node skips snapshots).
    set('compiled_path', node.resource_type === 'snapshot' ? null : (node.compiled_path ?? null));
    if (node.compiled) {
      set('extra_ctes_injected', true);
      set('extra_ctes', node.extra_ctes ?? NONE);
    }
  } else if (node.seed_file && node.original_file_path) {
    // dbt's SeedNode.root_path: the folder of the project (or package) the seed belongs to.
    set('root_path', seedRootPath(node.seed_file, node.original_file_path));
  }
  set('config', config);
  set('columns', columnsJson(node.columns, node.compiled_foreign_keys));
  set('doc_blocks', node.doc_blocks ?? []);
  set('build_path', null);
  set('unrendered_config', node.unrendered_config ?? {});
  set('created_at', 0);
  if (!seed) set('contract', contractJson(node));
  if (model) {
    // dbt's ModelNode: `access` and `group` are the config's (protected and none by default).
    set('access', typeof node.config.access === 'string' ? node.config.access : 'protected');
    // Models: dbt's ModelNode fields, null unless the model is versioned / deprecated.
    set('version', node.version ?? null);
    set('latest_version', node.latest_version ?? null);
    set('deprecation_date', node.deprecation_date ?? null);
    set('time_spine', node.time_spine ?? null);
    set('primary_key', node.primary_key ?? []);
  }
  set('group', nodeGroup(node));
  if (model) set('constraints', (node.constraints ?? []).map((c) => constraintJson(c, true, node.compiled_foreign_keys)));
  // A seed is no compiled node (dbt's SeedNode): no language, refs, sources or contract, and it
  // depends on macros only.
  if (seed) set('depends_on', { macros: node.depends_on.macros });
  // dbt's depends_on also lists the metrics of the node's metric() calls.
  else if (node.metric_ids?.length) set('depends_on', { ...node.depends_on, nodes: [...node.depends_on.nodes, ...node.metric_ids] });
  return literalObject(keys, values);
}

/** dbt's node `contract`: the config's `enforced` / `alias_types` and the checksum state comparison reads. */
export function contractJson(node: ManifestNode): Record<string, unknown> {
  const config = (node.config.contract ?? {}) as { enforced?: unknown; alias_types?: unknown };
  return { enforced: config.enforced === true, alias_types: config.alias_types !== false, checksum: contractChecksum(node) };
}

/**
 * Macros as dbt lists them: a property entry's description, meta, docs and arguments (none but
 * the entry's: dbt's manifest does not list a signature's), without tsdbt's line and patch.
 */
export function macrosJson(macros: Manifest['macros']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, m] of Object.entries(macros)) {
    const patch = m.patch;
    const meta = patch?.meta ?? {};
    const docs = patch?.docs ?? { show: true, node_color: null };
    out[id] = {
      name: m.name,
      resource_type: m.resource_type,
      package_name: m.package_name,
      path: m.path,
      original_file_path: m.original_file_path,
      unique_id: m.unique_id,
      macro_sql: m.macro_sql,
      depends_on: m.depends_on,
      description: m.description,
      meta,
      docs,
      config: { meta, docs },
      patch_path: patch?.patch_path ?? null,
      arguments: m.inferredArguments ?? patch?.arguments ?? [],
      created_at: 0,
      supported_languages: null,
    };
  }
  return out;
}

/** Sources as dbt lists them: without the line tsdbt keeps for its messages, with dbt's doc_blocks. */
export function sourcesJson(sources: Manifest['sources']): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [id, source] of Object.entries(sources)) out[id] = sourceJson(source);
  return out;
}

export function sourceJson(source: SourceTable): Record<string, unknown> {
  const quoting = (source.quoting as SourceTable['quoting'] | undefined) ?? {};
  return {
    ...source,
    line: undefined,
    columns: columnsJson(source.columns),
    doc_blocks: source.doc_blocks ?? [],
    // dbt's Quoting: database, schema, identifier and column, None where unset; a source has no
    // patch file and `external` null without one.
    quoting: { database: quoting.database ?? null, schema: quoting.schema ?? null, identifier: quoting.identifier ?? null, column: quoting.column ?? null },
    external: source.external ?? null,
    patch_path: null,
    // SourceDefinition's created_at (dbt's parse time; 0, as tsdbt writes every node's).
    created_at: 0,
  };
}

/** Columns with every field dbt's ColumnInfo writes (granularity and doc_blocks included when unset). */
export function columnsJson(columns: Record<string, ColumnDef> | undefined, compiledTo?: Record<string, string>): Record<string, unknown> | undefined {
  if (!columns) return columns;
  const out: Record<string, unknown> = {};
  for (const [name, column] of Object.entries(columns)) {
    out[name] = { ...column, data_type: column.data_type ?? null, constraints: (column.constraints ?? []).map((c) => constraintJson(c, false, compiledTo)), quote: column.quote ?? null, granularity: column.granularity ?? null, doc_blocks: column.doc_blocks ?? [] };
  }
  return out;
}

/**
 * A constraint with every field dbt's ColumnLevelConstraint writes (ModelLevelConstraint adds
 * `columns`), unset ones as their defaults: a reader can take `c["to_columns"]` of any constraint.
 */
export function constraintJson(constraint: Constraint, modelLevel: boolean, compiledTo?: Record<string, string>): Record<string, unknown> {
  const { type, ...given } = constraint;
  // A compiled model's foreign key names the relation its `to:` rendered to, as dbt's compile writes it.
  const to = typeof given.to === 'string' ? compiledTo?.[given.to] : undefined;
  if (to !== undefined) given.to = to;
  return {
    type,
    name: null,
    expression: null,
    warn_unenforced: true,
    warn_unsupported: true,
    to: null,
    to_columns: [],
    ...(modelLevel ? { columns: [] } : {}),
    ...given,
  };
}

/**
 * A unit test's rows as dbt's manifest holds them (_validate_and_normalize_rows): csv rows (inline
 * or from their fixture) as mappings of strings, an empty field None; dict rows and sql text as written.
 */
function rowsJson(rows: UnitTestRows): unknown {
  if (rows.format !== 'csv' || typeof rows.rows !== 'string') return rows.rows;
  return csvTextRows(rows.rows).map((row) => Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === '' ? null : v])));
}

/** dbt's unit test shape: model, given, expect, overrides beside the usual identity fields. */
export function unitTestJson(node: ManifestNode): Record<string, unknown> {
  const spec = node.unit_test;
  return {
    unique_id: node.unique_id,
    resource_type: 'unit_test',
    package_name: node.package_name,
    name: node.name,
    path: node.path,
    original_file_path: node.original_file_path,
    fqn: node.fqn,
    description: node.description,
    model: spec?.model,
    given: spec?.given.map((g) => ({ input: g.input, rows: rowsJson(g), format: g.format, fixture: g.fixture ?? null })),
    expect: spec ? { rows: rowsJson(spec.expect), format: spec.expect.format, fixture: spec.expect.fixture ?? null } : null,
    overrides: spec?.overridesWritten ? spec.overrides : null,
    versions: spec?.versions ?? null,
    version: node.version ?? null,
    depends_on: { nodes: node.depends_on.nodes, macros: [] },
    config: { tags: node.tags, meta: node.meta, enabled: node.config.enabled !== false, static_analysis: staticAnalysisValue(node.config.static_analysis) },
  };
}
