// dbt-clickhouse's `projections` and `indexes` model configs (its add_index_and_projections, its
// tests/integration/adapter/projections): a table or incremental model's table gets each projection
// and data-skipping index, over every row it holds. An `indexes` entry in dbt-postgres's shape
// (`columns:`) is not ClickHouse's and is left out, so one dbt_project.yml serves both. On chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const CONFIG = `projections=[{'name': 'avg_age', 'query': 'SELECT department, avg(age) GROUP BY department'}, {'name': 'sum_age', 'query': 'SELECT department, sum(age) GROUP BY department'}],
  indexes=[{'name': 'idx_name', 'definition': 'name TYPE bloom_filter GRANULARITY 1'}, {'columns': ['name']}]`;

describe("dbt-clickhouse's projections and indexes", () => {
  let p: WarehouseProject;
  let first: RunOutcome;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/people.csv': 'id,name,age,department\n1231,Dade,33,engineering\n6666,Ksenia,48,engineering\n8888,Kate,50,engineering\n1232,Eugene,40,malware\n9999,Paul,25,sales\n',
      'models/people_table.sql': `{{ config(materialized='table', order_by='id', ${CONFIG}) }}\nselect id, name, age, department from {{ ref('people') }}\n`,
      'models/people_incremental.sql': `{{ config(materialized='incremental', order_by='id', unique_key='id', ${CONFIG}) }}
select id, name, age + {{ 1 if is_incremental() else 0 }} as age, department from {{ ref('people') }}
`,
    });
    first = await p.run('build');
    second = await p.run('run', { select: ['people_incremental'] });
  }, 300_000);
  afterAll(() => p.cleanup());

  const projected = (table: string) =>
    p.sql(`select name, sum(rows) as rows from system.projection_parts where database = '${p.schema}' and table = '${table}' and active group by name order by name`);
  const indexes = (table: string) => p.sql(`select name, type from system.data_skipping_indices where database = '${p.schema}' and table = '${table}' order by name`);

  it("a table's projections hold every row's aggregate, its index is there", async () => {
    expect(first.code, first.output).toBe(0);
    // 3 departments: each projection's parts hold one row per department.
    expect(await projected('people_table')).toEqual([
      { name: 'avg_age', rows: 3 },
      { name: 'sum_age', rows: 3 },
    ]);
    expect(await indexes('people_table')).toEqual([{ name: 'idx_name', type: 'bloom_filter' }]);
    expect(await p.sql(`select department, avg(age) as a from \`${p.schema}\`.people_table group by department order by department settings force_optimize_projection = 1`)).toEqual([
      { department: 'engineering', a: 131 / 3 },
      { department: 'malware', a: 40 },
      { department: 'sales', a: 25 },
    ]);
  });

  it("an incremental model's table keeps them through a delete+insert run that replaces every row", async () => {
    expect(second.code, second.output).toBe(0);
    expect(await p.sql(`select count() as n, sum(age) as ages from \`${p.schema}\`.people_incremental`)).toEqual([{ n: 5, ages: 201 }]);
    expect((await projected('people_incremental')).map((r) => r.name)).toEqual(['avg_age', 'sum_age']);
    expect(await indexes('people_incremental')).toEqual([{ name: 'idx_name', type: 'bloom_filter' }]);
    // force_optimize_projection: the query fails unless a projection answers it.
    expect(await p.sql(`select department, sum(age) as s from \`${p.schema}\`.people_incremental group by department order by department settings force_optimize_projection = 1`)).toEqual([
      { department: 'engineering', s: 134 },
      { department: 'malware', s: 41 },
      { department: 'sales', s: 26 },
    ]);
  });
});
