// The scheduler's clock and its long timers. Node's setTimeout takes at most 2^31-1 ms (24.8 days):
// a longer delay fires after 1 ms (with a TimeoutOverflowWarning), which turned a yearly or
// monthly cron into a build loop. Every wait here is a chain of timers of at most that length,
// each re-reading the time when it fires, so a wait of any length ends at its moment, never before
// (a timer that fires a little early, or a wall clock that moved, only re-arms the rest).

/** The largest delay setTimeout honours (2^31-1 ms, about 24.8 days). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** The timer functions the clock uses: the real ones, or a test's fake ones. */
export interface Timers {
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

/** The scheduler's clock: real by default; tests pass one that jumps to each tick. */
export interface ScheduleClock {
  now(): Date;
  /** Resolves at `at`, or early when `signal` aborts. */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
}

/** Calls `fn` at `at` (ms since the epoch) by chained timers of at most MAX_TIMER_MS; returns the cancel. */
function callAt(timers: Timers, at: number, fn: () => void): () => void {
  let handle: unknown;
  let cancelled = false;
  const arm = () => {
    if (cancelled) return;
    const left = at - timers.now();
    if (left <= 0) {
      fn();
      return;
    }
    handle = timers.setTimeout(arm, Math.min(left, MAX_TIMER_MS));
  };
  arm();
  return () => {
    cancelled = true;
    timers.clearTimeout(handle);
  };
}

export function timerClock(timers: Timers): ScheduleClock {
  return {
    now: () => new Date(timers.now()),
    sleepUntil: (at, signal) =>
      new Promise((resolve) => {
        if (signal.aborted) {
          resolve();
          return;
        }
        let cancel = () => undefined as void;
        const done = () => {
          cancel();
          signal.removeEventListener('abort', done);
          resolve();
        };
        signal.addEventListener('abort', done, { once: true });
        cancel = callAt(timers, at.getTime(), done);
      }),
  };
}

export const realTimers: Timers = {
  now: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export const realClock: ScheduleClock = timerClock(realTimers);

/** Calls `fn` once `ms` have passed, however long that is (a per-run --timeout of weeks); returns the cancel. */
export function longTimeout(ms: number, fn: () => void, timers: Timers = realTimers): () => void {
  return callAt(timers, timers.now() + ms, fn);
}
