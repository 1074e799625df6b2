// Turns what pg and PGlite throw (server errors with a SQLSTATE, socket errors, pg's own messages)
// into TsdbtError: category `database` with code `sqlstate-<SQLSTATE>` for warehouse errors,
// `retriable` for the failures a retry can cure, and `user` for profile mistakes (bad password,
// unknown database or host) with a hint saying what to fix.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { BulkLoadRowError } from '../bulk-load-error.js';

/** The fields PostgreSQL error responses carry (both drivers expose them on the error). */
interface ServerErrorFields {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  where?: string;
}

/** Where the failure happened, for messages: `host:port/db` or a data directory. */
export interface ErrorPlace {
  location: string;
  /** `postgres` or `pglite`: which profile fields the hint should mention. */
  kind: 'postgres' | 'pglite';
}

const SQLSTATE_RE = /^[0-9A-Z]{5}$/;

/** SQLSTATEs (or classes, by 2-character prefix) where running the same thing again may succeed. */
const RETRIABLE_STATES = new Set(['40001', '40P01', '55P03', '57P01', '57P02', '57P03', '53300', '53400', '57014']);
const RETRIABLE_CLASSES = new Set(['08']);

const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/** True when a SQLSTATE names a transient failure (connection loss, serialization, deadlock...). */
export function isRetriableSqlState(state: string): boolean {
  return RETRIABLE_STATES.has(state) || RETRIABLE_CLASSES.has(state.slice(0, 2));
}

function fieldsOf(err: unknown): ServerErrorFields {
  return err && typeof err === 'object' ? err : { message: String(err) };
}

/** Converts any driver error to a TsdbtError (a TsdbtError passes through unchanged). */
export function toTsdbtError(err: unknown, place: ErrorPlace, nodeId?: string): TsdbtError {
  if (err instanceof TsdbtError) return err;
  const f = fieldsOf(err);
  const message = f.message ?? String(err);
  const code = typeof f.code === 'string' ? f.code : '';

  if (SQLSTATE_RE.test(code)) {
    const text = `${message} (SQLSTATE ${code})${f.detail ? `\nDETAIL: ${f.detail}` : ''}`;
    if (code === '28P01' || code === '28000') {
      return new TsdbtError(`cannot log in to ${place.location}: ${text}`, {
        code: 'warehouse-auth',
        category: 'user',
        hint: 'check `user` and `password` of this target in profiles.yml (or the env_var they read)',
        cause: err,
      });
    }
    if (code === '3D000') {
      return new TsdbtError(`${text}`, {
        code: 'warehouse-database-missing',
        category: 'user',
        hint: `create the database, or fix \`dbname\` of this target in profiles.yml (${place.location})`,
        cause: err,
      });
    }
    return new TsdbtError(text, {
      code: `sqlstate-${code}`,
      category: 'database',
      hint: f.hint,
      retriable: isRetriableSqlState(code),
      nodeId,
      cause: err,
    });
  }

  if (/password must be a string|no password|SASL/i.test(message)) {
    return new TsdbtError(`cannot log in to ${place.location}: ${message}`, {
      code: 'warehouse-auth',
      category: 'user',
      hint: 'the server asks for a password: set `password` of this target in profiles.yml',
      cause: err,
    });
  }
  if (code === 'ENOTFOUND') {
    return new TsdbtError(`cannot resolve the host of ${place.location}: ${message}`, {
      code: 'warehouse-host-unknown',
      category: 'user',
      hint: 'check `host` of this target in profiles.yml',
      cause: err,
    });
  }
  if (SOCKET_CODES.has(code) || /Connection terminated|timeout expired|Connection ended|not queryable/i.test(message)) {
    return new TsdbtError(`lost or could not open the connection to ${place.location}: ${message}`, {
      code: 'warehouse-connection',
      category: 'database',
      retriable: true,
      hint: place.kind === 'postgres' ? 'is the server running and reachable at `host`:`port`?' : undefined,
      nodeId,
      cause: err,
    });
  }
  return new TsdbtError(message, { code: 'database-error', category: 'database', nodeId, cause: err });
}

/**
 * A COPY's error that names its input line (`where`: `COPY t, line 3, column n: "abc"`), as the
 * row of the load it came from (`lineAt`: COPY counts lines, and a value with a newline takes
 * several); other errors pass through.
 */
export function copyRowError(error: TsdbtError, lineAt: (line: number) => number, columns: readonly string[]): TsdbtError {
  const where = fieldsOf(error.cause).where;
  const match = typeof where === 'string' ? /^COPY .*?, line (\d+)(, column (.*))?/s.exec(where) : null;
  if (!match) return error;
  const rest = match[3];
  const column = rest === undefined ? null : ([...columns].sort((a, b) => b.length - a.length).find((c) => rest === c || rest.startsWith(`${c}: `)) ?? null);
  return new BulkLoadRowError(lineAt(Number(match[1])), column, error);
}
