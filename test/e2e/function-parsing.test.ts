// How dbt 1.11 parses user-defined functions into manifest.json (dbt's "Function properties" and
// "Function configs" pages, dbt-core's FunctionParser): a `functions` section of FunctionNodes with
// arguments, returns, language and config (type scalar by default; volatility from the project's
// `functions:` tree < the property entry < the file's config()), function-paths honoured, the
// model calling `function()` depending on the function; and the parse errors: no `returns:`, an
// argument without a default after one with a default, a function() naming no function.
import { cpSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { lsCommand } from '../../src/app/ls-command.js';
import { offlineParseError, offlineProject } from '../support/offline-project.js';
import { schemaErrors } from '../support/artifact-schemas.js';

type Entry = Record<string, unknown> & { config: Record<string, unknown>; depends_on: { nodes: string[] } };

const PROJECT = 'name: demo\nprofile: demo\nfunction-paths: ["udfs"]\nfunctions:\n  +volatility: stable\n  +schema: fns\n';

const ENTRY = [
  'functions:',
  '  - name: double_it',
  '    description: Doubles whatever number is passed in',
  '    arguments:',
  '      - name: value',
  '        data_type: float',
  '        description: A number to be doubled',
  '    returns:',
  '      data_type: float',
  '  - name: pinned',
  '    config:',
  '      volatility: non-deterministic',
  '    arguments: []',
  '    returns: {data_type: integer}',
  '',
].join('\n');

/** `double_it(value float) -> float` in functions/, in a project named demo. */
const DOUBLE_IT = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'functions/double_it.sql': 'SELECT value * 2\n',
  'functions/schema.yml': 'functions:\n  - name: double_it\n    arguments: [{name: value, data_type: float}]\n    returns: {data_type: float}\n',
};

/** An invocation in `dir` whose output goes to `lines`. */
function invocationIn(dir: string, lines: string[], init: Partial<InvocationOptions> = {}) {
  return createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir }, ...init });
}

describe('user-defined functions in manifest.json', () => {
  it('writes each function under `functions` with its signature and layered config, and the caller depends on it', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': PROJECT,
        'udfs/double_it.sql': 'SELECT value * 2\n',
        'udfs/pinned.sql': "{{ config(volatility='deterministic') }}\nSELECT 1\n",
        'udfs/schema.yml': ENTRY,
        'models/m.sql': "select {{ function('double_it') }}(1) as x\n",
      },
      'parse',
    );
    const manifest = p.manifest<Record<string, Record<string, Entry>>>();
    expect(schemaErrors('manifest', manifest)).toEqual([]);
    expect(Object.keys(manifest.functions ?? {})).toEqual(['function.demo.double_it', 'function.demo.pinned']);
    expect(Object.keys(manifest.nodes ?? {})).toEqual(['model.demo.m']);
    const fn = manifest.functions?.['function.demo.double_it'] as Entry;
    expect(fn).toMatchObject({
      resource_type: 'function',
      language: 'sql',
      description: 'Doubles whatever number is passed in',
      original_file_path: 'udfs/double_it.sql',
      schema: 'main_fns',
      arguments: [{ name: 'value', data_type: 'float', description: 'A number to be doubled', default_value: null }],
      returns: { data_type: 'float', description: null },
    });
    expect(fn.config).toMatchObject({ materialized: 'function', type: 'scalar', volatility: 'stable' });
    // The file's config() wins over the property entry, which wins over dbt_project.yml.
    expect(manifest.functions?.['function.demo.pinned']?.config.volatility).toBe('deterministic');
    const model = manifest.nodes?.['model.demo.m'] as Entry;
    expect(model.depends_on.nodes).toEqual(['function.demo.double_it']);
    expect(model.functions).toEqual([['double_it']]);
    expect(manifest.parent_map?.['model.demo.m']).toEqual(['function.demo.double_it']);
  });

  it('a model edited to call function() depends on the function after a partial parse too', async () => {
    const p = await offlineProject({ ...DOUBLE_IT, 'models/m.sql': 'select 1 as x\n' }, 'parse');
    writeFileSync(path.join(p.dir, 'models', 'm.sql'), "select {{ function('double_it') }}(1) as x\n");
    const lines: string[] = [];
    expect(await parseCommand(invocationIn(p.dir, lines)), lines.join('\n')).toBe(0);
    const model = p.manifest<Record<string, Record<string, Entry>>>().nodes?.['model.demo.m'] as Entry;
    expect(model.depends_on.nodes).toEqual(['function.demo.double_it']);
  });

  it('state:modified compares a function with the state manifest\'s `functions` entry: only the edited one is modified', async () => {
    const p = await offlineProject(
      {
        ...DOUBLE_IT,
        'functions/triple_it.sql': 'SELECT value * 3\n',
        'functions/triple.yml': 'functions:\n  - name: triple_it\n    arguments: [{name: value, data_type: float}]\n    returns: {data_type: float}\n',
      },
      'parse',
    );
    cpSync(path.join(p.dir, 'target'), path.join(p.dir, 'prod'), { recursive: true });
    writeFileSync(path.join(p.dir, 'functions', 'triple_it.sql'), 'SELECT value * 3.0\n');
    const lines: string[] = [];
    expect(await lsCommand(invocationIn(p.dir, lines, { state: path.join(p.dir, 'prod'), select: ['state:modified'] }), { output: 'selector' }), lines.join('\n')).toBe(0);
    expect(lines.filter((l) => l.startsWith('demo.'))).toEqual(['demo.triple_it']);
  });

  it('a Python function is parsed with language python, its config (runtime_version, entry_point) kept', async () => {
    const p = await offlineProject(
      {
        'dbt_project.yml': 'name: demo\nprofile: demo\n',
        'functions/py_double.py': '\ndef entry(value):\n    return value * 2\n',
        'functions/schema.yml': 'functions:\n  - name: py_double\n    config: {runtime_version: "3.11", entry_point: entry}\n    arguments: [{name: value, data_type: float}]\n    returns: {data_type: float}\n',
      },
      'parse',
    );
    const fn = p.manifest<Record<string, Record<string, Entry>>>().functions?.['function.demo.py_double'] as Entry;
    expect(fn).toMatchObject({ language: 'python', raw_code: 'def entry(value):\n    return value * 2' });
    expect(fn.config).toMatchObject({ runtime_version: '3.11', entry_point: 'entry', type: 'scalar' });
  });

  it('a function without `returns:` is an error at its file', async () => {
    const error = await offlineParseError({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'functions/f.sql': 'SELECT 1\n',
    });
    expect(error).toContain("function 'f' has no return type");
    expect(error).toContain('at functions/f.sql');
  });

  it("dbt's error for an argument without a default after one with a default", async () => {
    const error = await offlineParseError({
      'dbt_project.yml': 'name: demo\nprofile: demo\n',
      'functions/sum_2.sql': 'SELECT a + b\n',
      'functions/schema.yml': 'functions:\n  - name: sum_2\n    arguments:\n      - {name: a, data_type: integer, default_value: 0}\n      - {name: b, data_type: integer}\n    returns: {data_type: integer}\n',
    });
    expect(error).toContain("Non-defaulted argument 'b' of function 'sum_2' comes after a defaulted argument.");
    expect(error).toContain('at functions/schema.yml');
  });

  it('function() naming no function fails the parse with the closest name', async () => {
    const error = await offlineParseError({
      ...DOUBLE_IT,
      'models/m.sql': "select 1 as a,\n  {{ function('doble_it') }}(1) as x\n",
    });
    expect(error).toContain("model 'm' depends on a function named 'doble_it' which was not found. Did you mean 'double_it'?");
    expect(error).toContain('at models/m.sql');
  });
});
