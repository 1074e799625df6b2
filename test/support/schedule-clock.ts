// Clocks and run queues for driving `tsdbt schedule` in-process without waiting: the test decides
// when each tick comes (manualClock), or moves fake timers by hand (fakeTimers), and awaits each
// run as the scheduler reports it (runQueue). No sleeps, no real time between ticks.
import type { ScheduleClock, Timers } from '../../src/app/schedule-command.js';
import type { RunRecord } from '../../src/schedule/run-history.js';

/** Runs as the scheduler finishes them (its onRunFinished), taken one by one in order. */
export function runQueue() {
  const all: RunRecord[] = [];
  let taken = 0;
  let waiter: (() => void) | null = null;
  return {
    all,
    push(r: RunRecord) {
      all.push(r);
      waiter?.();
    },
    async next(): Promise<RunRecord> {
      while (taken >= all.length) await new Promise<void>((resolve) => (waiter = resolve));
      waiter = null;
      return all[taken++] as RunRecord;
    },
  };
}

/**
 * A clock whose ticks come when the test calls tick(): each resolves once the scheduler has woken
 * for the tick it was sleeping until (the clock then reads that tick's time); set() moves time
 * without a tick.
 */
export function manualClock(start: Date): ScheduleClock & { tick(): Promise<void>; set(at: Date): void } {
  let now = start;
  let wake: (() => void) | null = null;
  let sleeping: () => void = () => undefined;
  let asleep = new Promise<void>((resolve) => (sleeping = resolve));
  return {
    now: () => now,
    sleepUntil: (at, signal) =>
      new Promise<void>((resolve) => {
        signal.addEventListener('abort', () => resolve(), { once: true });
        wake = () => {
          if (!signal.aborted) now = at;
          resolve();
        };
        sleeping();
      }),
    async tick() {
      await asleep;
      asleep = new Promise<void>((resolve) => (sleeping = resolve));
      const go = wake;
      wake = null;
      go?.();
    },
    set: (at) => void (now = at),
  };
}

/**
 * Timers the test moves by hand, with Node's rule for delays: one over 2^31-1 ms (or under 1 ms)
 * fires after 1 ms (Node prints a TimeoutOverflowWarning and does the same).
 */
export function fakeTimers(start: Date) {
  let now = start.getTime();
  let nextId = 1;
  const pending = new Map<number, { at: number; fn: () => void }>();
  let onArmed: (() => void) | null = null;
  const timers: Timers = {
    now: () => now,
    setTimeout(fn, ms) {
      const delay = ms >= 1 && ms <= 2 ** 31 - 1 ? ms : 1;
      const id = nextId++;
      pending.set(id, { at: now + delay, fn });
      onArmed?.();
      return id;
    },
    clearTimeout(id) {
      pending.delete(id as number);
    },
  };
  return {
    timers,
    pending: () => pending.size,
    /** Resolves once a timer is pending (the scheduler sleeps). */
    armed: () => new Promise<void>((resolve) => (pending.size ? resolve() : (onArmed = () => ((onArmed = null), resolve())))),
    /** Moves time to `to`, firing the timers due on the way in order. */
    advanceTo(to: Date) {
      for (;;) {
        const due = [...pending.entries()].filter(([, t]) => t.at <= to.getTime()).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        pending.delete(due[0]);
        now = due[1].at;
        due[1].fn();
      }
      now = to.getTime();
    },
  };
}
