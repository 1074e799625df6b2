// dbt_project.yml's config-version: dbt 1.x parses a node only with version 2 (dbt-core
// parser/base.py initial_config: min(the node's project's, the root project's) must be 2, else
// DbtInternalError "Got an unexpected project version=1, expected 2"). A project with no nodes
// loads whatever its version, as dbt never asks.
import { afterEach, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROFILES = 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n';

describe('config-version', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) removeDir(d);
  });
  const parse = async (files: Record<string, string>) => {
    const dir = testdir({ 'profiles.yml': PROFILES, ...files });
    dirs.push(dir);
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    return { code: await parseCommand(inv), output: lines.join('\n') };
  };

  it('a root project of version 1 with a model is refused, as dbt refuses it when it parses the model', async () => {
    // The load stops (the CLI exits 2) with the error dbt gives.
    await expect(parse({ 'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 1\n', 'models/m.sql': 'select 1 as id\n' })).rejects.toMatchObject({
      code: 'project-config-version',
      message: 'Got an unexpected project version=1, expected 2',
    });
  });

  it('an installed package of version 1 with a model is refused; one with macros only loads', async () => {
    const withModel = parse({
      'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\n',
      'models/m.sql': 'select 1 as id\n',
      'dbt_packages/old/dbt_project.yml': "name: old\nversion: '1.0.0'\nconfig-version: 1\n",
      'dbt_packages/old/models/legacy.sql': 'select 2 as id\n',
    });
    await expect(withModel).rejects.toMatchObject({ code: 'project-config-version', message: 'Got an unexpected project version=1, expected 2' });
    const macrosOnly = await parse({
      'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 2\n',
      'models/m.sql': 'select 1 as id\n',
      'dbt_packages/old/dbt_project.yml': "name: old\nversion: '1.0.0'\nconfig-version: 1\n",
      'dbt_packages/old/macros/m.sql': '{% macro one() %}1{% endmacro %}\n',
    });
    expect(macrosOnly.code, macrosOnly.output).toBe(0);
  });

  it('a root project of version 1 with no node loads', async () => {
    const out = await parse({ 'dbt_project.yml': 'name: demo\nprofile: demo\nconfig-version: 1\n', 'macros/m.sql': '{% macro one() %}1{% endmacro %}\n' });
    expect(out.code, out.output).toBe(0);
  });
});
