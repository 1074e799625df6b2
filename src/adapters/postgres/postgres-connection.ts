// One PostgreSQL session as tsdbt's Connection, for both connection kinds. Every statement goes
// through `run`, the one logged execute (DESIGN.md rule 5): it times the statement, reports it to
// `context.onStatement`, and converts driver errors to TsdbtError. What differs between the server
// (pg) and PGlite is behind the small PostgresSession interface.
import type { AdapterContext, Connection, ExecuteOptions, LoadColumn, QueryResult } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { csvBatches, csvChunks, rowAtCopyLine, type LoadRows, type RowCounter } from './postgres-csv.js';
import { copyRowError, toTsdbtError, type ErrorPlace } from './postgres-errors.js';
import { toAdapterResponse, type DriverOutcome } from './postgres-response.js';
import { copyCsvSql } from './postgres-sql.js';
import { typeNameFor } from './postgres-values.js';

/** One statement's result as a driver returns it (values already parsed, see postgres-values.ts). */
export interface DriverResult extends DriverOutcome {
  fields: { name: string; dataTypeID: number }[];
  rows: Record<string, unknown>[];
}

/** The driver-specific part of a session. */
export interface PostgresSession {
  /** `stdin`: COPY streams; `blob`: COPY reads a whole batch from PGlite's `/dev/blob`. */
  readonly copySource: 'stdin' | 'blob';
  /** Runs SQL with the simple query protocol (several statements allowed): one result each. */
  query(sql: string): Promise<DriverResult[]>;
  /** Runs `copySql` (a `COPY ... FROM` in CSV format) feeding it `chunks`; returns rows copied. */
  copyCsv(copySql: string, chunks: AsyncIterable<string>): Promise<number>;
  /** Whether the server says a transaction is open (or failed) after the last statement; null when the driver cannot tell. */
  inTransaction(): boolean | null;
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** PGlite reads COPY input from one in-memory blob: loads are cut into batches of this many characters. */
const BLOB_BATCH_CHARS = 32 * 1024 * 1024;

/** A Connection over one PostgresSession. Not shared between concurrent callers. */
export class PostgresConnection implements Connection {
  private depth = 0;
  private savepoints = 0;
  /** The savepoints of nested `transaction()` calls, outermost first. */
  private readonly openSavepoints: string[] = [];

  constructor(
    private readonly session: PostgresSession,
    private readonly context: AdapterContext,
    private readonly place: ErrorPlace,
    private readonly blobBatchChars = BLOB_BATCH_CHARS,
  ) {}

  /** True inside `transaction()`. */
  get inTransaction(): boolean {
    return this.depth > 0;
  }

  /** The statement with the run's query comment on it (dbt's `query-comment`), as the warehouse gets it. */
  private commented(sql: string, nodeId: string | undefined): string {
    return this.context.queryComment ? this.context.queryComment.add(sql, nodeId) : sql;
  }

  async execute(text: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const result = await this.statement(text, options);
    // A statement that ended the transaction itself (a hook's `begin; delete ...; commit;`, as
    // packages write for Redshift): its work is committed, as in dbt; the enclosing transaction()
    // goes on in a new one, as after commit(), so its savepoints and its commit still work.
    if (this.depth > 0 && this.session.inTransaction() === false) await this.reopen(options);
    return result;
  }

  /** Opens a new transaction with the open savepoints of the nested transaction() calls. */
  private async reopen(options: ExecuteOptions): Promise<void> {
    await this.statement('begin', options);
    for (const savepoint of this.openSavepoints) await this.statement(`savepoint ${savepoint}`, options);
  }

  /** One statement, logged; tsdbt's own transaction statements go here directly. */
  private async statement(text: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const sql = this.commented(text, options.nodeId);
    return this.run(sql, options.nodeId, async () => {
      const results = await this.session.query(sql);
      const last = results[results.length - 1] ?? { fields: [], rows: [] };
      return {
        columns: last.fields.map((f) => {
          const dataType = typeNameFor(f.dataTypeID);
          return dataType === undefined ? { name: f.name } : { name: f.name, dataType };
        }),
        rows: last.rows,
        response: toAdapterResponse(last, sql, results.length === 1),
      };
    });
  }

  async transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    const nested = this.depth > 0;
    const savepoint = nested ? `tsdbt_savepoint_${++this.savepoints}` : '';
    await this.statement(nested ? `savepoint ${savepoint}` : 'begin');
    this.depth++;
    if (nested) this.openSavepoints.push(savepoint);
    let result: T;
    try {
      result = await fn(this);
    } catch (err) {
      this.depth--;
      if (nested) this.openSavepoints.pop();
      try {
        await this.statement(nested ? `rollback to savepoint ${savepoint}` : 'rollback');
      } catch {
        // The original error matters more; a lost connection is discarded by the pool.
      }
      throw err;
    }
    this.depth--;
    if (nested) this.openSavepoints.pop();
    await this.statement(nested ? `release savepoint ${savepoint}` : 'commit');
    return result;
  }

  async commit(options: ExecuteOptions = {}): Promise<void> {
    // Outside transaction(): COMMIT ends a transaction a template began, and is a no-op (a notice) otherwise.
    await this.statement('commit', options);
    if (this.depth === 0) return;
    // Inside: the work so far is committed; the enclosing transaction() goes on in a new one.
    await this.reopen(options);
  }

  async bulkLoad(
    relation: Relation,
    columns: LoadColumn[],
    rows: LoadRows,
    options: ExecuteOptions = {},
  ): Promise<number> {
    const sql = this.commented(copyCsvSql(relation, columns, this.session.copySource), options.nodeId);
    const counter: RowCounter = { rows: 0 };
    const chunks = csvChunks(rows, columns.length, counter);
    const names = columns.map((c) => c.name);
    if (this.session.copySource === 'stdin') {
      await this.runCopy(sql, options, chunks, counter, 0, names);
      return counter.rows;
    }
    // PGlite: one COPY per batch; several batches run in one transaction so a load is all-or-nothing.
    const batches = csvBatches(chunks, this.blobBatchChars)[Symbol.asyncIterator]();
    let current = await batches.next();
    let next = current.done ? current : await batches.next();
    const load = async (): Promise<number> => {
      if (current.done) await this.runCopy(sql, options, toAsync([]), counter, 0, names);
      let lineBase = 0;
      while (!current.done) {
        await this.runCopy(sql, options, toAsync(current.value), counter, lineBase, names);
        for (const part of current.value) lineBase += countNewlines(part);
        current = next;
        next = current.done ? current : await batches.next();
      }
      return counter.rows;
    };
    return !next.done && this.depth === 0 ? this.transaction(load) : load();
  }

  /** One COPY; `lineBase` is how many lines of the load earlier COPYs took (COPY numbers its own lines from 1). */
  private async runCopy(sql: string, options: ExecuteOptions, chunks: AsyncIterable<string>, counter: RowCounter, lineBase: number, columns: string[]) {
    const before = counter.rows;
    try {
      await this.run(sql, options.nodeId, async () => {
        const copied = await this.session.copyCsv(sql, chunks);
        const rowCount = Number.isFinite(copied) ? copied : counter.rows - before;
        return { columns: [], rows: [], response: toAdapterResponse({ command: 'COPY', rowCount }, sql, true) };
      });
    } catch (err) {
      throw err instanceof TsdbtError ? copyRowError(err, (line) => rowAtCopyLine(counter, lineBase, line), columns) : err;
    }
  }

  /** The one logged execute: timing, `onStatement`, error conversion. */
  private async run(sql: string, nodeId: string | undefined, op: () => Promise<QueryResult>): Promise<QueryResult> {
    const started = performance.now();
    try {
      const result = await op();
      this.report({ sql, durationMs: performance.now() - started, nodeId, response: result.response });
      return result;
    } catch (err) {
      const error = toTsdbtError(err, this.place, nodeId);
      this.report({ sql, durationMs: performance.now() - started, nodeId, error });
      throw error;
    }
  }

  private report(event: Parameters<NonNullable<AdapterContext['onStatement']>>[0]): void {
    if (event.nodeId === undefined) delete event.nodeId;
    try {
      this.context.onStatement?.(event);
    } catch {
      // A logging callback must never break a statement.
    }
  }
}

async function* toAsync(items: readonly string[]): AsyncGenerator<string> {
  for (const item of items) yield item;
}

/** One connection kind (server pool or PGlite): hands out connections, reports itself, closes. */
export interface ConnectionProvider {
  readonly place: ErrorPlace;
  /** Runs `fn` with a connection of its own for the duration of the call. */
  withConnection<T>(fn: (conn: PostgresConnection) => Promise<T>): Promise<T>;
  /** Cancels the statements running on checked-out connections, where the kind can. */
  cancelAll?(): Promise<void>;
  /**
   * A session-level advisory lock on a connection of its own (the server); absent where the
   * provider is already exclusive to one process (PGlite's data-directory lock).
   */
  acquireSessionLock?(key: string): Promise<{ release(): Promise<void> } | null>;
  /** `version()` as this kind describes it, e.g. `PostgreSQL 15.14` or `PGlite 0.5.16 (PostgreSQL 18.6)`. */
  version(): Promise<string>;
  close(): Promise<void>;
}
