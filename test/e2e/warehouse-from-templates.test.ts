// Templates that talk to the warehouse while they render, as dbt documents it: run_query with its
// agate-like table, `{% call statement(..., fetch_result=True) %}` with load_result, the adapter
// methods (get_relation, get_columns_in_relation, list_relations_without_caching, drop_relation,
// create_schema, rename_relation, expand_target_column_types, get_missing_columns),
// api.Relation.create / api.Column, and information_schema queries with `like`.
import { describe, expect, it } from 'vitest';
import { WAREHOUSES, builtOnce } from '../support/warehouse-project.js';

export const FILES: Record<string, string> = {
  'seeds/people.csv': 'id,name,city\n1,Ada,London\n2,Grace,New York\n3,Alan,London\n4,Edsger,Austin\n',
  'seeds/_seeds.yml': 'seeds:\n  - name: people\n    config:\n      column_types: {name: varchar(10), city: varchar(40)}\n',
  'models/city_list.sql': [
    '{% set cities = run_query("select city, count(*) as n from " ~ ref("people") ~ " group by city order by city") %}',
    "{{ log('city_list rendered, execute ' ~ execute, info=True) }}",
    '{% if execute %}',
    '  {% set names = cities.columns[0].values() %}',
    "  {% set first = cities.rows[0] %}",
    "  select '{{ names | join(\",\") }}' as cities, {{ cities.rows | length }} as n_rows,",
    "         '{{ cities.column_names | join(\",\") }}' as cols, '{{ first[\"city\"] }}:{{ first[1] }}' as first_row,",
    "         {{ cities.columns['n'].values() | sum }} as total",
    '{% else %}',
    "  select '' as cities, 0 as n_rows, '' as cols, '' as first_row, 0 as total",
    '{% endif %}',
  ].join('\n'),
  'models/statement_model.sql': [
    "{% call statement('counts', fetch_result=True) %}",
    "  select count(*) as n, max(name) as last_name from {{ ref('people') }}",
    '{% endcall %}',
    "{% set result = load_result('counts') %}",
    "{% call statement('side_effect') %}create table if not exists {{ this.schema }}.statement_side_effect as select 1 as one{% endcall %}",
    '{% if execute %}',
    "select {{ result['data'][0][0] }} as n, '{{ result.table.rows[0]['last_name'] }}' as last_name, '{{ result.response.code }}' as code",
    '{% else %}select 0 as n, null as last_name, null as code{% endif %}',
  ].join('\n'),
  'models/introspect.sql': [
    "{% set people = ref('people') %}",
    '{% set found = adapter.get_relation(database=people.database, schema=people.schema, identifier="people") %}',
    "{% set missing = adapter.get_relation(people.database, people.schema, 'no_such_table') %}",
    '{% set cols = adapter.get_columns_in_relation(people) %}',
    '{% set listed = adapter.list_relations_without_caching(people.without_identifier()) %}',
    "{% set made = api.Relation.create(database=people.database, schema=people.schema, identifier='people', type='table') %}",
    "{% set col = api.Column('amount', 'numeric', numeric_precision=10, numeric_scale=2) %}",
    '{% if execute %}',
    "select '{{ found.identifier }}' as found, {{ found.is_table }} as is_table, {{ missing is none }} as missing_is_none,",
    "       '{% for c in cols %}{{ c.name }}:{{ c.data_type }}{% if not loop.last %},{% endif %}{% endfor %}' as columns,",
    "       {{ 'people' in (listed | map(attribute='identifier') | list) }} as listed_people,",
    "       '{{ made.render() == people.render() }}' as same_render,",
    "       '{{ made.include(database=false).render() }}' as without_database,",
    "       '{{ col.data_type }}' as api_column",
    "{% else %}select null as found{% endif %}",
  ].join('\n'),
  'models/schema_like.sql': [
    "-- depends_on: {{ ref('people') }}",
    "{% set q %}select table_name from information_schema.tables where table_schema = '{{ target.schema }}' and table_name like 'peo%' order by table_name{% endset %}",
    '{% set tables = run_query(q) %}',
    "select '{{ tables.columns[0].values() | join(\",\") if execute else '' }}' as matched",
  ].join('\n'),
  'models/relation_methods.sql': [
    "{% set r = ref('people') %}",
    "{% call noop_statement('noop', message='NOOP 7', code='NOOP', rows_affected=7) %}select 1{% endcall %}",
    "{% set noop = load_result('noop') %}",
    "select '{{ r.identifier }}' as identifier, '{{ r.schema == target.schema }}' as schema_is_target, '{{ r.database == target.database }}' as database_is_target,",
    "       '{{ r.include(database=false, schema=false) }}' as only_identifier,",
    "       '{{ r.replace_path(identifier=\"other\").render() == r.render().replace(\"people\", \"other\") }}' as replaced,",
    "       '{{ r.incorporate(path={\"schema\": \"s2\"}, type=\"view\").include(database=false) }}' as incorporated,",
    "       {{ r.incorporate(type='view').is_view }} as incorporated_is_view,",
    "       {{ r.is_table }} as is_table, {{ r.is_view }} as is_view,",
    "       '{{ noop.response.code if execute else \"\" }}' as noop_code, {{ noop.response.rows_affected if execute else 0 }} as noop_rows",
  ].join('\n'),
  // Each statement runs once although the model renders once per question; the clock a render
  // reads stays put while it repeats.
  'models/counted.sql': [
    "{% do run_query('create table if not exists ' ~ this.schema ~ '.calls (v text)') %}",
    "{% call statement('a') %}insert into {{ this.schema }}.calls values ('a'){% endcall %}",
    "{% set seen = run_query('select count(*) as n from ' ~ this.schema ~ '.calls') %}",
    "{% set stamp = modules.datetime.datetime.now().isoformat() %}",
    "{% do run_query(\"select '\" ~ stamp ~ \"' as stamp\") %}",
    "{% call statement('b') %}insert into {{ this.schema }}.calls values ('b'){% endcall %}",
    "select {{ seen.rows[0][0] if execute else 0 }} as seen",
  ].join('\n'),
  // Hooks that change the warehouse: run in order, after the model is built.
  'models/hooked.sql': [
    '{{ config(',
    '    pre_hook=[',
    '        "create table if not exists {{ this.schema }}.scratch (x int)",',
    '        "create table if not exists {{ this.schema }}.narrow (code varchar(5))",',
    '        "create table if not exists {{ this.schema }}.wide (code varchar(50), extra int)",',
    '        "create table if not exists {{ this.schema }}.to_rename (x int)",',
    '    ],',
    '    post_hook=[',
    "        \"{% do adapter.drop_relation(api.Relation.create(database=this.database, schema=this.schema, identifier='scratch', type='table')) %}\",",
    "        \"{% do adapter.create_schema(api.Relation.create(database=this.database, schema=this.schema ~ '_extra')) %}\",",
    "        \"{% do adapter.expand_target_column_types(from_relation=this.incorporate(path={'identifier': 'wide'}), to_relation=this.incorporate(path={'identifier': 'narrow'})) %}\",",
    "        \"{% do adapter.rename_relation(this.incorporate(path={'identifier': 'to_rename'}, type='table'), this.incorporate(path={'identifier': 'renamed'}, type='table')) %}\",",
    "        \"create table {{ this.schema }}.missing_columns as select '{{ adapter.get_missing_columns(this.incorporate(path={'identifier': 'wide'}), this.incorporate(path={'identifier': 'narrow'})) | map(attribute='name') | join(',') }}' as names\",",
    '    ]',
    ') }}',
    'select 1 as built',
  ].join('\n'),
};

describe.each(WAREHOUSES)('templates reaching the warehouse on %s', (kind) => {
  const built = builtOnce(kind, FILES, ['_extra']);

  it('builds every node', () => {
    expect(built.out.code, built.out.output).toBe(0);
    expect(built.out.results.map((r) => r.status)).toEqual(built.out.results.map(() => 'success'));
  });

  it('run_query returns a table with columns, rows, column_names and values()', async () => {
    expect(await built.project.sql(`select * from "${built.project.schema}".city_list`)).toEqual([
      { cities: 'Austin,London,New York', n_rows: 3, cols: 'city,n', first_row: 'Austin:1', total: 4 },
    ]);
  });

  it('prints a log line once, although the model rendered once per query', () => {
    expect(built.out.output.match(/city_list rendered, execute True/g)).toHaveLength(1);
    // And once while parsing, as dbt's parse render prints it.
    expect(built.out.output.match(/city_list rendered, execute False/g)).toHaveLength(1);
  });

  it('statement with fetch_result stores a result load_result returns; without it, it just runs', async () => {
    expect(await built.project.sql(`select * from "${built.project.schema}".statement_model`)).toEqual([{ n: 4, last_name: 'Grace', code: 'SELECT' }]);
    expect(await built.project.sql(`select one from "${built.project.schema}".statement_side_effect`)).toEqual([{ one: 1 }]);
  });

  it('adapter.get_relation, get_columns_in_relation, list_relations_without_caching, api.Relation and api.Column', async () => {
    expect(await built.project.sql(`select * from "${built.project.schema}".introspect`)).toEqual([
      {
        found: 'people',
        is_table: true,
        missing_is_none: true,
        columns: 'id:integer,name:character varying(10),city:character varying(40)',
        listed_people: true,
        same_render: 'True',
        without_database: `"${built.project.schema}"."people"`,
        api_column: 'numeric(10,2)',
      },
    ]);
  });

  it('runs each statement once and keeps the clock still while a render repeats', async () => {
    expect(await built.project.sql(`select v from "${built.project.schema}".calls order by v`)).toEqual([{ v: 'a' }, { v: 'b' }]);
    expect(await built.project.sql(`select seen from "${built.project.schema}".counted`)).toEqual([{ seen: 1 }]);
  });

  it('relation methods and noop_statement', async () => {
    expect(await built.project.sql(`select * from "${built.project.schema}".relation_methods`)).toEqual([
      {
        identifier: 'people',
        schema_is_target: 'True',
        database_is_target: 'True',
        only_identifier: '"people"',
        replaced: 'True',
        incorporated: '"s2"."people"',
        incorporated_is_view: true,
        is_table: true,
        is_view: false,
        noop_code: 'NOOP',
        noop_rows: 7,
      },
    ]);
  });

  it('information_schema queries with like', async () => {
    expect(await built.project.sql(`select matched from "${built.project.schema}".schema_like`)).toEqual([{ matched: 'people' }]);
  });

  it('hooks drop, create, expand, rename and compare relations after the model is built', async () => {
    const tables = (await built.project.sql(`select table_name from information_schema.tables where table_schema = '${built.project.schema}' order by 1`)).map((r) => r.table_name);
    expect(tables).not.toContain('scratch');
    expect(tables).not.toContain('to_rename');
    expect(tables).toContain('renamed');
    expect(await built.project.sql(`select 1 as found from information_schema.schemata where schema_name = '${built.project.schema}_extra'`)).toEqual([{ found: 1 }]);
    expect(await built.project.sql(`select character_maximum_length as size from information_schema.columns where table_schema = '${built.project.schema}' and table_name = 'narrow' and column_name = 'code'`)).toEqual([{ size: 50 }]);
    expect(await built.project.sql(`select names from "${built.project.schema}".missing_columns`)).toEqual([{ names: 'extra' }]);
  });
});
