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
      { 'models/numbers.sql': "{{ config(materialized='table', order_by='n') }}\nselect number as n from numbers({{ var('rows', 2) }})\n" },
      { target: { database_engine: 'Ordinary', custom_settings: { allow_deprecated_database_ordinary: 1 } } },
    );
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('the second run replaces the table by renames and keeps no backup', async () => {
    const first = await p.run('run');
    expect(first.code, first.output).toBe(0);
    expect(await p.sql(`select engine from system.databases where name = '${p.schema}'`)).toEqual([{ engine: 'Ordinary' }]);
    const second = await p.run('run', { vars: '{rows: 3}' });
    expect(second.code, second.output).toBe(0);
    expect(await p.sql(`select n from \`${p.schema}\`.numbers order by n`)).toEqual([{ n: 0 }, { n: 1 }, { n: 2 }]);
    expect(await p.sql(`select name from system.tables where database = '${p.schema}' order by name`)).toEqual([{ name: 'numbers' }]);
  }, 120_000);
});
