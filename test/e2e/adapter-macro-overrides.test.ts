// dbt's overridable global macros that tsdbt otherwise answers without rendering a template, each
// replaced by a project as dbt's docs and dbt-adapters allow, on PGlite:
// - `source freshness` runs a project's `<adapter>__collect_freshness` (dbt's adapter.calculate_freshness
//   executes `collect_freshness` by name, which dispatches) and `collect_freshness_custom_sql` for a
//   loaded_at_query; the age is the macro's snapshotted_at minus its max_loaded_at, as in dbt; a
//   macro returning another shape fails that source with dbt's MacroResultError words;
// - `show` renders a project's `<adapter>__get_limit_sql` (dbt's get_limit_subquery_sql dispatches to it);
// - get_drop_sql picks drop_view / drop_table by the relation's type, each dispatching, so a
//   project's `<adapter>__drop_view` applies;
// - a project materialization built on dbt's `create_or_replace_view()` builds the view.
//
// Each fails without its fix: the macros were missing (create_or_replace_view, drop_view's dispatch),
// get_limit_subquery_sql dispatched an older name, and freshness never rendered a macro.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { showCommand } from '../../src/app/show-command.js';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { testInvocation } from '../support/test-invocation.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

interface SourcesJson {
  results: { unique_id: string; status: string; max_loaded_at: string | null; snapshotted_at: string; max_loaded_at_time_ago_in_s: number | null; error?: string }[];
}

const FILES = {
  'models/sources.yml': `version: 2
sources:
  - name: raw
    schema: "{{ target.schema }}_raw"
    loaded_at_field: loaded_at
    freshness:
      warn_after: {count: 1, period: hour}
      error_after: {count: 1, period: day}
    tables:
      - name: events
      - name: by_query
        identifier: events
        loaded_at_query: "select max(loaded_at) from {{ this }}"
      - name: broken
        identifier: events
        loaded_at_field: "'not a time'"
`,
  // A project's freshness: the newest load *before* a cut-off, and a fixed snapshot time (the
  // macros dbt-adapters documents to override; a naive timestamp is UTC).
  'macros/freshness.sql': `{% macro postgres__collect_freshness(source, loaded_at_field, filter) %}
  {% call statement('collect_freshness', fetch_result=True, auto_begin=False) -%}
    {%- if loaded_at_field == "'not a time'" -%}
    select 1 as just_one_column
    {%- else -%}
    select max({{ loaded_at_field }}) as max_loaded_at, timestamp '2024-05-01 13:00:00' as snapshotted_at
    from {{ source }} where {{ loaded_at_field }} < '2024-05-01 11:30:00'
    {%- endif %}
  {% endcall %}
  {{ return(load_result('collect_freshness')) }}
{% endmacro %}
{% macro postgres__collect_freshness_custom_sql(source, loaded_at_query) %}
  {% call statement('collect_freshness_custom_sql', fetch_result=True, auto_begin=False) -%}
    select ({{ loaded_at_query }}) as max_loaded_at, timestamp '2024-05-01 12:30:00' as snapshotted_at
  {% endcall %}
  {{ return(load_result('collect_freshness_custom_sql').table) }}
{% endmacro %}
{% macro postgres__get_limit_sql(sql, limit) %}
  select * from ({{ sql }}) as project_limit where id > 1 limit {{ limit }}
{% endmacro %}
{% macro postgres__drop_view(relation) -%}
  drop view if exists {{ relation.render() }} /* project drop_view */ cascade
{%- endmacro %}
{% macro drop_sql_of(name, type) %}
  {{ return(get_drop_sql(api.Relation.create(schema=target.schema, identifier=name, type=type)) | trim) }}
{% endmacro %}
`,
  // create_or_replace_view runs its statement in a transaction and leaves it open (on Snowflake and
  // BigQuery, which it was written for, DDL commits itself): on PostgreSQL, as on dbt-postgres, the
  // materialization commits.
  'macros/replace_view.sql': `{% materialization replaced_view, default %}
  {%- set relations = create_or_replace_view() -%}
  {%- do adapter.commit() -%}
  {{ return(relations) }}
{% endmaterialization %}
`,
  'models/numbers.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 2 union all select 3\n",
  'models/numbers_view.sql': "{{ config(materialized='replaced_view') }}\nselect id * 10 as tens from {{ ref('numbers') }}\n",
  'models/drops.sql': "select '{{ drop_sql_of('v', 'view') }}' as view_drop, '{{ drop_sql_of('t', 'table') }}' as table_drop\n",
};

describe('overrides of dbt macros tsdbt answers natively (PGlite)', () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    await p.sql(`create schema ${p.schema}_raw`);
    await p.sql(`create table ${p.schema}_raw.events (id int, loaded_at timestamp)`);
    await p.sql(`insert into ${p.schema}_raw.events values (1, '2024-05-01 11:00:00'), (2, '2024-05-01 12:00:00')`);
  }, 300_000);
  afterAll(() => p.cleanup());

  it("source freshness runs the project's collect_freshness and collect_freshness_custom_sql", async () => {
    const { inv, lines } = testInvocation(p.dir, { now: () => new Date('2030-01-01T00:00:00Z') });
    const code = await sourceFreshnessCommand(inv);
    const json = JSON.parse(readFileSync(path.join(p.dir, 'target', 'sources.json'), 'utf8')) as SourcesJson;
    const byName: Record<string, SourcesJson['results'][number]> = Object.fromEntries(json.results.map((r) => [r.unique_id.split('.').pop() ?? '', r]));
    // The macro's cut-off keeps the 11:00 load; its snapshotted_at (13:00), not the invocation's clock (2030), ages it: 2 hours.
    expect(byName.events).toMatchObject({ status: 'warn', max_loaded_at: '2024-05-01T11:00:00+00:00', snapshotted_at: '2024-05-01T13:00:00.000Z', max_loaded_at_time_ago_in_s: 7200 });
    // collect_freshness_custom_sql (returning the agate table itself) gets the rendered loaded_at_query: 12:00, 30 minutes before its 12:30.
    expect(byName.by_query).toMatchObject({ status: 'pass', max_loaded_at: '2024-05-01T12:00:00+00:00', max_loaded_at_time_ago_in_s: 1800 });
    expect(byName.broken?.status).toBe('runtime error');
    expect(byName.broken?.error).toContain('Got an invalid result from "collect_freshness" macro: 1 row(s) of 1 column(s)');
    expect(code).toBe(1);
    expect(lines.join('\n')).toMatch(/Finished running 3 sources in 0 hours 0 minutes and [\d.]+ seconds \([\d.]+s\)\.\n\S+\s+Done\.$/);
  });

  it("a project materialization on dbt's create_or_replace_view builds the view; get_drop_sql dispatches drop_view and drop_table", async () => {
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select tens from ${p.schema}.numbers_view order by tens`)).toEqual([{ tens: 10 }, { tens: 20 }, { tens: 30 }]);
    const [kind] = await p.sql(`select table_type from information_schema.tables where table_schema = '${p.schema}' and table_name = 'numbers_view'`);
    expect(kind).toEqual({ table_type: 'VIEW' });
    const [drops] = await p.sql(`select view_drop, table_drop from ${p.schema}.drops`);
    expect(drops).toEqual({
      view_drop: `drop view if exists "${p.schema}"."v" /* project drop_view */ cascade`,
      table_drop: `drop table if exists "${p.schema}"."t" cascade`,
    });
  });

  it("show renders the project's get_limit_sql", async () => {
    const { inv, lines } = testInvocation(p.dir, { select: ['numbers'] });
    expect(await showCommand(inv, { limit: 5, output: 'json' })).toBe(0);
    const shown = JSON.parse(lines.join('\n').slice(lines.join('\n').indexOf('{'))) as { show: { id: number }[] };
    expect(shown.show.map((r) => r.id).sort()).toEqual([2, 3]);
  });
});
