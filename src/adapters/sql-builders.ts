// The SQL builders' interface and what they take: pure functions of their inputs, one statement
// each, that every dialect implements by extending the ANSI defaults (default-sql.ts). Split from
// adapter.ts, which re-exports all of it; like it, this file imports only relation.ts.

import type { Relation, RelationDialect, RelationType } from './relation.js';

/** The logical column types tsdbt infers for seeds, mapped to dialect types by the adapter. */
export type LogicalType = 'integer' | 'bigint' | 'float' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'text';

/** createView's options: `create or replace`, and the model the view is for (its config). */
export interface ViewOptions {
  orReplace?: boolean;
  model?: { unique_id: string; config: Record<string, unknown> };
}

/**
 * What a seed column's values showed: its logical type, whether a field was empty (`nullable`;
 * unknown counts as yes), and whether its timestamps are ISO 8601 (`T`, maybe a fraction or zone).
 */
export interface SeedColumnShape {
  type: LogicalType;
  nullable?: boolean;
  isoTimestamp?: boolean;
}

/**
 * A column of a bulk load: its name, exactly as the warehouse stores it (the builders always quote
 * it), and the dialect's type name.
 */
export interface LoadColumn {
  name: string;
  dataType: string;
}

/**
 * A model-contract constraint, as core hands it to the adapter: on a column (no `columns`) or on
 * the table (`columns`); a foreign key's parent is already rendered (`references`).
 */
export interface TableConstraint {
  type: 'not_null' | 'unique' | 'primary_key' | 'check' | 'foreign_key' | 'custom';
  name?: string | null;
  expression?: string | null;
  columns?: string[];
  references?: { relation: string; columns: string[] } | null;
  /** false: the YAML's `warn_unsupported: false` (no warning where the adapter ignores this type). */
  warnUnsupported?: boolean;
}

/** A column of a contracted table: its declared type and constraints. */
export interface ContractColumn {
  name: string;
  dataType: string;
  constraints: TableConstraint[];
  /** The YAML's `quote: true`: the name as written (otherwise as the warehouse folds it bare; contract-ddl.ts). */
  quote?: boolean;
  /** ClickHouse's column `codec` and `ttl` from the YAML entry (dbt-clickhouse's column configuration). */
  codec?: string;
  ttl?: string;
}

/** A literal of a unit-test fixture, as YAML or CSV gave it. */
export type FixtureValue = string | number | boolean | null;

/** SQL builders: pure functions of their inputs, so their output can be golden-tested. */
/** What a connection answers once and keeps (dbt-clickhouse's `conn.handle.server_version`): `make` runs on the first ask of `key` per connection. */
export type ConnectionMemo = <T>(key: string, make: () => Promise<T>) => Promise<T>;

/** An adapter method templates call: its parameter names (positional or keyword) and what it does with them. */
export interface TemplateMember {
  params: string[];
  /**
   * The answer; for a member with `query`, the answer while parsing or with no warehouse (dbt's
   * `parse_none`: None). `target` is what templates see as `target` (when the caller has it).
   */
  call(args: Record<string, unknown>, target?: Readonly<Record<string, unknown>>): unknown;
  /**
   * A member that asks the warehouse (dbt-clickhouse's `is_before_version`): its answer at
   * execution, from the rows of the statements it sends through `run`.
   */
  query?(args: Record<string, unknown>, run: (sql: string) => Promise<Record<string, unknown>[]>, once?: ConnectionMemo): Promise<unknown>;
}

export interface SqlBuilders extends RelationDialect {
  /**
   * The adapter's own `adapter.*` methods that templates may call (dbt-clickhouse's
   * `get_clickhouse_cluster_name()`...), answered from the profile, or with `query` from the
   * warehouse; absent: none beyond dbt's.
   */
  templateMembers?(): Record<string, TemplateMember>;
  /** Quotes a string literal. */
  quoteString(value: string): string;
  /**
   * `adapter.add_query(sql, bindings=[...])`: the statement with its bindings in place, as the
   * adapter's driver sends it (dbt-postgres' psycopg2: each `%s` a literal, `%%` a percent sign).
   * Absent: bindings are refused.
   */
  bindParameters?(sql: string, bindings: readonly FixtureValue[]): string;
  /**
   * `create view ... as <sql>` (replacing an existing view where the dialect can); `orReplace`:
   * `create or replace view`, which keeps what depends on the view (an adapter's in-place build);
   * `model`: the node the view is for (its config: ClickHouse's `sql_security` / `definer`).
   */
  createView(relation: Relation, selectSql: string, options?: ViewOptions): string;
  /**
   * `create table ... as <sql>`; `config` is the node's config (dialect-specific keys allowed).
   * `temporary`: a table of the session only, where the warehouse has them (dbt's
   * `create_table_as(temporary=True, ...)`); elsewhere an ordinary table.
   */
  createTableAs(relation: Relation, selectSql: string, config: Record<string, unknown>, options?: { temporary?: boolean }): string;
  /**
   * dbt's `<adapter>__make_temp_relation(base, suffix)` where the adapter's materializations stage
   * rows in a table of the session (`create_table_as(True, temp, sql)`: an incremental run's new
   * rows, a microbatch batch's, a snapshot's staged changes): dbt-postgres's has no schema or
   * database and is named `<alias><suffix><HHMMSSffffff>`, `at` giving the time of day. Absent:
   * those rows go into a permanent `<schema>.<alias>__dbt_tmp` (as dbt-clickhouse stages them in
   * permanent tables).
   */
  tempRelation?(base: Relation, suffix: string, at: Date): Relation;
  /** `create table ... (cols)` for seeds and loaders. */
  createTable(relation: Relation, columns: LoadColumn[], config: Record<string, unknown>): string;
  dropRelation(relation: Relation, type: RelationType): string;
  /**
   * dbt's `can_clone_table()`: whether `tsdbt clone` can make a zero-copy clone of a table with this
   * config here; where it cannot (PostgreSQL), clone makes a view selecting from the state's table.
   */
  canCloneTable(config: Record<string, unknown>): boolean;
  /**
   * The part of a model's config that governs the statement running its SELECT rather than the
   * table it makes (ClickHouse: `query_settings`), for a staging table made without the model's
   * table options (an incremental run's batch); {} where there is none.
   */
  queryConfig(config: Record<string, unknown>): Record<string, unknown>;
  /** dbt's `create_or_replace_clone(this_relation, defer_relation)`: `target` as a clone of the table `source`. */
  createOrReplaceClone(target: Relation, source: Relation): string;
  /** Renames `from` to `toIdentifier` in the same schema. */
  renameRelation(from: Relation, toIdentifier: string): string;
  createSchema(database: string | null, schema: string): string;
  /** Drops a schema (a ClickHouse database) and everything in it, if it exists. */
  dropSchema(database: string | null, schema: string): string;
  truncate(relation: Relation): string;
  /** The dialect's type for a logical seed type. */
  typeFor(type: LogicalType): string;
  /** The type a seed column is created with (dbt's adapter.convert_type); `typeFor(type)` on most dialects. */
  seedType(column: SeedColumnShape): string;
  /** Why no column of this warehouse can be named `name`, even quoted (a NUL character), or null. */
  columnNameProblem(name: string): string | null;
  /**
   * The name the warehouse stores for a column named `name` (PostgreSQL keeps the first 63 bytes
   * of a longer name, cut at a character); the name itself where it keeps every name whole.
   */
  storedColumnName(name: string): string;
  /**
   * Why a table, view or other relation the warehouse creates cannot be named `identifier` (dbt-postgres's
   * PostgresRelation: "Relation name '...' is longer than 63 characters"), or null.
   */
  relationNameProblem(identifier: string): string | null;
  /** `insert into target (cols) select cols from source`. */
  insertFrom(target: Relation, source: Relation, columns: string[]): string;
  /**
   * Deletes target rows whose key matches a source row (`delete+insert`), with extra predicates.
   * `config`: the model's (a ClickHouse table with projections deletes through a mutation).
   */
  deleteMatching(target: Relation, source: Relation, keys: string[], predicates: string[], config?: Record<string, unknown>): string;
  /**
   * Statements that finish a newly built table from the node's config (dbt-postgres `indexes`).
   * Generated names start with `naming.table` (the final table name, when `relation` is a staging
   * table) and include `naming.salt`, so they never clash across rebuilds.
   */
  tableExtras(relation: Relation, config: Record<string, unknown>, naming: { table: string; salt: string }): string[];
  /** `delete from target where <predicate>` (microbatch windows); `config` as deleteMatching's. */
  deleteWhere(target: Relation, predicate: string, config?: Record<string, unknown>): string;
  /**
   * Upserts source into target on the keys (`merge`): update the other columns (or only
   * `updateColumns`, dbt's merge_update_columns / merge_exclude_columns), insert new keys.
   */
  merge(target: Relation, source: Relation, keys: string[], columns: string[], predicates: string[], updateColumns?: string[]): string;
  /**
   * `insert ... on conflict (keys) do update`: the same result as `merge` without predicates, for
   * a target whose keys carry a unique index (see Adapter.hasUniqueKey).
   */
  upsert(target: Relation, source: Relation, keys: string[], columns: string[], updateColumns?: string[]): string;
  /** Keys that occur more than once in a relation (at most `limit` samples). */
  duplicateKeys(relation: Relation, keys: string[], limit: number): string;
  /** `declared`: the model's YAML entry of the column, where it has one (its adapter-specific keys, e.g. dbt-clickhouse's `codec`). */
  addColumn(relation: Relation, column: string, dataType: string, declared?: Readonly<Record<string, unknown>>): string;
  dropColumn(relation: Relation, column: string): string;
  /** Changes a column's type, converting existing values. */
  alterColumnType(relation: Relation, column: string, dataType: string): string;
  /** A comment on a relation (`column` null) or on one of its columns, for `persist_docs`. */
  commentOn(relation: Relation, column: string | null, comment: string): string;
  /**
   * A query returning literal rows (unit-test fixtures): each value cast to its column's type when
   * the type is known; with no rows, an empty result with those columns.
   */
  valuesQuery(columns: { name: string; dataType: string | null }[], rows: FixtureValue[][]): string;
  /**
   * Rows of `expected` missing from `actual` and rows of `actual` missing from `expected`, as
   * multisets over `columns`, each tagged `dbt_side` = 'expected' | 'actual' (unit tests).
   * `dataTypes` (the columns' types, where known) lets a dialect compare a type that has no
   * equality operator through one that has.
   */
  rowsDiff(expectedSql: string, actualSql: string, columns: string[], dataTypes?: (string | null)[]): string;
  /**
   * Source freshness: one row with `max_loaded_at_epoch`, the newest load time as seconds since
   * 1970 (a time without zone read as UTC), from `max(<field>)` over the relation (with `filter`),
   * or from the single value `loaded_at_query` returns.
   */
  freshnessQuery(from: { relation: Relation; field: string; filter: string | null } | { query: string }): string;
  /** A timestamp literal (a time without zone, written as UTC). */
  timestamp(at: Date): string;
  /** A bound of an input's event-time filter (microbatch batches, --sample), as the adapter's relation renders it. */
  eventTimeBound(at: Date): string;
  /** A NULL of the timestamp type (snapshots' open `dbt_valid_to`). */
  nullTimestamp(): string;
  /** Lower-case hex md5 of the expressions as text joined by `|`, NULL read as '' (`dbt_scd_id`). */
  hashOf(expressions: string[]): string;
  /**
   * Loader: `create table if not exists` with the columns and, when given, a unique key (a
   * ReplacingMergeTree sorted by it on ClickHouse, which also remembers recent insert tokens).
   */
  createTableIfMissing(relation: Relation, columns: LoadColumn[], uniqueKey: string[] | null): string;
  /** Loader: a session-private staging table emptied at each commit (`relation` has no schema). */
  createBatchTable(relation: Relation, columns: LoadColumn[]): string;
  /**
   * Loader: copies the batch into the target in `orderBy` order; with `key`, rows whose key is
   * already there (or earlier in the batch) are skipped, never duplicated.
   */
  insertNewRows(target: Relation, batch: Relation, columns: string[], key: string[] | null, orderBy: string[]): string;
  /** `insert ... values ...` updating the other columns of rows whose `keys` exist (offsets). */
  upsertValues(target: Relation, columns: string[], keys: string[], rows: FixtureValue[][]): string;
  /** A relation of the session's temporary tables (no schema). */
  temporaryRelation(identifier: string): Relation;
  /** A type name in the dialect's canonical spelling (`int` -> `integer`). */
  canonicalType(dataType: string): string;
  /**
   * What a contract check compares of a type: two types with the same key match. The default is
   * the canonical spelling; dbt-postgres compares psycopg2's type-caster names, so a dialect may
   * say less than its spelling (`text` and `varchar(10)` are both STRING there).
   */
  contractTypeKey(dataType: string): string;
  /**
   * A type as dbt's contract error table names it (before the Column's TYPE_LABELS): the driver's
   * type name, psycopg2's caster name on dbt-postgres (`INTEGER`, `STRING`); the default is the
   * type as the warehouse or the contract spells it.
   */
  contractTypeName(dataType: string): string;
  /**
   * The driver's type code of a type it has no name for (dbt-postgres's data_type_code_to_name,
   * which fires TypeCodeNotFound for it), else null; absent: every type has a name.
   */
  unrecognizedTypeCode?(dataType: string): number | null;
  /**
   * `create table` with declared column types and constraints (model contracts). Names of
   * constraints that create indexes start with `naming.table` and include `naming.salt`.
   */
  createContractTable(relation: Relation, columns: ContractColumn[], constraints: TableConstraint[], naming: { table: string; salt: string }): string;
  /**
   * The column list of a contracted table: `(name type constraints, ..., table constraints)`, what
   * dbt's get_table_columns_and_constraints() renders (createContractTable puts it after the name).
   */
  contractColumns(columns: ContractColumn[], constraints: TableConstraint[], naming: { table: string; salt: string }): string;
  /**
   * The warnings for the contract's constraints that contractColumns leaves out (dbt's
   * ConstraintNotSupported, from the adapter's CONSTRAINT_SUPPORT); absent: none are left out.
   */
  unsupportedConstraints?(columns: ContractColumn[], constraints: TableConstraint[]): string[];
  /** `insert into target (cols) select cols from (<selectSql>)`. */
  insertQuery(target: Relation, columns: string[], selectSql: string): string;
  /** The insert that fills a contracted table after createContractTable (dbt's get_column_names, get_select_subquery). */
  contractInsert(target: Relation, columns: ContractColumn[], selectSql: string): string;
  /** `select ... limit n` wrapping for tests' `limit` and previews. */
  limit(selectSql: string, n: number): string;
  /** Prefixes for `adapter.dispatch`, most specific first, e.g. `['postgres', 'default']`. */
  dispatchPrefixes: string[];
  /** node-sql-parser's `database` option closest to this dialect (docs' column lineage). */
  sqlParserDialect: string;
  /**
   * Sharded tables (dbt-clickhouse's `distributed_table`): present only where the target has a
   * cluster to shard over.
   */
  distributed?: DistributedBuilders;
  /** Materialized views as dbt-postgres builds them: present where `capabilities.materializedViews` is true. */
  materializedViews?: MaterializedViewBuilders;
  /**
   * Materialized views as dbt-clickhouse builds them: insert triggers writing into the model's
   * table (`materialized='materialized_view'` where the warehouse's materialized views are that).
   */
  triggerViews?: TriggerViewBuilders;
  /** dbt-clickhouse's dictionaries (`materialized='dictionary'`): present where the warehouse has them. */
  dictionaries?: DictionaryBuilders;
}

/** The index changes that bring a materialized view's indexes to its config (dbt-postgres `indexes`). */
export interface IndexChanges {
  /** Statements dropping indexes the config no longer has. */
  drop: string[];
  /** The config's index entries (as written) the relation lacks, to create. */
  create: Record<string, unknown>[];
}

/** dbt-postgres's materialized view macros, as pure builders. */
export interface MaterializedViewBuilders {
  /** `create materialized view <relation> as <sql>` (dbt's `get_create_materialized_view_as_sql`, without indexes). */
  create(relation: Relation, selectSql: string): string;
  /** dbt's `refresh_materialized_view(relation)`. */
  refresh(relation: Relation): string;
  /** The query listing the relation's indexes (dbt-postgres `get_show_indexes_sql`). */
  indexesQuery(relation: Relation): string;
  /**
   * dbt's `get_materialized_view_configuration_changes`: the indexes' difference between the rows of
   * `indexesQuery` and the node's config (compared by columns, uniqueness and method, not name);
   * null when nothing changed.
   */
  indexChanges(relation: Relation, existing: Record<string, unknown>[], config: Record<string, unknown>): IndexChanges | null;
}

/** One insert trigger of a model: the view `<model>_<suffix>` and the SELECT it runs on each insert. */
export interface TriggerView {
  suffix: string;
  selectSql: string;
}

/** A materialized view found in the warehouse, as `TriggerViewBuilders.listQuery` lists it. */
export interface ExistingTriggerView {
  schema: string;
  name: string;
  /** `schema.table` it writes into, or null (no TO clause). */
  target: string | null;
  refreshable: boolean;
  /** A refreshable view that appends (`REFRESH ... APPEND`). */
  append: boolean;
  /** Its SELECT, as the warehouse stores it (what refills its target on a full refresh). */
  selectSql?: string;
}

/** dbt-clickhouse's materialized views (insert triggers into the model's table), as pure builders. */
export interface TriggerViewBuilders {
  /** The model's views: its `--name:begin` ... `--name:end` blocks, else one `mv` over the whole SQL. */
  views(selectSql: string): TriggerView[];
  /**
   * The table named by the model's `-- materialization_target_table: <schema>.<table>` comment
   * (what `materialization_target_table(ref(...))` renders): the model is then one view into that
   * table, which another model builds. Null without the comment.
   */
  externalTarget(selectSql: string): { schema: string; identifier: string } | null;
  /** `create materialized view <view> [refresh ...] to <target> as <select>`; a malformed `refreshable` config throws. */
  create(view: Relation, target: Relation, selectSql: string, config: Record<string, unknown>): string;
  /** Replaces the view's SELECT in place, keeping it (and its target) as they are. */
  modifyQuery(view: Relation, selectSql: string): string;
  /** Replaces a refreshable view's schedule in place (null when the config is not refreshable). */
  modifyRefresh(view: Relation, config: Record<string, unknown>): string | null;
  drop(view: Relation): string;
  /** The query listing materialized views (read with `existingView`). */
  listQuery(): string;
  /** A row of `listQuery` as a view. */
  existingView(row: Record<string, unknown>): ExistingTriggerView;
  /**
   * With `refreshable.depends_on_validation`: per view the config depends on, the query counting
   * refreshable views of that name (column `n`), which must be above 0. Otherwise none.
   */
  dependencyChecks(config: Record<string, unknown>): { name: string; query: string }[];
}

/** dbt-clickhouse's dictionary materialization, as a pure builder. */
export interface DictionaryBuilders {
  /** `create or replace dictionary <relation> (...) ... source(...) layout(...)` from the model's config; a malformed config throws. */
  create(relation: Relation, selectSql: string, config: Record<string, unknown>): string;
}

/** A Distributed table over per-shard `_local` tables (ClickHouse on a cluster). */
export interface DistributedBuilders {
  /** `<relation>` reading and writing through `local` on every shard, rows placed by `shardingKey`. */
  createDistributed(relation: Relation, local: Relation, shardingKey: string | null, ifNotExists: boolean): string;
  /** An insert through a Distributed table that returns only once every shard has its rows. */
  insertThrough(distributed: Relation, columns: string[], selectSql: string): string;
}
