// The scheduler's waits under vitest's fake timers, which behave as Node's do with a delay over
// 2^31-1 ms (it fires after 1 ms): a wait of a month or a year ends at its moment, never before,
// and costs one timer per 24.8 days. No real time passes.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { longTimeout, MAX_TIMER_MS, realClock, timerClock, type Timers } from './clock.js';
import { tickSchedule } from './ticks.js';

const DAY = 86_400_000;

describe('the real clock under fake timers', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date('2026-01-01T00:00:00Z') });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sleeps until a yearly tick, not 1 ms (setTimeout overflows past 24.8 days)', async () => {
    const due = tickSchedule('0 0 1 1 *').next(new Date());
    expect(due.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    let woke = false;
    void realClock.sleepUntil(due, new AbortController().signal).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(364 * DAY);
    expect(woke).toBe(false);
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(DAY - 2);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
    expect(new Date().toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('sleeps until a monthly tick (31 days away)', async () => {
    const due = tickSchedule('0 0 1 * *').next(new Date('2026-01-01T00:00:00Z'));
    expect(due.toISOString()).toBe('2026-02-01T00:00:00.000Z');
    let woke = false;
    void realClock.sleepUntil(due, new AbortController().signal).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(31 * DAY - 1);
    expect(woke).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(woke).toBe(true);
  });

  it('wakes at once when stopped, and leaves no timer behind', async () => {
    const stop = new AbortController();
    let woke = false;
    void realClock.sleepUntil(new Date('2027-01-01T00:00:00Z'), stop.signal).then(() => (woke = true));
    await vi.advanceTimersByTimeAsync(30 * DAY);
    stop.abort();
    await vi.advanceTimersByTimeAsync(0);
    expect(woke).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a per-run timeout of 30 days fires after 30 days', async () => {
    let fired = false;
    longTimeout(30 * DAY, () => (fired = true));
    await vi.advanceTimersByTimeAsync(30 * DAY - 1);
    expect(fired).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(fired).toBe(true);
    const cancel = longTimeout(40 * DAY, () => (fired = false));
    cancel();
    await vi.advanceTimersByTimeAsync(40 * DAY);
    expect(fired).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('timerClock', () => {
  it('never asks setTimeout for more than 2^31-1 ms, and re-arms a timer that fired early', async () => {
    let now = 0;
    const asked: number[] = [];
    const queue: (() => void)[] = [];
    // A timer that fires 5 ms early, as a wall clock that was set back would make it look.
    const timers: Timers = {
      now: () => now,
      setTimeout: (fn, ms) => {
        asked.push(ms);
        queue.push(() => {
          now += Math.max(1, ms - 5);
          fn();
        });
        return queue.length;
      },
      clearTimeout: () => undefined,
    };
    let woke = false;
    void timerClock(timers)
      .sleepUntil(new Date(60 * DAY), new AbortController().signal)
      .then(() => (woke = true));
    while (!woke && queue.length) {
      queue.shift()?.();
      await Promise.resolve();
    }
    expect(woke).toBe(true);
    expect(now).toBe(60 * DAY);
    expect(Math.max(...asked)).toBe(MAX_TIMER_MS);
    // 60 days in three long timers, then the few ms each early firing left.
    expect(asked.filter((ms) => ms > 1000)).toHaveLength(3);
  });
});
