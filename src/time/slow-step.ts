// "A line whenever something takes more than two seconds": a step still running after `afterMs`
// says what it is doing (with its progress so far), and again every `everyMs` while it lasts.
// The timers never keep the process alive.

export interface SlowStepOptions {
  /** Milliseconds before the first line (default 2,000; TSDBT_SLOW_STEP_MS sets it). */
  afterMs?: number;
  /** Milliseconds between later lines (default 10,000). */
  everyMs?: number;
}

/** The first-line delay from the environment (TSDBT_SLOW_STEP_MS), else two seconds. */
export function slowStepAfterMs(env: NodeJS.ProcessEnv): number {
  const n = Number(env.TSDBT_SLOW_STEP_MS);
  return env.TSDBT_SLOW_STEP_MS !== undefined && env.TSDBT_SLOW_STEP_MS !== '' && Number.isFinite(n) && n >= 0 ? n : 2000;
}

/** Starts reporting `status()` through `report` while a step runs; call the returned function when it ends. */
export function reportWhileSlow(report: (text: string) => void, status: () => string, options: SlowStepOptions = {}): () => void {
  const everyMs = options.everyMs ?? 10_000;
  let repeat: ReturnType<typeof setInterval> | null = null;
  const first = setTimeout(() => {
    report(status());
    repeat = setInterval(() => report(status()), everyMs);
    repeat.unref?.();
  }, options.afterMs ?? 2000);
  first.unref?.();
  return () => {
    clearTimeout(first);
    if (repeat) clearInterval(repeat);
  };
}

export interface SlowProgress {
  /**
   * The step's current status; reported at once when a line is due (sync loops have no timers). A
   * function is called only then, so a loop over 10,000 files builds no text for lines never printed.
   */
  update(status: string | (() => string)): void;
  /** The step has ended: no more lines. */
  stop(): void;
}

/**
 * A step made of many small parts, some synchronous (a compile loop, where timers cannot fire):
 * each `update` records what it is doing and, when a line is due, reports it; a timer reports it
 * during asynchronous waits. First line after `afterMs`, then every `everyMs`.
 */
export function slowProgress(report: (text: string) => void, options: SlowStepOptions = {}): SlowProgress {
  const afterMs = options.afterMs ?? 2000;
  const everyMs = options.everyMs ?? 10_000;
  let due = Date.now() + afterMs;
  let status: string | (() => string) = '';
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  const reportIfDue = () => {
    if (stopped || status === '' || Date.now() < due) return;
    report(typeof status === 'function' ? status() : status);
    due = Date.now() + everyMs;
  };
  const arm = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      reportIfDue();
      arm();
    }, Math.max(0, due - Date.now()));
    timer.unref?.();
  };
  arm();
  return {
    update(next) {
      status = next;
      reportIfDue();
    },
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
    },
  };
}

/** "4,000 of 10,000": how far a loop over `total` items is at index `i`, for a progress line. */
export function progressCount(i: number, total: number): string {
  return `${groupThousands(i)} of ${groupThousands(total)}`;
}

/**
 * A count as toLocaleString('en-US') writes it (10,000), without loading ICU's locale data: that
 * cost 0.4 s of CPU the first time a slow compile printed its progress.
 */
export function groupThousands(n: number): string {
  const digits = String(n);
  return Number.isSafeInteger(n) && n >= 0 ? digits.replace(/\B(?=(\d{3})+$)/g, ',') : n.toLocaleString('en-US');
}
