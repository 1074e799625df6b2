// Opening a session on a PostgreSQL server as dbt-postgres does: each attempt bounded by
// `connect_timeout` (default 10 s; pg's client enforces it from the TCP connect to the server's
// first ready-for-query), and a failed attempt that may succeed later (refused, reset, timed out,
// the server starting up) tried again `retries` times (default 1), after attempt² seconds.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ServerSettings } from './postgres-profile.js';

/** pg's message when its connection timer fired. */
const TIMEOUT_MESSAGE = /timeout expired|connection timeout/i;

export interface ConnectRetryOptions {
  /** Waits between attempts (tests pass their own). */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The wait before attempt `attempt + 1` (dbt-postgres' backoff: attempt² seconds). */
export function retryDelayMs(attempt: number): number {
  return attempt * attempt * 1000;
}

/**
 * What a timed-out attempt is reported as: the host and port that did not answer, the limit, and
 * what to do. Retriable: a scheduler may run the build again later.
 */
export function connectTimeoutError(settings: ServerSettings, attempts: number, cause: unknown): TsdbtError {
  const seconds = (settings.connectTimeoutMs ?? 0) / 1000;
  const tries = attempts > 1 ? ` (${attempts} attempts)` : '';
  return new TsdbtError(`PostgreSQL at ${settings.host}:${settings.port} did not answer within ${seconds} s (connect_timeout)${tries}`, {
    code: 'warehouse-connect-timeout',
    category: 'database',
    retriable: true,
    hint: `check that the server runs at ${settings.host}:${settings.port} and answers there (a wrong port or a firewall can accept connections and never answer); raise \`connect_timeout\` (seconds) of this target in profiles.yml if the server is slow to accept`,
    cause,
  });
}

/**
 * Runs `open` until it succeeds, fails with an error that is not retriable, or has failed
 * `settings.connectRetries + 1` times. `toError` converts what `open` threw.
 */
export async function openWithRetries<T>(
  settings: ServerSettings,
  open: () => Promise<T>,
  toError: (err: unknown) => TsdbtError,
  options: ConnectRetryOptions = {},
): Promise<T> {
  const sleep = options.sleep ?? realSleep;
  for (let attempt = 1; ; attempt++) {
    try {
      return await open();
    } catch (err) {
      const timedOut = settings.connectTimeoutMs !== null && err instanceof Error && TIMEOUT_MESSAGE.test(err.message);
      const error = timedOut ? connectTimeoutError(settings, attempt, err) : toError(err);
      if (!error.retriable || attempt > settings.connectRetries) throw error;
      await sleep(retryDelayMs(attempt));
    }
  }
}
