// tsdbt retry (dbt's RetryTask) on embedded PGlite: a build where one model errors and what depends
// on it is skipped; once the cause is fixed, retry builds exactly those nodes, with the recorded
// flags, and leaves the successful ones alone.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { compileCommand } from '../../src/app/compile-command.js';
import { runOperationCommand } from '../../src/app/run-operation.js';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { retryCommand } from '../../src/app/retry-command.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { queryProjectPglite } from '../support/pglite-query.js';
import { removeDir, testdir } from '../support/testdir.js';

const projectYml = (divisor: number) =>
  [
    'name: demo',
    'profile: demo',
    'on-run-start: "create table if not exists {{ target.schema }}.audit (name text)"',
    'models:',
    '  demo:',
    '    +materialized: table',
    "    +post-hook: \"insert into {{ target.schema }}.audit values ('{{ this.name }}')\"",
    'vars:',
    `  divisor: ${divisor}`,
    '',
  ].join('\n');

const FILES = {
  'dbt_project.yml': projectYml(0),
  'models/base.sql': 'select 1 as id union all select 2 as id\n',
  'models/other.sql': 'select 7 as id\n',
  'models/ratio.sql': "select id, 10 / {{ var('divisor') }} as r from {{ ref('base') }}\n",
  'models/child.sql': "select id, r * 2 as r2 from {{ ref('ratio') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: ratio\n    columns:\n      - name: r\n        data_tests: [not_null]\n',
};

interface Outcome {
  code: number;
  output: string;
  results: { unique_id: string; status: string }[];
  args: Record<string, unknown>;
}

async function invoke(dir: string, fn: (inv: ReturnType<typeof createInvocation>) => Promise<number>, options: Partial<InvocationOptions> = {}): Promise<Outcome> {
  const lines: string[] = [];
  const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, color: false, ...options });
  let code: number;
  try {
    code = await fn(inv);
  } catch (err) {
    code = reportFatal(err, (l) => lines.push(l), 'text');
  }
  const file = path.join(dir, 'target/run_results.json');
  const json = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as { results: Outcome['results']; args: Record<string, unknown> }) : { results: [], args: {} };
  return { code, output: lines.join('\n'), results: json.results, args: json.args };
}

// The project's on-run-start hook is a result of each run too (dbt 1.9+); these helpers look at the nodes'.
const nodeResults = (o: Outcome) => o.results.filter((r) => !r.unique_id.startsWith('operation.'));
const statuses = (o: Outcome) => Object.fromEntries(nodeResults(o).map((r) => [r.unique_id.replace(/\.[0-9a-f]{10}$/, ''), r.status]));

describe('tsdbt retry', () => {
  const dirs: string[] = [];
  const project = () => {
    const dir = testdir(FILES);
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) removeDir(d);
  });

  it('after the cause is fixed, builds exactly the errored model, its skipped child and test; the rest is not rebuilt', async () => {
    const dir = project();
    const build = await invoke(dir, (inv) => runCommand(inv, 'build'), { select: ['base+', 'other'] });
    expect(build.code, build.output).toBe(1);
    expect(statuses(build)).toEqual({
      'model.demo.base': 'success',
      'model.demo.other': 'success',
      'model.demo.ratio': 'error',
      'model.demo.child': 'skipped',
      'test.demo.not_null_ratio_r': 'skipped',
    });
    expect(build.args).toMatchObject({ which: 'build', select: ['base+', 'other'], exclude: [], vars: {}, full_refresh: false });

    writeFileSync(path.join(dir, 'dbt_project.yml'), projectYml(5)); // the fix: the var file
    const retry = await invoke(dir, retryCommand);
    expect(retry.code, retry.output).toBe(0);
    expect(retry.output).toContain('Retrying 3 of 5 nodes of the previous `build`');
    expect(retry.results.map((r) => r.unique_id.replace(/\.[0-9a-f]{10}$/, ''))).toEqual(['operation.demo.demo-on-run-start-0', 'model.demo.ratio', 'test.demo.not_null_ratio_r', 'model.demo.child']);
    expect(new Set(retry.results.map((r) => r.status))).toEqual(new Set(['success', 'pass']));
    // The retried run records the original command, so a later retry repeats it again.
    expect(retry.args).toMatchObject({ which: 'build', select: ['base+', 'other'] });

    expect(await queryProjectPglite(dir, 'select id, r2 from analytics.child order by id')).toEqual([
      { id: 1, r2: 4 },
      { id: 2, r2: 4 },
    ]);
    // Each model built once over both commands: base and other were not rebuilt by the retry.
    const audit = await queryProjectPglite(dir, 'select name, count(*)::int as n from analytics.audit group by name order by name');
    expect(audit).toEqual([
      { name: 'base', n: 1 },
      { name: 'child', n: 1 },
      { name: 'other', n: 1 },
      { name: 'ratio', n: 1 },
    ]);

    // Nothing left to retry: dbt's message, exit 0, nothing built.
    const again = await invoke(dir, retryCommand);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Nothing to do. Try checking your model configs and model specification args');
    expect((await queryProjectPglite(dir, 'select count(*)::int as n from analytics.audit'))[0]).toEqual({ n: 4 });
  });

  it('re-runs with the recorded --vars; --vars given to retry override them', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'dbt_project.yml'), projectYml(5));
    const build = await invoke(dir, (inv) => runCommand(inv, 'run'), { vars: '{divisor: 0}' });
    expect(build.code).toBe(1);
    expect(build.args).toMatchObject({ which: 'run', vars: { divisor: 0 } });
    expect(statuses(build)).toMatchObject({ 'model.demo.ratio': 'error', 'model.demo.child': 'skipped' });

    const same = await invoke(dir, retryCommand);
    expect(same.code).toBe(1); // the recorded divisor is still 0
    expect(statuses(same)).toEqual({ 'model.demo.ratio': 'error', 'model.demo.child': 'skipped' });

    const fixed = await invoke(dir, retryCommand, { vars: '{divisor: 2}' });
    expect(fixed.code, fixed.output).toBe(0);
    expect(statuses(fixed)).toEqual({ 'model.demo.ratio': 'success', 'model.demo.child': 'success' });
    expect(fixed.args).toMatchObject({ which: 'run', vars: { divisor: 2 } });
    expect(await queryProjectPglite(dir, 'select id, r from analytics.ratio order by id')).toEqual([
      { id: 1, r: 5 },
      { id: 2, r: 5 },
    ]);
  });

  it('tsdbt test: a failed test is retried (dbt retries fail), the passing one is not', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'dbt_project.yml'), projectYml(5));
    mkdirSync(path.join(dir, 'tests'));
    writeFileSync(path.join(dir, 'tests/no_big_ids.sql'), "select * from {{ ref('base') }} where id > {{ var('max_id', 1) }}\n");
    expect((await invoke(dir, (inv) => runCommand(inv, 'run'))).code).toBe(0);
    const tested = await invoke(dir, (inv) => runCommand(inv, 'test'));
    expect(tested.code).toBe(1);
    expect(statuses(tested)).toEqual({ 'test.demo.no_big_ids': 'fail', 'test.demo.not_null_ratio_r': 'pass' });
    const retried = await invoke(dir, retryCommand, { vars: '{max_id: 2}' });
    expect(retried.code, retried.output).toBe(0);
    expect(statuses(retried)).toEqual({ 'test.demo.no_big_ids': 'pass' });
    expect(retried.args).toMatchObject({ which: 'test' });
  });

  it('compile: a failed compile writes no run_results.json (dbt raises on its first error), so retry repeats the command before it', async () => {
    const dir = project();
    const run = await invoke(dir, (inv) => runCommand(inv, 'run'));
    expect(run.code, run.output).toBe(1);
    expect(statuses(run)).toMatchObject({ 'model.demo.ratio': 'error', 'model.demo.child': 'skipped' });
    writeFileSync(path.join(dir, 'dbt_project.yml'), projectYml(5));
    writeFileSync(path.join(dir, 'models/pick.sql'), "select {{ var('column') }} from {{ ref('base') }}\n");
    const compiled = await invoke(dir, (inv) => compileCommand(inv));
    expect(compiled.code).toBe(2);
    expect(compiled.output).toContain("Required var 'column' not found");
    expect(compiled.args).toMatchObject({ which: 'run' });

    const retried = await invoke(dir, retryCommand);
    expect(retried.code, retried.output).toBe(0);
    expect(retried.output).toContain('of the previous `run`');
    expect(statuses(retried)).toEqual({ 'model.demo.ratio': 'success', 'model.demo.child': 'success' });
  });

  it('run-operation: a failed call is made again with its recorded macro and --args; a successful one is not', async () => {
    const dir = project();
    writeFileSync(path.join(dir, 'dbt_project.yml'), projectYml(5));
    mkdirSync(path.join(dir, 'macros'));
    writeFileSync(
      path.join(dir, 'macros/record.sql'),
      [
        '{% macro record(label) %}',
        "{% if not var('ready', false) %}{{ exceptions.raise_compiler_error('not ready') }}{% endif %}",
        "{% do run_query('create schema if not exists ' ~ target.schema) %}",
        "{% do run_query('create table if not exists ' ~ target.schema ~ '.labels (label text)') %}",
        "{% do run_query('insert into ' ~ target.schema ~ \".labels values ('\" ~ label ~ \"')\") %}",
        '{% endmacro %}',
        '',
      ].join('\n'),
    );
    const failed = await invoke(dir, (inv) => runOperationCommand(inv, { macro: 'record', args: '{label: first}' }));
    expect(failed.code).toBe(1);
    expect(failed.args).toMatchObject({ which: 'run-operation', macro: 'record', args: { label: 'first' }, vars: {} });

    const retried = await invoke(dir, retryCommand, { vars: '{ready: true}' });
    expect(retried.code, retried.output).toBe(0);
    expect(retried.output).toContain('Retrying the previous `run-operation record`');
    expect(await queryProjectPglite(dir, 'select label from analytics.labels')).toEqual([{ label: 'first' }]);

    const again = await invoke(dir, retryCommand, { vars: '{ready: true}' });
    expect(again.code, again.output).toBe(0);
    expect(again.output).toContain('Nothing to retry');
    expect(await queryProjectPglite(dir, 'select label from analytics.labels')).toEqual([{ label: 'first' }]);
  });

  it('a node to retry that was removed since stops the retry (dbt: "Couldn\'t find model"), exit 2', async () => {
    const dir = project();
    const build = await invoke(dir, (inv) => runCommand(inv, 'build'), { select: ['base+'] });
    expect(statuses(build)['model.demo.child']).toBe('skipped');
    rmSync(path.join(dir, 'models/child.sql'));
    writeFileSync(path.join(dir, 'dbt_project.yml'), projectYml(5));
    const retry = await invoke(dir, retryCommand);
    expect(retry.code, retry.output).toBe(2);
    expect(retry.output).toContain("Couldn't find model 'model.demo.child' -- does it exist or is it disabled?");
    expect(retry.output).toContain('hint:');
    // Nothing was built: ratio, which the retry would have rebuilt, is still missing.
    expect(await queryProjectPglite(dir, "select count(*)::int as n from information_schema.tables where table_name = 'ratio'")).toEqual([{ n: 0 }]);
  });

  it('without a previous run: a clear error and exit 2', async () => {
    const dir = project();
    const out = await invoke(dir, retryCommand);
    expect(out.code).toBe(2);
    expect(out.output).toContain("Could not find previous run in 'target' target directory");
    expect(out.output).toContain('hint:');
  });
});
