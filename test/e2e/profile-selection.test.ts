// A target or profile named on the command line must exist: without a profiles.yml, `--target prod`
// used to build on the embedded PGlite database and exit 0, having built nothing the user asked for.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('a named target or profile that does not exist', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': 'select 1 as id\n' });
  // HOME is the project, so no ~/.dbt/profiles.yml of the machine is found.
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => removeDir(dir));

  it('--target prod without any profiles.yml is a usage error naming the target and where tsdbt looked', async () => {
    const result = await runTsdbt(['build', '--project-dir', dir, '--target', 'prod'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    const out = result.stdout + result.stderr;
    expect(out).toContain("target 'prod' (--target) of profile 'demo' not found: no profiles.yml in");
    expect(out).toContain(path.join(dir, '.dbt'));
    expect(out).toContain("the only target is the embedded database's 'dev'");
    expect(out).not.toMatch(/\n\s+at /); // no JavaScript stack
    expect(existsSync(path.join(dir, 'target/tsdbt.pglite')), 'nothing may be built on the embedded database').toBe(false);
  });

  it("debug says the same as its profile check's failure (exit 1, as dbt's), before touching any database", async () => {
    const result = await runTsdbt(['debug', '--project-dir', dir, '--target', 'prod'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(1);
    expect(result.stdout).toContain('profiles.yml file [ERROR invalid]');
    expect(result.stdout + result.stderr).toContain('1 check failed');
    expect(result.stdout + result.stderr).toContain("target 'prod' (--target) of profile 'demo' not found");
  });

  it('--profile without any profiles.yml is a usage error too', async () => {
    const result = await runTsdbt(['build', '--project-dir', dir, '--profile', 'warehouse'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(2);
    expect(result.stdout + result.stderr).toContain("profile 'warehouse' (--profile) not found: no profiles.yml in");
    expect(existsSync(path.join(dir, 'target/tsdbt.pglite'))).toBe(false);
  });

  it('--profile picks a profile of profiles.yml, and an unknown --target in it is an error', async () => {
    const withProfiles = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML,
      'models/m.sql': 'select 1 as id\n',
      'profiles.yml': ['other:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: other_schema', ''].join('\n'),
    });
    try {
      const debug = await runTsdbt(['debug', '--project-dir', withProfiles, '--profile', 'other'], { env: { HOME: withProfiles, DBT_PROFILES_DIR: '' } });
      expect(debug.code, debug.stdout + debug.stderr).toBe(0);
      expect(debug.stdout).toContain('profile: other, target: dev, type: pglite');
      expect(debug.stdout).toContain('schema: other_schema');
      const missing = await runTsdbt(['build', '--project-dir', withProfiles, '--profile', 'other', '--target', 'prod'], { env: { HOME: withProfiles, DBT_PROFILES_DIR: '' } });
      expect(missing.code).toBe(2);
      expect(missing.stdout + missing.stderr).toContain("The profile 'other' does not have a target named 'prod'.");
    } finally {
      removeDir(withProfiles);
    }
  });

  it('--target dev names the embedded default, which still works', async () => {
    const result = await runTsdbt(['debug', '--project-dir', dir, '--target', 'dev'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('profiles.yml: none (embedded PGlite default)');
    // The file looked for, as dbt's debug names it (dbt-core's profiles/test_profile_dir.py).
    expect(result.stdout).toContain(`Using profiles.yml file at ${path.join(dir, '.dbt', 'profiles.yml')} (not found: the embedded PGlite default is used)`);
    expect(result.stdout).toContain('All checks passed!');
  });
});
