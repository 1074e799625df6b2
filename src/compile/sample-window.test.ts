// `--sample`'s window, as dbt-core's SampleType reads it: "N grain" back from now (hours, days,
// months, years; months and years keep the day, clamped to the month's end, as relativedelta), or
// a YAML {start, end} (UTC when no zone is given). Anything else is a usage error saying the form.
import { describe, expect, it } from 'vitest';
import { offsetTimestamp, parseSampleWindow } from './sample-window.js';

const now = new Date('2024-03-31T12:30:00Z');
const iso = (w: { start: Date; end: Date }) => [w.start.toISOString(), w.end.toISOString()];

describe('--sample windows', () => {
  it('a relative window ends now and starts that far back', () => {
    expect(iso(parseSampleWindow('3 days', now))).toEqual(['2024-03-28T12:30:00.000Z', '2024-03-31T12:30:00.000Z']);
    expect(iso(parseSampleWindow('2 hours', now))).toEqual(['2024-03-31T10:30:00.000Z', '2024-03-31T12:30:00.000Z']);
    expect(iso(parseSampleWindow('1 Day', now))[0]).toBe('2024-03-30T12:30:00.000Z');
    // relativedelta: 2024-03-31 minus a month is 2024-02-29, the month's last day.
    expect(iso(parseSampleWindow('1 month', now))[0]).toBe('2024-02-29T12:30:00.000Z');
    expect(offsetTimestamp(new Date('2024-02-29T00:00:00Z'), 'year', -1).toISOString()).toBe('2023-02-28T00:00:00.000Z');
    expect(offsetTimestamp(new Date('2024-01-31T16:06:00Z'), 'month', 1).toISOString()).toBe('2024-02-29T16:06:00.000Z');
  });

  it('a static window is read as YAML; times without a zone are UTC', () => {
    expect(iso(parseSampleWindow("{'start': '2024-07-01', 'end': '2024-07-08 18:00:00'}", now))).toEqual(['2024-07-01T00:00:00.000Z', '2024-07-08T18:00:00.000Z']);
    expect(iso(parseSampleWindow('{start: 2024-07-01T00:00:00+02:00, end: 2024-07-02}', now))).toEqual(['2024-06-30T22:00:00.000Z', '2024-07-02T00:00:00.000Z']);
  });

  it('anything else is a usage error that shows both forms', () => {
    for (const [text, message] of [
      ['3', "must be of the form 'INTEGER GRAIN'"],
      ['three days', "'three' is not an integer"],
      ['3 weeks', "'weeks' is not a grain"],
      ["{'start': '2024-07-08'}", "needs 'end'"],
      ["{'start': 'soon', 'end': '2024-07-08'}", "'start' must be a date or timestamp"],
      ["{'start': '2024-07-08', 'end': '2024-07-01'}", 'must come before its end'],
    ] as const) {
      expect(() => parseSampleWindow(text, now), text).toThrow(message);
      try {
        parseSampleWindow(text, now);
      } catch (err) {
        expect((err as { hint?: string }).hint).toContain('--sample "3 days"');
        expect((err as { code?: string }).code).toBe('usage');
      }
    }
  });
});
