// dbt-adapters' `adapter.add_query(sql, auto_begin, bindings, abridge_sql_log)`: with
// abridge_sql_log the debug log's SQLQuery line is the statement's first 512 characters and `...`
// ("{}...".format(sql[:512]), sql/connections.py); dbt's own `load_csv_rows` (a seed when the
// project sets get_batch_size) passes it for its inserts. Without it the statement is logged whole.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const LONG = 'x'.repeat(700);

describe('adapter.add_query(abridge_sql_log=...)', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it('logs the first 512 characters of an abridged statement, and the whole of the others', async () => {
    const p = warehouseProject('pglite', {
      // No query comment: the logged text is the statement's own (dbt's add_query adds none).
      'dbt_project.yml': 'name: demo\nprofile: demo\nquery-comment: null\n',
      'macros/load.sql': [
        '{% macro postgres__load_csv_rows(model, agate_table) %}',
        "  {% set abridged %}insert into {{ this.render() }} (id, note) values (1, '{{ 'a' * 700 }}'){% endset %}",
        '  {% do adapter.add_query(abridged, abridge_sql_log=True) %}',
        "  {% set whole %}insert into {{ this.render() }} (id, note) values (2, '{{ 'x' * 700 }}'){% endset %}",
        '  {% do adapter.add_query(whole, abridge_sql_log=False) %}',
        "  {{ return('') }}",
        '{% endmacro %}',
      ].join('\n'),
      'seeds/people.csv': 'id,note\n0,z\n',
    });
    projects.push(p);
    const out = await p.run('seed', { debug: true });
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select id, length(note) as n from "${p.schema}".people order by id`)).toEqual([
      { id: 1, n: 700 },
      { id: 2, n: 700 },
    ]);
    const logged = out.output.split('\n').filter((l) => l.includes('On seed.demo.people: insert into'));
    expect(logged).toHaveLength(2);
    const [first, second] = logged.map((l) => l.slice(l.indexOf('insert into')));
    expect(first).toMatch(/^insert into \S+ \(id, note\) values \(1, 'a+\.\.\.$/);
    expect(first).toHaveLength(512 + '...'.length);
    expect(second).toMatch(new RegExp(`values \\(2, '${LONG}'\\)$`));
  });
});
