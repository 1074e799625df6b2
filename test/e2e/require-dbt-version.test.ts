// dbt_project.yml's require-dbt-version (docs.getdbt.com/reference/project-configs/require-dbt-version):
// a project or an installed package whose range excludes the dbt version stops the command with
// dbt's message, unless --no-version-check (or DBT_VERSION_CHECK=false).
import { afterAll, describe, expect, it } from 'vitest';
import { DBT_VERSION } from '../../src/manifest/dbt-version.js';
import { runTsdbt } from '../support/run-cli.js';
import { pgliteTarget, profilesYaml } from '../support/postgres-targets.js';
import { removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => removeDir(d)));

function project(files: Record<string, string>): string {
  const dir = testdir({ 'profiles.yml': profilesYaml('demo', pgliteTarget()), 'models/m.sql': 'select 1 as id\n', ...files });
  dirs.push(dir);
  return dir;
}

describe('require-dbt-version', () => {
  it("refuses a project whose range excludes dbt's version, with dbt's message; --no-version-check runs it", async () => {
    const dir = project({ 'dbt_project.yml': "name: demo\nprofile: demo\nrequire-dbt-version: '<1.3.0'\n" });
    const refused = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const out = refused.stdout + refused.stderr;
    expect(refused.code, out).toBe(2);
    expect(out).toContain("This version of dbt is not supported with the 'demo' package.");
    expect(out).toContain(`Installed version of dbt: =${DBT_VERSION}`);
    expect(out).toContain("Required version of dbt for 'demo': ['<1.3.0']");
    const skipped = await runTsdbt(['parse', '--no-version-check', '--project-dir', dir, '--profiles-dir', dir]);
    expect(skipped.code, skipped.stdout + skipped.stderr).toBe(0);
    const byEnv = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir], { env: { DBT_VERSION_CHECK: 'false' } });
    expect(byEnv.code, byEnv.stdout + byEnv.stderr).toBe(0);
  });

  it("an installed package's range is checked too; a range that admits dbt's version passes", async () => {
    const dir = project({
      'dbt_project.yml': "name: demo\nprofile: demo\nrequire-dbt-version: ['>=1.0.0', '<3.0.0']\n",
      'packages.yml': 'packages:\n  - local: old_pkg\n',
      'old_pkg/dbt_project.yml': "name: old_pkg\nrequire-dbt-version: '>=0.20.0,<1.0.0'\n",
      'dbt_packages/old_pkg/dbt_project.yml': "name: old_pkg\nrequire-dbt-version: '>=0.20.0,<1.0.0'\n",
    });
    const refused = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    const out = refused.stdout + refused.stderr;
    expect(refused.code, out).toBe(2);
    expect(out).toContain("Required version of dbt for 'old_pkg': ['>=0.20.0', '<1.0.0']");
    expect(out).toContain('dbt_packages/old_pkg/dbt_project.yml');
  });
});
