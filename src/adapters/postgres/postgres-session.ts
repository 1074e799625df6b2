// What a PostgreSQL connection (postgres-connection.ts) is built on: a session of one driver (pg for
// the server, PGlite) and the provider that hands connections out.
import { toAdapterResponse, type DriverOutcome } from './postgres-response.js';
import { typeNameFor } from './postgres-values.js';
import type { QueryResult } from '../adapter.js';
import type { TripOptions } from './postgres-follow.js';

/** One statement's result as a driver returns it (values already parsed, see postgres-values.ts). */
export interface DriverResult extends DriverOutcome {
  fields: { name: string; dataTypeID: number }[];
  rows: Record<string, unknown>[];
}

/** The driver-specific part of a session. */
export interface PostgresSession {
  /** `stdin`: COPY streams; `blob`: COPY reads a whole batch from PGlite's `/dev/blob`. */
  readonly copySource: 'stdin' | 'blob';
  /** Runs SQL with the simple query protocol (several statements allowed): one result each; `trip`: pipelining (postgres-follow.ts). */
  query(sql: string, trip?: TripOptions): Promise<DriverResult[]>;
  /** True where a query may be queued behind one not yet answered (the server's pg client: pipelining). */
  readonly queuesBehind?: boolean;
  /** Runs `copySql` (a `COPY ... FROM`, CSV or text format) feeding it `chunks`; returns rows copied. */
  copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<number>;
  /** Whether the server says a transaction is open (or failed) after the last statement; null when the driver cannot tell. */
  inTransaction(): boolean | null;
  /** What the session has made that lasts as long as it does (see SessionObjects); a new session, a reconnect, starts with none. */
  readonly objects: SessionObjects;
}

/**
 * Objects of a session's own (a function in its temporary schema), by name: `created` once the
 * transaction that created one committed, `unavailable` once creating one failed (say, no TEMP
 * privilege), so the session does without it. One map per server session: a new session (a
 * reconnect, another pooled client) has none of them.
 */
export type SessionObjects = Map<string, 'created' | 'unavailable'>;


/** The QueryResult of a statement from its driver results (one per statement in the text; the last one counts). */
export function toQueryResult(results: DriverResult[], sql: string): QueryResult {
  const last = results[results.length - 1] ?? { fields: [], rows: [] };
  return {
    columns: last.fields.map((f) => {
      const dataType = typeNameFor(f.dataTypeID);
      return dataType === undefined ? { name: f.name } : { name: f.name, dataType };
    }),
    rows: last.rows,
    response: toAdapterResponse(last, sql, results.length === 1),
  };
}
