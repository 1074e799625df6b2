// In dbt, on-run-end's results hold enum members (dbt_common's StrEnum, a `str`): `r.status` a
// RunStatus or TestStatus, `r.node.resource_type` a NodeType, a model's `r.node.access` an
// AccessType. Packages that upload run results (netbek/dbt_audit, dbt_artifacts) read `.value`;
// others compare and print them as strings. Before, they were plain strings: `.value` was
// undefined and dbt_audit uploaded empty `status` and `resource_type` columns.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('result statuses and resource types in on-run-end are dbt enums', () => {
  const hook = [
    'create table {{ target.schema }}.uploaded as',
    '{% for r in results | sort(attribute="node.unique_id") %}{% if not loop.first %} union all {% endif %}',
    "select '{{ r.node.unique_id }}' as node_id, '{{ r.status.value }}' as status, '{{ r.status.name }}' as status_name,",
    "  '{{ r.node.resource_type.value }}' as kind, '{{ r.node.resource_type | upper }}' as kind_upper,",
    "  '{{ r.status == 'success' or r.status in ['pass'] }}' as ok, '{{ r.status ~ '/' ~ r.node.resource_type }}' as text,",
    "  '{{ {r.status: 1} | tojson }}' as json, '{{ r.node.access.value if r.node.access is defined else '' }}' as access,",
    "  '{{ r.to_dict()['status'] }}' as dict_status",
    '{% endfor %}',
  ].join(' ');
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/plain.sql': 'select 1 as id',
    'models/schema.yml': 'version: 2\nmodels:\n  - name: plain\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  });
  afterAll(() => project.cleanup());

  it('gives .value and .name, and behaves as the string elsewhere', async () => {
    const run = await project.run('build');
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".uploaded`);
    expect(rows).toEqual([
      { node_id: 'model.demo.plain', status: 'success', status_name: 'Success', kind: 'model', kind_upper: 'MODEL', ok: 'True', text: 'success/model', json: '{"success": 1}', access: 'protected', dict_status: 'success' },
      { node_id: 'test.demo.not_null_plain_id.192952364c', status: 'pass', status_name: 'Pass', kind: 'test', kind_upper: 'TEST', ok: 'True', text: 'pass/test', json: '{"pass": 1}', access: '', dict_status: 'pass' },
    ]);
  });
});
