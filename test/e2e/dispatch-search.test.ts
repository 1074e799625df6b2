// adapter.dispatch searches only `<adapter>__name` and `default__name`, as dbt's dispatch does: a
// macro that dispatches to its own name with no prefixed implementation is an error naming it
// (dbt: "In dispatch: No macro named ... found"), not a call of itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe('adapter.dispatch without an implementation', () => {
  let dir: string;
  let result: CliResult;
  beforeAll(async () => {
    dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'models/model.sql': "select '{{ dispatch_to_nowhere() }}' as x\n",
      'macros/m.sql': "{% macro dispatch_to_nowhere() %}{% set macro = adapter.dispatch('dispatch_to_nowhere') %}{{ macro() }}{% endmacro %}\n",
    });
    result = await runTsdbt(['compile', '--project-dir', dir]);
  });
  afterAll(() => removeDir(dir));

  it("fails with dbt's message and the searched names", () => {
    const out = result.stdout + result.stderr;
    expect(result.code, out).not.toBe(0);
    expect(out).toContain("In dispatch: No macro named 'dispatch_to_nowhere' found");
    expect(out).toContain('postgres__dispatch_to_nowhere');
    expect(out).not.toContain('call stack');
  });
});
