// A data test whose `store_failures_as` is not table, view or ephemeral: dbt's TestConfig makes
// `store_failures` true for it and dbt's test materialization then refuses the value, failing the
// test's node with a Compilation Error (dbt-tests-adapter's StoreTestFailuresAsExceptions).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'models/chipmunks.sql': "select 'alvin' as name, 'green' as shirt union all select 'simon', 'blue'\n",
  'tests/store_failures_as_error.sql': "{{ config(store_failures_as=\"error\") }}\nselect * from {{ ref('chipmunks') }} where shirt = 'green'\n",
  'tests/store_failures_as_view.sql': "{{ config(store_failures_as=\"view\") }}\nselect * from {{ ref('chipmunks') }} where shirt = 'green'\n",
};

describe('store_failures_as with a value dbt does not accept', () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    await p.run('run');
    out = await p.run('test');
  }, 120_000);
  afterAll(() => p.cleanup());

  it("fails that test's node with dbt's Compilation Error; the others run", () => {
    const byName = new Map(out.results.map((r) => [r.unique_id.split('.')[2], r]));
    const refused = byName.get('store_failures_as_error');
    expect(refused?.status).toBe('error');
    expect(refused?.message).toBe(
      "Compilation Error in test store_failures_as_error (tests/store_failures_as_error.sql)\n  'error' is not a valid value for `store_failures_as`. Accepted values are: ['ephemeral', 'table', 'view']",
    );
    expect(byName.get('store_failures_as_view')?.status).toBe('fail');
    expect(out.code).toBe(1);
  });

  it('stores nothing for the refused test', async () => {
    const stored = await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}_dbt_test__audit' order by 1`);
    expect(stored).toEqual([{ table_name: 'store_failures_as_view' }]);
  });
});
