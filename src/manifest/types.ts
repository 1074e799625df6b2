// The Manifest: every resource of a project after parsing (dbt's manifest.json, in memory).
// Plain serialisable data; node ids and fields follow dbt's manifest v12 so artifacts are a
// straight write.

import type { SourceLocation } from '../errors/tsdbt-error.js';

export type NodeResourceType = 'model' | 'seed' | 'test' | 'snapshot' | 'analysis' | 'operation' | 'unit_test' | 'function' | 'exposure' | 'saved_query';

/** Config of a node after layering project, property-file and in-file config. */
export interface NodeConfig {
  enabled: boolean;
  materialized: string;
  schema?: string | null;
  database?: string | null;
  alias?: string | null;
  tags: string[];
  meta: Record<string, unknown>;
  pre_hook: HookConfig[];
  post_hook: HookConfig[];
  [key: string]: unknown;
}

export interface HookConfig {
  sql: string;
  transaction: boolean;
  /** dbt's Hook.index: null unless the hook's dict gives one (the materialization numbers them in order). */
  index?: number | null;
}

export interface ColumnDef {
  name: string;
  description: string;
  /** dbt's doc_blocks: the unique_ids of the doc blocks its description reads (unset: none). */
  doc_blocks?: string[];
  data_type?: string | null;
  meta: Record<string, unknown>;
  tags: string[];
  quote?: boolean | null;
  /** Column constraints (model contracts). */
  constraints?: Constraint[];
  /** dbt 1.10's column config: meta and tags (the top-level ones merged in). */
  config?: { meta: Record<string, unknown>; tags: string[] };
  /** MetricFlow's time grain of the column (dbt 1.9 `granularity`), where the property entry sets one. */
  granularity?: string;
  /** Keys of the entry dbt's ColumnInfo does not define (its `_extra`, written flat; dbt-clickhouse's `codec`, `ttl`). */
  [extra: string]: unknown;
}

/** A model-contract constraint (dbt 1.5+): on a column, or on the model with `columns`. */
/** A model's MetricFlow time spine (dbt's TimeSpine): its standard granularity column and custom granularities. */
export interface TimeSpineSpec {
  standard_granularity_column: unknown;
  custom_granularities: { name: unknown; column_name: unknown }[];
}

export interface Constraint {
  type: 'not_null' | 'unique' | 'primary_key' | 'check' | 'foreign_key' | 'custom';
  name?: string | null;
  expression?: string | null;
  /** Model-level constraints: the columns they cover. */
  columns?: string[];
  /** foreign_key (dbt 1.9): `ref('parent')` or `source(...)`, and the parent's columns. */
  to?: string | null;
  to_columns?: string[];
  /** false: no warning when the adapter does not support this constraint type (dbt's `warn_unsupported`). */
  warn_unsupported?: boolean;
}

export interface RefCall {
  name: string;
  package?: string | null;
  version?: string | number | null;
}

/** One argument of a user-defined function (dbt's FunctionArgument). */
export interface FunctionArgument {
  name: string;
  data_type: string;
  description?: string | null;
  default_value?: unknown;
}

/** A test's generic-test metadata (dbt's `test_metadata`). */
export interface TestMetadata {
  name: string;
  namespace: string | null;
  kwargs: Record<string, unknown>;
}

export interface ManifestNode {
  unique_id: string;
  resource_type: NodeResourceType;
  package_name: string;
  name: string;
  /** Path relative to the resource folder (dbt's `path`). */
  path: string;
  /** Path relative to the project root. */
  original_file_path: string;
  /** Line where the node is defined (1 for whole-file nodes; the YAML line for generic tests). */
  line: number;
  fqn: string[];
  raw_code: string;
  /** `python` only for a user-defined function written in Python (functions/*.py). */
  language: 'sql' | 'python';
  /** dbt's FileHash: sha256 of the file's stripped text; a seed over 1 MiB is checksummed by its path (`name: 'path'`); a generic test has none (`name: 'none'`, ''). */
  checksum: { name: 'sha256' | 'path' | 'none'; checksum: string };
  config: NodeConfig;
  /**
   * The config as written, before rendering, layer by layer (dbt's `unrendered_config`): what
   * `state:modified.configs` and `.relation` compare. dbt_project.yml keys keep their Jinja text;
   * property files and `config()` calls give their rendered values, as in dbt.
   */
  unrendered_config?: Record<string, unknown>;
  tags: string[];
  description: string;
  /** dbt's doc_blocks: the unique_ids of the doc blocks its description reads (unset: none). */
  doc_blocks?: string[];
  columns: Record<string, ColumnDef>;
  meta: Record<string, unknown>;
  docs: { show: boolean; node_color?: string | null };
  patch_path: string | null;
  database: string | null;
  schema: string;
  alias: string;
  /** Rendered relation name, e.g. `"postgres"."analytics"."stg_events"`; null for ephemeral/tests. */
  relation_name: string | null;
  refs: RefCall[];
  sources: [string, string][];
  depends_on: { nodes: string[]; macros: string[] };
  /** Filled at compile time. */
  compiled_code?: string;
  compiled?: boolean;
  /** Where the compiled SQL was written (dbt's `compiled_path`: `<target-path>/compiled/<package>/<path>`), once it was. */
  compiled_path?: string;
  /** dbt's `extra_ctes`: the ephemeral ancestors injected into compiled_code, each as its CTE text. */
  extra_ctes?: readonly { id: string; sql: string }[];
  /** A compiled model's foreign key `to:` expressions, each with the relation it rendered to (dbt's compiled `constraints[].to`). */
  compiled_foreign_keys?: Record<string, string>;
  /** Generic tests only. */
  test_metadata?: TestMetadata;
  column_name?: string | null;
  /** The property file's key and entry name the test was declared under (`models.orders`, `sources.raw`), dbt's file_key_name. */
  file_key_name?: string | null;
  attached_node?: string | null;
  /** Generic tests attached to a node: that node's group (dbt's `node.group = attached_node.group`); others read config.group. */
  group?: string | null;
  /** Model-level constraints (model contracts). */
  constraints?: Constraint[];
  /** Versioned models: this node's `v` (its unique_id ends in `.v<v>`), the model's latest one. */
  version?: string | number | null;
  latest_version?: string | number | null;
  /** Models: `deprecation_date` as an ISO 8601 text with its offset (dbt's isoformat()). */
  deprecation_date?: string | null;
  /** Models: the columns dbt infers as the primary key (graph/primary-key.ts). */
  primary_key?: string[];
  /** Models: MetricFlow's time spine (`time_spine:` in the property entry), as dbt's TimeSpine. */
  time_spine?: TimeSpineSpec | null;
  /** Functions (dbt 1.11 UDFs): their arguments and return type, from the `functions:` property entry. */
  arguments?: FunctionArgument[];
  returns?: { data_type: string; description?: string | null };
  /** dbt 1.11's `functions`: the `function(...)` calls of the node's template (name, or package then name). */
  functions?: string[][];
  /** dbt's `metrics`: the `metric(...)` calls of the node's template (name, or package then name). */
  metrics?: string[][];
  /** The metrics those calls resolve to, which manifest.json lists in `depends_on.nodes` as dbt does (kept out of the DAG's depends_on: tsdbt runs no metric). */
  metric_ids?: string[];
  /** Unit tests only: the model under test, inputs, expected rows and overrides. */
  unit_test?: UnitTestSpec;
  /** Seeds: absolute path of the CSV (content is streamed at load time, never held here). */
  seed_file?: string;
  /** Seeds: column names and inferred types, filled by the pre-run CSV check. */
  seed_columns?: { name: string; type: 'integer' | 'bigint' | 'float' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'text' }[];
  /** Project hooks (dbt's HookNode, resource_type `operation`): the hook's place in its project's on-run-start / on-run-end list. */
  index?: number;
}

export interface SourceTable {
  unique_id: string;
  resource_type: 'source';
  package_name: string;
  source_name: string;
  name: string;
  identifier: string;
  database: string | null;
  schema: string;
  /**
   * The source's `database:` / `schema:` as written in its property file, before Jinja rendered
   * (null when not set): what state:modified compares under `state_modified_compare_more_unrendered_values`.
   */
  unrendered_database: string | null;
  unrendered_schema: string | null;
  relation_name: string;
  fqn: string[];
  path: string;
  original_file_path: string;
  line: number;
  description: string;
  /** dbt's doc_blocks: the unique_ids of the doc blocks its description reads (unset: none). */
  doc_blocks?: string[];
  source_description: string;
  loader: string;
  loaded_at_field: string | null;
  /** dbt 1.10: a query returning the last load time, instead of loaded_at_field. */
  loaded_at_query: string | null;
  freshness: Record<string, unknown> | null;
  columns: Record<string, ColumnDef>;
  meta: Record<string, unknown>;
  source_meta: Record<string, unknown>;
  tags: string[];
  config: { enabled: boolean; [key: string]: unknown };
  /** dbt's unrendered_config: dbt_project.yml's `sources:` as written, then the entry's config layer (graph/source-config.ts). */
  unrendered_config?: Record<string, unknown>;
  quoting: Record<string, unknown>;
  /** dbt's ExternalTable (`external:` of the table, read by dbt-external-tables); null without one. */
  external?: Record<string, unknown> | null;
}

export interface MacroNode {
  unique_id: string;
  resource_type: 'macro';
  package_name: string;
  name: string;
  path: string;
  original_file_path: string;
  line: number;
  macro_sql: string;
  depends_on: { macros: string[] };
  description: string;
  /** The signature's argument names (run-operation's hints, the docs site's list). */
  arguments: { name: string }[];
  /** Set by the macro's property-file entry (graph/macro-patches.ts): dbt's patch fields. */
  patch?: MacroPatch;
  /** validate_macro_args with no documented arguments: the signature's, as manifest.json lists them (graph/macro-arguments.ts). */
  inferredArguments?: { name: string; type: null; description: string }[];
}

/** What a property file's `macros:` entry gives its macro, as dbt's MacroPatchParser sets it. */
export interface MacroPatch {
  patch_path: string;
  /** The entry (tsdbt's, for messages about its descriptions; not written to manifest.json). */
  location: SourceLocation;
  meta: Record<string, unknown>;
  docs: { show: boolean; node_color: string | null };
  /** The entry's `arguments:` (dbt's manifest lists these, not the signature's). */
  arguments: { name: string; type: string | null; description: string }[];
}

export interface DocNode {
  unique_id: string;
  resource_type: 'doc';
  package_name: string;
  name: string;
  path: string;
  original_file_path: string;
  block_contents: string;
}

/**
 * What property files declare besides nodes and sources: exposures, groups, and the semantic
 * layer's semantic models, metrics and saved queries. tsdbt runs none of them; they are parsed for
 * the docs site and manifest.json (dbt's sections of the same names), and take no part in the DAG
 * commands build from.
 */
export type DeclaredResourceType = 'exposure' | 'group' | 'semantic_model' | 'metric' | 'saved_query';

export interface DeclaredResource {
  unique_id: string;
  resource_type: DeclaredResourceType;
  package_name: string;
  name: string;
  /** The property file, relative to its resource folder (dbt's `path`) and to the project. */
  path: string;
  original_file_path: string;
  line: number;
  fqn: string[];
  label: string | null;
  description: string;
  tags: string[];
  meta: Record<string, unknown>;
  config: { enabled: boolean; [key: string]: unknown };
  /** What it reads: models, seeds, snapshots and sources (exposures, semantic models), semantic models and metrics (metrics), metrics (saved queries). */
  depends_on: { nodes: string[]; macros: string[] };
  /**
   * The kind's own properties as written: an exposure's type, maturity, url and owner; a group's
   * owner; a semantic model's model, entities, dimensions, measures and defaults; a metric's type,
   * type_params and filter; a saved query's query_params and exports.
   */
  properties: Record<string, unknown>;
  /** A metric's measures, its inputs' for a ratio or derived metric (dbt's type_params.input_measures), set once every metric is linked. */
  inputMeasures?: Record<string, unknown>[];
}

export interface Manifest {
  projectName: string;
  nodes: Record<string, ManifestNode>;
  sources: Record<string, SourceTable>;
  macros: Record<string, MacroNode>;
  docs: Record<string, DocNode>;
  /** Exposures, groups, semantic models, metrics and saved queries, by unique_id (absent: none parsed). */
  declared?: Record<string, DeclaredResource>;
  /** Installed packages whose dbt_project.yml says `restrict-access: True` (absent: none). */
  restrictedPackages?: string[];
  /** dbt_project.yml's `flags: {require_ref_searches_node_package_before_root: true}` (dbt 1.11): an unqualified ref in a package model looks in that package before the root project. */
  refSearchesNodePackageFirst?: true;
  /**
   * Sources and declared resources (exposures, metrics, ...) that are disabled, kept as parsed for
   * manifest.json's `disabled` (disabled nodes are the parse's `disabled` list); absent: none.
   */
  disabledSources?: SourceTable[];
  disabledDeclared?: DeclaredResource[];
  /** unique_id -> parent unique_ids (models, seeds, sources...). */
  parent_map: Record<string, string[]>;
  child_map: Record<string, string[]>;
  /** Non-fatal problems found while parsing (unused config paths, python models...). */
  warnings: Warning[];
  /**
   * The project sets dbt's `state_modified_compare_more_unrendered_values`: state:modified compares
   * a source's database and schema as written (unrendered_database / unrendered_schema).
   */
  comparesUnrenderedValues?: boolean;
}

export interface Warning {
  message: string;
  /** dbt's event name for it (NoNodeForYamlKey...), what --warn-error-options lists. */
  event?: string;
  location?: SourceLocation;
  /** The event's fields as dbt's JSON log line has them (`data`), for the events that have any. */
  data?: Record<string, unknown>;
  /** Shown only where dbt runs its JSON-schema checks (config/yaml-file.ts' YamlWarning). */
  dbtValidationOnly?: true;
  /** dbt's "preview" deprecation: an info-level Note (config/yaml-file.ts' YamlWarning). */
  preview?: true;
}

/** Rows of a unit test's input or expectation, as written (`format` dict, csv or sql). */
export interface UnitTestRows {
  format: 'dict' | 'csv' | 'sql';
  /** dict: a list of mappings; csv / sql: the text (inline, or read from `fixture`). */
  rows: Record<string, unknown>[] | string;
  /** The fixture file the rows were read from (`fixture: name`), as written. */
  fixture?: string | null;
}

/** One `given:` input: `ref('m')`, `source('s', 't')` or `this`, with its rows. */
export interface UnitTestInput extends UnitTestRows {
  /** As written: `ref('stg_events')`. */
  input: string;
  ref?: RefCall;
  source?: [string, string];
  /** The input is `this` (the model's existing table, for its incremental branch). */
  isThis?: boolean;
  /** A dict input without `rows` or `fixture`: its rows are its seed's CSV file, as dbt reads it. */
  rowsFromSeed?: boolean;
}

/** dbt 1.8 `unit_tests:` entry. */
export interface UnitTestSpec {
  model: string;
  given: UnitTestInput[];
  expect: UnitTestRows;
  overrides: {
    vars: Record<string, unknown>;
    env_vars: Record<string, string>;
    macros: Record<string, unknown>;
  };
  /** Whether the entry wrote `overrides:` (dbt's manifest has null otherwise). */
  overridesWritten?: boolean;
  /** `versions:` as written (null without). */
  versions?: { include: (string | number)[] | null; exclude: (string | number)[] | null } | null;
}
