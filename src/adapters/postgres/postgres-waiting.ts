// What a PostgresConnection (postgres-connection.ts) keeps of the statements it queues: each one
// waiting for the round trip that carries it, the attempts done another way when that trip fails,
// and how each statement is told to the run (`context.onStatement`).
import type { AdapterContext, QueryResult } from '../adapter.js';
import type { TsdbtError } from '../../errors/tsdbt-error.js';

/** A statement waiting for the next one, its query comment already on it. */
export interface Waiting {
  sql: string;
  nodeId: string | undefined;
  /** The text may hold several statements (QueueOptions.several). */
  several: boolean;
  /** Set when its round trip is back (or when it will never be sent). */
  outcome?: { result: QueryResult } | { error: Error };
  /** The attempt it belongs to (PostgresConnection.attempt). */
  attempt?: Attempt<unknown>;
  /** Logged abridged (ExecuteOptions.abridgeLog). */
  abridgeLog?: boolean;
  /** The COMMIT of a connection marked final (markFinal): its trip is the node's last. */
  final?: boolean;
}

/** How statements queued as an attempt are done another way when their round trip fails (PostgresConnection.attempt). */
export interface Attempt<Conn> {
  /** True for the errors the other way can cure (others fail the trip as usual). */
  recoverable(error: TsdbtError): boolean;
  /** Does in the attempt's place, in the same transaction, what its statements were to do. */
  instead(conn: Conn): Promise<void>;
}

/** What a statement replaced by another way (an attempt that failed) reports as its result. */
export const REPLACED: QueryResult = { columns: [], rows: [], response: { message: 'OK', code: 'OK' } };

/** Tells the run about one statement (`context.onStatement`); a logging callback never breaks a statement. */
export function reportStatement(context: AdapterContext, event: Parameters<NonNullable<AdapterContext['onStatement']>>[0]): void {
  if (event.nodeId === undefined) delete event.nodeId;
  try {
    context.onStatement?.(event);
  } catch {
    // A logging callback must never break a statement.
  }
}
