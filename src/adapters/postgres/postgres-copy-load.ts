// COPY loads of a PostgresConnection (postgres-connection.ts): seeds' rows as CSV, and chunks
// already encoded as COPY text or binary. Each COPY travels alone, through the connection's one
// logged execute (`run`); PGlite reads its input from one in-memory blob, so a CSV load is cut
// into batches there, run in one transaction so the load is all-or-nothing.
import type { Connection, ExecuteOptions, LoadColumn, QueryResult } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { csvBatches, csvChunks, rowAtCopyLine, type LoadRows, type RowCounter } from './postgres-csv.js';
import { copyRowError } from './postgres-errors.js';
import { toAdapterResponse } from './postgres-response.js';
import { copyBinarySql, copyCsvSql, copyTextSql } from './postgres-sql.js';
import type { PostgresSession } from './postgres-session.js';

/** PGlite reads COPY input from one in-memory blob: loads are cut into batches of this many characters. */
export const BLOB_BATCH_CHARS = 32 * 1024 * 1024;

/** What of its connection a load uses. */
export interface CopyHost {
  readonly session: PostgresSession;
  readonly blobBatchChars: number;
  /** True inside `transaction()`. */
  inTransaction(): boolean;
  /** The statement with the run's query comment on it. */
  commented(sql: string, nodeId: string | undefined): string;
  /** Sends what is queued: COPY travels alone. */
  flush(): Promise<void>;
  /** The connection's one logged execute. */
  run(sql: string, options: ExecuteOptions, op: () => Promise<QueryResult>): Promise<QueryResult>;
  transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T>;
}

/** Connection.bulkLoad: rows as CSV; the rows loaded. */
export async function bulkLoadCsv(host: CopyHost, relation: Relation, columns: LoadColumn[], rows: LoadRows, options: ExecuteOptions): Promise<number> {
  const sql = host.commented(copyCsvSql(relation, columns, host.session.copySource), options.nodeId);
  const counter: RowCounter = { rows: 0 };
  const chunks = csvChunks(rows, columns.length, counter);
  const names = columns.map((c) => c.name);
  if (host.session.copySource === 'stdin') {
    await runCopy(host, sql, options, chunks, counter, 0, names);
    return counter.rows;
  }
  // PGlite: one COPY per batch; several batches run in one transaction so a load is all-or-nothing.
  const batches = csvBatches(chunks, host.blobBatchChars)[Symbol.asyncIterator]();
  let current = await batches.next();
  let next = current.done ? current : await batches.next();
  const load = async (): Promise<number> => {
    if (current.done) await runCopy(host, sql, options, toAsync([]), counter, 0, names);
    let lineBase = 0;
    while (!current.done) {
      await runCopy(host, sql, options, toAsync(current.value), counter, lineBase, names);
      for (const part of current.value) lineBase += countNewlines(part);
      current = next;
      next = current.done ? current : await batches.next();
    }
    return counter.rows;
  };
  return !next.done && !host.inTransaction() ? host.transaction(load) : load();
}

/** Connection.bulkLoadText: one COPY in text format (the rows counted by the server). */
export function bulkLoadText(host: CopyHost, relation: Relation, columns: LoadColumn[], chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ExecuteOptions): Promise<number> {
  return copyEncoded(host, copyTextSql(relation, columns, host.session.copySource), chunks, options);
}

/** Connection.bulkLoadBinary: one COPY in binary format (the rows counted by the server). */
export function bulkLoadBinary(host: CopyHost, relation: Relation, columns: LoadColumn[], chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ExecuteOptions): Promise<number> {
  return copyEncoded(host, copyBinarySql(relation, columns, host.session.copySource), chunks, options);
}

/** One COPY of chunks already in its format. */
async function copyEncoded(host: CopyHost, copySql: string, chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, options: ExecuteOptions): Promise<number> {
  const sql = host.commented(copySql, options.nodeId);
  await host.flush(); // COPY travels alone
  const result = await host.run(sql, options, async () => {
    const rowCount = await host.session.copyIn(sql, chunks);
    return { columns: [], rows: [], response: toAdapterResponse({ command: 'COPY', rowCount }, sql, true) };
  });
  return result.response.rowsAffected ?? Number.NaN;
}

/** One COPY; `lineBase` is how many lines of the load earlier COPYs took (COPY numbers its own lines from 1). */
async function runCopy(host: CopyHost, sql: string, options: ExecuteOptions, chunks: AsyncIterable<string>, counter: RowCounter, lineBase: number, columns: string[]) {
  const before = counter.rows;
  await host.flush(); // COPY travels alone
  try {
    await host.run(sql, options, async () => {
      const copied = await host.session.copyIn(sql, chunks);
      const rowCount = Number.isFinite(copied) ? copied : counter.rows - before;
      return { columns: [], rows: [], response: toAdapterResponse({ command: 'COPY', rowCount }, sql, true) };
    });
  } catch (err) {
    throw err instanceof TsdbtError ? copyRowError(err, (line) => rowAtCopyLine(counter, lineBase, line), columns) : err;
  }
}

function countNewlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

// eslint-disable-next-line @typescript-eslint/require-await -- a list as the async iterable runCopy reads
async function* toAsync(items: readonly string[]): AsyncGenerator<string> {
  for (const item of items) yield item;
}
