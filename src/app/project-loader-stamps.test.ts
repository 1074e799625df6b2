import { statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../../test/support/testdir.js';
import { createInvocation } from './invocation.js';
import { loadProject } from './project-loader.js';

describe("the load's inputs for the parse index", () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': 'select 1 as id\n', 'models/schema.yml': 'version: 2\nmodels:\n  - name: m\n' });
  writeFileSync(path.join(dir, 'profiles.yml'), `demo:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target', 'db.pglite')}\n      schema: main\n`);
  afterAll(() => removeDir(dir));

  it('carry the stamps the load took of the files it read, so the index asks for them no more', () => {
    const inv = createInvocation({ projectDir: dir, write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: dir, DBT_PROFILES_DIR: '', HOME: dir } });
    const { inputs } = loadProject(inv);
    const stampNow = (rel: string): [number, number] => {
      const stat = statSync(path.join(dir, rel));
      return [stat.size, stat.mtimeMs];
    };
    expect(inputs.stamps?.get(path.join(dir, 'models', 'm.sql'))).toEqual(stampNow('models/m.sql'));
    expect(inputs.stamps?.get(path.join(dir, 'models', 'schema.yml'))).toEqual(stampNow('models/schema.yml'));
    // dbt_project.yml is read before the project's files: the index stats it.
    expect(inputs.stamps?.has(path.join(dir, 'dbt_project.yml'))).toBe(false);
    expect(inputs.files).toContain(path.join(dir, 'models', 'm.sql'));
  });
});
