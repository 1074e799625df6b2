import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { groupThousands, progressCount, reportWhileSlow, slowProgress, slowStepAfterMs } from './slow-step.js';

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

describe('slowProgress', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('reports from a synchronous loop once a line is due, at most every ten seconds, and from its timer while waiting', () => {
    const lines: string[] = [];
    const progress = slowProgress((l) => lines.push(l));
    progress.update('1 of 3');
    expect(lines).toEqual([]); // not yet two seconds
    vi.advanceTimersByTime(2000); // waiting (a query): the timer reports the last status
    expect(lines).toEqual(['1 of 3']);
    progress.update('2 of 3');
    expect(lines).toEqual(['1 of 3']); // the next line is due ten seconds later
    vi.setSystemTime(Date.now() + 10_000); // a synchronous loop: time passes without timers firing
    progress.update('3 of 3');
    expect(lines).toEqual(['1 of 3', '3 of 3']);
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual(['1 of 3', '3 of 3']);
  });

  it('builds a status given as a function only when its line is due', () => {
    const lines: string[] = [];
    let built = 0;
    const progress = slowProgress((l) => lines.push(l));
    for (let i = 0; i < 1000; i++) progress.update(() => `${++built} built`);
    expect(built).toBe(0);
    vi.setSystemTime(Date.now() + 2000);
    progress.update(() => `${++built} built`);
    expect(lines).toEqual(['1 built']);
    progress.stop();
  });

  it('a step that ends within two seconds says nothing', () => {
    const lines: string[] = [];
    const progress = slowProgress((l) => lines.push(l));
    progress.update('working');
    vi.advanceTimersByTime(1999);
    progress.stop();
    vi.advanceTimersByTime(60_000);
    expect(lines).toEqual([]);
  });
});

describe('groupThousands', () => {
  it("writes counts as toLocaleString('en-US') does", () => {
    for (const n of [0, 7, 999, 1000, 9999, 10_000, 123_456, 1_000_000, 1_234_567_890, Number.MAX_SAFE_INTEGER, -1234, 1234.5]) expect(groupThousands(n)).toBe(n.toLocaleString('en-US'));
    expect(progressCount(4000, 10_000)).toBe('4,000 of 10,000');
  });
});
