// dbt's `adapter.get_columns_in_relation(relation)` runs the macro of that name (execute_macro), so a
// project's `postgres__get_columns_in_relation` answers wherever dbt's materializations read
// columns: on_schema_change's check_for_schema_changes (with dbt-adapters' guard for a staging
// relation whose columns cannot be read), the incremental fallback to the target's columns, and
// persist_docs. Here the project's macro sees no columns in the staging relation (any name with
// `__`), as on a warehouse whose catalog cannot see it (dbt-labs/dbt-adapters#1947); on PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const COLUMNS_MACRO = `{% macro postgres__get_columns_in_relation(relation) -%}
  {% if '__' in (relation.identifier or '') %}{{ return([]) }}{% endif %}
  {% call statement('get_columns_in_relation', fetch_result=True) %}
      select column_name, data_type, character_maximum_length, numeric_precision, numeric_scale
      from {{ relation.information_schema('columns') }}
      where table_name = '{{ relation.identifier }}' and table_schema = '{{ relation.schema }}'
        and column_name <> 'hidden'
      order by ordinal_position
  {% endcall %}
  {{ return(sql_convert_columns_in_relation(load_result('get_columns_in_relation').table)) }}
{%- endmacro %}`;

const model = (onSchemaChange: string) => `{{ config(materialized='incremental', unique_key='id', on_schema_change='${onSchemaChange}') }}
select 1 as id, 'a' as field_1
{% if var('more', false) %}union all select 2 as id, 'b' as field_1{% endif %}
`;

const columnsOf = async (p: WarehouseProject, table: string) =>
  (await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = '${table}' order by ordinal_position`)).map((r) => r.column_name);

describe("a project's postgres__get_columns_in_relation in the built-in materializations", () => {
  let p: WarehouseProject;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'macros/columns.sql': COLUMNS_MACRO,
      'models/synced.sql': model('sync_all_columns'),
      'models/strict.sql': model('fail'),
      'models/appended.sql': model('append_new_columns'),
      'models/documented.sql': "{{ config(materialized='table', persist_docs={'columns': true}) }}\nselect 1 as id, 2 as hidden\n",
      'models/documented.yml': 'models:\n  - name: documented\n    columns:\n      - name: id\n        description: the id\n      - name: hidden\n        description: not seen by the macro\n',
    });
    const first = await p.run('run');
    expect(first.code, first.output).toBe(0);
    second = await p.run('run', { vars: '{more: true}' });
  }, 300_000);
  afterAll(() => p.cleanup());

  const result = (name: string) => second.results.find((r) => r.unique_id === `model.demo.${name}`);

  it('refuses sync_all_columns with dbt-adapters\' message and drops no column', async () => {
    expect(result('synced')?.status, second.output).toBe('error');
    expect(result('synced')?.message).toContain('Could not read any columns for');
    expect(result('synced')?.message).toContain('This is a metadata failure rather than an empty schema');
    expect(await columnsOf(p, 'synced')).toEqual(['id', 'field_1']);
  });

  it('reports the metadata failure for fail, not an out-of-sync schema', () => {
    expect(result('strict')?.status, second.output).toBe('error');
    expect(result('strict')?.message).toContain('Could not read any columns for');
    expect(result('strict')?.message).not.toContain('out of sync');
  });

  it("warns for append_new_columns and inserts with the target's columns", async () => {
    expect(result('appended')?.status, second.output).toBe('success');
    expect(second.output).toContain("Continuing, because on_schema_change='append_new_columns' never drops columns");
    expect(await p.sql(`select id, field_1 from "${p.schema}".appended order by id`)).toEqual([
      { id: 1, field_1: 'a' },
      { id: 2, field_1: 'b' },
    ]);
  });

  it('comments only the columns the macro reports (persist_docs)', async () => {
    const comments = await p.sql(
      `select a.attname as name, col_description(a.attrelid, a.attnum) as comment from pg_attribute a where a.attrelid = '"${p.schema}".documented'::regclass and a.attnum > 0 order by a.attnum`,
    );
    expect(comments).toEqual([
      { name: 'id', comment: 'the id' },
      { name: 'hidden', comment: null },
    ]);
  });
});
