// User mistakes end with exit code 2 and a message naming the file and line, what is wrong and
// what to do — never a JavaScript stack trace, and nothing is built.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function failWith(command: string[], files: Record<string, string>, extra: string[] = []) {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, ...files });
  dirs.push(dir);
  const result = await runTsdbt([...command, '--project-dir', dir, ...extra]);
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.code, output).toBe(2);
  expect(output).not.toMatch(/^\s+at .*\(.*\)$/m); // no stack frames
  expect(output).not.toMatch(/internal error/);
  expect(output).toMatch(/hint: /);
  expect(existsSync(path.join(dir, 'target', 'tsdbt.pglite')), 'nothing may be built').toBe(false);
  return output;
}

describe('project errors exit 2 with file:line and a hint', () => {
  it('a dependency cycle prints its path', async () => {
    const out = await failWith(['build'], { 'models/a.sql': "select * from {{ ref('b') }}\n", 'models/b.sql': "select * from {{ ref('a') }}\n" });
    expect(out).toMatch(/models\/a\.sql:1: Found a cycle: model\.\w+\.a --> model\.\w+\.b --> model\.\w+\.a/);
  });

  it('a missing ref suggests the closest name at the line of the call', async () => {
    const out = await failWith(['run'], { 'models/stg_sessions.sql': 'select 1 as id\n', 'models/m.sql': "select *\nfrom {{ ref('stg_sesions') }}\n" });
    expect(out).toContain("models/m.sql:2: model 'm' depends on a node named 'stg_sesions' which was not found. Did you mean 'stg_sessions'?");
  });

  it('bad YAML in a property file and in dbt_project.yml', async () => {
    const schema = await failWith(['build'], { 'models/m.sql': 'select 1\n', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n   columns: []\n' });
    expect(schema).toMatch(/models\/schema\.yml:4: invalid YAML/);
    const project = await failWith(['build'], { 'dbt_project.yml': 'name: demo\nmodels:\n\t+materialized: view\n' });
    expect(project).toMatch(/dbt_project\.yml:3: invalid YAML/);
    expect(project).toMatch(/tabs/);
  });

  it('Jinja syntax and render errors', async () => {
    const syntax = await failWith(['run'], { 'models/m.sql': 'select 1\n{% if true %}\nwhere x\n' });
    expect(syntax).toMatch(/models\/m\.sql:\d+: .*endif/);
    // dbt parses with a lenient Undefined (reading through a missing value renders nothing), so
    // this fails when the node compiles, at its line, as dbt's compilation error does.
    const renderDir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': "{% set cfg = {'a': 1} %}\nselect 1\n-- {{ cfg.missing.deeper }}\n" });
    dirs.push(renderDir);
    const render = await runTsdbt(['run', '--project-dir', renderDir]);
    expect(render.code).toBe(1);
    expect(`${render.stdout}\n${render.stderr}`).toMatch(/models\/m\.sql:3: .*missing/);
    expect(`${render.stdout}\n${render.stderr}`).not.toMatch(/^\s+at .*\(.*\)$/m);
    const raised = await failWith(['run'], {
      'models/m.sql': 'select {{ must_fail() }}\n',
      'macros/fail.sql': "{% macro must_fail() %}\n  {{ exceptions.raise_compiler_error('boom: the input is wrong') }}\n{% endmacro %}\n",
    });
    expect(raised).toMatch(/macros\/fail\.sql:2: boom: the input is wrong/);
  });

  it('a bad seed CSV fails that seed only (exit 1), as dbt fails the seed node; its model is skipped, the rest runs', async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'seeds/a.csv': 'x,y\n1,2\n3,4,5\n', 'seeds/b.csv': 'x,y\n"1,2\n', 'seeds/c.csv': 'x,y\n1,2\n', 'models/m.sql': "select * from {{ ref('a') }}\n" });
    dirs.push(dir);
    const result = await runTsdbt(['build', '--project-dir', dir, '--threads', '1']);
    const out = `${result.stdout}\n${result.stderr}`;
    expect(result.code, out).toBe(1);
    expect(out).toMatch(/seeds\/a\.csv:3: invalid CSV/);
    expect(out).toMatch(/seeds\/b\.csv:2: invalid CSV/);
    expect(out).toMatch(/SKIP .*analytics\.m /);
    expect(out).toMatch(/OK loaded seed file analytics\.c /);
    expect(out).toMatch(/Done\. PASS=1 WARN=0 ERROR=2 SKIP=1/);
    expect(out).not.toMatch(/^\s+at .*\(.*\)$/m);
  });

  it('several errors at once are reported together', async () => {
    const out = await failWith(['run'], { 'models/a.sql': "select * from {{ ref('nope_one') }}\n", 'models/b.sql': "select * from {{ ref('nope_two') }}\n" });
    expect(out).toMatch(/Encountered 2 errors/);
    expect(out).toContain("models/a.sql:1: model 'a' depends on a node named 'nope_one' which was not found");
    expect(out).toContain("models/b.sql:1: model 'b' depends on a node named 'nope_two' which was not found");
  });

  it('bad flags', async () => {
    expect(await failWith(['run'], { 'models/m.sql': 'select 1\n' }, ['--vars', '{a: ['])).toMatch(/--vars is not valid/);
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML });
    dirs.push(dir);
    const threads = await runTsdbt(['run', '--project-dir', dir, '--threads', '0']);
    expect(threads.code).toBe(2);
    expect(threads.stderr).toMatch(/--threads must be a positive whole number/);
    const selector = await runTsdbt(['ls', '--project-dir', dir, '--select', 'colour:red']);
    expect(selector.code).toBe(2);
    expect(selector.stderr).toMatch(/unknown selection method 'colour'/);
  });
});

describe('a database error is a node failure (exit 1), not a project error', () => {
  it('fails the model, skips its children, and still runs independent models', async () => {
    const dir = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/broken.sql': 'select * from table_that_does_not_exist\n',
      'models/child.sql': "select * from {{ ref('broken') }}\n",
      'models/grandchild.sql': "select * from {{ ref('child') }}\n",
      'models/independent.sql': 'select 1 as ok\n',
    });
    dirs.push(dir);
    const result = await runTsdbt(['run', '--project-dir', dir, '--threads', '1']);
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toMatch(/ERROR creating sql view model analytics\.broken/);
    expect(result.stdout).toMatch(/SKIP .*analytics\.child/);
    expect(result.stdout).toMatch(/SKIP .*analytics\.grandchild/);
    expect(result.stdout).toMatch(/OK created sql view model analytics\.independent/);
    expect(result.stdout).toMatch(/table_that_does_not_exist/);
    expect(result.stdout).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=2/);
  });
});
