// A first run on the embedded default says that it creates the database (PGlite's initdb takes
// seconds), before anything else runs; later runs do not.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('the first run on the embedded database', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': 'select 1 as id\n' });
  afterAll(() => removeDir(dir));
  const LINE = 'Creating the embedded database in target/tsdbt.pglite (a few seconds, first run only)';

  it('says it creates the database, once, before the first node starts', async () => {
    const first = await runTsdbt(['run', '--project-dir', dir], { env: { HOME: dir } });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    const lines = first.stdout.split('\n');
    const said = lines.findIndex((l) => l.endsWith(LINE));
    expect(said).toBeGreaterThan(-1);
    expect(said).toBeLessThan(lines.findIndex((l) => l.includes('START sql view model')));
    const second = await runTsdbt(['run', '--project-dir', dir], { env: { HOME: dir } });
    expect(second.code).toBe(0);
    expect(second.stdout).not.toContain('Creating the embedded database');
  });
});
