// delete+insert and merge without a `unique_key`, as dbt-adapters' macros render them: the
// delete of get_delete_insert_merge_sql runs only `{% if unique_key %}`, and get_merge_sql without
// one matches `on FALSE`; either way every new row is inserted and none is removed (dbt-core's
// happy-path project runs such a delete+insert model twice).
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const model = (strategy: string) =>
  `{{ config(materialized='incremental', incremental_strategy='${strategy}') }}\n` +
  'select * from {{ ref(\'src\') }}\n{% if is_incremental() %} where a > (select max(a) from {{ this }}) {% endif %}\n';

describe('incremental strategies without a unique_key', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it.each(['delete+insert', 'merge'])('%s inserts the new rows on the incremental run', async (strategy) => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'seeds/src.csv': 'a,b\n1,x\n1,y\n',
      'models/inc.sql': model(strategy),
    });
    projects.push(p);
    const first = await p.run('build');
    expect(first.code, first.output).toBe(0);
    p.write('seeds/src.csv', 'a,b\n1,x\n1,y\n2,z\n2,w\n');
    const second = await p.run('build');
    expect(second.code, second.output).toBe(0);
    expect(await p.sql(`select a, b from "${p.schema}".inc order by a, b`)).toEqual([
      { a: 1, b: 'x' },
      { a: 1, b: 'y' },
      { a: 2, b: 'w' },
      { a: 2, b: 'z' },
    ]);
  });
});
