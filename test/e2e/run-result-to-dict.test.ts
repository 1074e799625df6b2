// on-run-end's `results` are dbt objects: a RunResult, its `timing` entries and its `node` each
// have `to_dict()`, which Elementary's dbt_object_to_dict calls to upload run results. Before,
// they were plain dicts and the hook failed with "'dict object' has no attribute 'to_dict'".
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('run results in on-run-end have to_dict()', () => {
  const hook = [
    "create table {{ target.schema }}.uploaded as",
    "{% for r in results %}{% set d = r.to_dict() %}",
    "select '{{ d['status'] }}' as status, '{{ d['node']['unique_id'] }}' as node_id, '{{ r.node.to_dict()['resource_type'] }}' as kind,",
    "  '{{ r.timing | map(attribute='to_dict') | list | length }}' as timings, '{{ (r.timing[0].to_dict()['name']) if r.timing else '' }}' as first_timing,",
    "  '{{ r.items() | map('first') | select('equalto', 'to_dict') | list | length }}' as listed",
    "{% endfor %}",
  ].join(' ');
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/plain.sql': 'select 1 as id',
  });
  afterAll(() => project.cleanup());

  it('gives the result, its node and its timing entries as dicts', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".uploaded`);
    expect(rows).toEqual([{ status: 'success', node_id: 'model.demo.plain', kind: 'model', timings: '2', first_timing: 'compile', listed: '0' }]);
  });
});
