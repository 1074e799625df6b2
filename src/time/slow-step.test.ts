import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { reportWhileSlow, slowStepAfterMs } from './slow-step.js';

describe('reportWhileSlow', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('says nothing for a step shorter than two seconds, then reports its progress every ten', () => {
    const lines: string[] = [];
    let rows = 0;
    const stop = reportWhileSlow((l) => lines.push(l), () => `${rows} rows`);
    rows = 10;
    vi.advanceTimersByTime(1999);
    expect(lines).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(lines).toEqual(['10 rows']);
    rows = 500;
    vi.advanceTimersByTime(10_000);
    expect(lines).toEqual(['10 rows', '500 rows']);
    stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual(['10 rows', '500 rows']);
  });

  it('a quick step stopped before two seconds never reports', () => {
    const lines: string[] = [];
    reportWhileSlow((l) => lines.push(l), () => 'x')();
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
  });

  it('TSDBT_SLOW_STEP_MS sets the first delay', () => {
    expect(slowStepAfterMs({})).toBe(2000);
    expect(slowStepAfterMs({ TSDBT_SLOW_STEP_MS: '0' })).toBe(0);
    expect(slowStepAfterMs({ TSDBT_SLOW_STEP_MS: 'soon' })).toBe(2000);
  });
});
