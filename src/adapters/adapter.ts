// The one adapter interface every warehouse implements (PostgreSQL/PGlite now, ClickHouse next).
// Core code speaks only to this interface: it asks for SQL, capabilities and introspection here,
// never branches on the dialect itself (DESIGN.md rule 1). Adapters import only this file (with
// the SQL builders' interface in sql-builders.ts, re-exported here), relation.ts and src/errors/
// (rule 2).

import type { Relation, RelationDialect, RelationParts, RelationType } from './relation.js';
import type { SqlBuilders } from './sql-builders.js';
import type { ProfileTemplate } from './profile-template.js';
import type { AdapterResponse } from '../manifest/results.js';
import type { BinaryLoadKind, ColumnInfo, Connection, ExecuteOptions, InPlaceBuild, QueuedStatement, RelationStats } from './connection.js';
import type { CoreQueries, DialectRules } from './dialect-rules.js';

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

// A session's statements and results (connection.ts) and a dialect's rules (dialect-rules.ts), re-exported for the adapters.
export type { BinaryLoadKind, BuildStatements, ColumnInfo, Connection, ExecuteOptions, InPlaceBuild, QueryColumn, QueryResult, QueuedStatement, QueueOptions, RelationStats } from './connection.js';
export { queueStatement } from './connection.js';
export type { AgateTypeName, ColumnTypeRules, CoreQueries, DialectRules } from './dialect-rules.js';


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
  /**
   * Other names of the built-in incremental strategies (materializations/strategy-alias.ts): each
   * configured name here is the built-in it maps to, or null for "no strategy" (the adapter's
   * default). dbt-clickhouse reads `delete_insert` as delete+insert and `default` as unset. Absent:
   * a name that is no built-in is a custom strategy, looked up as a macro.
   */
  incrementalStrategyAliases?: Readonly<Record<string, string | null>>;
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
   * The names of the user-defined functions in one schema, which dbt-postgres 1.11's
   * list_relations_without_caching lists (relations of type `function`) so that dbt's relation
   * cache finds an existing function; absent: the adapter's cache lists none.
   */
  listFunctions?(conn: Connection, database: string | null, schema: string): Promise<string[]>;
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

  /**
   * As openAhead, but only the login (a server's TCP connect and authentication), no session
   * set-up: called before the statements' query comment is known (the project not yet parsed);
   * openAhead later adds the set-up. Absent: nothing to open ahead.
   */
  connectAhead?(): void;

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
  /**
   * The adapter may be created while the project still loads, and its login started then
   * (Adapter.connectAhead): creating it prints nothing, makes nothing and needs nothing the parse
   * gives (a server's pool; not an embedded database, which may say it creates one).
   */
  connectsAhead?: boolean;
}
