// A unit test in manifest.json as dbt 1.11 writes it (parser/unit_tests.py,
// _validate_and_normalize_rows): csv rows, inline or from their fixture file, as mappings of
// strings with an empty field null, the fixture's name kept; a sql fixture's text stripped as dbt
// reads every file; `overrides` and `versions` null when the entry does not write them.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/raw_orders.sql': 'select 1 as id, 2 as amount\n',
  'models/orders.sql': "select id, amount from {{ ref('raw_orders') }}\n",
  'tests/fixtures/raw_orders_rows.csv': 'id,amount\n1,\n2,5\n',
  'tests/fixtures/expected_orders.sql': '\nselect 1 as id, null as amount\n\n',
  'models/unit.yml': [
    'version: 2',
    'unit_tests:',
    '  - name: from_fixtures',
    '    model: orders',
    "    given: [{input: ref('raw_orders'), format: csv, fixture: raw_orders_rows}]",
    '    expect: {format: sql, fixture: expected_orders}',
    '  - name: inline',
    '    model: orders',
    "    given: [{input: ref('raw_orders'), format: csv, rows: \"id,amount\\n3,4\\n\"}]",
    '    expect: {rows: [{id: 3, amount: 4}]}',
    '    overrides: {vars: {x: 1}}',
    '',
  ].join('\n'),
};

type UnitTest = { given: { rows: unknown; format: string; fixture: string | null }[]; expect: { rows: unknown; format: string; fixture: string | null }; overrides: unknown; versions: unknown; version: unknown };

describe('unit tests in manifest.json as dbt writes them', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };

  it('parse: csv rows as string mappings with the fixture named, sql fixture text stripped, overrides and versions null when not written', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const tests = (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { unit_tests: Record<string, UnitTest> }).unit_tests;
    const fromFixtures = tests['unit_test.shop.orders.from_fixtures']!;
    expect(fromFixtures.given).toEqual([{ input: "ref('raw_orders')", rows: [{ id: '1', amount: null }, { id: '2', amount: '5' }], format: 'csv', fixture: 'raw_orders_rows' }]);
    expect(fromFixtures.expect).toEqual({ rows: 'select 1 as id, null as amount', format: 'sql', fixture: 'expected_orders' });
    expect(fromFixtures).toMatchObject({ overrides: null, versions: null, version: null });
    const inline = tests['unit_test.shop.orders.inline']!;
    expect(inline.given[0]).toEqual({ input: "ref('raw_orders')", rows: [{ id: '3', amount: '4' }], format: 'csv', fixture: null });
    expect(inline.expect).toEqual({ rows: [{ id: 3, amount: 4 }], format: 'dict', fixture: null });
    expect(inline.overrides).toEqual({ vars: { x: 1 }, env_vars: {}, macros: {} });
  });
});
