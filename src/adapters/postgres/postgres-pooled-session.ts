// One pg client of the server's pool as tsdbt uses it: a PostgresSession over it (its queries,
// COPY FROM STDIN, transaction status), and what the provider does to a client that fails or
// whose login is under way. Split out of postgres-server.ts, which pools and opens them.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import type { DriverResult, PostgresSession, SessionObjects } from './postgres-connection.js';
import type { TripOptions } from './postgres-follow.js';
import { trackedQuery } from './postgres-tracked-query.js';

/**
 * pg-copy-streams, loaded by the first COPY (a seed, a load): it requires node:assert, and a run
 * of models never copies (~2 ms of CPU at every start on the loaded machine; issue 18).
 */
const loadCopyStreams = () => import('pg-copy-streams').then((m) => m.default);
let copyStreamsModule: ReturnType<typeof loadCopyStreams> | null = null;
const copyStreams = () => (copyStreamsModule ??= loadCopyStreams());

/**
 * After a COPY failed: when our input failed, the stream sends a CopyFail; wait (at most `waitMs`)
 * until the server has answered it, so the next statement does not start while the COPY still
 * runs on this client. When the server refused the data itself (an ErrorResponse), the COPY is
 * over already and no answer will come: return at once instead of holding the error back.
 */
export async function settleFailedCopy(stream: { readonly closed: boolean; once(event: 'close', listener: () => void): unknown }, err: unknown, waitMs = 30_000): Promise<void> {
  if (err instanceof pg.DatabaseError || stream.closed) return;
  await new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, waitMs);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** What of pg's client `untilReadyForQuery` reads: public in behaviour, not in pg's types. */
interface ClientProtocolState {
  readyForQuery?: boolean;
  connection?: { once(event: 'readyForQuery' | 'end', listener: () => void): unknown; off(event: 'readyForQuery' | 'end', listener: () => void): unknown };
}

/**
 * pg rejects a failed query on the server's ErrorResponse, before the ReadyForQuery that follows
 * it and carries the transaction status; when the two arrive in separate reads (a loaded machine),
 * `getTransactionStatus()` still says the status from before the query ('I' for a trip that
 * began with BEGIN and failed inside it), and the transaction would go back to the pool aborted
 * with no ROLLBACK sent. Waits for that ReadyForQuery (or the connection's end); only after an
 * ErrorResponse, which the server always follows with one.
 */
function untilReadyForQuery(client: pg.PoolClient): Promise<void> {
  const state = client as unknown as ClientProtocolState;
  const connection = state.connection;
  if (state.readyForQuery !== false || !connection) return Promise.resolve();
  return new Promise<void>((resolve) => {
    const done = () => {
      connection.off('readyForQuery', done);
      connection.off('end', done);
      resolve();
    };
    connection.once('readyForQuery', done);
    connection.once('end', done);
  });
}

export function sessionFor(client: pg.PoolClient, objects: SessionObjects): PostgresSession {
  return {
    objects,
    copySource: 'stdin',
    queuesBehind: true,
    async query(sql: string, trip?: TripOptions): Promise<DriverResult[]> {
      let raw: pg.QueryResult | pg.QueryResult[];
      try {
        raw = trip
          ? await new Promise<pg.QueryResult | pg.QueryResult[]>((resolve, reject) => client.query(trackedQuery(sql, trip, (err, result) => (err ? reject(err) : resolve(result as pg.QueryResult)))))
          : ((await client.query(sql)) as pg.QueryResult | pg.QueryResult[]);
      } catch (err) {
        // The server's refusal: its ReadyForQuery is on the way. (A lost connection has none.)
        if (err instanceof pg.DatabaseError) await untilReadyForQuery(client);
        throw err;
      }
      const list = Array.isArray(raw) ? raw : [raw];
      return list.map((r) => ({
        command: r.command,
        rowCount: r.rowCount,
        fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
        rows: r.rows as Record<string, unknown>[],
      }));
    },
    async copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<number> {
      const stream = client.query((await copyStreams()).from(copySql));
      try {
        await pipeline(Readable.from(chunks), stream);
      } catch (err) {
        await settleFailedCopy(stream, err);
        throw err;
      }
      return stream.rowCount;
    },
    // The server's ReadyForQuery status: I idle, T in a transaction, E in a failed one.
    inTransaction: () => {
      const status = client.getTransactionStatus();
      return status === null || status === undefined ? null : status !== 'I';
    },
  };
}

/**
 * Ends a client whose login is under way at once. pg's `end()` then sends Terminate and half-closes
 * the socket, waiting for the server's close (which a server that never answered never sends);
 * pg itself destroys the socket on its connect timeout, as done here (its `connection.stream`,
 * not public API: src/app/early-adapter.test.ts fails if a pg release moves it).
 */
export function abortLogin(client: pg.Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream;
  if (stream) stream.destroy();
  else void client.end().catch(() => undefined);
}
