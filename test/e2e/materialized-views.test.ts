// `materialized='materialized_view'` on the PostgreSQL server and PGlite, as dbt-postgres builds it:
// the first run replaces a view of that name with a materialized view carrying the config's
// indexes; a run with unchanged indexes refreshes it (new source rows appear); changed indexes are
// handled per `on_configuration_change` (apply: indexes altered in place; continue: left as they
// are with a warning; fail: the node fails), and `--full-refresh` rebuilds it. ClickHouse's are
// materialized-views-clickhouse.test.ts.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

/** The model with `materialized` and `indexes` (a Jinja list literal) and `on_configuration_change`. */
function model(materialized: string, indexes = "[{'columns': ['id'], 'unique': true}]", onChange = 'apply'): string {
  return `{{ config(materialized='${materialized}', indexes=${indexes}, on_configuration_change='${onChange}') }}\nselect id, name from {{ ref('src') }}\n`;
}

describe.each(WAREHOUSES)('materialized views on %s', (kind) => {
  let p: WarehouseProject;
  const rows = async () => (await p.sql(`select id, name from "${p.schema}".mv order by id`)).map((r) => `${String(r.id)}|${String(r.name)}`);
  /** The materialized view's indexes as `columns[ unique][ method]`, sorted. */
  const indexes = async () =>
    (
      await p.sql(
        `select string_agg(a.attname, ',' order by a.attnum) || case when ix.indisunique then ' unique' else '' end || ' ' || am.amname as ix
         from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_am am on am.oid = i.relam
         join pg_class t on t.oid = ix.indrelid join pg_namespace n on n.oid = t.relnamespace
         join pg_attribute a on a.attrelid = t.oid and a.attnum = any(ix.indkey)
         where n.nspname = '${p.schema}' and t.relname = 'mv' group by i.oid, ix.indisunique, am.amname order by 1`,
      )
    ).map((r) => String(r.ix));
  const matviews = async () => (await p.sql(`select matviewname from pg_matviews where schemaname = '${p.schema}'`)).map((r) => r.matviewname);

  beforeAll(async () => {
    p = warehouseProject(kind, {
      'seeds/src.csv': 'id,name\n1,a\n2,b\n',
      // A view of the same name exists before the first materialized view run.
      'models/mv.sql': model('view'),
    });
    const first = await p.run('build');
    expect(first.code, first.output).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('replaces a view of that name, with the indexes from config, and lists it in pg_matviews', async () => {
    p.write('models/mv.sql', model('materialized_view'));
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await matviews()).toEqual(['mv']);
    expect(await rows()).toEqual(['1|a', '2|b']);
    expect(await indexes()).toEqual(['id unique btree']);
  });

  it('refreshes it when the configuration did not change', async () => {
    await p.sql(`insert into "${p.schema}".src values (3, 'c')`);
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await rows()).toEqual(['1|a', '2|b', '3|c']);
    expect(await indexes()).toEqual(['id unique btree']);
  });

  it('apply: drops and creates the indexes that changed', async () => {
    p.write('models/mv.sql', model('materialized_view', "[{'columns': ['id'], 'unique': true}, {'columns': ['name'], 'type': 'hash'}]"));
    let out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await indexes()).toEqual(['id unique btree', 'name hash']);
    p.write('models/mv.sql', model('materialized_view', "[{'columns': ['name', 'id']}]"));
    out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await indexes()).toEqual(['id,name btree']);
    expect(await matviews()).toEqual(['mv']);
  });

  it('continue: leaves the view as it is, with a warning', async () => {
    p.write('models/mv.sql', model('materialized_view', "[{'columns': ['id']}]", 'continue'));
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(/models\/mv\.sql: Configuration changes were identified and `on_configuration_change` was set to `continue` for `.*"mv"`/);
    expect(out.results.map((r) => [r.status, r.message])).toEqual([['success', expect.stringMatching(/^skip .*"mv"$/)]]);
    expect(await indexes()).toEqual(['id,name btree']);
  });

  it('fail: fails the node and leaves the view as it is', async () => {
    await p.sql(`insert into "${p.schema}".src values (4, 'd')`);
    p.write('models/mv.sql', model('materialized_view', "[{'columns': ['id']}]", 'fail'));
    const out = await p.run('run');
    expect(out.code).toBe(1);
    expect(out.results.map((r) => r.status)).toEqual(['error']);
    expect(out.output).toMatch(/models\/mv\.sql: Configuration changes were identified and `on_configuration_change` was set to `fail` for `.*"mv"`/);
    expect(await indexes()).toEqual(['id,name btree']);
    expect(await rows()).toEqual(['1|a', '2|b', '3|c']);
  });

  it('--full-refresh rebuilds it with the configured indexes and current rows', async () => {
    const out = await p.run('run', { fullRefresh: true });
    expect(out.code, out.output).toBe(0);
    expect(await matviews()).toEqual(['mv']);
    expect(await indexes()).toEqual(['id btree']);
    expect(await rows()).toEqual(['1|a', '2|b', '3|c', '4|d']);
  });

  it('replaces a table of that name too', async () => {
    p.write('models/mv.sql', model('table'));
    let out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await matviews()).toEqual([]);
    await p.sql(`insert into "${p.schema}".src values (5, 'e')`);
    p.write('models/mv.sql', model('materialized_view'));
    out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await matviews()).toEqual(['mv']);
    expect(await rows()).toEqual(['1|a', '2|b', '3|c', '4|d', '5|e']);
    expect(await indexes()).toEqual(['id unique btree']);
  });
});

describe('materialized view building blocks a project replaces (PGlite)', () => {
  it("runs the project's postgres__get_create_materialized_view_as_sql and postgres__refresh_materialized_view", async () => {
    const p = warehouseProject('pglite', {
      'seeds/src.csv': 'id\n1\n',
      'models/mv.sql': "{{ config(materialized='materialized_view') }}\nselect id from {{ ref('src') }}\n",
      'macros/mv.sql': `{% macro postgres__get_create_materialized_view_as_sql(relation, sql) %}
create materialized view {{ relation }} as {{ sql }};
comment on materialized view {{ relation }} is 'built by the project'
{% endmacro %}
{% macro postgres__refresh_materialized_view(relation) %}
refresh materialized view {{ relation }};
comment on materialized view {{ relation }} is 'refreshed by the project'
{% endmacro %}
{% macro show_default_sql() %}
{{ print(dbt.default__get_create_materialized_view_as_sql(api.Relation.create(schema='s', identifier='m'), 'select 1')) }}
{% endmacro %}
`,
    });
    try {
      const comment = async () => (await p.sql(`select obj_description('"${p.schema}".mv'::regclass, 'pg_class') as c`))[0]?.c;
      let out = await p.run('build');
      expect(out.code, out.output).toBe(0);
      expect(await comment()).toBe('built by the project');
      await p.sql(`insert into "${p.schema}".src values (2)`);
      out = await p.run('run');
      expect(out.code, out.output).toBe(0);
      expect(await comment()).toBe('refreshed by the project');
      expect((await p.sql(`select id from "${p.schema}".mv order by id`)).map((r) => r.id)).toEqual([1, 2]);
      // dbt's global macro, as a template calling it gets it: the adapter's statement.
      const op = await runTsdbt(['run-operation', 'show_default_sql', '--project-dir', p.dir, '--profiles-dir', p.dir]);
      expect(op.code, op.stdout + op.stderr).toBe(0);
      expect(op.stdout).toContain('create materialized view "s"."m" as (\nselect 1\n)');
    } finally {
      await p.cleanup();
    }
  });
});

describe("a project's materialized_view wrapping the built-in (PGlite)", () => {
  it('dbt.materialization_materialized_view_default() builds it', async () => {
    const p = warehouseProject('pglite', {
      'macros/mv.sql': [
        '{% materialization materialized_view, default %}',
        '  {%- set result = dbt.materialization_materialized_view_default() -%}',
        "  {% do run_query('comment on materialized view ' ~ this ~ \" is 'wrapped'\") %}",
        '  {{ return(result) }}',
        '{% endmaterialization %}',
      ].join('\n'),
      'models/mv.sql': "{{ config(materialized='materialized_view') }}\nselect 1 as id union all select 2\n",
    });
    try {
      const out = await p.run('run');
      expect(out.code, out.output).toBe(0);
      expect(await p.sql(`select obj_description('"${p.schema}".mv'::regclass) as comment, (select count(*)::int from "${p.schema}".mv) as n`)).toEqual([{ comment: 'wrapped', n: 2 }]);
    } finally {
      await p.cleanup();
    }
  });
});
