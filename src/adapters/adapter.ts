// The one adapter interface every warehouse implements (PostgreSQL/PGlite now, ClickHouse next).
// Core code speaks only to this interface: it asks for SQL, capabilities and introspection here,
// never branches on the dialect itself (DESIGN.md rule 1). Adapters import only this file (with
// the SQL builders' interface in sql-builders.ts, re-exported here), relation.ts and src/errors/
// (rule 2).

import type { Relation, RelationDialect, RelationParts, RelationType } from './relation.js';
import type { LoadColumn, SqlBuilders } from './sql-builders.js';
import type { ProfileTemplate } from './profile-template.js';
import type { AdapterResponse } from '../manifest/results.js';
import type { ColumnClassRules } from './column-class.js';

export type { ConnectionMemo, ContractColumn, DictionaryBuilders, DistributedBuilders, ExistingTriggerView, FixtureValue, IndexChanges, LoadColumn, LogicalType, MaterializedViewBuilders, SeedColumnShape, SqlBuilders, TableConstraint, TriggerView, TriggerViewBuilders } from './sql-builders.js';

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
  /**
   * Called when a statement is handed to the warehouse, before its answer is awaited (for a client
   * that may run it in this thread, an embedded engine's, before it is handed over): the run writes
   * the log lines waiting for the event loop's check phase then (app/console-lines.ts,
   * app/log-file.ts), so a run killed during the statement has written every line logged before it.
   */
  beforeStatement?: () => void;
  /** dbt's `query-comment`: every statement executed is sent through `add` (its node's comment on it). */
  queryComment?: QueryCommenter;
  /** Told what the adapter wants the user to know (e.g. it took over a stale lock). */
  onWarning?: (message: string) => void;
  /** A line for the user about something that takes a while (creating the embedded database). */
  onInfo?: (message: string) => void;
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
  /**
   * Sent in one round trip with the statement reported after it (Connection.queue): the server ran
   * both before the client heard of either, so no client, and no kill of this process, can see a
   * moment between them.
   */
  sentWithNext?: boolean;
  /** Logged abridged (ExecuteOptions.abridgeLog). */
  abridgeLog?: boolean;
}

/** What dbt shows as `[SELECT 120 in 0.21s]` and stores as `adapter_response` in run_results. */
// The response type sits with the results it is recorded in (manifest/results.ts).
export type { AdapterResponse } from '../manifest/results.js';

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
  /** dbt's `abridge_sql_log` (adapter.add_query): the statement's log line shows its first 512 characters only. */
  abridgeLog?: boolean;
}

/** A relation's row count, owner and comment, as the docs catalog shows them. */
export interface RelationStats {
  rows?: number;
  owner: string | null;
  comment: string | null;
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
  /**
   * The precision and scale a fixed-width numeric type has where the warehouse reports them apart
   * from its name (information_schema's `numeric_precision`, `numeric_scale`: `integer` 32 and 0),
   * as an adapter Column holds them.
   */
  numericPrecision?: number | null;
  numericScale?: number | null;
}

/** Options of Connection.queue. */
export interface QueueOptions extends ExecuteOptions {
  /**
   * The text may hold several statements (a project's SQL: a `sql_header` before the statement, a
   * macro's output). A round trip carries at most one such text (its results are those the other
   * statements, one each, leave), so a second one sends the first. Absent: exactly one statement.
   */
  several?: boolean;
}

/** A statement given to Connection.queue: sent with a later one, its result read once that round trip is back. */
export interface QueuedStatement {
  /**
   * The statement's result (the last one of its text). Asked while the statement still waits, it
   * is sent at once with what waits before it. Rejects with the error of the round trip that
   * carried it, or, when its transaction ended without sending it, with an error saying so.
   */
  result(): Promise<QueryResult>;
}

/**
 * Runs a statement with the next one where the connection can queue (Connection.queue), else at
 * once; its result, when wanted, comes from `result()` once its round trip is back.
 */
export async function queueStatement(conn: Connection, sql: string, options?: QueueOptions): Promise<QueuedStatement> {
  if (conn.queue) return conn.queue(sql, options);
  const result = await conn.execute(sql, options);
  return { result: () => Promise.resolve(result) };
}

/** A relation's build: the statements that create it (each text one statement), then what finishes it (indexes). */
export interface BuildStatements {
  create: string[];
  extras: string[];
}

/** What a materialization hands `Adapter.buildInPlace`: the same build, in place and beside the target. */
export interface InPlaceBuild {
  type: 'table' | 'view';
  /** A view's SELECT: its new definition where a view is replaced in place. Absent: a view is not replaced in place. */
  viewSql?: string;
  /** The build at the target's name. */
  inPlace: BuildStatements;
  /** The staging relation and the build there: done, then swapped in, should building in place prove impossible. */
  staging: Relation;
  beside: BuildStatements;
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
  /** True inside `transaction()`, where the connection keeps track (absent: unknown). */
  readonly inTransaction?: boolean;
  /**
   * Issue 18: the outermost transaction's COMMIT is this connection's last round trip for its node
   * (nothing after it can fail the node), so the next node may be queued behind it (Adapter.follow).
   * Absent, or a connection kind that cannot queue: nothing happens.
   */
  markFinal?(): void;
  /** True while the final round trip (markFinal) is handed to the driver and no other trip followed it. */
  readonly leading?: boolean;
  /**
   * A statement nobody needs the result of before the next one is sent (BEGIN, a DROP ... IF
   * EXISTS, a RENAME, the build of a staging relation): sent with the next statement in one round
   * trip where the connection can (PostgreSQL's simple query protocol, inside a transaction),
   * reported in order as its own statement; an error in it fails the statement it travels with.
   * Absent, or outside a transaction: it runs at once. Use `queueStatement`.
   */
  queue?(sql: string, options?: QueueOptions): Promise<QueuedStatement>;
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
  /**
   * Bulk-loads rows already encoded as tab-separated text in byte chunks: fields separated by a
   * tab, each row ended by a newline, NULL as `\N`, a backslash, tab, newline or carriage return
   * in a value written `\\`, `\t`, `\n`, `\r` (PostgreSQL COPY's text format; the Kafka loader's
   * rows, loader/copy-text.ts). Returns the number of rows the warehouse reports loaded (NaN when it
   * does not say). Absent: use `bulkLoad`.
   */
  bulkLoadText?(relation: Relation, columns: LoadColumn[], chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: ExecuteOptions): Promise<number>;
  /**
   * Bulk-loads rows already encoded in PostgreSQL COPY's binary format in byte chunks: the
   * signature and header, one tuple per row (a field count, then each field's length and bytes,
   * -1 for NULL), the trailer (loader/copy-binary.ts). The values' kinds are those
   * `Adapter.binaryLoadKinds` gave for the columns. Returns the number of rows loaded. Absent: use
   * `bulkLoadText`.
   */
  bulkLoadBinary?(relation: Relation, columns: LoadColumn[], chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options?: ExecuteOptions): Promise<number>;
}

/**
 * How a column takes a value in `Connection.bulkLoadBinary`'s format: text as its UTF-8 bytes,
 * integers as 2, 4 or 8 bytes big-endian, a boolean as one byte, a timestamp (no time zone) as
 * 8 bytes of microseconds since 2000-01-01 00:00.
 */
export type BinaryLoadKind = 'text' | 'int16' | 'int32' | 'int64' | 'boolean' | 'timestamp';

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
   * `materialized='materialized_view'` as dbt-postgres builds it (create, refresh, index changes per
   * `on_configuration_change`), with the builders in `SqlBuilders.materializedViews`. False where the
   * warehouse's materialized views mean something else (ClickHouse's insert trigger into a target
   * table): the materialization then fails the node with a hint.
   */
  materializedViews: boolean;
  /**
   * Built-in materializations this adapter implements itself, as dbt-clickhouse defines `table`
   * with `adapter='clickhouse'`: a project's `{% materialization table, default %}` does not replace
   * them (dbt's specificity). Absent: every built-in is dbt's `default` one. A name here that is not
   * a built-in everywhere (dbt-clickhouse's `dictionary`) is a built-in on this adapter only.
   */
  ownMaterializations?: readonly string[];
  /**
   * dbt's Capability.SchemaMetadataByRelations: `docs generate` of at most 100 relations asks the
   * catalog of those relations (`get_catalog_relations`) instead of their schemas' (`get_catalog`).
   */
  metadataByRelations?: boolean;
  /**
   * dbt-clickhouse's first rule for a later incremental run: with the `inserts_only` config, or
   * without a unique_key and with a strategy other than insert_overwrite, the new rows are simply
   * appended (duplicate keys stay, "the user's responsibility"). Absent: dbt's default strategies,
   * which refuse delete+insert and merge without a unique_key.
   */
  insertsOnlyAppend?: boolean;
  /**
   * dbt-clickhouse's ClickHouseColumnChanges.has_conflicting_changes: `on_schema_change:
   * append_new_columns` fails like `fail` when columns were also dropped or changed type (only
   * `sync_all_columns` may drop or retype them). Absent: dbt's, which adds the new columns and
   * leaves the rest.
   */
  appendRefusesSyncChanges?: boolean;
  /**
   * How a later microbatch batch lands when the model has a `unique_key`: merged on the key over
   * the whole table, as dbt-postgres's get_incremental_microbatch_sql does (rows of the window
   * the batch no longer has stay; a key from another window is updated). Absent: the batch's
   * window is replaced (its rows deleted, the batch inserted), as dbt-clickhouse does and as
   * tsdbt does everywhere for a model without a `unique_key` (which dbt-postgres refuses).
   */
  microbatchMergesOnUniqueKey?: boolean;
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
  /**
   * Issue 18 (one thread): runs `fn` on a connection over the session `leader` holds (`leading`),
   * whose first round trip is queued behind the leader's final one and sent only if that one
   * succeeded (the driver checks as it sends: else PipelineRefused, adapters/pipeline.ts), and whose
   * answers reach `fn` only once `adopted` resolves (rejected: PipelineRefused). The session goes
   * back to the pool when both are done. Absent where connections cannot queue behind another.
   */
  follow?<T>(leader: Connection, fn: (conn: Connection) => Promise<T>, adopted: Promise<void>): Promise<T>;

  /** The relation as it exists in the warehouse (with its type), or null. */
  getRelation(conn: Connection, parts: RelationParts): Promise<Relation | null>;
  /** Every relation in one schema. */
  listRelations(conn: Connection, database: string | null, schema: string): Promise<Relation[]>;
  /**
   * The relations of `schema` (name to type) as this run already knows them (an adapter's relation
   * cache, listed when the run made sure the schema exists), or undefined: then listRelations asks.
   */
  knownRelations?(schema: string): ReadonlyMap<string, { type: RelationType }> | undefined;
  getColumns(conn: Connection, relation: Relation): Promise<ColumnInfo[]>;
  /**
   * The columns of every relation in one schema, by identifier, in one query (the docs catalog
   * reads a schema at a time, as dbt's get_catalog does, instead of a query per relation).
   */
  getSchemaColumns(conn: Connection, database: string | null, schema: string): Promise<Map<string, ColumnInfo[]>>;
  /**
   * What the docs catalog shows of each relation of one schema besides its columns, by identifier:
   * rows, exact where the warehouse keeps the count (ClickHouse's system.tables), else its
   * statistics' estimate (PostgreSQL's reltuples; absent for a table never analyzed; `approximate`
   * says which), its owner and its comment (persist_docs' relation description).
   */
  catalogStats(conn: Connection, database: string | null, schema: string): Promise<{ relations: Map<string, RelationStats>; approximate: boolean }>;
  /** The columns (names and types) a SELECT returns, without running it over data. */
  describeQuery(conn: Connection, selectSql: string): Promise<ColumnInfo[]>;
  /**
   * True when the warehouse enforces uniqueness of exactly `keys` on the relation (a unique index
   * on PostgreSQL), so `merge` can use `SqlBuilders.upsert`.
   */
  hasUniqueKey(conn: Connection, relation: Relation, keys: string[]): Promise<boolean>;
  /**
   * The kind each of `columns` of the existing relation takes in `Connection.bulkLoadBinary`
   * (null: the column's type has none, load the rows as text), read from the warehouse's catalog.
   * Absent: the warehouse has no binary loads.
   */
  binaryLoadKinds?(conn: Connection, relation: Relation, columns: string[]): Promise<(BinaryLoadKind | null)[]>;
  createSchemaIfMissing(conn: Connection, database: string | null, schema: string): Promise<void>;
  /**
   * Forgets what the run knew of a schema a template dropped (`adapter.drop_schema`), as dbt's
   * drop_schema clears its relation cache, so a later create_schema creates it again.
   */
  forgetSchema?(database: string | null, schema: string): void;
  /** True when the schema (a ClickHouse database) exists. */
  schemaExists(conn: Connection, database: string | null, schema: string): Promise<boolean>;

  /**
   * Makes `staging` (a fully built table) become `target`, atomically where the dialect can:
   * inside the caller's transaction, the old target is dropped and views that depended on it
   * are re-created against the new one (a plain DROP ... CASCADE would lose them).
   */
  replaceRelation(conn: Connection, staging: Relation, target: Relation, existing: Relation | null): Promise<void>;

  /**
   * Builds `target` where it stands instead of beside it, inside the caller's transaction, where
   * that is as safe as building beside it and swapping (a killed build leaves the previous
   * relation, views on it survive) and the adapter can tell it is so: nothing is at the target's
   * name, or a view is replaced by a view. Returns the handle of the build's last `create`
   * statement (the one beside the target if that is how it was built after all), or null when the adapter does not build in place here (the caller builds beside and swaps).
   * Absent: never in place.
   */
  buildInPlace?(conn: Connection, target: Relation, build: InPlaceBuild, options?: ExecuteOptions): Promise<QueuedStatement | null>;

  /**
   * Takes a lock on `relation` held until the caller's transaction ends (a PostgreSQL advisory
   * lock), so two processes never apply changes to one relation at the same time. With `queue`,
   * the lock travels with the caller's next statement (Connection.queue), which runs holding it.
   */
  lockRelation(conn: Connection, relation: Relation, options?: { queue?: boolean }): Promise<void>;

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

  /**
   * Starts opening the first connection (a server's TCP connect, login and session set-up) without
   * waiting for it, so a command overlaps that wait with its own work before its first statement.
   * A failure is left for the first `withConnection` to meet and report. Absent: nothing to open
   * ahead.
   */
  openAhead?(): void;

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
  /**
   * The adapter Column's TYPE_LABELS: what a portable label (`string`, `integer`...) means here, for
   * `Column.translate_type` and a contract's `data_type` (dbt's base: `TEXT`, `INT`...).
   */
  typeLabels: Readonly<Record<string, string>>;
  /** The adapter Column's class name, as its repr shows it (`Column`, dbt-postgres's `PostgresColumn`). */
  className: string;
  /** Where the adapter's Column subclass departs from dbt's base Column further (dbt-clickhouse's ClickHouseColumn). */
  columnClass?: ColumnClassRules;
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
  /**
   * True when rows broke a constraint of the table they were written to (a unique key already
   * taken, a check, a foreign key; SQL's integrity constraint violations): the loader's direct COPY
   * then goes the way that handles them (the staging table and its ON CONFLICT).
   */
  isConstraintViolation(err: unknown): boolean;
  /** The moment a value of a timestamp column holds, as the driver returns it (a time without zone is UTC). */
  readTimestamp(value: unknown): Date;
  /** A relation's `metadata.type` in catalog.json (dbt's get_catalog `table_type`). */
  catalogTableType(type: RelationType | null): string;
  /**
   * The status of rows a materialization inserted as the warehouse reports an insert (PostgreSQL:
   * `INSERT 0 5`), for the steps that count their rows themselves (snapshots, batches, rewrites),
   * so their lines read as the models' whose status the warehouse gives. Seeds keep dbt-core's own
   * `INSERT 5`.
   */
  insertedRows(rows: number): AdapterResponse;
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
  /** What `tsdbt init` asks to write a target of this type (dbt's profile_template.yml); several for one type's drivers. */
  profileTemplates?: ProfileTemplate[];
}
