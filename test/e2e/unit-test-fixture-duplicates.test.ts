// dbt names each unit-test fixture file `fixture.<package>.<file name without extension>`
// (tests/fixtures/**), so two fixture files of one name, in two folders or as a .csv beside a
// .sql, are dbt's DuplicateResourceNameError at parse (exit 2), whether or not a test uses them.
import { describe, expect, it } from 'vitest';
import { parseFiles } from '../support/parse-files.js';

const MODEL = { 'models/totals.sql': 'select 1 as id\n' };

describe('unit-test fixture files of one name', () => {
  it('refuse two in different folders, naming both', async () => {
    const out = await parseFiles({
      ...MODEL,
      'tests/fixtures/one/rows.csv': 'id\n1\n',
      'tests/fixtures/two/rows.csv': 'id\n2\n',
    });
    expect(out.code, out.out).toBe(2);
    expect(out.out).toContain('dbt found two fixtures with the name "rows".');
    expect(out.out).toContain('fixture.demo.rows (tests/fixtures/one/rows.csv)');
    expect(out.out).toContain('fixture.demo.rows (tests/fixtures/two/rows.csv)');
  });

  it('refuse a .csv and a .sql of one name', async () => {
    const out = await parseFiles({ ...MODEL, 'tests/fixtures/rows.csv': 'id\n1\n', 'tests/fixtures/rows.sql': 'select 1 as id\n' });
    expect(out.code, out.out).toBe(2);
    expect(out.out).toContain('dbt found two fixtures with the name "rows".');
  });

  it('accept fixtures of different names', async () => {
    const out = await parseFiles({ ...MODEL, 'tests/fixtures/one/rows.csv': 'id\n1\n', 'tests/fixtures/two/other_rows.csv': 'id\n2\n' });
    expect(out.code, out.out).toBe(0);
  });
});
