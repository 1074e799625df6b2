// dbt's invocation_args_dict (docs: reference/dbt-jinja-functions/invocation_args_dict): "a dictionary
// containing CLI flags and values", as dbt.utils.args_to_dict builds it: every flag with a value,
// lower-case, run-operation's macro and parsed --args among them; flags that are None, and the
// default-false ones (debug, full_refresh, warn_error, ...) while false, are left out.
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
