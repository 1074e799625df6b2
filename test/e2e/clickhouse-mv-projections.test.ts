// dbt-clickhouse's materialized_view target table takes the model's `projections` and `indexes`
// (clickhouse__create_target_table -> clickhouse__create_empty_table -> add_index_and_projections),
// with `catchup=False` too, where the table starts empty (its tests/integration/adapter/
// materialized_view/test_catchup_projections.py, dbt-clickhouse#637). On chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const CONFIG = `materialized='materialized_view', engine='MergeTree()', order_by='(id)',
  projections=[{'name': 'projection_by_name', 'query': 'SELECT id, name ORDER BY name'}],
  indexes=[{'name': 'idx_name', 'definition': 'name TYPE bloom_filter GRANULARITY 1'}]`;
const SELECT = "select id, name, age, department from {{ ref('people') }} where department = 'engineering'\n";

describe("dbt-clickhouse's materialized view target table with projections", () => {
  let p: WarehouseProject;
  let outcome: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/people.csv': 'id,name,age,department\n1231,Dade,33,engineering\n6666,Ksenia,48,engineering\n8888,Kate,50,engineering\n1232,Eugene,40,malware\n',
      'models/hackers_no_catchup.sql': `{{ config(${CONFIG}, catchup=False) }}\n${SELECT}`,
      'models/hackers.sql': `{{ config(${CONFIG}) }}\n${SELECT}`,
    });
    outcome = await p.run('build');
  }, 300_000);
  afterAll(() => p.cleanup());

  const described = async (table: string) => ({
    rows: await p.sql(`select count() as n from \`${p.schema}\`.${table}`),
    projections: await p.sql(`select name from system.projections where database = '${p.schema}' and table = '${table}' order by name`),
    indexes: await p.sql(`select name, type from system.data_skipping_indices where database = '${p.schema}' and table = '${table}' order by name`),
  });

  it('catchup=False: the table is empty and has its projection and index', async () => {
    expect(outcome.code, outcome.output).toBe(0);
    expect(await described('hackers_no_catchup')).toEqual({
      rows: [{ n: 0 }],
      projections: [{ name: 'projection_by_name' }],
      indexes: [{ name: 'idx_name', type: 'bloom_filter' }],
    });
  });

  it('catchup (the default): the table holds the rows and has its projection and index', async () => {
    expect(outcome.code, outcome.output).toBe(0);
    expect(await described('hackers')).toEqual({
      rows: [{ n: 3 }],
      projections: [{ name: 'projection_by_name' }],
      indexes: [{ name: 'idx_name', type: 'bloom_filter' }],
    });
  });
});
