// A table model in a ClickHouse database whose engine cannot EXCHANGE TABLES (an `Ordinary`
// database, the profile's `database_engine`): dbt-clickhouse's table materialization asks
// `existing_relation.can_exchange` (impl.py can_exchange: only Atomic, Replicated and Shared
// databases) and, when it cannot, renames the old table aside, renames the new one into place and
// drops the old (table.sql, clickhouse__replace via adapter.rename_relation). tsdbt always sent
// `exchange tables`, which such a database refuses ("Tables can be exchanged only in Atomic databases").
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('ClickHouse (chDB): table models in a database that cannot exchange tables', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(
      'chdb',
      {
        'models/numbers.sql': "{{ config(materialized='table', order_by='n') }}\nselect number as n from numbers({{ var('rows', 2) }})\n",
        'seeds/people.csv': 'id,name\n1,a\n2,b\n3,c\n',
        'models/hackers.sql': "{{ config(materialized='materialized_view', engine='MergeTree()', order_by='id', catchup=var('catchup', True)) }}\nselect id, name from {{ ref('people') }}\n",
      },
      { target: { database_engine: 'Ordinary', custom_settings: { allow_deprecated_database_ordinary: 1 } } },
    );
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('the second run replaces the table by renames and keeps no backup', async () => {
    const first = await p.run('run', { select: ['numbers'] });
    expect(first.code, first.output).toBe(0);
    expect(await p.sql(`select engine from system.databases where name = '${p.schema}'`)).toEqual([{ engine: 'Ordinary' }]);
    const second = await p.run('run', { select: ['numbers'], vars: '{rows: 3}' });
    expect(second.code, second.output).toBe(0);
    expect(await p.sql(`select n from \`${p.schema}\`.numbers order by n`)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(await p.sql(`select name from system.tables where database = '${p.schema}' and name like 'numbers%'`)).toEqual([{ name: 'numbers' }]);
  }, 120_000);

  // dbt-clickhouse's test_full_refresh_catchup_disabled_no_exchange (materialized_view/), which forces
  // can_exchange off with a mock: a full refresh with catchup=False leaves the MV's table empty and
  // the view feeding it; one with catchup refills it from the seed and what was inserted.
  it("a materialized view's full refresh replaces its table by renames, catchup=False leaving it empty", async () => {
    const count = async () => (await p.sql(`select toInt32(count()) as n from \`${p.schema}\`.hackers`))[0];
    expect((await p.run('seed')).code).toBe(0);
    const built = await p.run('run', { select: ['hackers'], vars: '{catchup: false}' });
    expect(built.code, built.output).toBe(0);
    await p.sql(`insert into \`${p.schema}\`.people select 4, 'd'`);
    expect(await count()).toEqual({ n: 1 });
    const refreshed = await p.run('run', { select: ['hackers'], fullRefresh: true, vars: '{catchup: false}' });
    expect(refreshed.code, refreshed.output).toBe(0);
    expect(await count()).toEqual({ n: 0 });
    await p.sql(`insert into \`${p.schema}\`.people select 5, 'e'`);
    expect(await count()).toEqual({ n: 1 });
    const caughtUp = await p.run('run', { select: ['hackers'], fullRefresh: true });
    expect(caughtUp.code, caughtUp.output).toBe(0);
    expect(await count()).toEqual({ n: 5 });
  }, 120_000);
});
