// Which of dbt's overridable macros make each building block (BLOCK_MACROS, STRATEGY_MACROS: a
// project replacing any of them replaces the block), and what a block is given: the node's macros
// (MacroCaller) and an incremental strategy's arguments. building-blocks.ts looks blocks up by them.
import type { ColumnInfo, Connection, LoadColumn } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';

/** How blocks reach a node's macros (absent: nothing can be overridden, e.g. in unit tests of a materialization). */
export interface MacroCaller {
  /** True when a project or package replaces dbt's macro `name` for this node. */
  overridden(name: string): boolean;
  /**
   * dbt's `name in context` for the node (with `namespace`: `context[namespace][name]`), how dbt
   * finds the macro a config names (`incremental_strategy`, a snapshot's `strategy`); absent: nothing is.
   */
  inContext?(name: string, namespace?: string): boolean;
  /** True when `namespace` is a package's (or dbt's) namespace in the node's context. */
  isNamespace?(namespace: string): boolean;
  /**
   * Calls the macro `name` as the node sees it, on `conn` (inside the materialization's
   * transaction); `thisRelation` is what the macro sees as `this` (default: the node's relation).
   */
  call(conn: Connection, name: string, args: unknown[], options?: { kwargs?: Record<string, unknown>; thisRelation?: Relation; extra?: Record<string, unknown>; namespace?: string }): Promise<unknown>;
  /** A seed's agate table for dbt's seed macros: its columns, with the types tsdbt gives them, and its CSV rows (cells as read, empty ones None). */
  seedTable(columns: readonly LoadColumn[], rows?: readonly (readonly (string | null)[])[]): unknown;
  /** The relation's columns named in `names` (in that order) as templates see columns (dbt's api.Column). */
  columns(conn: Connection, relation: Relation, names: string[]): Promise<unknown[]>;
}

/** What an incremental strategy's macro is given (dbt's `arg_dict`), before its columns are read. */
export interface IncrementalArgs {
  target: Relation;
  temp: Relation;
  uniqueKey: unknown;
  /** The columns to write (after on_schema_change). */
  columns: string[];
  predicates: string[];
}

/** dbt's macros that produce one block, outermost first: replacing any of them replaces the block. */
export const BLOCK_MACROS = {
  createTable: ['get_create_table_as_sql', 'create_table_as'],
  createView: ['get_create_view_as_sql', 'create_view_as'],
  createIndex: ['create_indexes', 'get_create_index_sql'],
  alterColumnType: ['alter_column_type'],
  // dbt's incremental materialization calls process_schema_changes, which calls the rest (its
  // check_for_schema_changes reads both relations through adapter.get_columns_in_relation).
  schemaChanges: ['process_schema_changes', 'check_for_schema_changes', 'diff_columns', 'diff_column_data_types', 'sync_column_schemas', 'alter_relation_add_remove_columns', 'get_columns_in_relation'],
  // dbt's adapter.get_columns_in_relation(relation) is execute_macro('get_columns_in_relation').
  columnsInRelation: ['get_columns_in_relation'],
  truncate: ['truncate_relation', 'get_truncate_sql'],
  testSql: ['get_test_sql'],
  createCsvTable: ['create_csv_table'],
  // dbt's seed helpers that load the rows: replacing any of them means dbt's load_csv_rows runs.
  loadCsvRows: ['load_csv_rows', 'get_batch_size', 'get_seed_column_quoted_csv', 'get_binding_char'],
  unitTestSql: ['get_unit_test_sql'],
  // dbt's macros behind a unit test's input fixtures (dbt-core renders `get_fixture_sql(rows, none)`
  // as each fixture node's SQL) and its expected rows (the unit materialization's get_expected_sql).
  unitTestFixture: ['get_fixture_sql', 'format_row', 'safe_cast', 'validate_fixture_rows', 'get_columns_for_unit_tests', 'string_literal', 'escape_single_quotes'],
  unitTestExpected: ['get_expected_sql', 'format_row', 'safe_cast', 'string_literal', 'escape_single_quotes'],
  snapshotTime: ['snapshot_get_time'],
  snapshotHash: ['snapshot_hash_arguments'],
  snapshotMerge: ['snapshot_merge_sql'],
  // dbt's materializations name their staging tables of the session through make_temp_relation.
  makeTempRelation: ['make_temp_relation'],
  canCloneTable: ['can_clone_table'],
  createMaterializedView: ['get_create_materialized_view_as_sql'],
  refreshMaterializedView: ['refresh_materialized_view'],
  cloneTable: ['create_or_replace_clone'],
} as const;

/** The macros behind dbt's built-in incremental strategies (`delete+insert` is `get_incremental_delete_insert_sql`). */
export const STRATEGY_MACROS: Record<string, string[]> = {
  append: ['get_incremental_append_sql', 'get_insert_into_sql'],
  'delete+insert': ['get_incremental_delete_insert_sql', 'get_delete_insert_merge_sql'],
  merge: ['get_incremental_merge_sql', 'get_merge_sql'],
  microbatch: ['get_incremental_microbatch_sql'],
  insert_overwrite: ['get_incremental_insert_overwrite_sql'],
  legacy: ['get_incremental_legacy_sql'],
  default: ['get_incremental_default_sql'],
};

/** dbt's name of a strategy's macro: `get_incremental_<strategy>_sql`, `+` read as `_`. */
export function strategyMacroName(strategy: string): string {
  return `get_incremental_${strategy.replace(/\+/g, '_')}_sql`;
}

/**
 * The columns a `get_columns_in_relation` macro returned (dbt's Column objects: `name`,
 * `data_type`, `numeric_precision`, `numeric_scale`) as the adapter reports columns; anything
 * but a list is no columns.
 */
export function columnInfoOf(value: unknown): ColumnInfo[] {
  if (!Array.isArray(value)) return [];
  return value.map((column: unknown, i) => {
    const c = (column ?? {}) as { name?: unknown; data_type?: unknown; dtype?: unknown; numeric_precision?: unknown; numeric_scale?: unknown };
    const num = (v: unknown) => (typeof v === 'number' ? v : null);
    return { name: String(c.name), dataType: String(c.data_type ?? c.dtype ?? ''), position: i + 1, numericPrecision: num(c.numeric_precision), numericScale: num(c.numeric_scale) };
  });
}
