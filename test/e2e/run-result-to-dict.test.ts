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

// dbt's to_dict() serializes: every call gives a new dict, which a hook may change (Elementary's
// flatten_test runs `meta_dict.update(config_meta_dict)` on `result.node.to_dict()`'s meta). The
// two models share one config (and meta), so a change that leaked would show on the other model.
describe("to_dict() of an on-run-end result's node gives a dict the hook may change", () => {
  const hook = [
    "create table {{ target.schema }}.changed as",
    "{% for r in results | sort(attribute='node.name') %}{% set d = r.node.to_dict() %}",
    "{% do d['meta'].update({'seen': r.node.name}) %}{% do d['config']['meta'].update({'seen': r.node.name}) %}{% do d['tags'].append('x') %}",
    "select '{{ r.node.name }}' as name, '{{ d['meta']['seen'] }}' as changed, '{{ r.node.to_dict()['meta'].get('seen', 'none') }}' as again,",
    "  '{{ r.node.to_dict()['tags'] | join(',') }}' as tags, '{{ r.node.to_dict()['meta']['owner'] }}' as owner",
    "{% if not loop.last %} union all {% endif %}{% endfor %}",
  ].join(' ');
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\nmodels:\n  demo:\n    +meta: {owner: ann}\n    +tags: [t]\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/a.sql': 'select 1 as id',
    'models/b.sql': 'select 2 as id',
  });
  afterAll(() => project.cleanup());

  it('changes only that copy: the next to_dict() and the other model keep their meta and tags', async () => {
    const run = await project.run('run');
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".changed order by name`);
    expect(rows).toEqual([
      { name: 'a', changed: 'a', again: 'none', tags: 't', owner: 'ann' },
      { name: 'b', changed: 'b', again: 'none', tags: 't', owner: 'ann' },
    ]);
  });
});

// dbt's result node of a unit test that ran is the UnitTestNode it compiled (task/test.py
// build_unit_test_run_result(unit_test_node, ...)): compiled, its compiled_code the unit test's
// SQL (Elementary uploads it as dbt_run_results.compiled_code); tsdbt's manifest holds the
// definition, never compiled.
describe("on-run-end's result node of a unit test is the compiled unit test", () => {
  const hook = [
    "{% if flags.WHICH == 'test' %}create table {{ target.schema }}.unit_results as",
    "{% for r in results %}",
    "select '{{ r.node.unique_id }}' as node_id, '{{ r.node.compiled }}' as compiled, '{{ 'cast(3 as' in (r.node.compiled_code or '') }}' as has_fixture,",
    "  '{{ r.node.to_dict()['compiled'] }}' as dict_compiled, '{{ r.node.to_dict().get('compiled_code', '') | length > 0 }}' as dict_code",
    "{% if not loop.last %} union all {% endif %}{% endfor %}{% endif %}",
  ].join(' ');
  const project = warehouseProject('pglite', {
    'dbt_project.yml': `name: demo\nprofile: demo\non-run-end:\n  - ${JSON.stringify(hook)}\n`,
    'models/a.sql': 'select 1 as id',
    'models/b.sql': "select id * 2 as doubled from {{ ref('a') }}",
    'models/unit.yml': "unit_tests:\n  - name: doubles\n    model: b\n    given:\n      - input: ref('a')\n        rows: [{id: 3}]\n    expect:\n      rows: [{doubled: 6}]\n",
  });
  afterAll(() => project.cleanup());

  it('gives compiled True and the unit test SQL, in the object and in to_dict()', async () => {
    // dbt reads the input's column types from the warehouse: `a` is built first.
    expect((await project.run('run', { select: ['a'] })).code).toBe(0);
    const run = await project.run('test', { select: ['test_type:unit'] });
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".unit_results`);
    expect(rows).toEqual([{ node_id: 'unit_test.demo.b.doubles', compiled: 'True', has_fixture: 'True', dict_compiled: 'True', dict_code: 'True' }]);
  });
});
