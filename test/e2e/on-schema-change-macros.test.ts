// dbt's global on_schema_change macros, which materializations written in Jinja call (copies of an
// adapter's incremental materialization): incremental_validate_on_schema_change (an unknown value
// becomes the default), process_schema_changes (`ignore`: nothing; `append_new_columns`: the
// batch's new columns are added; `fail`: a compiler error naming the columns), on PGlite.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

// A user incremental materialization: the batch goes to an intermediate table, schema changes are
// applied with dbt's macros, then the rows are inserted by the table's (possibly new) columns.
const KEEP_UP = `{% materialization keep_up, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {%- set existing = load_cached_relation(this) -%}
  {%- set on_schema_change = incremental_validate_on_schema_change(config.get('on_schema_change'), default='ignore') -%}
  {% if existing is none %}
    {% call statement('main') %}{{ get_create_table_as_sql(False, target_relation, sql) }}{% endcall %}
  {% else %}
    {%- set batch = make_intermediate_relation(target_relation) -%}
    {% do drop_relation_if_exists(batch) %}
    {% call statement('batch') %}{{ get_create_table_as_sql(False, batch, sql) }}{% endcall %}
    {%- do process_schema_changes(on_schema_change, batch, existing) -%}
    {%- set shared = [] -%}
    {%- set batch_names = adapter.get_columns_in_relation(batch) | map(attribute='name') | list -%}
    {%- for c in adapter.get_columns_in_relation(existing) if c.name in batch_names -%}{%- do shared.append(c.name) -%}{%- endfor -%}
    {% call statement('main') %}insert into {{ target_relation }} ({{ shared | join(', ') }}) select {{ shared | join(', ') }} from {{ batch }}{% endcall %}
    {% do adapter.drop_relation(batch) %}
  {% endif %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

const model = (onSchemaChange: string) => `{{ config(materialized='keep_up', on_schema_change='${onSchemaChange}') }}
select 1 as id{% if var('more', false) %}, 'x' as extra{% endif %}
`;

describe('on_schema_change macros in a Jinja materialization', () => {
  let p: WarehouseProject;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'macros/keep_up.sql': KEEP_UP,
      'models/appended.sql': model('append_new_columns'),
      'models/strict.sql': model('fail'),
      'models/unknown.sql': model('nonsense'),
    });
    const first = await p.run('run');
    expect(first.code, first.output).toBe(0);
    second = await p.run('run', { vars: '{more: true}' });
  }, 300_000);
  afterAll(() => p.cleanup());

  it('adds the new column with append_new_columns', async () => {
    expect(second.results.find((r) => r.unique_id === 'model.demo.appended')?.status).toBe('success');
    expect(await p.sql(`select id, extra from "${p.schema}".appended order by extra nulls first`)).toEqual([
      { id: 1, extra: null },
      { id: 1, extra: 'x' },
    ]);
  });

  it('fails with the columns out of sync under fail', () => {
    const strict = second.results.find((r) => r.unique_id === 'model.demo.strict');
    expect(strict?.status).toBe('error');
    expect(strict?.message).toContain('out of sync');
    expect(strict?.message).toContain('extra');
  });

  it('reads an unknown value as ignore and keeps the columns', async () => {
    expect(second.results.find((r) => r.unique_id === 'model.demo.unknown')?.status).toBe('success');
    const columns = await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'unknown' order by column_name`);
    expect(columns).toEqual([{ column_name: 'id' }]);
    expect(await p.sql(`select count(*)::int as n from "${p.schema}".unknown`)).toEqual([{ n: 2 }]);
  });
});
