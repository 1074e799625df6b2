import { describe, expect, it } from 'vitest';
import { parseOperationArgs } from '../app/operation-macro.js';
import { parseCliVars } from '../config/vars.js';
import { PyDate, PyDatetime } from './pylib/datetime/index.js';

/** Each value's Python type name and str(), as PyYAML's safe_load gives them. */
const described = (values: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(values).map(([k, v]) => [k, [v instanceof PyDatetime ? 'datetime' : v instanceof PyDate ? 'date' : typeof v, String(v)]]));

describe("PyYAML's implicit timestamps in --args and --vars", () => {
  it('reads a plain date as a date (HungNguyen501/dbt-clickhouse: run-operation get_date --args "{date: 1970-11-20}")', () => {
    expect(described(parseOperationArgs('{date: 1970-11-20}'))).toEqual({ date: ['date', '1970-11-20'] });
  });

  it('reads datetimes with fractions and zones, and leaves quoted and malformed values strings', () => {
    expect(described(parseCliVars('{a: 2022-11-17 10:30:00, b: 2022-1-2T03:04:05.1234567Z, c: 2022-11-17 10:30:00 +02:00, d: "2022-11-17", e: 2022-11-17x}'))).toEqual({
      a: ['datetime', '2022-11-17 10:30:00'],
      b: ['datetime', '2022-01-02 03:04:05.123456+00:00'],
      c: ['datetime', '2022-11-17 10:30:00+02:00'],
      d: ['string', '2022-11-17'],
      e: ['string', '2022-11-17x'],
    });
  });
});
