// dbt's invocation_args_dict (docs: reference/dbt-jinja-functions/invocation_args_dict): "a dictionary
// containing CLI flags and values", as dbt.utils.args_to_dict builds it: every flag with a value,
// lower-case, run-operation's macro and parsed --args among them; flags that are None, and the
// default-false ones (debug, full_refresh, warn_error, ...) while false, are left out.
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const SHOW = [
  '{% macro show_args(my_variable) %}',
  "  {% set d = invocation_args_dict %}",
  "  {% do print([d['use_colors'], d['macro'], d['args'], d['which'], 'debug' in d, 'full_refresh' in d, 'target' in d, d['quiet'], d['vars'], d['indirect_selection']] | join('|')) %}",
  '{% endmacro %}',
].join('\n');

describe('invocation_args_dict', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': 'select 1 as id\n', 'macros/show.sql': SHOW });
  afterAll(() => removeDir(dir));
  const op = (extra: string[]) => runTsdbt(['--quiet', ...extra, 'run-operation', 'show_args', '--project-dir', dir, '--args', '{my_variable: test_variable}', '--vars', '{a: 1}']);

  it("run-operation: the flags with dbt's defaults, the macro and its parsed --args, the parsed --vars", async () => {
    const result = await op([]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe("True|show_args|{'my_variable': 'test_variable'}|run-operation|False|False|False|True|{'a': 1}|eager");
  });

  it('--debug is there once given; --no-use-colors turns use_colors off', async () => {
    const result = await op(['--debug', '--no-use-colors']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim().split('\n').at(-1)).toMatch(/^False\|show_args\|.*\|run-operation\|True\|/);
  });
});

describe('flags.WHICH while parsing', () => {
  // dbt sets flags.WHICH from the command before it parses (cli/flags.py: the invoked command's
  // name, its Command enum: `parse`, `compile`, `list`, `freshness`, `generate`, ...), so a config
  // rendered at parse time reads the command; tsdbt's read `run` for every command.
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/which_m.sql': "{{ config(alias='which_' ~ flags.WHICH) }}\nselect 1 as id\n" });
  afterAll(() => removeDir(dir));
  const alias = () => (JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { alias: string }> }).nodes['model.demo.which_m']?.alias;

  it('is the command being run: parse, compile', async () => {
    const parsed = await runTsdbt(['parse', '--project-dir', dir]);
    expect(parsed.code, parsed.stderr).toBe(0);
    expect(alias()).toBe('which_parse');
    const compiled = await runTsdbt(['compile', '--no-partial-parse', '--project-dir', dir]);
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(alias()).toBe('which_compile');
  });

  it("is `build` for the scheduler's builds, not `schedule`", async () => {
    // A fresh parse (a partial parse keeps what the unchanged file rendered, as dbt's does).
    rmSync(path.join(dir, 'target', 'partial_parse.bin'), { force: true });
    const scheduled = await runTsdbt(['schedule', '--once', '--project-dir', dir]);
    expect(scheduled.code, scheduled.stderr).toBe(0);
    expect(alias()).toBe('which_build');
  });
});

