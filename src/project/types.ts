// Types of the project's files as discovered on disk (no rendering) and of parsed property files.
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { YamlWarning } from '../config/yaml-file.js';
import type { FunctionArgument } from '../manifest/types.js';

export type ProjectFileKind = 'model' | 'seed' | 'macro' | 'snapshot' | 'test' | 'analysis' | 'function' | 'docs' | 'yaml' | 'fixture';

export interface ProjectFile {
  kind: ProjectFileKind;
  /** Project-relative, forward slashes. */
  path: string;
  absPath: string;
  /** The resource folder it was found under (`models`, `seeds`...). */
  resourceDir: string;
  /** Text content (not read for seeds). */
  content?: string;
  /**
   * The file's [size, mtimeMs] and when they were taken (Date.now()), taken before its content is
   * read (discover.ts reads files when first asked); absent for files made in memory.
   */
  readonly stamp?: FileStamp;
  /** The stamp when one was already taken (the file was read or stamped), else null; asks the file system nothing. */
  readonly takenStamp?: FileStamp | null;
}

/** A file's size and modification time, and the moment they were read. */
export interface FileStamp {
  size: number;
  mtimeMs: number;
  takenAt: number;
}

export interface RawProject {
  files: ProjectFile[];
  /** Files tsdbt cannot run (python models), reported as warnings. */
  unsupported: string[];
  /** Every folder searched (absolute; missing ones too): adding or removing a file changes one's mtime. */
  dirs: string[];
}

export interface TestDef {
  /** Macro name, maybe namespaced: `unique`, `dbt_utils.expression_is_true`. */
  testName: string;
  args: Record<string, unknown>;
  config: Record<string, unknown>;
  customName?: string | null;
  /** The test's `description:` (a property of the test, not an argument). */
  description?: string;
  /** Arguments written beside the test name, not under `arguments:` (deprecated by dbt 1.10). */
  topLevelArguments?: boolean;
  /** dbt's config keys (`severity`, `where`, ...) written beside the test's name instead of under `config:`. */
  movedConfigKeys?: string[];
  /** The `arguments:` value as written, when the key is given (dbt warns about it when require_generic_test_arguments_property is off). */
  argumentsProperty?: unknown;
  location: SourceLocation;
}

export interface ColumnEntry {
  name: string;
  description: string;
  data_type: string | null;
  meta: Record<string, unknown>;
  tags: string[];
  quote: boolean | null;
  constraints: unknown[];
  /** MetricFlow's `granularity` of the column (a time spine's standard column), as written; absent when not. */
  granularity?: string;
  /** The keys dbt's UnparsedColumn does not define, as written (its `_extra`: dbt-clickhouse's `codec`, `ttl`, ...); absent when none. */
  extra?: Record<string, unknown>;
  /** dbt 1.10's column `config:` (meta and tags), with the top-level meta and tags merged in. */
  config: ColumnConfig;
  tests: TestDef[];
  location: SourceLocation;
}

/** A column's config (dbt 1.10 ColumnConfig): `columns[].config.meta` / `.tags`. */
export interface ColumnConfig {
  meta: Record<string, unknown>;
  tags: string[];
}

/** A model / seed / snapshot / analysis entry of a property file. */
export interface ResourceEntry {
  name: string;
  description: string;
  config: Record<string, unknown>;
  columns: ColumnEntry[];
  tests: TestDef[];
  docs: { show?: boolean; node_color?: unknown } | undefined;
  meta: Record<string, unknown>;
  tags: string[];
  constraints: unknown[];
  /** Functions: their arguments and return type (project/function-entries.ts). */
  arguments?: FunctionArgument[];
  returns?: { data_type: string; description: string | null };
  /** `quote_columns:` (dbt's UnparsedNodeUpdate): quote the column names its columns' tests get, unless a column says `quote:`. */
  quote_columns?: boolean;
  /** Snapshots in YAML (dbt 1.9): the `ref(...)` / `source(...)` they record. */
  relation?: unknown;
  /** Models: `versions:` (empty when the model is not versioned), `latest_version`, `deprecation_date`. */
  versions?: VersionEntry[];
  latest_version?: string | number | null;
  /** ISO 8601 with its offset (see project/deprecation-date.ts). */
  deprecation_date?: string | null;
  /** Models: MetricFlow's `time_spine:` (dbt 1.9), as dbt's TimeSpine. */
  time_spine?: { standard_granularity_column: unknown; custom_granularities: { name: unknown; column_name: unknown }[] } | null;
  /** The entry's `config:` as written, before its Jinja rendered (what dbt's unrendered_config takes under `state_modified_compare_more_unrendered_values`). */
  writtenConfig?: Record<string, unknown>;
  location: SourceLocation;
}

/** One item of a model's `versions:` (dbt's UnparsedVersion). */
export interface VersionEntry {
  v: string | number;
  /** The model file's name without `.sql`; null: `<model>_v<v>`. */
  defined_in: string | null;
  /** Null: the model's. */
  description: string | null;
  config: Record<string, unknown>;
  /** The version's `config:` as written (see ResourceEntry.writtenConfig). */
  writtenConfig?: Record<string, unknown>;
  /** Null: the model's. */
  constraints: unknown[] | null;
  docs: { show?: boolean; node_color?: unknown } | undefined;
  /** Which top-level columns the version has: `all` or a list; minus `exclude`. */
  include: 'all' | string[];
  exclude: string[];
  /** The version's own columns (added, or replacing a top-level column of the same name). */
  columns: ColumnEntry[];
  /** Null: the model's tests. */
  tests: TestDef[] | null;
  deprecation_date: string | null;
  location: SourceLocation;
}

export interface SourceTableEntry {
  name: string;
  identifier: string | null;
  description: string;
  columns: ColumnEntry[];
  tests: TestDef[];
  loaded_at_field?: string | null;
  loaded_at_query?: string | null;
  freshness?: Record<string, unknown> | null;
  quoting?: Record<string, unknown>;
  meta: Record<string, unknown>;
  tags: string[];
  config: Record<string, unknown>;
  external?: unknown;
  /** The keys the entry writes (an `overrides:` entry replaces only those, as dbt's SourceTablePatch). */
  written?: string[];
  location: SourceLocation;
}

export interface SourceEntry {
  name: string;
  description: string;
  database: string | null;
  schema: string | null;
  /** `database:` / `schema:` as written, before their Jinja rendered (dbt's unrendered_database / unrendered_schema). */
  unrendered_database: string | null;
  unrendered_schema: string | null;
  loader: string;
  loaded_at_field: string | null;
  loaded_at_query?: string | null;
  freshness?: Record<string, unknown> | null;
  quoting: Record<string, unknown>;
  meta: Record<string, unknown>;
  tags: string[];
  config: Record<string, unknown>;
  tables: SourceTableEntry[];
  /** `overrides: <package>`: the entry patches that package's source of this name (dbt's SourcePatch). */
  overrides?: string;
  /** The keys the entry writes. */
  written?: string[];
  location: SourceLocation;
}

export interface SchemaFile {
  path: string;
  models: ResourceEntry[];
  seeds: ResourceEntry[];
  snapshots: ResourceEntry[];
  analyses: ResourceEntry[];
  /** `functions:` entries (dbt 1.11 user-defined functions); absent in files read before they were. */
  functions?: ResourceEntry[];
  /** `data_tests:` entries (dbt 1.9's singular test patches): description, config, meta, docs. */
  singularTests?: ResourceEntry[];
  sources: SourceEntry[];
  unitTests: UnitTestEntry[];
  macros: unknown[];
  exposures: unknown[];
  /** Exposures, groups, semantic models, metrics and saved queries as written, with their line. */
  declared?: DeclaredEntry[];
  /** The resource folder the file lies in (`models`), for the fqn of what it declares. */
  resourceDir?: string;
  /** What reading the file warned about (keys given twice, keys dbt does not know). */
  warnings?: YamlWarning[];
  /** Entries describing macros and singular data tests: each must name one that exists. */
  namedPatches?: { section: 'macros' | 'data_tests' | 'tests'; name: string; location: SourceLocation }[];
}

/** One entry of a property file's `exposures:`, `groups:`, `semantic_models:`, `metrics:` or `saved_queries:`. */
export interface DeclaredEntry {
  section: 'exposures' | 'groups' | 'semantic_models' | 'metrics' | 'saved_queries';
  entry: Record<string, unknown>;
  location: SourceLocation;
}

/** Rows as written in a unit test: inline (`rows:`) or in a fixture file (`fixture:`). */
export interface UnitTestRowsEntry {
  format: 'dict' | 'csv' | 'sql';
  rows: Record<string, unknown>[] | string | null;
  fixture: string | null;
  location: SourceLocation;
}

/** A `unit_tests:` entry (dbt 1.8). */
export interface UnitTestEntry {
  name: string;
  model: string;
  description: string;
  given: (UnitTestRowsEntry & { input: string })[];
  expect: UnitTestRowsEntry;
  overrides: { vars: Record<string, unknown>; env_vars: Record<string, string>; macros: Record<string, unknown> };
  /** Whether the entry wrote `overrides:`. */
  overridesWritten?: boolean;
  config: Record<string, unknown>;
  /** A versioned model's versions to test (`versions: {include: [2]}` / `{exclude: [1]}`); null: all. */
  versions?: { include: (string | number)[] | null; exclude: (string | number)[] | null } | null;
  location: SourceLocation;
}
