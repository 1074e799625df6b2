import { describe, expect, it } from 'vitest';
import { batchId, floorToBatch, formatBatchStart, parseBatchSize, windowsBetween } from './microbatch-windows.js';

const at = (s: string) => new Date(`${s}Z`);
const iso = (d: Date) => d.toISOString().slice(0, 16);

describe('microbatch windows', () => {
  it('parses sizes, including multiples dbt does not have', () => {
    expect(parseBatchSize('day', { file: 'm.sql' })).toEqual({ count: 1, unit: 'day' });
    expect(parseBatchSize('5 minute', { file: 'm.sql' })).toEqual({ count: 5, unit: 'minute' });
    expect(parseBatchSize('15 minutes', { file: 'm.sql' })).toEqual({ count: 15, unit: 'minute' });
    expect(() => parseBatchSize('week', { file: 'm.sql' })).toThrow(/batch_size must be/);
  });

  it('aligns windows to the unit', () => {
    expect(iso(floorToBatch(at('2024-03-04T10:17:31'), { count: 5, unit: 'minute' }))).toBe('2024-03-04T10:15');
    expect(iso(floorToBatch(at('2024-03-04T10:17:31'), { count: 1, unit: 'hour' }))).toBe('2024-03-04T10:00');
    expect(iso(floorToBatch(at('2024-03-04T10:17:31'), { count: 1, unit: 'month' }))).toBe('2024-03-01T00:00');
  });

  it('covers [from, to) with consecutive windows', () => {
    const w = windowsBetween(at('2024-03-04T10:02:00'), at('2024-03-04T10:16:00'), { count: 5, unit: 'minute' });
    expect(w.map((x) => [iso(x.start), iso(x.end)])).toEqual([
      ['2024-03-04T10:00', '2024-03-04T10:05'],
      ['2024-03-04T10:05', '2024-03-04T10:10'],
      ['2024-03-04T10:10', '2024-03-04T10:15'],
      ['2024-03-04T10:15', '2024-03-04T10:20'],
    ]);
    const months = windowsBetween(at('2024-11-15T00:00:00'), at('2025-02-01T00:00:00'), { count: 1, unit: 'month' });
    expect(months.map((x) => iso(x.start))).toEqual(['2024-11-01T00:00', '2024-12-01T00:00', '2025-01-01T00:00']);
  });

  it("names a batch as dbt's MicrobatchBuilder.batch_id does (its docstring's examples)", () => {
    const start = at('2024-09-17T16:05:00');
    expect(batchId(start, { count: 1, unit: 'year' })).toBe('2024');
    expect(batchId(start, { count: 1, unit: 'month' })).toBe('202409');
    expect(batchId(start, { count: 1, unit: 'day' })).toBe('20240917');
    expect(batchId(start, { count: 1, unit: 'hour' })).toBe('20240917T16');
    expect(batchId(start, { count: 5, unit: 'minute' })).toBe('20240917T1605');
    expect(formatBatchStart(start, { count: 1, unit: 'hour' })).toBe('2024-09-17T16');
    expect(formatBatchStart(start, { count: 1, unit: 'month' })).toBe('2024-09');
  });
});
