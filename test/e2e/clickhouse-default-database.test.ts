// The profile's database (its `schema`) is the ClickHouse connection's default database, as
// dbt-clickhouse makes it (ChClientWrapper._ensure_database, then the client's database): a table
// named without a database in a hook, a model or a unit-test fixture is the one in the profile's
// database, not in `default`. Checked on chDB (the HTTP path in test/adapters/clickhouse-server.test.ts).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe("ClickHouse: unqualified names resolve in the profile's database", () => {
  let p: WarehouseProject;
  let built: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'dbt_project.yml': [
        'name: demo',
        'profile: demo',
        'on-run-start:',
        '  - "create table if not exists raw_clicks (id UInt32) engine = MergeTree order by id"',
        '  - "insert into raw_clicks values (1), (2), (3)"',
        '',
      ].join('\n'),
      'models/click_count.sql': "{{ config(materialized='table', order_by='n') }}\nselect count() as n from raw_clicks\n",
      'models/unit.yml': [
        'unit_tests:',
        '  - name: counts_the_clicks',
        '    model: click_count',
        '    given: []',
        '    expect:',
        '      format: sql',
        '      rows: "select toUInt64(count()) as n from raw_clicks"',
        '',
      ].join('\n'),
    });
    built = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('creates the hook table in the profile database and builds the model and its unit test from it', async () => {
    expect(built.code, built.output).toBe(0);
    expect(await p.sql(`select database from system.tables where name = 'raw_clicks' order by database`)).toEqual([{ database: p.schema }]);
    expect(await p.sql(`select n from \`${p.schema}\`.click_count`)).toEqual([{ n: 3 }]);
    expect(built.output).toMatch(/PASS=4 /); // two hooks, the unit test and the model
    expect(built.results.find((r) => r.unique_id === 'unit_test.demo.click_count.counts_the_clicks')?.status).toBe('pass');
  });
});
