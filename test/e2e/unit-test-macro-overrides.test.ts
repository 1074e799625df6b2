// Unit tests' `overrides: macros:` as dbt documents them (docs "Unit tests" > overrides; dbt-core's
// generate_runtime_unit_test_context): any macro can be replaced by a value, which is what a call
// returns — a project macro (also when another macro calls it), a package macro as `pkg.macro`
// (also when the package calls it), and a dbt macro by its bare name or as `dbt.name`; a context
// member that is no macro (`invocation_id`) becomes the value itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_packages/pricing/dbt_project.yml': 'name: pricing\nversion: "1.0"\nconfig-version: 2\n',
  'dbt_packages/pricing/macros/rates.sql': [
    '{% macro discount_rate() %}0.1{% endmacro %}',
    '{% macro discounted(col) %}{{ col }} * (1 - {{ pricing.discount_rate() }}){% endmacro %}',
  ].join('\n'),
  'macros/tax.sql': [
    '{% macro tax_rate() %}{{ return(0.2) }}{% endmacro %}',
    "{% macro net_of_tax(col) %}{{ col }} * (1 - {{ tax_rate() }}){% endmacro %}",
    "{% macro region_label(code) %}'{{ code | upper }}'{% endmacro %}",
  ].join('\n'),
  'models/orders.sql': 'select 100 as amount\n',
  'models/priced.sql': [
    'select amount,',
    "  {{ net_of_tax('amount') }} as net,",
    "  {{ pricing.discounted('amount') }} as discounted,",
    "  {{ region_label('eu') }} as region,",
    '  {{ dbt.current_timestamp() }} as priced_at,',
    '  {{ current_timestamp() }} as also_priced_at,',
    '  {{ dbt.string_literal(invocation_id) }} as run_id',
    "from {{ ref('orders') }}",
  ].join('\n'),
  'models/unit_tests.yml': [
    'unit_tests:',
    '  - name: with_overrides',
    '    model: priced',
    '    overrides:',
    '      macros:',
    '        tax_rate: 0.5',
    '        pricing.discount_rate: 0.25',
    "        region_label: \"'XX'\"",
    "        dbt.current_timestamp: \"cast('2024-06-01 12:00:00' as timestamp)\"",
    '        invocation_id: 123',
    '    given:',
    "      - input: ref('orders')",
    '        rows:',
    '          - {amount: 100}',
    '    expect:',
    '      rows:',
    "        - {amount: 100, net: 50, discounted: 75, region: XX, priced_at: '2024-06-01 12:00:00', also_priced_at: '2024-06-01 12:00:00', run_id: 123}",
    '  - name: without_overrides',
    '    model: priced',
    '    given:',
    "      - input: ref('orders')",
    '        rows:',
    '          - {amount: 100}',
    '    expect:',
    '      rows:',
    '        - {amount: 100, net: 80, discounted: 90, region: EU}',
  ].join('\n'),
};

describe('unit test overrides of project, package and dbt macros (PGlite)', () => {
  let project: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    project = warehouseProject('pglite', FILES);
    // dbt types a fixture from its input's table, so the inputs are built first.
    await project.run('run', { select: ['orders'] });
    out = await project.run('test');
  }, 300_000);
  afterAll(async () => project.cleanup());

  it('returns the overriding value wherever the macro is called', () => {
    const byName = Object.fromEntries(out.results.map((r) => [r.unique_id.split('.').slice(2).join('.'), `${r.status}${r.message ? `: ${r.message}` : ''}`]));
    expect(byName['priced.with_overrides'], out.output).toBe('pass');
    expect(byName['priced.without_overrides'], out.output).toBe('pass');
    expect(out.code, out.output).toBe(0);
  });
});
