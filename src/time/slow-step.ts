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
