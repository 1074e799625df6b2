import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { freshnessStatus, hasThreshold, parseCriteria, thresholdSeconds } from './criteria.js';

const at = { file: 'models/sources.yml', line: 7 };

describe('freshness criteria', () => {
  it('converts periods and applies error before warn, strictly older than the threshold', () => {
    const c = parseCriteria({ warn_after: { count: 5, period: 'minute' }, error_after: { count: 2, period: 'hour' } }, at)!;
    expect(thresholdSeconds(c.warn_after!)).toBe(300);
    expect(thresholdSeconds(c.error_after!)).toBe(7200);
    expect(thresholdSeconds({ count: 1, period: 'day' })).toBe(86400);
    expect([0, 300, 301, 7200, 7201].map((age) => freshnessStatus(age, c))).toEqual(['pass', 'pass', 'warn', 'warn', 'error']);
    expect(freshnessStatus(null, c)).toBe('error');
    expect(freshnessStatus(null, parseCriteria({ warn_after: { count: 1, period: 'day' } }, at)!)).toBe('warn');
  });

  it('skips tables without thresholds, ignores a threshold without count, keeps the filter', () => {
    expect(parseCriteria(null, at)).toBeNull();
    expect(parseCriteria({ filter: 'x > 1' }, at)).toBeNull();
    expect(parseCriteria({ warn_after: { count: null, period: 'hour' }, error_after: { count: 1, period: 'hour' }, filter: 'x > 1' }, at)).toEqual({
      warn_after: null,
      error_after: { count: 1, period: 'hour' },
      filter: 'x > 1',
    });
  });

  it("tells dbt's empty threshold (every source carries one) from a set one", () => {
    expect(hasThreshold({ warn_after: { count: null, period: null }, error_after: { count: null, period: null }, filter: null })).toBe(false);
    expect(hasThreshold({ warn_after: { count: 1, period: null }, error_after: { count: null, period: 'hour' } })).toBe(false);
    expect(hasThreshold({ warn_after: { count: null, period: null }, error_after: { count: 2, period: 'hour' } })).toBe(true);
    expect(hasThreshold(null)).toBe(false);
  });

  it('rejects an unknown period with the file, the line and a fix', () => {
    let error: unknown;
    try {
      parseCriteria({ warn_after: { count: 1, period: 'weeks' } }, at);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(TsdbtError);
    expect((error as TsdbtError).format()).toBe('models/sources.yml:7: freshness warn_after.period must be minute, hour or day, got "weeks"\n  hint: write warn_after: {count: 1, period: minute}');
  });
});
