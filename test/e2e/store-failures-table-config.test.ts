// A generic test's stored failures are made with the test's own config, as dbt's test
// materialization makes them (get_create_sql -> create_table_as with the node's config): on
// PostgreSQL, `unlogged: true` in the test's config makes the failures table unlogged
// (pg_class.relpersistence 'u'), as in dbt-core's TestCustomDataTestConfig.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('store_failures table config', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it("makes the failures table with the test's config (unlogged)", async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/colors.sql': "select 'blue' as color union all select 'green'\n",
      'models/schema.yml': [
        'models:',
        '  - name: colors',
        '    columns:',
        '      - name: color',
        '        data_tests:',
        '          - accepted_values:',
        "              arguments: {values: ['blue']}",
        '              config: {store_failures: true, unlogged: true}',
        '          - not_null:',
        '              config: {store_failures: true}',
        '',
      ].join('\n'),
    });
    projects.push(p);
    const out = await p.run('build');
    expect(out.code, out.output).toBe(1);
    const rows = await p.sql(
      "select c.relname, c.relpersistence from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname like '%dbt_test__audit' and c.relkind = 'r' order by c.relname",
    );
    expect(rows).toEqual([
      { relname: 'accepted_values_colors_color__blue', relpersistence: 'u' },
      { relname: 'not_null_colors_color', relpersistence: 'p' },
    ]);
  });
});
