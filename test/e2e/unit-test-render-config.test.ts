// A model's code rendered by a unit test sees the unit-test node's config, not the model's: dbt
// builds that node with a fresh UnitTestNodeConfig (materialized 'unit', the expected rows, and
// dbt's node defaults; dbt-core parser/unit_tests.py), so `config.get('meta')` is {} and
// `config.get('materialized')` is 'unit' there, while a run of the model reads its own config.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'models/orders.sql': 'select 1 as id\n',
  'models/probe.sql': [
    "{{ config(materialized='table', meta={'flag': 'from-sql'}, custom_key='x') }}",
    'select id,',
    "  '{{ config.get('meta', {}).get('flag', 'NOT_SET') }}' as flag,",
    "  '{{ config.get('materialized') }}' as mat,",
    "  '{{ config.get('custom_key', 'none') }}' as custom",
    "from {{ ref('orders') }}",
  ].join('\n'),
  'models/probe.yml': [
    'models:',
    '  - name: probe',
    '    config:',
    '      meta: {yml_flag: from-yml}',
    'unit_tests:',
    '  - name: probe_in_unit_test',
    '    model: probe',
    '    given:',
    "      - input: ref('orders')",
    '        rows: [{id: 7}]',
    '    expect:',
    "      rows: [{id: 7, flag: NOT_SET, mat: unit, custom: none}]",
  ].join('\n'),
};

describe("a unit test renders its model under the unit-test node's config (PGlite)", () => {
  let project: WarehouseProject;
  let out: RunOutcome;
  let built: RunOutcome;
  beforeAll(async () => {
    project = warehouseProject('pglite', FILES);
    await project.run('run', { select: ['orders'] });
    out = await project.run('test', { select: ['probe'] });
    built = await project.run('run', { select: ['probe'] });
  }, 300_000);
  afterAll(async () => project.cleanup());

  it("sees dbt's defaults and materialized 'unit', not the model's meta or keys", () => {
    const result = out.results.find((r) => r.unique_id.endsWith('probe_in_unit_test'));
    expect(result?.status, out.output).toBe('pass');
  });

  it('the model itself still reads its own config', async () => {
    expect(built.code, built.output).toBe(0);
    expect(await project.sql(`select flag, mat, custom from ${project.schema}.probe`)).toEqual([{ flag: 'from-sql', mat: 'table', custom: 'x' }]);
  });
});
