// dbt-adapters implements the adapter methods templates call to change or read relations by
// running a macro by name: `adapter.truncate_relation(r)` is `execute_macro('truncate_relation')`,
// likewise drop_relation, rename_relation, alter_column_type, get_columns_in_relation,
// create_schema, drop_schema, list_relations_without_caching, check_schema_exists. The macro is
// found with `find_macro_by_name` (the root project's, then an installed package's, then dbt's
// own, which dispatches, so a project's `postgres__<name>` applies). So a template's
// `adapter.<method>()` honours a project's or package's replacement, as seeds' truncates do.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

const log = (what: string) => `{% call statement('guard_log') %}insert into {{ target.schema }}.guard_log values ('${what}'){% endcall %}`;

describe('adapter methods run the macro of their name', () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'packages.yml': 'packages:\n  - local: vendor/guard\n',
    'dbt_packages/guard/dbt_project.yml': 'name: guard\nversion: "1.0.0"\nconfig-version: 2\n',
    // A package's own macros of dbt's names (dbt_constraints' habit).
    'dbt_packages/guard/macros/guard.sql': [
      '{% macro drop_relation(relation) %}',
      `  ${log('drop {{ relation.identifier }}')}`,
      "  {{ return(adapter.dispatch('drop_relation')(relation)) }}",
      '{% endmacro %}',
      '{% macro get_columns_in_relation(relation) %}',
      `  ${log('columns {{ relation.identifier }}')}`,
      "  {{ return(adapter.dispatch('get_columns_in_relation', 'dbt')(relation)) }}",
      '{% endmacro %}',
    ].join('\n'),
    // The root project's dispatch implementations of dbt's macros.
    'macros/overrides.sql': [
      '{% macro postgres__truncate_relation(relation) %}',
      `  ${log('truncate {{ relation.identifier }}')}`,
      '  {{ return(default__truncate_relation(relation)) }}',
      '{% endmacro %}',
      '{% macro postgres__alter_column_type(relation, column_name, new_column_type) %}',
      `  ${log('alter {{ relation.identifier }}.{{ column_name }} {{ new_column_type }}')}`,
      '  {{ return(default__alter_column_type(relation, column_name, new_column_type)) }}',
      '{% endmacro %}',
      // Read the way dbt's adapter reads what the macro returns: an agate table of relations, of counts.
      '{% macro postgres__list_relations_without_caching(schema_relation) %}',
      "  {% call statement('listed', fetch_result=True) %}select '{{ schema_relation.database }}' as database, tablename as name, schemaname as schema, 'table' as type from pg_tables where schemaname = '{{ schema_relation.schema }}' and tablename = 'guard_log'{% endcall %}",
      "  {{ return(load_result('listed').table) }}",
      '{% endmacro %}',
      '{% macro postgres__check_schema_exists(information_schema, schema) %}',
      "  {% call statement('found', fetch_result=True) %}select 1 as n{% endcall %}",
      "  {{ return(load_result('found').table) }}",
      '{% endmacro %}',
      '{% macro postgres__create_schema(relation) %}',
      `  ${log('create schema {{ relation.schema }}')}`,
      '  {{ return(default__create_schema(relation)) }}',
      '{% endmacro %}',
    ].join('\n'),
    'models/exercise.sql': [
      '{% if execute %}',
      "  {% set t1 = api.Relation.create(database=this.database, schema=this.schema, identifier='t1', type='table') %}",
      "  {% set t2 = api.Relation.create(database=this.database, schema=this.schema, identifier='t2', type='table') %}",
      "  {% set wide = api.Relation.create(database=this.database, schema=this.schema, identifier='wide', type='table') %}",
      "  {% do run_query('create table ' ~ this.schema ~ '.guard_log (what text)') %}",
      "  {% do run_query('create table ' ~ t1 ~ ' (a varchar(5)); insert into ' ~ t1 ~ \" values ('x')\") %}",
      "  {% do run_query('create table ' ~ wide ~ ' (a varchar(30))') %}",
      '  {% set columns = adapter.get_columns_in_relation(t1) %}',
      '  {% do adapter.truncate_relation(t1) %}',
      '  {% do adapter.expand_target_column_types(wide, t1) %}',
      '  {% do adapter.rename_relation(t1, t2) %}',
      '  {% do adapter.drop_relation(t2) %}',
      "  {% do adapter.create_schema(api.Relation.create(database=this.database, schema=this.schema ~ '_extra')) %}",
      '{% endif %}',
      "select '{{ columns | map(attribute=\"name\") | join(\",\") if execute else \"\" }}' as seen",
    ].join('\n'),
    'models/listing.sql': [
      "-- depends_on: {{ ref('exercise') }}",
      '{% if execute %}',
      '  {% set listed = adapter.list_relations_without_caching(api.Relation.create(database=this.database, schema=this.schema)) %}',
      "  {% set found = adapter.check_schema_exists(this.database, 'no_such_schema') %}",
      '{% endif %}',
      "select '{{ listed | map(attribute=\"identifier\") | join(\",\") if execute else \"\" }}' as names, '{{ listed[0].type if execute else \"\" }}' as kind, '{{ found if execute else \"\" }}' as found",
    ].join('\n'),
  });
  afterAll(() => project.cleanup());

  it("reaches a package's macro of the name, and a project's dispatch implementation through dbt's", async () => {
    const result = await project.run('run');
    expect(result.code, result.output).toBe(0);
    expect((await project.sql(`select what from "${project.schema}".guard_log`)).map((r) => r.what)).toEqual([
      'columns t1',
      'truncate t1',
      // expand_target_column_types reads both relations' columns and widens through alter_column_type.
      'columns wide',
      'columns t1',
      'alter t1.a character varying(30)',
      'drop t2',
      `create schema ${project.schema}_extra`,
    ]);
    expect(await project.sql(`select seen from "${project.schema}".exercise`)).toEqual([{ seen: 'a' }]);
    expect(await project.sql(`select names, kind, found from "${project.schema}".listing`)).toEqual([{ names: 'guard_log', kind: 'table', found: 'True' }]);
    expect(await project.sql(`select count(*)::int as n from information_schema.tables where table_schema = '${project.schema}' and table_name in ('t1', 't2')`)).toEqual([{ n: 0 }]);
    expect(await project.sql(`select count(*)::int as n from information_schema.schemata where schema_name = '${project.schema}_extra'`)).toEqual([{ n: 1 }]);
  });
});
