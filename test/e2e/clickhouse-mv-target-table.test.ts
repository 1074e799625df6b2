// A `table` model that the project's own materialized views write into, as dbt-clickhouse's table
// materialization treats it: a later run keeps its rows (`mv_on_schema_change`, default `fail`
// there, or as the model sets it), and `--full-refresh` with `repopulate_from_mvs_on_full_refresh`
// refills it from the views' SELECTs. A view made outside dbt changes nothing. Built on chDB; the
// cases are the steps of one history, in order (each starts from the table the previous left).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const target = (config: string, extra = '') => `{{ config(materialized='table', engine='MergeTree()', order_by='id'${config}) }}\nselect toInt32(0) as id, 'seed' as source${extra} where 0\n`;

describe("a table the project's materialized views write into (chDB)", () => {
  let p: WarehouseProject;
  const rows = async () => (await p.sql(`select id, source from \`${p.schema}\`.events order by id, source`)).map((r) => `${String(r.id)}|${String(r.source)}`);

  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/a.csv': 'id\n1\n',
      'seeds/properties.yml': 'version: 2\nseeds:\n  - name: a\n    config:\n      column_types: {id: Int32}\n',
      'models/events.sql': target(''),
      'models/from_a.sql': "{{ materialization_target_table(ref('events')) }}\n{{ config(materialized='materialized_view') }}\nselect id, 'a' as source from {{ ref('a') }}\n",
    });
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
    // A view made outside dbt into the same table.
    await p.sql(`create materialized view \`${p.schema}\`.outside to \`${p.schema}\`.events as select id + 100 as id, 'x' as source from \`${p.schema}\`.a`);
    await p.sql(`insert into \`${p.schema}\`.a values (2)`);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('a later run keeps the rows the views wrote', async () => {
    expect(await rows()).toEqual(['1|a', '2|a', '102|x']);
    const out = await p.run('run', { select: ['events'] });
    expect(out.code, out.output).toBe(0);
    expect(await rows()).toEqual(['1|a', '2|a', '102|x']);
    // target/run holds dbt-clickhouse's main statement on this path, not the column checks around it.
    expect(readFileSync(path.join(p.dir, 'target', 'run', 'demo', 'models', 'events.sql'), 'utf8').trim()).toBe('Select 1');
  });

  it('a changed schema fails the run by default (mv_on_schema_change: fail), the table untouched', async () => {
    p.write('models/events.sql', target('', ', toInt32(0) as extra'));
    const out = await p.run('run', { select: ['events'] });
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/The source and target schemas on this table model are out of sync/);
    expect(await rows()).toEqual(['1|a', '2|a', '102|x']);
  });

  it("mv_on_schema_change='append_new_columns' adds the column and keeps the rows", async () => {
    p.write('models/events.sql', target(", mv_on_schema_change='append_new_columns'", ', toInt32(0) as extra'));
    const out = await p.run('run', { select: ['events'] });
    expect(out.code, out.output).toBe(0);
    expect((await p.sql(`select name from system.columns where database = '${p.schema}' and table = 'events' order by position`)).map((r) => r.name)).toEqual(['id', 'source', 'extra']);
    expect(await rows()).toEqual(['1|a', '2|a', '102|x']);
  });

  it("--full-refresh with repopulate_from_mvs_on_full_refresh refills it from the project's views only", async () => {
    p.write('models/events.sql', target(', repopulate_from_mvs_on_full_refresh=true', ', toInt32(0) as extra'));
    const out = await p.run('run', { select: ['events'], fullRefresh: true });
    expect(out.code, out.output).toBe(0);
    expect(await rows()).toEqual(['1|a', '2|a']);
    await p.sql(`insert into \`${p.schema}\`.a values (3)`);
    expect(await rows()).toEqual(['1|a', '2|a', '3|a', '103|x']);
  });

  it('a table dropped since, its views left, is built again by the usual build (no schema check on nothing)', async () => {
    await p.sql(`drop table \`${p.schema}\`.events`);
    const out = await p.run('run', { select: ['events'] });
    expect(out.code, out.output).toBe(0);
    expect(await rows()).toEqual([]); // the model's own SELECT has no rows
    await p.sql(`insert into \`${p.schema}\`.a values (4)`);
    expect(await rows()).toEqual(['4|a', '104|x']);
  });
});
