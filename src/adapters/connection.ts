// A warehouse session as core code uses it (Adapter.acquire): statements, their results, queued
// round trips, bulk loads and builds in place. Split out of adapter.ts, which re-exports it.

import type { Relation } from './relation.js';
import type { LoadColumn } from './sql-builders.js';
import type { AdapterResponse } from '../manifest/results.js';

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
