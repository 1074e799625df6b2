// Project hooks as dbt 1.9+ records them: each on-run-start / on-run-end hook is a result of the
// run (`operation.<project>.<project>-on-run-end-<n>`, thread `main`, compile and execute timings),
// in run_results.json and in the summary's counts. A hook whose SQL fails is an error, the hooks
// after it are skipped, and the run exits 1 (a failed run, not a project error); the nodes still
// run after a failed on-run-start hook unless the `skip_nodes_if_on_run_start_fails` flag is set.
// on-run-end's `results` leave out the hooks that did not fail. A hook that does not render stops
// the command (exit 2), with the results so far written.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

type RunResults = { results: { unique_id: string; status: string; message: string | null; thread_id: string; timing: { name: string }[] }[] };

const projects: WarehouseProject[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

function project(dbtProject: string, files: Record<string, string> = {}): WarehouseProject {
  const p = warehouseProject('pglite', { 'dbt_project.yml': `name: demo\nprofile: demo\n${dbtProject}`, ...files });
  projects.push(p);
  return p;
}

const runResults = (p: WarehouseProject) => JSON.parse(readFileSync(path.join(p.dir, 'target', 'run_results.json'), 'utf8')) as RunResults;
const statuses = (p: WarehouseProject) => runResults(p).results.map((r) => [r.unique_id, r.status]);

const FOUR_HOOKS = (which: string) => `${which}:
  - "create table {{ target.schema }}.my_hook_table ( id int )"
  - "drop table {{ target.schema }}.my_hook_table"
  - "insert into {{ target.schema }}.my_hook_table (id) values (1, 2, 3)"
  - "create table {{ target.schema }}.my_hook_table ( id int )"
`;

describe('project hooks as results of the run', () => {
  it('a failing on-run-end hook: the model, then each hook, the one after the failure skipped; exit 1', async () => {
    const p = project(FOUR_HOOKS('on-run-end'), { 'models/built.sql': 'select 1 as id' });
    const run = await p.run('run');
    expect(run.code, run.output).toBe(1);
    expect(statuses(p)).toEqual([
      ['model.demo.built', 'success'],
      ['operation.demo.demo-on-run-end-0', 'success'],
      ['operation.demo.demo-on-run-end-1', 'success'],
      ['operation.demo.demo-on-run-end-2', 'error'],
      ['operation.demo.demo-on-run-end-3', 'skipped'],
    ]);
    const results = runResults(p).results;
    expect(results[1]?.message).toBe('demo.on-run-end.0 passed');
    expect(results[3]?.message).toMatch(/^demo\.on-run-end\.2 failed, error:\n .*my_hook_table/);
    expect(results[4]?.message).toBe('demo.on-run-end.3 skipped');
    expect(results.slice(1).map((r) => r.thread_id)).toEqual(['main', 'main', 'main', 'main']);
    expect(results[1]?.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(run.output).toContain('Finished running 4 project hooks, 1 view model');
    expect(run.output).toMatch(/3 of 4 START hook: demo\.on-run-end\.2 \.+ \[RUN\]/);
    expect(run.output).toMatch(/3 of 4 ERROR hook: demo\.on-run-end\.2 \.+ \[ERROR in/);
    expect(run.output).toMatch(/4 of 4 SKIP hook: demo\.on-run-end\.3 \.+ \[SKIP\]/);
    // The hook's node's original_file_path, `./dbt_project.yml` (dbt-core issue 4445's log: "in operation jaffleshop-on-run-start-0 (./dbt_project.yml)").
    expect(run.output).toContain('Failure in operation demo-on-run-end-2 (./dbt_project.yml)');
    expect(run.output).toMatch(/Done\. PASS=3 WARN=0 ERROR=1 SKIP=1 NO-OP=0 TOTAL=5/);
    // The model was built before the hooks ran.
    expect(await p.sql(`select id from "${p.schema}".built`)).toEqual([{ id: 1 }]);
  });

  it('a failing on-run-start hook: the nodes still run (here the model fails too), unless skip_nodes_if_on_run_start_fails', async () => {
    const model = { 'models/my_model.sql': 'select * from {{ target.schema }}.my_hook_table' };
    const runs = project(FOUR_HOOKS('on-run-start'), model);
    expect((await runs.run('run')).code).toBe(1);
    const hooks = [
      ['operation.demo.demo-on-run-start-0', 'success'],
      ['operation.demo.demo-on-run-start-1', 'success'],
      ['operation.demo.demo-on-run-start-2', 'error'],
      ['operation.demo.demo-on-run-start-3', 'skipped'],
    ];
    expect(statuses(runs)).toEqual([...hooks, ['model.demo.my_model', 'error']]);

    const skips = project(`${FOUR_HOOKS('on-run-start')}flags:\n  skip_nodes_if_on_run_start_fails: true\n`, model);
    const run = await skips.run('run');
    expect(run.code, run.output).toBe(1);
    expect(statuses(skips)).toEqual([...hooks, ['model.demo.my_model', 'skipped']]);
  });

  it("on-run-end's results leave out the hooks that passed, and keep one that failed", async () => {
    const log = 'on-run-end:\n  - "{{ log(\'results in context: \' ~ (results | map(attribute=\'unique_id\') | join(\',\')), info=true) }}"\n';
    const passed = project(`on-run-start:\n  - "select 1 as id"\n${log}`, { 'models/m.sql': 'select 1 as id' });
    const ok = await passed.run('run');
    expect(ok.code, ok.output).toBe(0);
    expect(ok.output).toContain('results in context: model.demo.m\n');
    expect(ok.output).toMatch(/Done\. PASS=3 .* TOTAL=3/);

    const failed = project(`on-run-start:\n  - "select a as id"\n${log}`, { 'models/m.sql': 'select 1 as id' });
    const bad = await failed.run('run');
    expect(bad.code).toBe(1);
    expect(bad.output).toContain('results in context: operation.demo.demo-on-run-start-0,model.demo.m\n');
  });

  it('a hook that does not render stops the command, with the results so far written', async () => {
    const p = project('on-run-end:\n  - "{{ rce() }}"\n', {
      'models/my_model.sql': 'select 1 as id',
      'macros/rce.sql': '{% macro rce() %}{% if execute %}{{ exceptions.raise_compiler_error("Always raise a compiler error in execute") }}{% endif %}{% endmacro %}\n',
    });
    // In-process the command throws; the CLI prints it once and exits 2.
    await expect(p.run('run')).rejects.toThrow('Always raise a compiler error in execute');
    expect(statuses(p)).toEqual([['model.demo.my_model', 'success']]);
  });
});
