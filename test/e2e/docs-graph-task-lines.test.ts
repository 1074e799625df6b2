// dbt's command pages for compile, show, docs generate and run-operation, as dbt-core's tasks print
// them: every GraphRunnableTask (CompileTask, ShowTask, GenerateTask's compile, as RunTask) prints the
// FoundStats line when it compiles the manifest, then NothingToDo when nothing is selected, else
// execute_with_hooks' ConcurrencyLine between blank lines; RunOperationTask compiles the manifest too
// (FoundStats). docs generate --no-compile does neither, and show --inline-direct (ShowTaskDirect) prints no ConcurrencyLine.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const lines = (stdout: string) => stdout.split('\n').map((l) => l.replace(/^\d\d:\d\d:\d\d {2}/, ''));
const CONCURRENCY = ['', "Concurrency: 4 threads (target='dev')", ''];
const FOUND = expect.stringMatching(/^Found 1 model, \d+ macros$/) as string;

/** The lines from the FoundStats line through the one after the ConcurrencyLine's blank. */
function around(stdout: string): string[] {
  const all = lines(stdout);
  const found = all.findIndex((l) => l.startsWith('Found '));
  return found < 0 ? [] : all.slice(found, found + 5);
}

describe('the FoundStats and ConcurrencyLine lines of compile, show, docs generate and run-operation', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/a.sql': 'select 1 as id',
      'macros/hello.sql': "{% macro hello() %}{{ print('hello from the macro') }}{% endmacro %}",
    });
  });
  afterAll(() => removeDir(dir));

  it('compile -s a and compile --inline: Found, then the ConcurrencyLine, then the compiled node', async () => {
    const selected = await runTsdbt(['compile', '-s', 'a', '--project-dir', dir]);
    expect(selected.code, selected.stderr).toBe(0);
    expect(around(selected.stdout)).toEqual([FOUND, ...CONCURRENCY, expect.any(String) as string]);
    expect(lines(selected.stdout).indexOf("Compiled node 'a' is:")).toBeGreaterThan(lines(selected.stdout).indexOf(CONCURRENCY[1] as string));
    const inline = await runTsdbt(['compile', '--inline', "select * from {{ ref('a') }}", '--project-dir', dir]);
    expect(around(inline.stdout).slice(0, 4)).toEqual([FOUND, ...CONCURRENCY]);
  });

  it('compile selecting nothing warns NothingToDo, as dbt\'s GraphRunnableTask.run', async () => {
    const none = await runTsdbt(['compile', '-s', 'nothing_here', '--project-dir', dir]);
    expect(none.code).toBe(0);
    expect(lines(none.stdout)).toContain('Nothing to do. Try checking your model configs and model specification args');
    expect(none.stdout).not.toContain('Concurrency:');
  });

  it('show -s a prints the ConcurrencyLine before the preview', async () => {
    const show = await runTsdbt(['show', '-s', 'a', '--project-dir', dir]);
    expect(show.code, show.stderr).toBe(0);
    const all = lines(show.stdout);
    expect(all.indexOf(CONCURRENCY[1] as string)).toBeGreaterThan(-1);
    expect(all.indexOf("Previewing node 'a':")).toBeGreaterThan(all.indexOf(CONCURRENCY[1] as string));
  });

  it('docs generate prints Found and the ConcurrencyLine; with --no-compile neither', async () => {
    const generate = await runTsdbt(['docs', 'generate', '--empty-catalog', '--project-dir', dir]);
    expect(generate.code, generate.stderr).toBe(0);
    expect(around(generate.stdout).slice(0, 4)).toEqual([FOUND, ...CONCURRENCY]);
    const noCompile = await runTsdbt(['docs', 'generate', '--no-compile', '--empty-catalog', '--project-dir', dir]);
    expect(noCompile.code, noCompile.stderr).toBe(0);
    expect(noCompile.stdout).not.toMatch(/Found 1 model|Concurrency:/);
  });

  it('run-operation prints the Found line before the macro runs', async () => {
    const op = await runTsdbt(['run-operation', 'hello', '--project-dir', dir]);
    expect(op.code, op.stderr).toBe(0);
    const all = lines(op.stdout);
    const found = all.findIndex((l) => /^Found 1 model, \d+ macros$/.test(l));
    expect(found).toBeGreaterThan(-1);
    expect(all.indexOf('hello from the macro')).toBeGreaterThan(found);
  });
});
