// `format: sql` unit-test fixtures are compiled as dbt compiles them: Jinja in the inline rows, in
// a fixture file (tests/fixtures/<name>.sql) and in `expect` renders in the test's context, with
// its var overrides, macros and `target` (dbt-audit-helper's struct fixtures call a project macro).
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('unit tests with format: sql fixtures', () => {
  const project = warehouseProject('pglite', {
    'macros/doubled.sql': '{% macro doubled(x) %}({{ x }} * 2){% endmacro %}',
    'models/src.sql': 'select 1 as id, 10 as amount',
    'models/totals.sql': "select id, amount * 10 as total from {{ ref('src') }}",
    'tests/fixtures/src_rows.sql': "select 2 as id, {{ doubled(var('base')) }} as amount {% if target.type == 'postgres' %}union all select 3, 1{% endif %}",
    'models/schema.yml': [
      'unit_tests:',
      '  - name: inline_sql',
      '    model: totals',
      '    overrides: {vars: {base: 4}}',
      '    given:',
      "      - input: ref('src')",
      '        format: sql',
      "        rows: \"select 1 as id, {{ var('base') }} as amount\"",
      '    expect:',
      '      format: sql',
      "      rows: \"select 1 as id, {{ var('base') * 10 }} as total\"",
      '  - name: fixture_file',
      '    model: totals',
      '    overrides: {vars: {base: 5}}',
      '    given:',
      "      - input: ref('src')",
      '        format: sql',
      '        fixture: src_rows',
      '    expect:',
      '      rows:',
      '        - {id: 2, total: 100}',
      '        - {id: 3, total: 10}',
      '',
    ].join('\n'),
  });
  afterAll(() => project.cleanup());

  it('renders the fixtures, so both tests pass on the rows they describe', async () => {
    const run = await project.run('build');
    expect(run.code, run.output).toBe(0);
    const status = Object.fromEntries(run.results.filter((r) => r.unique_id.startsWith('unit_test.')).map((r) => [r.unique_id, r.status]));
    expect(status).toEqual({ 'unit_test.demo.totals.inline_sql': 'pass', 'unit_test.demo.totals.fixture_file': 'pass' });
  });
});
