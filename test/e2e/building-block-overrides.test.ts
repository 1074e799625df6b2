// dbt's extension model for the built-in materializations (docs: "Materializations", "Custom
// incremental strategies", "adapter.dispatch", resource config `sql_header`): a project or package
// replaces a building block (`postgres__create_table_as`, `default__get_merge_sql` through
// `dispatch: search_order`, `get_incremental_<name>_sql`, `get_create_index_sql`,
// `alter_column_type`), or sets a `sql_header`, and the built-in table / view / incremental /
// snapshot send its SQL. Checked in the warehouse's catalog and rows, on both PostgreSQL kinds and,
// for the ClickHouse building block, on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { depsCommand } from '../../src/app/deps-command.js';
import { createInvocation } from '../../src/app/invocation.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

/**
 * A project `postgres__create_table_as` in the shape projects copy from dbt-postgres (unlogged, the
 * contract branch, sql_header), plus a storage parameter on every permanent table.
 */
const CREATE_TABLE_AS = `{% macro postgres__create_table_as(temporary, relation, sql) -%}
  {%- set unlogged = config.get('unlogged', default=false) -%}
  {%- set sql_header = config.get('sql_header', none) -%}
  {{ sql_header if sql_header is not none }}
  create {% if temporary -%} temporary {%- elif unlogged -%} unlogged {%- endif %} table {{ relation }}
  {% set contract_config = config.get('contract') %}
  {% if contract_config.enforced %}
    {{ get_assert_columns_equivalent(sql) }}
  {% endif -%}
  {% if contract_config.enforced and (not temporary) -%}
    {{ get_table_columns_and_constraints() }} with (fillfactor=80);
    insert into {{ relation }} ({{ adapter.dispatch('get_column_names', 'dbt')() }})
    {%- set sql = get_select_subquery(sql) %}
  {% else %}
    {% if not temporary %}with (fillfactor=70){% endif %}
    as
  {% endif %}
  (
    {{ sql }}
  );
{%- endmacro %}
`;

/** dbt's documented custom strategy: insert the new keys, never touch existing rows. */
const INSERT_ONLY = `{% macro get_incremental_insert_only_sql(arg_dict) %}
  {%- set target = arg_dict["target_relation"] -%}
  {%- set columns = get_quoted_csv(arg_dict["dest_columns"] | map(attribute="name")) -%}
  insert into {{ target }} ({{ columns }})
  select {{ columns }} from {{ arg_dict["temp_relation"] }} as s
  where not exists (select 1 from {{ target }} as t where t.{{ arg_dict["unique_key"] }} = s.{{ arg_dict["unique_key"] }})
{% endmacro %}
`;

/** A package's merge: dbt's own, plus the batch's size written to an audit table. */
const AUDITED_MERGE = `{% macro default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates=none) -%}
  insert into {{ target.schema }}.merge_audit (batch_rows) select count(*) from {{ source }};
  {{ dbt.default__get_merge_sql(target, source, unique_key, dest_columns, incremental_predicates) }}
{%- endmacro %}
`;

const HEADER_MODEL = `{{ config(materialized='table') }}
{% call set_sql_header(config) %}
set local timezone = 'Asia/Tokyo';
create or replace function pg_temp.twice(x integer) returns integer language sql as $$ select x * 2 $$;
{% endcall %}
select pg_temp.twice(21) as doubled, current_setting('TimeZone') as tz
`;

const FILES: Record<string, string> = {
  'dbt_project.yml': `name: demo
profile: demo
on-run-start:
  - "create table if not exists {{ target.schema }}.truncate_audit (name text)"
  - "create table if not exists {{ target.schema }}.snapshot_audit (snapshot text, change_type text, n integer)"
dispatch:
  - macro_namespace: dbt
    search_order: ['demo', 'merge_pkg', 'dbt']
`,
  'packages.yml': 'packages:\n  - local: vendor/merge_pkg\n',
  'vendor/merge_pkg/dbt_project.yml': 'name: merge_pkg\n',
  'vendor/merge_pkg/macros/merge.sql': AUDITED_MERGE,
  'macros/create_table_as.sql': CREATE_TABLE_AS,
  'macros/insert_only.sql': INSERT_ONLY,
  'macros/indexes.sql': `{% macro postgres__get_create_index_sql(relation, index_dict) -%}
  create index {{ relation.identifier }}_custom_idx on {{ relation }} ({{ index_dict['columns'] | join(', ') }}) with (fillfactor=50)
{%- endmacro %}
`,
  // A summary whose failures count tenfold: shows the project's get_test_sql is the one sent.
  'macros/test_sql.sql': `{% macro default__get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
  select {{ fail_calc }} * 10 as failures, {{ fail_calc }} {{ warn_if }} as should_warn, {{ fail_calc }} {{ error_if }} as should_error
  from ({{ main_sql }}) dbt_internal_test
{%- endmacro %}
`,
  // Unit tests compared case-insensitively.
  'macros/unit_test_sql.sql': `{% macro default__get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names) -%}
  {%- set upper = [] -%}{%- for name in expected_column_names -%}{%- do upper.append('upper(cast(' ~ name ~ ' as text)) as ' ~ name) -%}{%- endfor -%}
  select {{ upper | join(', ') }}, 'actual' as actual_or_expected from ({{ main_sql }}) a
  union all
  select {{ upper | join(', ') }}, 'expected' as actual_or_expected from ({{ expected_fixture_sql }}) e
{%- endmacro %}
`,
  // A seed refilled on its second build is emptied by the project's truncate_relation.
  'macros/truncate.sql': `{% macro postgres__truncate_relation(relation) -%}
  {% call statement('truncate_relation') %}delete from {{ relation }}{% endcall %}
  {% do run_query("insert into " ~ relation.schema ~ ".truncate_audit values ('" ~ relation.identifier ~ "')") %}
{%- endmacro %}
`,
  'models/tests.yml': `version: 2
models:
  - name: contracted
    config:
      contract: {enforced: true}
    columns:
      - name: id
        data_type: integer
        constraints: [{type: not_null}]
      - name: name
        data_type: text
  - name: plain_table
    columns:
      - name: id
        data_tests:
          - accepted_values:
              arguments: {values: [2]}
              config: {severity: warn}
unit_tests:
  - name: from_seed_upper
    model: from_seed
    given:
      - input: ref('raw_events')
        rows: [{id: 1, v: x}]
    expect:
      rows: [{id: 1, v: X}]
`,
  // A snapshot's clock and hash from the project (dbt's snapshot_get_time / snapshot_hash_arguments).
  'macros/snapshot_time.sql': `{% macro postgres__snapshot_get_time() -%} '2030-01-02 03:04:05'::timestamp {%- endmacro %}
{% macro default__snapshot_hash_arguments(args) -%}
  md5('tsdbt:' || {% for arg in args %}coalesce(cast({{ arg }} as varchar), ''){% if not loop.last %} || '|' || {% endif %}{% endfor %})
{%- endmacro %}
`,
  // dbt-postgres's snapshot merge, with the staging table's changes counted in an audit table.
  'macros/snapshot_merge.sql': `{% macro postgres__snapshot_merge_sql(target, source, insert_cols) -%}
  insert into {{ target.schema }}.snapshot_audit select '{{ target.identifier }}', dbt_change_type, count(*) from {{ source }} group by 2;
  {{ dbt.postgres__snapshot_merge_sql(target, source, insert_cols) }}
{%- endmacro %}
`,
  'snapshots/snap.sql': "{% snapshot snap %}\n{{ config(unique_key='id', strategy='check', check_cols=['v']) }}\nselect id, v from {{ ref('raw_events') }}\n{% endsnapshot %}\n",
  // A seed's table from the project's create_csv_table (dbt's default, plus a storage parameter).
  'macros/csv_table.sql': `{% macro postgres__create_csv_table(model, agate_table) %}
  {% set sql %}
    create table {{ this.render() }} (
      {%- for col_name in agate_table.column_names -%}
        {{ adapter.quote_seed_column(col_name, none) }} {{ adapter.convert_type(agate_table, loop.index0) }}{{ ',' if not loop.last }}
      {%- endfor -%}
    ) with (fillfactor=60)
  {% endset %}
  {% call statement('_') %}{{ sql }}{% endcall %}
  {{ return(sql) }}
{% endmacro %}
`,
  'seeds/raw_events.csv': 'id,v\n1,a\n2,b\n',
  // dbt's contract helpers called from a template: the check passes, the column list builds a copy.
  // dbt renders hooks at parse too, before the property file gives the model its columns, so the
  // check is guarded by `execute` as it must be in dbt.
  'models/contracted.sql': `{{ config(materialized='table', post_hook=[
  "{% if execute %}{{ get_assert_columns_equivalent(\\"select 2 as id, 'y' as name\\") }}{% endif %}",
  "{% do run_query('create table if not exists ' ~ this.schema ~ '.contract_copy ' ~ get_table_columns_and_constraints()) %}"
]) }}
select 1 as id, 'x' as name
`,
  'models/plain_table.sql': "{{ config(materialized='table') }}\nselect 1 as id\n",
  'models/indexed.sql': "{{ config(materialized='table', indexes=[{'columns': ['id']}]) }}\nselect 1 as id\n",
  'models/from_seed.sql': "{{ config(materialized='incremental', unique_key='id') }}\nselect id, v from {{ ref('raw_events') }}\n",
  'models/insert_only.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='insert_only') }}\nselect id, v from {{ ref('raw_events') }}\n",
  'models/merged.sql': [
    "{{ config(materialized='incremental', unique_key='id', incremental_strategy='merge',",
    "          pre_hook='create table if not exists {{ this.schema }}.merge_audit (batch_rows integer)') }}",
    "select id, v from {{ ref('raw_events') }}",
    '',
  ].join('\n'),
  'models/with_header.sql': HEADER_MODEL,
  // The view names plain_table unqualified: it is created only if its header's search_path applies.
  'models/header_view.sql': "{{ config(materialized='view') }}\n-- depends_on: {{ ref('plain_table') }}\n{% call set_sql_header(config) %}set local search_path = {{ target.schema }};{% endcall %}\nselect id from plain_table\n",
  // A snapshot's query calls a function its header creates, on the first build and on the next.
  'snapshots/headed_snap.sql': "{% snapshot headed_snap %}\n{{ config(unique_key='id', strategy='check', check_cols='all') }}\n{% call set_sql_header(config) %}create or replace function pg_temp.thrice(x integer) returns integer language sql as $$ select x * 3 $$;{% endcall %}\nselect id, pg_temp.thrice(id) as tripled from {{ ref('raw_events') }}\n{% endsnapshot %}\n",
};

async function deps(dir: string): Promise<number> {
  const inv = createInvocation({ projectDir: dir, write: () => {}, writeError: () => {}, env: { ...process.env, HOME: dir } });
  return depsCommand(inv);
}

describe.each(WAREHOUSES)('building blocks a project replaces, on %s', (kind) => {
  let project: WarehouseProject;
  let first: Awaited<ReturnType<WarehouseProject['run']>>;
  let second: Awaited<ReturnType<WarehouseProject['run']>>;
  const fillfactor = async (table: string) =>
    (await project.sql(`select array_to_string(c.reloptions, ',') as options from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${project.schema}' and c.relname = '${table}'`))[0]?.options;
  const rows = async (table: string) => (await project.sql(`select id, v from "${project.schema}"."${table}" order by id`)).map((r) => `${String(r.id)}:${String(r.v)}`);

  beforeAll(async () => {
    project = warehouseProject(kind, FILES);
    expect(await deps(project.dir)).toBe(0);
    first = await project.run('build');
    // New events: id 2 changes, id 3 arrives.
    project.write('seeds/raw_events.csv', 'id,v\n1,a\n2,B\n3,c\n');
    second = await project.run('build');
  }, 180_000);
  afterAll(async () => {
    await project.cleanup();
  });

  it('both builds succeed', () => {
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
  });

  it("the built-in table sends the project's postgres__create_table_as", async () => {
    expect(await fillfactor('plain_table')).toBe('fillfactor=70');
  });

  it("a contracted table is built by the project's create_table_as, with the contract's columns and constraints", async () => {
    expect(await fillfactor('contracted')).toBe('fillfactor=80');
    const columns = await project.sql(`select column_name, data_type, is_nullable from information_schema.columns where table_schema = '${project.schema}' and table_name = 'contracted' order by ordinal_position`);
    expect(columns).toEqual([
      { column_name: 'id', data_type: 'integer', is_nullable: 'NO' },
      { column_name: 'name', data_type: 'text', is_nullable: 'YES' },
    ]);
    expect(await project.sql(`select id, name from "${project.schema}".contracted`)).toEqual([{ id: 1, name: 'x' }]);
    // A hook's get_table_columns_and_constraints() is the adapter's column list for the contract.
    const copy = await project.sql(`select column_name, data_type, is_nullable from information_schema.columns where table_schema = '${project.schema}' and table_name = 'contract_copy' order by ordinal_position`);
    expect(copy).toEqual(columns);
  });

  it("an incremental model's first build (on a seed) sends it too", async () => {
    // The table from_seed was created by the first build and kept by the second (an incremental run).
    expect(await fillfactor('from_seed')).toBe('fillfactor=70');
    expect(await rows('from_seed')).toEqual(['1:a', '2:B', '3:c']);
  });

  it("a table's indexes come from the project's get_create_index_sql", async () => {
    const found = await project.sql(`select indexname, indexdef from pg_indexes where schemaname = '${project.schema}' and tablename = 'indexed'`);
    expect(found.map((r) => r.indexname)).toEqual(['indexed_custom_idx']);
    expect(String(found[0]?.indexdef)).toMatch(/fillfactor='?50/);
  });

  it("a package's default__get_merge_sql is found through dispatch's search_order", async () => {
    expect(await rows('merged')).toEqual(['1:a', '2:B', '3:c']);
    // The audit row is the package's: one merge, of the three rows of the second build.
    expect((await project.sql(`select batch_rows from "${project.schema}".merge_audit`)).map((r) => Number(r.batch_rows))).toEqual([3]);
  });

  it('a custom strategy get_incremental_insert_only_sql applies the batch', async () => {
    // id 2 keeps its first value: insert_only never updates.
    expect(await rows('insert_only')).toEqual(['1:a', '2:b', '3:c']);
  });

  it("a data test's summary is the project's get_test_sql", () => {
    const result = second.results.find((r) => r.unique_id.startsWith('test.demo.accepted_values_plain_table_id'));
    // A warn-severity test that found a row warns, with the failures the project's summary counted
    // (tenfold); a passing test would report 0 failures, as dbt's build_test_run_result does.
    expect(result).toMatchObject({ status: 'warn', failures: 10 });
  });

  it("a unit test's rows are compared through the project's get_unit_test_sql", () => {
    expect(second.results.find((r) => r.unique_id === 'unit_test.demo.from_seed.from_seed_upper')).toMatchObject({ status: 'pass' });
  });

  it("a seed's table comes from the project's create_csv_table, with tsdbt's column types", async () => {
    expect(await fillfactor('raw_events')).toBe('fillfactor=60');
    const types = await project.sql(`select column_name, data_type from information_schema.columns where table_schema = '${project.schema}' and table_name = 'raw_events' order by ordinal_position`);
    expect(types).toEqual([{ column_name: 'id', data_type: 'integer' }, { column_name: 'v', data_type: 'text' }]);
  });

  it("a seed refilled in place is emptied by the project's truncate_relation", async () => {
    expect(await rows('raw_events')).toEqual(['1:a', '2:B', '3:c']);
    expect((await project.sql(`select name from "${project.schema}".truncate_audit`)).map((r) => r.name)).toEqual(['raw_events']);
  });

  it("a snapshot's time and hash come from the project's snapshot_get_time and snapshot_hash_arguments", async () => {
    const versions = await project.sql(
      `select id, v, to_char(dbt_valid_from, 'YYYY-MM-DD HH24:MI:SS') as valid_from,
              dbt_scd_id = md5('tsdbt:' || coalesce(cast(id as varchar), '') || '|' || coalesce(cast(dbt_updated_at as varchar), '')) as custom_hash
       from "${project.schema}".snap order by id, v`,
    );
    expect(versions.map((r) => `${String(r.id)}:${String(r.v)}:${String(r.valid_from)}:${String(r.custom_hash)}`)).toEqual([
      '1:a:2030-01-02 03:04:05:true',
      '2:B:2030-01-02 03:04:05:true',
      '2:b:2030-01-02 03:04:05:true',
      '3:c:2030-01-02 03:04:05:true',
    ]);
  });

  it("a snapshot's changes are applied by the project's snapshot_merge_sql, from dbt's staging table", async () => {
    // The second build: id 2 changed (its current version closed, a new one inserted), id 3 is new.
    const audit = await project.sql(`select change_type, n from "${project.schema}".snapshot_audit where snapshot = 'snap' order by change_type`);
    expect(audit).toEqual([{ change_type: 'insert', n: 2 }, { change_type: 'update', n: 1 }]);
    const open = await project.sql(`select id, v from "${project.schema}".snap where dbt_valid_to is null order by id`);
    expect(open.map((r) => `${String(r.id)}:${String(r.v)}`)).toEqual(['1:a', '2:B', '3:c']);
  });

  it('sql_header runs before the create statement, in its transaction', async () => {
    const [row] = await project.sql(`select doubled, tz from "${project.schema}".with_header`);
    expect(row).toEqual({ doubled: 42, tz: 'Asia/Tokyo' });
    // `set local` ended with the build's transaction: the view built with its own header is there.
    expect(await project.sql(`select id from "${project.schema}".header_view`)).toEqual([{ id: 1 }]);
    // dbt's docs: models and snapshots; the snapshot's second run stages its query with the header too.
    const snapped = await project.sql(`select id, tripled from "${project.schema}".headed_snap where dbt_valid_to is null order by id`);
    expect(snapped).toEqual([{ id: 1, tripled: 3 }, { id: 2, tripled: 6 }, { id: 3, tripled: 9 }]);
  });
});

describe('without dispatch configured, a package cannot replace dbt\'s merge', () => {
  let project: WarehouseProject;
  beforeAll(() => {
    project = warehouseProject('pglite', { ...FILES, 'dbt_project.yml': FILES['dbt_project.yml']?.replace(/dispatch:[\s\S]*$/, '') ?? '' });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  it("dbt's own merge applies the batch and the package's audit stays empty", async () => {
    expect(await deps(project.dir)).toBe(0);
    const first = await project.run('build');
    expect(first.code, first.output).toBe(0);
    project.write('seeds/raw_events.csv', 'id,v\n1,a\n2,B\n3,c\n');
    const out = await project.run('build');
    expect(out.code, out.output).toBe(0);
    expect((await project.sql(`select id, v from "${project.schema}".merged order by id`)).map((r) => `${String(r.id)}:${String(r.v)}`)).toEqual(['1:a', '2:B', '3:c']);
    expect(await project.sql(`select batch_rows from "${project.schema}".merge_audit`)).toEqual([]);
  });
});

describe('a ClickHouse building block, on chDB', () => {
  let project: WarehouseProject;
  beforeAll(() => {
    project = warehouseProject('chdb', {
      'macros/create_table_as.sql': `{% macro clickhouse__create_table_as(temporary, relation, sql) -%}
  create table {{ relation }} engine = Log as {{ sql }}
{%- endmacro %}
`,
      'models/logged.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 2 as id\n",
      // A project's insert_overwrite: appends the batch instead of replacing its partitions.
      'macros/insert_overwrite.sql': `{% macro get_incremental_insert_overwrite_sql(arg_dict) -%}
  insert into {{ arg_dict['target_relation'] }} select * from {{ arg_dict['temp_relation'] }}
{%- endmacro %}
`,
      'models/overwritten.sql': "{{ config(materialized='incremental', incremental_strategy='insert_overwrite', partition_by='p', order_by='id') }}\nselect 1 as id, 1 as p\n",
      // dbt's create_table_as called from a template sends the adapter's statement: the engine from the config.
      'models/engined.sql': [
        "{{ config(materialized='view', engine='TinyLog',",
        "   post_hook=\"{% do run_query(dbt.default__create_table_as(False, this.incorporate(path={'identifier': 'engined_copy'}), 'select 7 as x')) %}\") }}",
        'select 1 as id',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await project.cleanup();
  });

  it("the built-in table sends the project's clickhouse__create_table_as", async () => {
    const out = await project.run('build');
    expect(out.code, out.output).toBe(0);
    expect(await project.sql(`select engine from system.tables where database = '${project.schema}' and name = 'logged'`)).toEqual([{ engine: 'Log' }]);
    expect((await project.sql(`select count() as n from \`${project.schema}\`.logged`)).map((r) => Number(r.n))).toEqual([2]);
  });

  it("a project's get_incremental_insert_overwrite_sql applies the batch instead of the partition swap", async () => {
    const again = await project.run('run', { select: ['overwritten'] });
    expect(again.code, again.output).toBe(0);
    // The built-in would replace partition 1 (one row); the project's macro appended.
    expect((await project.sql(`select count() as n from \`${project.schema}\`.overwritten`)).map((r) => Number(r.n))).toEqual([2]);
  });

  it("a template's create_table_as gets the adapter's statement, engine from the model's config", async () => {
    expect(await project.sql(`select engine from system.tables where database = '${project.schema}' and name = 'engined_copy'`)).toEqual([{ engine: 'TinyLog' }]);
    expect(await project.sql(`select x from \`${project.schema}\`.engined_copy`)).toEqual([{ x: 7 }]);
  });
});
