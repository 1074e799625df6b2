// The one adapter interface every warehouse implements (PostgreSQL/PGlite now, ClickHouse next).
// Core code speaks only to this interface: it asks for SQL, capabilities and introspection here,
// never branches on the dialect itself (DESIGN.md rule 1). Adapters import only this file,
// relation.ts and src/errors/ (rule 2).

import type { Relation, RelationDialect, RelationParts, RelationType } from './relation.js';

/** One output of a profile target after env_var rendering: `type` picks the adapter. */
export interface AdapterTargetConfig {
  type: string;
  /** Target name (`dev`, `ci`...). */
  name: string;
  schema: string;
  /** Database (`dbname` for postgres). May be filled in by the adapter. */
  database?: string;
  threads: number;
  /** Every other key of the profile output, unvalidated (host, port, path...). */
  [key: string]: unknown;
}

/** Everything an adapter needs from the invocation, passed in (no globals, DESIGN.md rule 3). */
export interface AdapterContext {
  /** Project root: relative paths in the profile (pglite `path`) resolve against it. */
  projectDir: string;
  /** The project's target-path, absolute; the zero-setup embedded database lives under it. */
  targetDir: string;
  /** Called once per statement, after it ends (for --debug SQL logs and timing). */
  onStatement?: (event: StatementEvent) => void;
  /** dbt's `query-comment`: every statement executed is sent through `add` (its node's comment on it). */
  queryComment?: QueryCommenter;
  /** Told what the adapter wants the user to know (e.g. it took over a stale lock). */
  onWarning?: (message: string) => void;
}

/** Puts the query comment on a statement; the statement's node (or none: the connection's) picks the comment. */
export interface QueryCommenter {
  add(sql: string, nodeId: string | undefined): string;
}

export interface StatementEvent {
  sql: string;
  durationMs: number;
  /** The node the statement ran for, when the caller said. */
  nodeId?: string;
  error?: Error;
  response?: AdapterResponse;
}

/** What dbt shows as `[SELECT 120 in 0.21s]` and stores as `adapter_response` in run_results. */
export interface AdapterResponse {
  /** The database's status text, e.g. `SELECT 120`, `INSERT 0 5`, `CREATE VIEW`. */
  message: string;
  /** The command word, e.g. `SELECT`, `INSERT`, `CREATE`. */
  code: string;
  rowsAffected?: number;
}

export interface QueryColumn {
  name: string;
  /** The database's type name, when the driver reports it. */
  dataType?: string;
}

export interface QueryResult {
  columns: QueryColumn[];
  rows: Record<string, unknown>[];
  response: AdapterResponse;
}

export interface ExecuteOptions {
  /** Attribute the statement to a node in logs. */
  nodeId?: string;
  /**
   * Bulk loads: an idempotency token where the warehouse has one (ClickHouse's
   * `insert_deduplication_token`): a retried load with the same token writes nothing twice.
   */
  insertToken?: string;
}

/** A column as the warehouse reports it. */
export interface ColumnInfo {
  name: string;
  /** Type name as the warehouse spells it (`integer`, `text`, `timestamp without time zone`...). */
  dataType: string;
  /** 1-based position. */
  position: number;
  nullable?: boolean;
  comment?: string | null;
}

/** The logical column types tsdbt infers for seeds, mapped to dialect types by the adapter. */
export type LogicalType = 'integer' | 'bigint' | 'float' | 'numeric' | 'boolean' | 'date' | 'timestamp' | 'text';

/**
 * A column of a bulk load: its name, exactly as the warehouse stores it (the builders always quote
 * it), and the dialect's type name.
 */
export interface LoadColumn {
  name: string;
  dataType: string;
}

/** One database session. Statements on one connection run in order. */
export interface Connection {
  /** Runs one statement (or several separated by `;` where the dialect allows). Always logged. */
  execute(sql: string, options?: ExecuteOptions): Promise<QueryResult>;
  /**
   * Runs `fn` in a transaction: committed when it resolves, rolled back when it throws.
   * On dialects without transactions (capabilities.transactions false) it simply runs `fn`.
   */
  transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
  /**
   * dbt's `adapter.commit()`: commits the transaction open on this session (one `transaction()`
   * runs, or one a template opened with `begin`); inside `transaction()` a new one is opened in its
   * place so the enclosing transaction goes on. Absent, or nothing open: nothing happens.
   */
  commit?(options?: ExecuteOptions): Promise<void>;
  /**
   * dbt's `auto_begin`: opens a transaction that stays open until `commit()` (or a rollback), unless
   * one is open. Only the connection a materialization written in Jinja runs on has it
   * (materializations/template-transaction.ts); elsewhere a statement's auto_begin does nothing.
   */
  begin?(options?: ExecuteOptions): Promise<void>;
  /**
   * Bulk-loads rows (text values, null for SQL NULL) into an existing relation's columns,
   * streaming them (COPY on PostgreSQL). Returns the number of rows loaded.
   */
  bulkLoad(
    relation: Relation,
    columns: LoadColumn[],
    rows: AsyncIterable<(string | null)[]> | Iterable<(string | null)[]>,
    options?: ExecuteOptions,
  ): Promise<number>;
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
}

/** A column of a contracted table: its declared type and constraints. */
export interface ContractColumn {
  name: string;
  dataType: string;
  constraints: TableConstraint[];
}

/** A literal of a unit-test fixture, as YAML or CSV gave it. */
export type FixtureValue = string | number | boolean | null;

/** What a dialect can do; core code branches on these, never on the adapter's name. */
export interface AdapterCapabilities {
  /** DDL (CREATE/DROP/RENAME) is transactional, so a failed build can roll back a swap. */
  transactionalDdl: boolean;
  transactions: boolean;
  /** `MERGE` statement. */
  merge: boolean;
  /**
   * `UPDATE ... FROM` and correlated `NOT EXISTS`: snapshots update rows in place. Without them
   * (ClickHouse) a snapshot run rebuilds the table and swaps it in.
   */
  updateInPlace: boolean;
  /**
   * Built-in materializations this adapter implements itself, as dbt-clickhouse defines `table`
   * with `adapter='clickhouse'`: a project's `{% materialization table, default %}` does not replace
   * them (dbt's specificity). Absent: every built-in is dbt's `default` one.
   */
  ownMaterializations?: readonly string[];
}

/** SQL builders: pure functions of their inputs, so their output can be golden-tested. */
export interface SqlBuilders extends RelationDialect {
  /** Quotes a string literal. */
  quoteString(value: string): string;
  /** `create view ... as <sql>` (replacing an existing view where the dialect can). */
  createView(relation: Relation, selectSql: string): string;
  /**
   * `create table ... as <sql>`; `config` is the node's config (dialect-specific keys allowed).
   * `temporary`: a table of the session only, where the warehouse has them (dbt's
   * `create_table_as(temporary=True, ...)`); elsewhere an ordinary table.
   */
  createTableAs(relation: Relation, selectSql: string, config: Record<string, unknown>, options?: { temporary?: boolean }): string;
  /** `create table ... (cols)` for seeds and loaders. */
  createTable(relation: Relation, columns: LoadColumn[], config: Record<string, unknown>): string;
  dropRelation(relation: Relation, type: RelationType): string;
  /** Renames `from` to `toIdentifier` in the same schema. */
  renameRelation(from: Relation, toIdentifier: string): string;
  createSchema(database: string | null, schema: string): string;
  /** Drops a schema (a ClickHouse database) and everything in it, if it exists. */
  dropSchema(database: string | null, schema: string): string;
  truncate(relation: Relation): string;
  /** The dialect's type for a logical seed type. */
  typeFor(type: LogicalType): string;
  /** Why no column of this warehouse can be named `name`, even quoted (a NUL character), or null. */
  columnNameProblem(name: string): string | null;
  /**
   * The name the warehouse stores for a column named `name` (PostgreSQL keeps the first 63 bytes
   * of a longer name, cut at a character); the name itself where it keeps every name whole.
   */
  storedColumnName(name: string): string;
  /** `insert into target (cols) select cols from source`. */
  insertFrom(target: Relation, source: Relation, columns: string[]): string;
  /** Deletes target rows whose key matches a source row (`delete+insert`), with extra predicates. */
  deleteMatching(target: Relation, source: Relation, keys: string[], predicates: string[]): string;
  /**
   * Statements that finish a newly built table from the node's config (dbt-postgres `indexes`).
   * Generated names start with `naming.table` (the final table name, when `relation` is a staging
   * table) and include `naming.salt`, so they never clash across rebuilds.
   */
  tableExtras(relation: Relation, config: Record<string, unknown>, naming: { table: string; salt: string }): string[];
  /** `delete from target where <predicate>` (microbatch windows). */
  deleteWhere(target: Relation, predicate: string): string;
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
  addColumn(relation: Relation, column: string, dataType: string): string;
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
   */
  rowsDiff(expectedSql: string, actualSql: string, columns: string[]): string;
  /**
   * Source freshness: one row with `max_loaded_at_epoch`, the newest load time as seconds since
   * 1970 (a time without zone read as UTC), from `max(<field>)` over the relation (with `filter`),
   * or from the single value `loaded_at_query` returns.
   */
  freshnessQuery(from: { relation: Relation; field: string; filter: string | null } | { query: string }): string;
  /** A timestamp literal (a time without zone, written as UTC). */
  timestamp(at: Date): string;
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
  /** A type name in the dialect's canonical spelling (`int` -> `integer`), for contract checks. */
  canonicalType(dataType: string): string;
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
  /** `insert into target (cols) select cols from (<selectSql>)`. */
  insertQuery(target: Relation, columns: string[], selectSql: string): string;
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
}

/** A Distributed table over per-shard `_local` tables (ClickHouse on a cluster). */
export interface DistributedBuilders {
  /** `<relation>` reading and writing through `local` on every shard, rows placed by `shardingKey`. */
  createDistributed(relation: Relation, local: Relation, shardingKey: string | null, ifNotExists: boolean): string;
  /** An insert through a Distributed table that returns only once every shard has its rows. */
  insertThrough(distributed: Relation, columns: string[], selectSql: string): string;
}

/** A lock held across processes until released (see Adapter.acquireRunLock). */
export interface RunLock {
  release(): Promise<void>;
}

export interface WarehouseInfo {
  /** e.g. `PostgreSQL 15.14` or `PGlite (PostgreSQL 17.4)`. */
  version: string;
  /** Where it is: `host:port/db` or the data directory. */
  location: string;
}

/** A connected warehouse. Created by `createAdapter` (src/adapters/index.ts). */
export interface Adapter {
  /** The profile type (`postgres`, `pglite`, `clickhouse`). Only for display and artifacts. */
  readonly type: string;
  readonly target: AdapterTargetConfig;
  readonly capabilities: AdapterCapabilities;
  readonly sql: SqlBuilders;
  /** The database name relations default to. */
  readonly defaultDatabase: string;

  /** Builds a relation with this dialect's quoting. */
  relation(parts: RelationParts): Relation;

  /**
   * Runs `fn` with a connection from the pool (threads > 1 run in parallel where the warehouse
   * allows; an embedded single-connection warehouse serialises callers).
   */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;

  /** The relation as it exists in the warehouse (with its type), or null. */
  getRelation(conn: Connection, parts: RelationParts): Promise<Relation | null>;
  /** Every relation in one schema. */
  listRelations(conn: Connection, database: string | null, schema: string): Promise<Relation[]>;
  getColumns(conn: Connection, relation: Relation): Promise<ColumnInfo[]>;
  /**
   * Rows per table of one schema, for the docs catalog: exact where the warehouse keeps the count
   * (ClickHouse's system.tables), else its statistics' estimate (PostgreSQL's reltuples; absent
   * for a table never analyzed). `approximate` says which.
   */
  rowCounts(conn: Connection, database: string | null, schema: string): Promise<{ counts: Map<string, number>; approximate: boolean }>;
  /** The columns (names and types) a SELECT returns, without running it over data. */
  describeQuery(conn: Connection, selectSql: string): Promise<ColumnInfo[]>;
  /**
   * True when the warehouse enforces uniqueness of exactly `keys` on the relation (a unique index
   * on PostgreSQL), so `merge` can use `SqlBuilders.upsert`.
   */
  hasUniqueKey(conn: Connection, relation: Relation, keys: string[]): Promise<boolean>;
  createSchemaIfMissing(conn: Connection, database: string | null, schema: string): Promise<void>;
  /** True when the schema (a ClickHouse database) exists. */
  schemaExists(conn: Connection, database: string | null, schema: string): Promise<boolean>;

  /**
   * Makes `staging` (a fully built table) become `target`, atomically where the dialect can:
   * inside the caller's transaction, the old target is dropped and views that depended on it
   * are re-created against the new one (a plain DROP ... CASCADE would lose them).
   */
  replaceRelation(conn: Connection, staging: Relation, target: Relation, existing: Relation | null): Promise<void>;

  /**
   * Takes a lock on `relation` held until the caller's transaction ends (a PostgreSQL advisory
   * lock), so two processes never apply changes to one relation at the same time.
   */
  lockRelation(conn: Connection, relation: Relation): Promise<void>;

  /**
   * `insert_overwrite`: replaces every partition the query's rows fall into with those rows, and
   * leaves the other partitions alone (ClickHouse's REPLACE PARTITION). Absent where the warehouse
   * has no partitions to replace.
   */
  replacePartitions?(conn: Connection, target: Relation, selectSql: string, nodeId: string): Promise<AdapterResponse>;

  /**
   * Takes the lock `name` for as long as it is held, across every process using this warehouse
   * (`tsdbt schedule`: two schedulers on one target never build at once), or returns null at once
   * when another process holds it. Released by `release()`, and by the warehouse when the process
   * dies. An embedded warehouse whose data directory admits one process at a time is already
   * exclusive: its lock only needs to exist.
   */
  acquireRunLock(name: string): Promise<RunLock | null>;

  /**
   * Cancels every statement in flight (Ctrl-C): PostgreSQL's pg_cancel_backend, ClickHouse's
   * KILL QUERY and request abort. A statement that cannot be cancelled (embedded PGlite) finishes.
   */
  cancelRunning(): Promise<void>;

  /** Server version and location, for `tsdbt debug`. */
  info(): Promise<WarehouseInfo>;
  /** Closes every connection and releases locks (the PGlite data-directory lock). */
  close(): Promise<void>;
  /** How the dialect's type names and errors read (agate types, `api.Column`, refused values). */
  readonly rules: DialectRules;
  /** The statements core code runs on relations it owns (row counts, bookkeeping tables). */
  readonly queries: CoreQueries;
}

/** Builds an adapter for a target; registered per profile type. */
export type AdapterFactory = (target: AdapterTargetConfig, context: AdapterContext) => Promise<Adapter>;

/** agate's type names, as templates see a query result's columns (`Integer` is dbt's addition). */
export type AgateTypeName = 'Text' | 'Number' | 'Integer' | 'Boolean' | 'Date' | 'DateTime' | 'TimeDelta';

/**
 * dbt's `api.Column` for one dialect (dbt-adapters' `Column`, which each dbt adapter subclasses):
 * which base type names (lower case, size removed) are strings, floats, integers and fixed-point
 * numbers, and how a string column of a given size is written.
 */
export interface ColumnTypeRules {
  stringTypes: ReadonlySet<string>;
  floatTypes: ReadonlySet<string>;
  integerTypes: ReadonlySet<string>;
  numericTypes: ReadonlySet<string>;
  /**
   * True when a string column's type renders as written rather than as `stringType(size)`
   * (dbt-postgres: `text`, and `character varying` without a size).
   */
  keepsStringType(dtype: string, charSize: number | null): boolean;
  /** The type of a string column of `size` characters (`character varying(size)` in dbt's base Column). */
  stringType(size: number): string;
}

/**
 * What a dialect knows besides its SQL builders: how its type names and errors read to core code.
 * The defaults every SQL warehouse can share are in default-rules.ts; an adapter overrides what differs.
 */
export interface DialectRules {
  /** The agate type of a column of warehouse type `dataType`, or null for a name it does not know (typed from its values). */
  agateType(dataType: string): AgateTypeName | null;
  /** True when values of `dataType` carry a time zone (templates get aware datetimes). */
  timeZoneAware(dataType: string): boolean;
  /** `api.Column`'s type families and string type. */
  columnTypes: ColumnTypeRules;
  /**
   * True when the warehouse refused a value for its column (a bad number, date, JSON, a NULL in a
   * NOT NULL column): the data's fault, not the statement's, so the loader dead-letters the row.
   */
  isDataError(err: unknown): boolean;
  /** The moment a value of a timestamp column holds, as the driver returns it (a time without zone is UTC). */
  readTimestamp(value: unknown): Date;
  /** A relation's `metadata.type` in catalog.json (dbt's get_catalog `table_type`). */
  catalogTableType(type: RelationType | null): string;
}

/**
 * Statements core code runs on relations it owns: a relation's row count, and the bookkeeping
 * tables (microbatch windows). Every one has an ANSI default (default-queries.ts) written with the
 * dialect's quoting, so a new adapter overrides only what its warehouse reads differently.
 */
export interface CoreQueries {
  /** One row with `n`, the number of rows of `relation`. */
  countRows(relation: Relation): string;
  /**
   * The rows of `target` whose `keys` no row of `batch` has, followed by every row of `batch`, as
   * `columns` (the `legacy` incremental strategy rewrites its table from this).
   */
  keptRowsAndBatch(target: Relation, batch: Relation, keys: string[], columns: string[]): string;
  /** `columns` of the rows of `relation` where each column of `where` equals its SQL literal. */
  selectWhereEqual(relation: Relation, columns: string[], where: [column: string, literal: string][]): string;
  /** Deletes the rows of `relation` where each column of `where` equals its SQL literal. */
  deleteWhereEqual(relation: Relation, where: [column: string, literal: string][]): string;
  /** Inserts rows of SQL literals (one per column of `columns`) into `relation`. */
  insertLiterals(relation: Relation, columns: string[], rows: string[][]): string;
  /**
   * One row per value `group_value` of column `group` among the rows of `relation` where each
   * column of `where` equals its SQL literal, with `max_value`, the largest `value` of the group
   * (the loader's stored and recorded offsets per partition).
   */
  maxByGroup(relation: Relation, group: string, value: string, where: [column: string, literal: string][]): string;
  /**
   * One row per value of column `key` whose every row in `relation` has `column` equal to the SQL
   * `literal`, with `key` and the smallest value of each of `least` under their own names (the
   * scheduler's runs that never recorded an end).
   */
  keysWhereEveryRow(relation: Relation, key: string, equal: [column: string, literal: string], least: string[]): string;
}

/** What a target's dialect is without connecting to it (for parsing and compiling). */
export interface AdapterDialect {
  type: string;
  /** Quoting and include rules for Relation. */
  relation: RelationDialect;
  sql: SqlBuilders;
  dispatchPrefixes: string[];
  /** The database relations default to (`dbname` for postgres, `postgres` for PGlite). */
  defaultDatabase: string;
  capabilities: AdapterCapabilities;
  /** How its type names and errors read (Adapter.rules). */
  rules: DialectRules;
  /** The statements core code runs on relations it owns (Adapter.queries). */
  queries: CoreQueries;
  /**
   * The folder of the adapter's own Jinja macros (its `<adapter>__` implementations of dbt's
   * dispatched macros), loaded into dbt's namespace after the global project's; null: none.
   */
  macroDir: string | null;
}

/**
 * One profile `type`, as its adapter folder exports it and src/adapters/index.ts lists it: how to
 * connect, and the dialect without connecting.
 */
export interface AdapterRegistration {
  create: AdapterFactory;
  dialect(target: AdapterTargetConfig): AdapterDialect;
}
