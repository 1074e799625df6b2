// dbt-clickhouse's refreshable materialized view writing into a table of its own model
// (materialization_target_table): `refreshable.depends_on_validation` checks each `depends_on` view
// exists on every build (its external-target path renders refreshable_mv_clause() first), an
// existing view's ALTER included, failing with "No existing MV found matching MV: <name>".
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const TARGET = "{{ config(materialized='table', engine='MergeTree()', order_by='id') }}\nselect toInt32(0) as id where 0\n";
const VIEW = (refreshable: string) =>
  `{{ config(materialized='materialized_view', refreshable=${refreshable}) }}\n{{ materialization_target_table(ref('target')) }}\nselect id from {{ ref('a') }}\n`;

describe('an external-target refreshable view with depends_on_validation (chDB)', () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/a.csv': 'id\n1\n',
      'seeds/properties.yml': 'version: 2\nseeds:\n  - name: a\n    config:\n      column_types: {id: Int32}\n',
      'models/target.sql': TARGET,
      'models/mv.sql': VIEW("{'interval': 'EVERY 2 MINUTE'}"),
    });
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('fails the existing view when a depends_on view does not exist', async () => {
    p.write('models/mv.sql', VIEW("{'interval': 'EVERY 2 MINUTE', 'depends_on': ['no_such_view'], 'depends_on_validation': true}"));
    const out = await p.run('run', { select: ['mv'] });
    expect(out.code).toBe(1);
    expect(out.results.map((r) => [r.unique_id, r.status])).toEqual([['model.demo.mv', 'error']]);
    expect(out.results[0]?.message).toContain('No existing MV found matching MV: no_such_view');
  });
});
