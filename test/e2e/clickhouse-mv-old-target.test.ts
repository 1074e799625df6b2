// dbt-clickhouse's table materialization counts the views of the project's materialized_view models
// by schema and alias (clickhouse__get_dbt_mvs_for_target over graph.nodes), not by what the model
// names now: a view whose model was changed to write into another table (refused without
// --full-refresh) still writes into the old one, and a later run keeps the old table's rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const TARGET = "{{ config(materialized='table', engine='MergeTree()', order_by='id') }}\nselect toInt32(0) as id where 0\n";
const VIEW = (into: string) => `{{ materialization_target_table(ref('${into}')) }}\n{{ config(materialized='materialized_view') }}\nselect id from {{ ref('a') }}\n`;

describe("a materialized view's old target table (chDB)", () => {
  let p: WarehouseProject;
  const count = async (table: string) => Number((await p.sql(`select count() as n from \`${p.schema}\`.${table}`))[0]?.n);

  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/a.csv': 'id\n1\n2\n3\n',
      'seeds/properties.yml': 'version: 2\nseeds:\n  - name: a\n    config:\n      column_types: {id: Int32}\n',
      'models/target_a.sql': TARGET,
      'models/target_b.sql': TARGET,
      'models/mv.sql': VIEW('target_a'),
    });
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('keeps the rows of the table the view still writes into when its model now names another', async () => {
    expect(await count('target_a')).toBe(3);
    p.write('models/mv.sql', VIEW('target_b'));
    const out = await p.run('run');
    expect(out.code).toBe(1);
    const statuses = Object.fromEntries(out.results.map((r) => [r.unique_id, r.status]));
    expect(statuses).toEqual({ 'model.demo.target_a': 'success', 'model.demo.target_b': 'success', 'model.demo.mv': 'error' });
    expect(out.output).toContain(`Current target is "${p.schema}.target_a", but model references "${p.schema}.target_b"`);
    expect(await count('target_a')).toBe(3);
  });
});
