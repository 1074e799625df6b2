// `deps` and dbt's version check (docs.getdbt.com/reference/global-configs/version-compatibility):
// with the check on, dbt's registry client offers only the hub versions whose require_dbt_version
// admits the running dbt; `dbt --no-version-check deps` (or DBT_VERSION_CHECK=false) offers them all
// (dbt-core's get_compatible_versions), so a project pinned to an old package still installs it.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PackageHub } from '../support/package-hub.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir, writeFiles } from '../support/testdir.js';

describe('deps with --no-version-check', () => {
  let hub: PackageHub;
  let work: string;
  const env = (name: string) => ({ HOME: work, DBT_PACKAGE_HUB_URL: '', DBT_VERSION_CHECK: '', TSDBT_PACKAGE_HUB_URL: hub.url, TSDBT_CACHE_DIR: path.join(work, `cache-${name}`), TSDBT_DEPS_RETRIES: '1', TSDBT_DEPS_RETRY_DELAY_MS: '0' });
  const project = (name: string) => {
    const dir = path.join(work, name);
    writeFiles(dir, { 'dbt_project.yml': `name: ${name}\n`, 'packages.yml': 'packages:\n  - package: org/old_pkg\n    version: 0.7.1\n' });
    return dir;
  };
  const installed = (dir: string) => {
    const file = path.join(dir, 'dbt_packages', 'old_pkg', 'macros', 'm.sql');
    return existsSync(file) ? readFileSync(file, 'utf8') : null;
  };

  beforeAll(async () => {
    work = testdir({}, 'tsdbt-deps-version-check-');
    hub = await PackageHub.start();
    await hub.publish({ package: 'org/old_pkg', version: '0.7.1', require_dbt_version: ['>=0.20.0', '<1.0.0'], files: { 'macros/m.sql': '{% macro old() %}71{% endmacro %}\n' } });
    await hub.publish({ package: 'org/old_pkg', version: '1.0.0', files: { 'macros/m.sql': '{% macro old() %}100{% endmacro %}\n' } });
  });
  afterAll(async () => {
    await hub.stop();
    removeDir(work);
  });

  it('with the check on, a pin to a version whose require_dbt_version excludes dbt is refused', async () => {
    const dir = project('checked');
    const out = await runTsdbt(['deps', '--project-dir', dir], { env: env('checked') });
    expect(out.code, out.stdout + out.stderr).toBe(2);
    expect(out.stderr).toContain('no version of org/old_pkg satisfies 0.7.1');
    expect(installed(dir)).toBeNull();
  });

  it('the global --no-version-check flag (before or after the command) installs the pinned version', async () => {
    for (const [name, args] of [['before', ['--no-version-check', 'deps']], ['after', ['deps', '--no-version-check']]] as const) {
      const dir = project(name);
      const out = await runTsdbt([...args, '--project-dir', dir], { env: env(name) });
      expect(out.code, out.stdout + out.stderr).toBe(0);
      expect(installed(dir)).toBe('{% macro old() %}71{% endmacro %}\n');
      expect(readFileSync(path.join(dir, 'package-lock.yml'), 'utf8')).toContain('version: 0.7.1');
    }
  });
});
