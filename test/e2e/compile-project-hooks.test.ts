// dbt parses each on-run-start / on-run-end hook as an `operation` node, and `dbt compile` compiles
// every selected node of its executable types, operations among them (dbt-core's CompileTask and
// EXECUTABLE_NODE_TYPES; docs: reference/project-configs/on-run-start-on-run-end names compile among
// the commands hooks belong to). So a hook's Jinja renders at compile with execute true and the full
// `graph`: a macro it calls logs, and one that raises fails the compile; its SQL is not run.
// `--select m` selects no hook (their fqn is `[project, hooks, <name>]`), so none renders then.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const MACRO = `{% macro count_models() %}
  {% if execute %}
    {% set models = graph.nodes.values() | selectattr('resource_type', 'equalto', 'model') | list %}
    {{ log('hook compiled, models: ' ~ (models | length), info=True) }}
    {% if var('fail_hook', false) %}{{ exceptions.raise_compiler_error('hook says no') }}{% endif %}
  {% endif %}
  select 1 as hook_ran
{% endmacro %}
`;

describe('compile compiles the project hooks', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\non-run-start:\n  - "{{ count_models() }}"\n',
    'macros/count_models.sql': MACRO,
    'models/m.sql': 'select 1 as id\n',
    'models/n.sql': "select * from {{ ref('m') }}\n",
  });
  afterAll(() => removeDir(dir));

  it('renders the hook with the graph and writes its compiled SQL', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d {2}hook compiled, models: 2$/m);
    const file = path.join(dir, 'target/compiled/demo/dbt_project.yml/hooks/demo-on-run-start-0.sql');
    expect(existsSync(file)).toBe(true);
    expect(readFileSync(file, 'utf8')).toContain('select 1 as hook_ran');
    const results = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(results.results.map((r) => [r.unique_id, r.status])).toContainEqual(['operation.demo.demo-on-run-start-0', 'success']);
  });

  it('a hook that raises fails the compile; a selection that names no hook leaves it out', async () => {
    const failing = await runTsdbt(['compile', '--project-dir', dir, '--vars', '{fail_hook: true}']);
    expect(failing.code).not.toBe(0);
    expect(failing.stdout + failing.stderr).toContain('hook says no');
    const selected = await runTsdbt(['compile', '--project-dir', dir, '--vars', '{fail_hook: true}', '--select', 'm']);
    expect(selected.code, selected.stdout + selected.stderr).toBe(0);
    expect(selected.stdout).not.toContain('hook compiled');
  });
});

// dbt's `graph` is manifest.flat_graph, an empty dict until the parse is done (ManifestLoader
// builds it after loading): a parse-time render finds no `nodes` in it at all.
describe('graph at parse time', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\non-run-start:\n  - "{{ log(\'nodes defined at \' ~ (\'run\' if execute else \'parse\') ~ \': \' ~ (graph.nodes is defined), info=True) }}"\n',
    'models/m.sql': 'select 1 as id\n',
  });
  afterAll(() => removeDir(dir));

  it('has no nodes while parsing, and the graph when compiled', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d {2}nodes defined at parse: False$/m);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d {2}nodes defined at run: True$/m);
  });
});
