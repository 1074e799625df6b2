// dbt's seed helpers a project replaces are called (docs.getdbt.com/reference/resource-configs/...,
// dbt-adapters' seeds/helpers.sql): a project's `get_batch_size` makes dbt's `load_csv_rows` insert
// in batches of that size with `adapter.add_query(sql, bindings=...)`; a project's
// `postgres__load_csv_rows` is dispatched to and sees the CSV's rows in its agate table.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const CSV = "id,name,note\n1,ana,50% off\n2,o'neil,\n3,bo,\"a, b\"\n4,cy,x\n5,di,y\n";

describe('seed helpers replaced by the project', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it("a project's get_batch_size: dbt's load_csv_rows inserts the rows in batches, with bindings", async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/batch.sql': "{% macro get_batch_size() %}{{ log('batch size asked', info=True) }}{{ return(2) }}{% endmacro %}\n",
      'seeds/people.csv': CSV,
    });
    projects.push(p);
    const out = await p.run('seed');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('batch size asked');
    expect(out.output).toMatch(/OK loaded seed file [^\n]*people \.+ \[INSERT 5 in /);
    expect(await p.sql(`select id, name, note from "${p.schema}".people order by id`)).toEqual([
      { id: 1, name: 'ana', note: '50% off' },
      { id: 2, name: "o'neil", note: null },
      { id: 3, name: 'bo', note: 'a, b' },
      { id: 4, name: 'cy', note: 'x' },
      { id: 5, name: 'di', note: 'y' },
    ]);
    // A second seed refills the table the same way.
    const again = await p.run('seed');
    expect(again.code, again.output).toBe(0);
    expect(await p.sql(`select count(*)::int as n from "${p.schema}".people`)).toEqual([{ n: 5 }]);
  });

  it("a project's postgres__load_csv_rows is dispatched to, with the CSV's typed rows in agate_table", async () => {
    const p = warehouseProject('pglite', {
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/load.sql': [
        '{% macro postgres__load_csv_rows(model, agate_table) %}',
        "  {{ log('rows: ' ~ (agate_table.rows | length) ~ ', first id + 10: ' ~ (agate_table.rows[0]['id'] + 10), info=True) }}",
        '  {% for row in agate_table.rows %}',
        "    {% set sql %}insert into {{ this.render() }} (id, name, note) values (%s, upper(%s), %s){% endset %}",
        '    {% do adapter.add_query(sql, bindings=[row[0], row[1], row[2]], abridge_sql_log=True) %}',
        '  {% endfor %}',
        "  {{ return('') }}",
        '{% endmacro %}',
      ].join('\n'),
      'seeds/people.csv': CSV,
    });
    projects.push(p);
    const out = await p.run('seed');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('rows: 5, first id + 10: 11');
    expect(await p.sql(`select id, name, note from "${p.schema}".people order by id`)).toEqual([
      { id: 1, name: 'ANA', note: '50% off' },
      { id: 2, name: "O'NEIL", note: null },
      { id: 3, name: 'BO', note: 'a, b' },
      { id: 4, name: 'CY', note: 'x' },
      { id: 5, name: 'DI', note: 'y' },
    ]);
  });
});
