// log(), print() and exceptions.warn() while parsing, as dbt prints them (docs:
// reference/dbt-jinja-functions/log, print; dbt-core's BaseContext.log fires JinjaLogInfo from any
// context, the parse render's too). dbt renders each model, test, analysis, snapshot and hook at
// parse (a model only when its static parser cannot read it, which a log() call prevents), so a
// log() at a file's top level prints during `dbt parse` and any command's parse: once per file,
// per generic test, per node a hook applies to. A partial parse does not render an unchanged file
// again, so an unchanged project prints nothing; an edited file prints again. dbt_project.yml and
// profiles.yml render on every command (their contexts are BaseContexts), property files when parsed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const LOG_LINE = (text: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d {2}${text}$`, 'gm');
const count = (out: string, text: string) => (out.match(LOG_LINE(text)) ?? []).length;

const MODELS: Record<string, string> = {
  'models/a.sql': "{{ log('a at parse: ' ~ execute, info=True) }}\n{% do print('a printed') %}\nselect 1 as id\n",
  'models/b.sql': "{{ shout() }}\nselect * from {{ ref('a') }}\n",
  'models/quiet.sql': "{% if execute %}{{ log('quiet runs', info=True) }}{% endif %}\nselect 1 as id\n",
  'models/warned.sql': "{% do exceptions.warn('warned at parse') %}\nselect 1 as id\n",
  'macros/shout.sql': "{% macro shout() %}{{ log('shout from a macro', info=True) }}{% endmacro %}\n",
  'macros/tests.sql': "{% test loud(model, column_name) %}\n{{ log('loud test on ' ~ column_name, info=True) }}\nselect 1 where false\n{% endtest %}\n",
  'tests/single.sql': "{{ log('singular test', info=True) }}\nselect 1 where false\n",
  'analyses/an.sql': "{{ log('an analysis', info=True) }}\nselect 1\n",
  'models/schema.yml': [
    'version: 2',
    'models:',
    '  - name: a',
    '    config:',
    "      tags: [\"{{ log('property file', info=True) }}t\"]",
    '    columns:',
    '      - name: id',
    '        data_tests: [loud, not_null]',
    '  - name: quiet',
    '    columns:',
    '      - name: id',
    '        data_tests: [loud]',
    '',
  ].join('\n'),
};

const PROJECT = [
  'name: demo',
  "version: \"{{ log('dbt_project.yml renders', info=True) }}1.0.0\"",
  'config-version: 2',
  'profile: demo',
  'models:',
  '  demo:',
  "    +post-hook: \"{{ log('hook of ' ~ this.name, info=True) }}\"",
  '',
].join('\n');

describe('log() and print() while parsing', () => {
  const dir = testdir({ 'dbt_project.yml': PROJECT, ...MODELS });
  afterAll(() => removeDir(dir));
  const parse = async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    return result.stdout;
  };

  it('a full parse prints each file\'s parse-time log lines once, with execute false', async () => {
    const out = await parse();
    expect(count(out, 'a at parse: False')).toBe(1);
    expect(out.match(/^a printed$/gm)).toHaveLength(1); // print(): the text alone, no timestamp
    expect(count(out, 'shout from a macro')).toBe(1);
    expect(count(out, 'warned at parse')).toBe(1);
    expect(count(out, 'singular test')).toBe(1);
    expect(count(out, 'an analysis')).toBe(1);
    // One render per generic test of the macro (dbt renders each but not_null / unique).
    expect(count(out, 'loud test on id')).toBe(2);
    // A hook renders at parse for each node it applies to (dbt's models: config reaches analyses).
    for (const name of ['a', 'b', 'quiet', 'warned', 'an']) expect(count(out, `hook of ${name}`), name).toBe(1);
    expect(count(out, 'property file')).toBe(1);
    expect(out).not.toContain('quiet runs');
  });

  it('dbt_project.yml prints on every parse; an unchanged project re-renders no file', async () => {
    const out = await parse();
    expect(count(out, 'dbt_project.yml renders')).toBe(1);
    for (const text of ['a at parse: False', 'shout from a macro', 'singular test', 'loud test on id', 'hook of a', 'property file']) expect(count(out, text), text).toBe(0);
  });

  it('an edited file renders again and prints again; the others do not', async () => {
    writeFileSync(path.join(dir, 'models/a.sql'), `${MODELS['models/a.sql']}-- edited outside the Jinja tags\n`);
    const out = await parse();
    expect(count(out, 'a at parse: False')).toBe(1);
    expect(out.match(/^a printed$/gm)).toHaveLength(1);
    expect(count(out, 'shout from a macro')).toBe(0);
    expect(count(out, 'singular test')).toBe(0);
  });

  it('run: execution prints the log lines again with execute true, the parse nothing more', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir, '--select', 'a', 'quiet']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(count(result.stdout, 'a at parse: True')).toBe(1);
    expect(count(result.stdout, 'a at parse: False')).toBe(0);
    expect(count(result.stdout, 'quiet runs')).toBe(1);
  });
});

describe('log() and print() in profiles.yml', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\n',
    'models/m.sql': 'select 1 as id\n',
    'profiles.yml': [
      'demo:',
      "  target: \"{{ log('target chosen', info=True) }}dev\"",
      '  outputs:',
      '    dev:',
      '      type: postgres',
      '      host: 127.0.0.1',
      '      user: nobody',
      "      password: \"{{ log('the password is ' ~ env_var('DBT_ENV_SECRET_PW'), info=True) }}{{ env_var('DBT_ENV_SECRET_PW') }}\"",
      '      dbname: nowhere',
      "      schema: \"{{ print('schema printed') }}s\"",
      '    other:',
      '      type: postgres',
      "      schema: \"{{ log('another target', info=True) }}s\"",
      '',
    ].join('\n'),
  });
  afterAll(() => removeDir(dir));

  it("prints the selected target's log lines (a secret masked), not another target's", async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir], { env: { DBT_ENV_SECRET_PW: 'hunter2' } });
    expect(result.code, result.stderr).toBe(0);
    expect(count(result.stdout, 'target chosen')).toBe(1);
    expect(count(result.stdout, 'the password is \\*\\*\\*\\*\\*')).toBe(1);
    expect(result.stdout).toMatch(/^schema printed$/m);
    expect(result.stdout).not.toContain('another target');
    expect(result.stdout).not.toContain('hunter2');
  });
});
