// tsdbt names the relations it builds beside a node's as dbt does: an incremental run's new rows go
// into dbt-postgres's make_temp_relation, a temporary `<alias>__dbt_tmp<HHMMSSffffff>`, and a table
// is built as `<alias>__dbt_tmp` before the swap (dbt's make_intermediate_relation). A project's
// macro that recognises dbt's intermediate relations by that suffix, as dbt-postgres's own tests'
// get_columns_in_relation does, recognises tsdbt's.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe("intermediate relations named as dbt's", () => {
  let p: WarehouseProject;
  let first: RunOutcome;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/inc.sql': "{{ config(materialized='incremental') }}\nselect {{ 2 if is_incremental() else 1 }} as id, 'built' as came_through\n",
      // dbt's append strategy macro, replaced: it records the temp relation's name with each row.
      'macros/append.sql':
        "{% macro get_incremental_append_sql(arg_dict) %}\n" +
        "insert into {{ arg_dict['target_relation'] }} (id, came_through)\n" +
        "select id, '{{ arg_dict['temp_relation'].identifier }}' from {{ arg_dict['temp_relation'] }}\n" +
        '{% endmacro %}\n',
      'models/t.sql': "{{ config(materialized='table') }}\nselect 'row' as name\n",
    });
    first = await p.run('run');
    second = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it("hands a replaced strategy macro the new rows as `<alias>__dbt_tmp<HHMMSSffffff>`", async () => {
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    const rows = await p.sql(`select id, came_through from ${p.schema}.inc order by id`);
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
    expect(rows[0]?.came_through).toBe('built');
    expect(String(rows[1]?.came_through)).toMatch(/^inc__dbt_tmp\d{12}$/);
  });

  it('rebuilds a table beside it as `<alias>__dbt_tmp` and swaps it in', () => {
    const run = readFileSync(path.join(p.dir, 'target/run/demo/models/t.sql'), 'utf8');
    expect(run).toContain(`"${p.schema}"."t__dbt_tmp"`);
  });

  it('leaves no intermediate relation behind', async () => {
    const names = (await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' order by 1`)).map((r) => r.table_name);
    expect(names).toEqual(['inc', 't']);
  });
});
