// dbt-postgres's `indexes` config on seeds (dbt docs "Postgres configurations": indexes apply to
// table models, incremental models, seeds, snapshots and materialized views). dbt's seed
// materialization calls create_indexes on a first load and on --full-refresh; a reload that
// truncates and refills the table keeps the indexes it has.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const FILES = {
  'dbt_project.yml': "name: shop\nprofile: demo\nseeds:\n  shop:\n    customers:\n      +indexes:\n        - {columns: ['id'], unique: true}\n        - {columns: ['country', 'id']}\n",
  'seeds/customers.csv': 'id,country\n1,NL\n2,FR\n',
};

describe.each(WAREHOUSES)('a seed with indexes, on %s', (kind) => {
  let project: WarehouseProject;
  const indexes = async () =>
    (await project.sql(`select indexdef from pg_indexes where schemaname = '${project.schema}' and tablename = 'customers' order by indexdef`)).map((r) =>
      String(r.indexdef).replace(/ INDEX \S+ ON \S+/, ' INDEX ON customers'),
    );
  beforeAll(() => {
    project = warehouseProject(kind, FILES);
  });
  afterAll(async () => {
    await project.cleanup();
  });

  it('gets them on the first load, keeps them on a reload and rebuilds them on --full-refresh', async () => {
    const expected = ['CREATE INDEX ON customers USING btree (country, id)', 'CREATE UNIQUE INDEX ON customers USING btree (id)'];
    const first = await project.run('seed');
    expect(first.code, first.output).toBe(0);
    expect(await indexes()).toEqual(expected);

    project.write('seeds/customers.csv', 'id,country\n1,NL\n2,FR\n3,DE\n');
    const reload = await project.run('seed');
    expect(reload.code, reload.output).toBe(0);
    expect(await indexes()).toEqual(expected);
    expect(await project.sql(`select count(*)::int as n from "${project.schema}".customers`)).toEqual([{ n: 3 }]);

    const rebuilt = await project.run('seed', { fullRefresh: true });
    expect(rebuilt.code, rebuilt.output).toBe(0);
    expect(await indexes()).toEqual(expected);
    // The unique index is real: a duplicate id cannot be loaded.
    project.write('seeds/customers.csv', 'id,country\n1,NL\n1,FR\n');
    const duplicate = await project.run('seed');
    expect(duplicate.code).not.toBe(0);
    expect(await project.sql(`select count(*)::int as n from "${project.schema}".customers`)).toEqual([{ n: 3 }]);
  });
});
