// Values handed to log(), print(), dict(), namespace() and return() are Python's objects in dbt:
// `log(1.0)` prints str(1.0), "1.0"; `dict(a=7.0)` and `namespace(x=6.0)` keep the float. tsdbt
// passed template values to its JavaScript functions through toJs, which made 1.0 the number 1.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe('floats given to log(), print(), dict() and namespace() stay floats', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\n',
    'macros/m.sql': "{% macro half() %}{{ return(0.5 * 2) }}{% endmacro %}\n",
    'models/a.sql': [
      "{% do log('logged ' ~ 1.0, info=True) %}{% do log(1.5, info=True) %}{% do print(2.0) %}",
      "select '{{ dict(a=7.0) }}' as d, '{{ namespace(x=6.0).x }}' as ns, '{{ half() }}' as h",
    ].join('\n'),
  });
  afterAll(() => removeDir(dir));

  it('prints and renders them as Python writes them', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d {2}logged 1\.0$/m);
    expect(result.stdout).toMatch(/^\d\d:\d\d:\d\d {2}1\.5$/m);
    expect(result.stdout).toMatch(/^2\.0$/m);
    const compiled = await runTsdbt(['compile', '--project-dir', dir, '--select', 'a']);
    expect(compiled.code, compiled.stderr).toBe(0);
    expect(compiled.stdout).toContain("select '{'a': 7.0}' as d, '6.0' as ns, '1.0' as h");
  });
});
