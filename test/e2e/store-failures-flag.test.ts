// `tsdbt test --store-failures` as dbt documents it (docs: "store_failures"; dbt's
// should_store_failures): a test whose store_failures config is unset stores its failing rows in
// `<schema>_dbt_test__audit`; a test that sets `store_failures: false` does not. The flag also
// reaches templates as `flags.STORE_FAILURES`. Checked on the rows in the warehouse (PGlite).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('tsdbt test --store-failures', () => {
  let project: WarehouseProject;
  beforeAll(() => {
    project = warehouseProject('pglite', {
      'models/m.sql': "select 1 as id, 'a' as v union all select 2, 'b'\n",
      'models/flag.sql': "select {{ 'true' if flags.STORE_FAILURES else 'false' }} as store_failures\n",
      'models/m.yml': `version: 2
models:
  - name: m
    columns:
      - name: v
        data_tests:
          - accepted_values:
              arguments: {values: ['a']}
          - not_null:
              config: {store_failures: false}
      - name: id
        data_tests:
          - accepted_values:
              arguments: {values: [1]}
              config: {store_failures: false}
`,
    });
  });
  afterAll(async () => {
    await project.sql(`drop schema if exists "${project.schema}_dbt_test__audit" cascade`).catch(() => undefined);
    await project.cleanup();
  });

  it('stores the failing rows of tests that leave store_failures unset, and only those', async () => {
    expect((await project.run('run')).code).toBe(0);
    const out = await project.run('test', { storeFailures: true });
    expect(out.code).toBe(1);
    const tables = await project.sql(`select table_name from information_schema.tables where table_schema = '${project.schema}_dbt_test__audit' order by 1`);
    expect(tables.map((t) => t.table_name)).toEqual(['accepted_values_m_v__a']);
    expect(await project.sql(`select value_field, n_records from "${project.schema}_dbt_test__audit".accepted_values_m_v__a`)).toEqual([{ value_field: 'b', n_records: 1 }]);
  });

  it('reaches templates as flags.STORE_FAILURES', async () => {
    expect((await project.run('run', { storeFailures: true, select: ['flag'] })).code).toBe(0);
    expect(await project.sql(`select store_failures from "${project.schema}".flag`)).toEqual([{ store_failures: true }]);
  });
});

// dbt's test materialization caps the stored failing rows at the test's `limit`, as it caps the count.
describe('store_failures with a limit', () => {
  let project: WarehouseProject;
  beforeAll(() => {
    project = warehouseProject('pglite', {
      'models/m.sql': 'select 1 as id union all select 2 union all select 3\n',
      'models/m.yml': 'models:\n  - name: m\n    columns:\n      - name: id\n        data_tests:\n          - accepted_values:\n              arguments: {values: [0]}\n              config: {store_failures: true, limit: 2}\n',
    });
  });
  afterAll(async () => {
    await project.sql(`drop schema if exists "${project.schema}_dbt_test__audit" cascade`).catch(() => undefined);
    await project.cleanup();
  });

  it('stores and counts at most `limit` failing rows', async () => {
    expect((await project.run('run')).code).toBe(0);
    const out = await project.run('test');
    expect(out.code).toBe(1);
    expect(out.results.map((r) => r.failures)).toEqual([2]);
    expect(await project.sql(`select count(*)::int as n from "${project.schema}_dbt_test__audit".accepted_values_m_id__0`)).toEqual([{ n: 2 }]);
  });
});
