// A PGlite lock file naming a live process that is not tsdbt (the tsdbt that wrote it was killed,
// and its pid was later given to another program) must not lock the user out: the build takes the
// lock over and says so. A live tsdbt holding the database still blocks (test/adapters/pglite.test.ts).
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('a PGlite lock naming a reused pid', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': 'select 1 as id\n' });
  const other = spawn('sleep', ['600'], { stdio: 'ignore' });
  afterAll(() => {
    other.kill('SIGKILL');
    removeDir(dir);
  });

  it('does not block the build, which takes the lock over with a warning', async () => {
    const pid = other.pid as number;
    const dataDir = path.join(dir, 'target/tsdbt.pglite');
    mkdirSync(dataDir, { recursive: true });
    // Left by a tsdbt killed with kill -9 (no start time: an older tsdbt or a hand-written lock).
    writeFileSync(path.join(dataDir, 'tsdbt.lock'), `${pid}\n`);
    const result = await runTsdbt(['build', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(0);
    expect(out).toContain(`took over the lock of the PGlite database ${dataDir}: tsdbt.lock named pid ${pid} is \`sleep 600\`, not tsdbt, so the tsdbt that held it is gone`);
    expect(out).toMatch(/OK created sql view model analytics\.m/);
    // The build released the lock when it finished; the unrelated process was left alone.
    expect(() => readFileSync(path.join(dataDir, 'tsdbt.lock'))).toThrow(/ENOENT/);
    expect(other.exitCode).toBeNull();
  });
});
