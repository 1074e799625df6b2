// A generic test's macro configures the test when it, or any macro it reaches (called directly,
// through adapter.dispatch, or in a way tsdbt cannot follow), calls config(): such tests are
// rendered while parsing, as dbt renders every one; tests whose macros cannot call config() are
// not rendered at all, and keep the defaults they would have had.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('config() in generic test macros', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/a.sql': 'select 1 as id\n',
    'macros/helpers.sql': [
      "{% macro soften() %}{{ config(severity='warn') }}{% endmacro %}",
      "{% macro default__limited() %}{% do config.set('limit', 7) %}{% endmacro %}",
      "{% macro limited() %}{{ return(adapter.dispatch('limited')()) }}{% endmacro %}",
      // A dispatch of a computed name: which macro it reaches is known only when it runs.
      '{% macro by_name(name) %}{{ return(adapter.dispatch(name)()) }}{% endmacro %}',
      "{% macro default__calc() %}{{ config(fail_calc='sum(1)') }}{% endmacro %}",
      '',
    ].join('\n'),
    'macros/tests.sql': [
      '{% test direct(model) %}{{ config(severity="warn") }}select 1 from {{ model }} where false{% endtest %}',
      '{% test through_helper(model) %}{{ soften() }}select 1 from {{ model }} where false{% endtest %}',
      '{% test through_dispatch(model) %}{{ limited() }}select 1 from {{ model }} where false{% endtest %}',
      "{% test unfollowable(model) %}{{ by_name('calc') }}select 1 from {{ model }} where false{% endtest %}",
      '{% test plain(model) %}select 1 from {{ model }} where false{% endtest %}',
      '',
    ].join('\n'),
    'models/schema.yml': 'version: 2\nmodels:\n  - name: a\n    data_tests: [direct, through_helper, through_dispatch, unfollowable, plain, not_null_proxy]\n',
    'macros/proxy.sql': "{% test not_null_proxy(model) %}{{ return(test_plain(model)) }}{% endtest %}\n",
  });
  afterAll(() => removeDir(dir));

  it('applies config() reached directly, through macros and dispatch, and where the call cannot be followed', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const nodes = (JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { name: string; config: Record<string, unknown> }> }).nodes;
    const config = (name: string) => Object.values(nodes).find((n) => n.name === `${name}_`)?.config;
    expect(config('direct_a')?.severity).toBe('warn');
    expect(config('through_helper_a')?.severity).toBe('warn');
    expect(config('through_dispatch_a')?.limit).toBe(7);
    expect(config('unfollowable_a')?.fail_calc).toBe('sum(1)');
    expect(config('plain_a')).toMatchObject({ severity: 'ERROR', limit: null, fail_calc: 'count(*)' });
    expect(config('not_null_proxy_a')).toMatchObject({ severity: 'ERROR', limit: null });
  });
});
