// What an interrupted dbt run leaves in the schema, `<alias>__dbt_tmp` and `<alias>__dbt_backup`,
// is dropped before a view, table or incremental model is built, as dbt's materializations do
// (their preexisting_intermediate_relation / preexisting_backup_relation). Other relations stay.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe("dbt's leftover relations", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  const tables = async () =>
    (await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' order by 1`)).map((r) => r.table_name);
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/v.sql': "{{ config(materialized='view') }}\nselect 1 as id\n",
      'models/t.sql': "{{ config(materialized='table') }}\nselect 2 as id\n",
      'models/inc.sql': "{{ config(materialized='incremental') }}\nselect 3 as id\n",
      'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect 4 as id\n",
    });
    await p.sql(`create schema if not exists ${p.schema}`);
    await p.sql(`create view ${p.schema}.v__dbt_tmp as select 'stale' as x`);
    await p.sql(`create table ${p.schema}.v__dbt_backup (x text)`);
    await p.sql(`create table ${p.schema}.t__dbt_tmp (x text)`);
    await p.sql(`create view ${p.schema}.inc__dbt_backup as select 1 as x`);
    await p.sql(`create table ${p.schema}.eph__dbt_tmp (x text)`);
    await p.sql(`create table ${p.schema}.gone__dbt_tmp (x text)`);
    out = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('drops those of the built view, table and incremental models only', async () => {
    expect(out.code, out.output).toBe(0);
    expect(await tables()).toEqual(['eph__dbt_tmp', 'gone__dbt_tmp', 'inc', 't', 'v']);
    expect(await p.sql(`select id from ${p.schema}.v`)).toEqual([{ id: 1 }]);
  });
});
