// What each PostgreSQL connection kind (the server's pg pool, PGlite) provides the adapter
// (postgres-adapter.ts): connections, the kind's extras (queueing, cancelling, opening ahead, a
// session lock), its version and its end.
import type { ErrorPlace } from './postgres-errors.js';
import type { PostgresConnection } from './postgres-connection.js';

/** One connection kind (server pool or PGlite): hands out connections, reports itself, closes. */
export interface ConnectionProvider {
  readonly place: ErrorPlace;
  /** Runs `fn` with a connection of its own for the duration of the call. */
  withConnection<T>(fn: (conn: PostgresConnection) => Promise<T>): Promise<T>;
  /** Adapter.follow, where the kind's sessions queue (the server's). */
  follow?<T>(leader: PostgresConnection, fn: (conn: PostgresConnection) => Promise<T>, adopted: Promise<void>): Promise<T>;
  /** Cancels the statements running on checked-out connections, where the kind can. */
  cancelAll?(): Promise<void>;
  /** Adapter.openAhead: starts opening a pooled connection, where opening one waits on a server. */
  openAhead?(): void;
  /** Adapter.connectAhead: starts a pooled connection's login alone (no session set-up). */
  connectAhead?(): void;
  /**
   * A session-level advisory lock on a connection of its own (the server); absent where the
   * provider is already exclusive to one process (PGlite's data-directory lock).
   */
  acquireSessionLock?(key: string): Promise<{ release(): Promise<void> } | null>;
  /** `version()` as this kind describes it, e.g. `PostgreSQL 15.14` or `PGlite 0.5.16 (PostgreSQL 18.6)`. */
  version(): Promise<string>;
  close(): Promise<void>;
}
