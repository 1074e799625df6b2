// Seed type inference against dbt's (dbt_common agate_helper.build_type_tester), with the values dbt's own casts
// take or refuse: strptime('%Y-%m-%d'), strptime('%Y-%m-%d %H:%M:%S') and isodate.parse_datetime.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { inferSeedColumns } from './seed-csv.js';
import { SeedTypeTester, agateNumber } from './seed-types.js';

function typeOf(...values: string[]): string {
  const tester = new SeedTypeTester();
  for (const v of values) tester.see(v);
  return tester.type('integer');
}

describe('seed type inference (dbt agate rules)', () => {
  it('dates are strptime %Y-%m-%d: one-digit month and day pass, the day must exist', () => {
    expect(typeOf('2024-01-05', '2024-1-5')).toBe('date');
    expect(typeOf('2023-02-30')).toBe('text');
    expect(typeOf('2024-02-29')).toBe('date');
  });

  it("datetimes are strptime '%Y-%m-%d %H:%M:%S': one-digit hours pass, fractions and missing seconds do not", () => {
    expect(typeOf('2022-02-01 2:20:52', '2022-02-01 12:20:52')).toBe('timestamp');
    expect(typeOf('2022-09-19 05:50:07.000000')).toBe('text');
    expect(typeOf('2022-09-19 05:50')).toBe('text');
  });

  it('ISO 8601 datetimes (isodate) need the T, and take a fraction and a zone', () => {
    expect(typeOf('2020-10-28T20:33:09.797', '2020-10-28T20:33:09Z', '2020-10-28T20:33:09+01:00', '2020-10-28T20:33')).toBe('timestamp');
    expect(typeOf('2020-10-28T2:33:09')).toBe('text');
  });

  it('a column mixing spellings no single cast takes is text, as in dbt', () => {
    expect(typeOf('2024-01-02', '2024-01-02 03:04:05')).toBe('text');
    expect(typeOf('2024-01-02 03:04:05', '2024-01-03T00:00:00')).toBe('text');
  });

  it('numbers and booleans keep their order; booleans in any case', () => {
    expect(typeOf('1', '2')).toBe('integer');
    expect(typeOf('1', '3000000000')).toBe('bigint');
    expect(typeOf('1', '2.5')).toBe('float');
    expect(typeOf('true', 'False', 'TRUE', 'tRuE')).toBe('boolean');
    expect(typeOf('1', 'x')).toBe('text');
    expect(typeOf()).toBe('integer');
  });

  it("numbers are agate's Number cast: % and currency signs stripped, group commas dropped", () => {
    expect(typeOf('18378', '38,148')).toBe('integer');
    expect(typeOf('$1,200.50', '-$3')).toBe('float');
    expect(typeOf('45%', '7%')).toBe('integer');
    expect(typeOf('1,000', 'n/a')).toBe('text');
    expect([agateNumber('38,148'), agateNumber('-$1,200.50'), agateNumber('45%'), agateNumber('€5'), agateNumber('1_000')]).toEqual(['38148', '-1200.50', '45', '5', '1000']);
    expect([agateNumber('$'), agateNumber('1.2.3'), agateNumber('12 345'), agateNumber('abc')]).toEqual([null, null, null, null]);
  });
});

describe('inferSeedColumns', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-seed-types-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads dbt_stripe's and dbt_google_ads's timestamp spellings as dbt does", async () => {
    const file = path.join(dir, 'discount.csv');
    writeFileSync(file, 'id,coupon_id,_fivetran_synced,day\none1,2022-09-19 05:50:07.000000,2022-02-01 2:20:52,2024-1-5\n2wo,2023-08-07 09:37:39.000000,2022-02-01 12:20:52,\n');
    expect(await inferSeedColumns(file, 'seeds/discount.csv')).toEqual([
      { name: 'id', type: 'text', nullable: false },
      { name: 'coupon_id', type: 'text', nullable: false },
      { name: '_fivetran_synced', type: 'timestamp', nullable: false },
      { name: 'day', type: 'date', nullable: true },
    ]);
  });
});
