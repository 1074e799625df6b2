// A project's own `seed` and `test` materializations, used as dbt uses them (dbt looks the
// materialization up by name and adapter for every node type, project > package > core):
// - `{% materialization seed, default %}` builds each seed, its CSV from dbt's load_agate_table();
// - `{% materialization test, adapter='postgres' %}` runs each data test, whose status dbt reads from
//   statement('main')'s one row (failures, should_warn, should_error) and the test's severity.
// A test materialization may wrap the built-in (dbt.materialization_test_default()) and read its main row;
// a statement('main') it runs after the built-in is the one dbt's TestRunner reads.
// Both fail without the change: tsdbt ran its built-in seed and test materializations (the seed's
// table had the CSV's columns; the not_null test failed with 1 failure instead of warning with 10).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'seeds/colors.csv': 'id,name\n1,red\n2,\n3,blue\n',
  'models/shades.sql': "select 1 as id, 'red' as name union all select 2, null\n",
  'models/properties.yml': `models:
  - name: shades
    columns:
      - name: name
        tests: [not_null, {accepted_values: {values: [blue]}}]
`,
  'macros/seed_materialization.sql': `{% materialization seed, default %}
  {%- set agate_table = load_agate_table() -%}
  {%- set target_relation = this.incorporate(type='table') -%}
  {% call statement('main') -%}
    drop table if exists {{ target_relation }};
    create table {{ target_relation }} as
    select {{ agate_table.rows | length }} as row_count, '{{ agate_table.column_names | join(",") }}'::text as header
  {%- endcall %}
  {% do adapter.commit() %}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`,
  'tests/always_fails.sql': 'select 1 as x\n',
  'tests/yes_no.sql': 'select 1 as x\n',
  'macros/test_materialization.sql': `{% materialization test, adapter='postgres' %}
  {% if model.name in ['always_fails', 'yes_no'] %}
    {% do dbt.materialization_test_default() %}
    {% call statement('main', fetch_result=True) -%}
      {%- if model.name == 'yes_no' %}select 3 as failures, 'yes' as should_warn, 'no' as should_error
      {%- else %}select 0 as failures, false as should_warn, false as should_error{% endif %}
    {%- endcall %}
    {{ return({'relations': []}) }}
  {% endif %}
  {% if 'accepted_values' in model.name %}
    {% set built = dbt.materialization_test_default() %}
    {% do log('wrapped main: ' ~ (load_result('main').table.rows[0].values() | list), info=True) %}
    {{ return(built) }}
  {% endif %}
  {% call statement('main', fetch_result=True) -%}
    select count(*) * 10 as failures, count(*) > 0 as should_warn, false as should_error
    from ({{ sql }}) dbt_internal_test
  {%- endcall %}
  {{ return({'relations': []}) }}
{% endmaterialization %}
`,
};

describe("a project's own seed and test materializations (PGlite)", () => {
  let project: WarehouseProject;
  let seeded: RunOutcome;
  let tested: RunOutcome;
  beforeAll(async () => {
    project = warehouseProject('pglite', FILES);
    seeded = await project.run('seed');
    const built = await project.run('run');
    expect(built.code, built.output).toBe(0);
    tested = await project.run('test');
  }, 300_000);
  afterAll(async () => project.cleanup());

  it('builds the seed with the project materialization, from load_agate_table()', async () => {
    expect(seeded.code, seeded.output).toBe(0);
    expect(await project.sql(`select row_count, header from ${project.schema}.colors`)).toEqual([{ row_count: 3, header: 'id,name' }]);
  });

  it("runs the data test with the project materialization, its status read from main's row", () => {
    const result = tested.results.find((r) => r.unique_id.startsWith('test.demo.not_null_shades_name'));
    expect(result, tested.output).toMatchObject({ status: 'warn', failures: 10 });
  });

  it("may wrap the built-in as dbt.materialization_test_default(), whose main row it reads as dbt's", () => {
    const result = tested.results.find((r) => r.unique_id.startsWith('test.demo.accepted_values_shades_name'));
    expect(result, tested.output).toMatchObject({ status: 'fail', failures: 1 });
    expect(tested.output).toContain('wrapped main: [1, True, True]');
  });

  it("reads the last statement('main'): the macro's own, run after the built-in's", () => {
    // The built-in fails always_fails (1 row); the macro's main then says 0 failures: dbt passes it.
    expect(tested.results.find((r) => r.unique_id === 'test.demo.always_fails'), tested.output).toMatchObject({ status: 'pass', failures: 0 });
    // should_warn / should_error read as dbt's strtobool reads text ('yes' is true, 'no' false).
    expect(tested.results.find((r) => r.unique_id === 'test.demo.yes_no'), tested.output).toMatchObject({ status: 'warn', failures: 3 });
  });
});
