// dbt-clickhouse reads an incremental model's strategy by its own names: calculate_incremental_strategy
// turns `+` into `_` (so `delete_insert`, the name its docs and its materialization use, is the same
// delete+insert as `delete+insert`) and `default` into its default for the key (delete+insert with
// lightweight deletes). Its materialization looks no `get_incremental_<name>_sql` macro up, so these
// names never reach dbt's default macros, whose one-text `delete ...; insert ...` ClickHouse refuses
// ("Multi-statements are not allowed"). Found on ClickHouse_Demos' nyc_taxi_dbt_ch, whose fact and
// aggregate tables are `incremental_strategy: delete_insert` with a `unique_key`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const model = (strategy: string) =>
  `{{ config(materialized='incremental', incremental_strategy='${strategy}', unique_key='id', order_by='id') }}\n` +
  "select id, v from {{ ref('src') }}\n";

describe('ClickHouse: incremental strategy names as dbt-clickhouse reads them', () => {
  let p: WarehouseProject;
  let first: RunOutcome;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'seeds/src.csv': 'id,v\n1,a\n2,b\n',
      'models/by_underscore.sql': model('delete_insert'),
      'models/by_plus.sql': model('delete+insert'),
      'models/by_default.sql': model('default'),
    });
    first = await p.run('build');
    // The next load: key 2 changed, key 3 new.
    p.write('seeds/src.csv', 'id,v\n2,B\n3,c\n');
    second = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  it.each(['by_underscore', 'by_plus', 'by_default'])('%s replaces the rows of the new keys and keeps the others', async (name) => {
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    expect(await p.sql(`select id, v from \`${p.schema}\`.${name} order by id`)).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'B' },
      { id: 3, v: 'c' },
    ]);
  });
});
