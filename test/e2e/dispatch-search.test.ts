// adapter.dispatch searches only `<adapter>__name` and `default__name`, as dbt's dispatch does: a
// macro that dispatches to its own name with no prefixed implementation is an error naming it
// (dbt: "In dispatch: No macro named ... found"), not a call of itself.
import { readFileSync } from 'node:fs';
import path from 'node:path';
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

// dbt's _get_search_packages: a namespace that is neither a package nor in `dispatch:` config
// looks the name up as a bare macro name: the calling node's package, the root project, dbt's own
// macros; another package's `default__x` is not reached (dbt's TestMisnamedMacroNamespace).
describe('adapter.dispatch with a namespace that is no package', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const project = (rootMacro: string) => {
    const dir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'packages.yml': 'packages:\n  - local: test_utils\n',
      'test_utils/dbt_project.yml': 'name: test_utils\nprofile: demo\nmacro-paths: ["macros"]\n',
      'test_utils/macros/cowsay.sql': "{% macro cowsay() %}{{ return(adapter.dispatch('cowsay', 'farm_utils')()) }}{%- endmacro %}\n{% macro default__cowsay() %}'moo'{% endmacro %}\n",
      'models/my_model.sql': 'select {{ test_utils.cowsay() }} as cowsay\n',
      ...(rootMacro ? { 'macros/cow.sql': rootMacro } : {}),
    });
    dirs.push(dir);
    return dir;
  };

  it("does not reach another package's implementation: the parse fails with dbt's message", async () => {
    const dir = project('');
    expect((await runTsdbt(['deps', '--project-dir', dir])).code).toBe(0);
    const parse = await runTsdbt(['parse', '--project-dir', dir]);
    const out = parse.stdout + parse.stderr;
    expect(parse.code, out).toBe(2);
    expect(out).toContain("In dispatch: No macro named 'cowsay' found within namespace: 'farm_utils'");
    expect(out).toContain('dbt_packages/test_utils/macros/cowsay.sql:1');
  });

  it("finds the root project's implementation", async () => {
    const dir = project("{% macro default__cowsay() %}'root moo'{% endmacro %}\n");
    expect((await runTsdbt(['deps', '--project-dir', dir])).code).toBe(0);
    const compile = await runTsdbt(['compile', '--project-dir', dir, '--select', 'my_model']);
    expect(compile.code, compile.stdout + compile.stderr).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/demo/models/my_model.sql'), 'utf8')).toBe("select 'root moo' as cowsay");
  });
});
