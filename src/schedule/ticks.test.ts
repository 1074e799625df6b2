import { describe, expect, it } from 'vitest';
import { tickSchedule } from './ticks.js';

describe('tick schedule', () => {
  it('ticks every 5 minutes by default, in UTC, and accepts a seconds field', () => {
    const every5 = tickSchedule();
    expect(every5.next(new Date('2026-01-01T10:02:30Z')).toISOString()).toBe('2026-01-01T10:05:00.000Z');
    expect(every5.next(new Date('2026-01-01T10:05:00Z')).toISOString()).toBe('2026-01-01T10:10:00.000Z');
    expect(tickSchedule('*/10 * * * * *').next(new Date('2026-01-01T10:00:01Z')).toISOString()).toBe('2026-01-01T10:00:10.000Z');
  });

  it('collapses missed ticks: the next tick after a long pause is the first one after now', () => {
    // The scheduler asks for the tick after the moment it woke up, not after the last tick it ran.
    expect(tickSchedule().next(new Date('2026-01-01T13:47:12Z')).toISOString()).toBe('2026-01-01T13:50:00.000Z');
  });

  it('refuses a bad expression with a hint', () => {
    expect(() => tickSchedule('every 5 minutes')).toThrow(/--cron 'every 5 minutes' is not a cron expression/);
  });
});
