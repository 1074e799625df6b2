// A unit test's fixtures and expected rows through a project's replacements of dbt's fixture macros,
// as dbt builds them (dbt-core renders `get_fixture_sql(rows, none)` as each input fixture node's SQL;
// the unit materialization calls `get_expected_sql`; both call format_row, safe_cast ...):
// - a project `format_row` that reads a string starting with `=` as a SQL expression (rows given as
//   expressions), used for the inputs and for the expected rows;
// - a project `postgres__validate_fixture_rows` (dbt's validate_fixture_rows dispatches) that refuses
//   an input row without an id;
// - the fixture is rendered as dbt's fixture node: `model.name` is the input's name.
// Each fails without the change: tsdbt built fixtures and expected rows natively, so the `=`
// strings were compared as text and the validation never ran.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'models/people.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'a'::varchar(10) as name\n",
  'models/greeting.sql': "select id, 'hi ' || name as greeting from {{ ref('people') }}\n",
  'macros/format_row.sql': `{%- macro format_row(row, column_name_to_data_types) -%}
  {%- set formatted_row = {} -%}
  {%- for column_name, column_value in row.items() -%}
    {%- set column_name = column_name | lower -%}
    {%- set column_type = column_name_to_data_types[column_name] -%}
    {%- if column_value is string and column_value.startswith('=') -%}
      {%- set clean = column_value[1:] -%}
    {%- elif column_value is string -%}
      {%- set clean = dbt.string_literal(dbt.escape_single_quotes(column_value)) -%}
    {%- elif column_value is none -%}
      {%- set clean = 'null' -%}
    {%- else -%}
      {%- set clean = column_value -%}
    {%- endif -%}
    {%- do formatted_row.update({column_name: safe_cast(clean, column_type)}) -%}
  {%- endfor -%}
  {{ return(formatted_row) }}
{%- endmacro -%}
`,
  'macros/validate.sql': `{%- macro postgres__validate_fixture_rows(rows, row_number) -%}
  {%- for row in rows if row.get('id') is none -%}
    {{ exceptions.raise_compiler_error('fixture row without an id: ' ~ row) }}
  {%- endfor -%}
{%- endmacro -%}
`,
  'models/unit_tests.yml': `unit_tests:
  - name: input_expression
    model: greeting
    given:
      - input: ref('people')
        rows:
          - {id: 1, name: "=upper('bob')"}
    expect:
      rows:
        - {id: 1, greeting: hi BOB}
  - name: expected_expression
    model: greeting
    given:
      - input: ref('people')
        rows:
          - {id: 2, name: "it's"}
    expect:
      rows:
        - {id: 2, greeting: "='hi ' || 'it''s'"}
  - name: row_without_id
    model: greeting
    given:
      - input: ref('people')
        rows:
          - {name: x}
    expect:
      rows:
        - {greeting: hi x}
`,
};

describe("unit tests through a project's fixture macros (PGlite)", () => {
  let project: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    project = warehouseProject('pglite', FILES);
    const built = await project.run('run');
    expect(built.code, built.output).toBe(0);
    out = await project.run('test');
  }, 300_000);
  afterAll(async () => project.cleanup());

  const result = (name: string) => out.results.find((r) => r.unique_id.endsWith(`.${name}`));

  it("the inputs' rows go through the project's format_row (an expression read as SQL)", () => {
    expect(result('input_expression'), out.output).toMatchObject({ status: 'pass' });
  });

  it("the expected rows go through it too (dbt's get_expected_sql)", () => {
    expect(result('expected_expression'), out.output).toMatchObject({ status: 'pass' });
  });

  it("dbt's validate_fixture_rows dispatches to the project's postgres__ implementation", () => {
    expect(result('row_without_id')?.status).toBe('error');
    expect(result('row_without_id')?.message).toContain("fixture row without an id: {'name': 'x'}");
  });

  it("the fixture is rendered as dbt's fixture node, named as its input", () => {
    const dir = path.join(project.dir, 'target', 'compiled', 'demo', 'models', 'unit_tests.yml');
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.includes('input_expression'));
    const compiled = files.map((f) => readFileSync(path.join(dir, f), 'utf8')).join('\n');
    expect(compiled).toContain('-- Fixture for people');
    expect(compiled).toContain("upper('bob')");
  });
});
