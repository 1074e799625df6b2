// How failures read: an error raised in a macro names the node that called it and the call chain
// (`models/x.sql:3 -> macros/m.sql:2`), the same error from many nodes prints once with each node,
// and a JavaScript error inside tsdbt reads as a tsdbt bug, its stack only with --debug. dbt prints
// "Compilation Error in model x (models/x.sql) ... > in macro m (macros/m.sql) > called by model x".
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';
import { jsonLogEvents } from '../support/json-log.js';

const JS_STACK_LINE = /\bat .+ \(.+\.(ts|c?js):\d+:\d+\)/;

const GUARD_MACRO = [
  '{% macro guarded(col) %}',
  "  {% if execute %}{{ exceptions.raise_compiler_error('guarded() refuses ' ~ col) }}{% endif %}",
  '  {{ col }}',
  '{% endmacro %}',
  '{% macro strict_guard(col) %}',
  "  {{ exceptions.raise_compiler_error('strict_guard() refuses ' ~ col) }}",
  '{% endmacro %}',
].join('\n');

describe('errors raised in a macro name the nodes that called it', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'macros/guard.sql': GUARD_MACRO,
    'models/alpha.sql': "select 1 as id,\n  {{ guarded('amount') }} as x\n",
    'models/beta.sql': "-- beta\nselect 2 as id,\n\n  {{ guarded('amount') }} as x\n",
    'models/gamma.sql': 'select 3 as id\n',
  });
  afterAll(() => removeDir(dir));

  it('run: the summary prints the error once, with each model and its call chain into the macro', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir]);
    expect(result.code).toBe(1);
    const out = result.stdout;
    expect(out.match(/guarded\(\) refuses amount/g), out).toHaveLength(1);
    expect(out).toContain('Failure in 2 nodes with the same error:');
    expect(out).toContain('macros/guard.sql:2: guarded() refuses amount');
    expect(out).toContain('in model alpha: models/alpha.sql:2 -> macros/guard.sql:2');
    expect(out).toContain('in model beta: models/beta.sql:4 -> macros/guard.sql:2');
    expect(out).not.toMatch(JS_STACK_LINE);
  });

  it('parse: project errors raised while parsing are grouped the same way', async () => {
    const parseDir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/guard.sql': GUARD_MACRO,
      'models/alpha.sql': "select {{ strict_guard('a') }} as x\n",
      'models/beta.sql': "select 1 as id,\n  {{ strict_guard('a') }} as x\n",
    });
    try {
      const result = await runTsdbt(['parse', '--project-dir', parseDir]);
      expect(result.code).toBe(2);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toEqual([
        'Encountered an error:',
        'Compilation Error',
        '  macros/guard.sql:6: strict_guard() refuses a',
        '    in model alpha: models/alpha.sql:1 -> macros/guard.sql:6',
        '    in model beta: models/beta.sql:2 -> macros/guard.sql:6',
        '    hint: this error was raised by exceptions.raise_compiler_error in the project; read the message above',
      ]);
    } finally {
      removeDir(parseDir);
    }
  });

  it('--log-format json: each error carries its node and call chain', async () => {
    const parseDir = testdir({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'macros/guard.sql': GUARD_MACRO,
      'models/alpha.sql': "select {{ strict_guard('a') }} as x\n",
    });
    try {
      const result = await runTsdbt(['parse', '--project-dir', parseDir, '--log-format', 'json']);
      expect(result.code).toBe(2);
      const [event] = jsonLogEvents(result.stderr.trim());
      expect(event).toMatchObject({ name: 'MainEncounteredError', code: 'Z002', level: 'error' });
      expect(event?.data).toMatchObject({ exc: 'Compilation Error in model alpha (models/alpha.sql)\n  strict_guard() refuses a', file: 'macros/guard.sql', line: 6, node: { resource_type: 'model', name: 'alpha', file: 'models/alpha.sql' }, called_from: ['models/alpha.sql:1'] });
    } finally {
      removeDir(parseDir);
    }
  });
});

describe('an internal failure (a JavaScript error inside tsdbt) reads as a tsdbt bug', () => {
  // `modules.re.sub(none, none, none)` reaches a string method of tsdbt's with null: a TypeError in
  // tsdbt's own code today, where Python's re raises its own TypeError. (If that call gets a proper
  // argument check, pick another genuine one; `adapter.quote(none)` was one until it took its
  // arguments as dbt's Python method does and renders "None".)
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'models/quoted.sql': 'select 1 as {{ modules.re.sub(none, none, none) }}\n',
  });
  afterAll(() => removeDir(dir));

  it('names the node and says it is a tsdbt bug, without a stack', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^models\/quoted\.sql:1: internal error: TypeError: /m);
    expect(result.stderr).toContain('in model quoted (models/quoted.sql)');
    expect(result.stderr).toContain('this is a tsdbt bug');
    expect(result.stderr).not.toMatch(JS_STACK_LINE);
  });

  it('prints the JavaScript stack with --debug', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir, '--debug']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('this is a tsdbt bug');
    expect(result.stderr).toMatch(JS_STACK_LINE);
  });

  it('run: a node failing at run time gets the bug notice in its result, the stack only under --debug', async () => {
    writeFiles(dir, { 'models/quoted.sql': 'select 1 as {% if execute %}{{ modules.re.sub(none, none, none) }}{% else %}x{% endif %}\n' });
    const plain = await runTsdbt(['run', '--project-dir', dir]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(1);
    expect(plain.stdout).toContain('Failure in model quoted (models/quoted.sql)');
    expect(plain.stdout).toMatch(/models\/quoted\.sql:1: internal error: TypeError: /);
    expect(plain.stdout).toContain('this is a tsdbt bug');
    expect(plain.stdout + plain.stderr).not.toMatch(JS_STACK_LINE);
    const debug = await runTsdbt(['run', '--project-dir', dir, '--debug']);
    expect(debug.stdout).toMatch(JS_STACK_LINE);
  });
});
