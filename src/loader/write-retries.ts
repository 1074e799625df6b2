// The loader's writes to the warehouse (a batch, a moved position) retried while the failure is
// retriable (a lost connection, a serialization failure): exponential backoff, a bounded number of
// attempts for --once (a scheduler then sees the failure), unbounded for a continuous loader.
import { TsdbtError } from '../errors/tsdbt-error.js';

/** What a retried write needs of the load's options. */
export interface RetryOptions {
  /** Attempts per write on a retriable warehouse error (default: 5 with untilEnd, else unbounded). */
  attempts?: number;
  /** `--once`: the attempts are bounded. */
  untilEnd?: boolean;
  /** Aborted: no further attempt. */
  signal?: AbortSignal;
  /** Told before each retry. */
  onRetry?: (error: Error, attempt: number, delayMs: number) => void;
}

function retriable(err: unknown): boolean {
  return err instanceof TsdbtError && err.retriable;
}

/** Runs `write`, retrying a retriable failure with exponential backoff (250 ms doubling, 30 s at most). */
export async function withRetries<T>(write: () => Promise<T>, options: RetryOptions): Promise<T> {
  const attempts = options.attempts ?? (options.untilEnd ? 5 : Number.POSITIVE_INFINITY);
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (err) {
      if (!retriable(err) || attempt >= attempts || options.signal?.aborted) throw err;
      const delay = Math.min(30_000, 250 * 2 ** (attempt - 1));
      options.onRetry?.(err as Error, attempt, delay);
      await new Promise((r) => setTimeout(r, delay));
    }
  }
}
