// A data test's summary row read as dbt reads it (TestResultData.convert_bool_type and
// build_test_run_result): should_warn / should_error as text go through Python's strtobool
// ('y', 'on', '1' are true; anything unknown is dbt's BooleanError, the test errors), and a
// passing test reports 0 failures whatever its thresholds let through. A project's get_test_sql
// chooses the values (dbt's functional tests TestDefaultBoolType / TestNonBoolType do the same).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/rows.sql': 'select 1 as id union all select 2 union all select null\n',
  'models/_models.yml': [
    'version: 2',
    'models:',
    '  - name: rows',
    '    columns:',
    '      - name: id',
    '        data_tests:',
    '          - unique',
    '          - not_null',
    "          - not_null: {name: tolerated_null, config: {error_if: '>1', warn_if: '>1'}}",
    '',
  ].join('\n'),
  'macros/get_test_sql.sql': `{% macro get_test_sql(main_sql, fail_calc, warn_if, error_if, limit) -%}
select {{ fail_calc }} as failures,
  case when {{ fail_calc }} {{ warn_if }} then '{{ var("t") }}' else '{{ var("f") }}' end as should_warn,
  case when {{ fail_calc }} {{ error_if }} then '{{ var("t") }}' else '{{ var("f") }}' end as should_error
from ({{ main_sql }}) dbt_internal_test
{%- endmacro %}
`,
};

describe('data test summary flags', () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    expect((await p.run('run', { vars: '{t: "y", f: "n"}' })).code).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  const outcome = async (vars: string): Promise<Record<string, string>> => {
    const out = await p.run('test', { vars });
    return Object.fromEntries(out.results.map((r): [string, string] => [r.unique_id.split('.')[2] ?? r.unique_id, `${r.status} ${String(r.failures)}`]));
  };

  it.each([['{t: "y", f: "n"}'], ['{t: "On", f: "OFF"}'], ['{t: 1, f: 0}']])('reads %s as booleans; a passing test reports 0 failures', async (vars) => {
    const got = await outcome(vars);
    expect(got).toMatchObject({ unique_rows_id: 'pass 0', not_null_rows_id: 'fail 1', tolerated_null: 'pass 0' });
  });

  it("fails the test with dbt's BooleanError on a value that is no boolean", async () => {
    const out = await p.run('test', { vars: '{t: x, f: x}' });
    expect(out.code).toBe(1);
    expect(out.results.map((r) => r.status)).toEqual(['error', 'error', 'error']);
    expect(out.output).toContain("Macro 'get_test_sql' returns 'x'.  It is not type 'bool' and cannot not be converted reliably to a bool.");
  });
});
