// `deps` and `clean` need no profile: dbt runs them with an UnsetProfile, whose `target` is an empty
// dict where every key reads as '' (DictDefaultEmptyStr). So they work when the profile cannot
// load (an env var it reads is unset), and dbt_project.yml's `target` reads as '' there.
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const PROJECT = [
  'name: demo',
  'profile: demo',
  'packages-install-path: "pkgs{{ target.name }}"',
  'clean-targets: ["target", "pkgs{{ target.name }}"]',
  'models:',
  '  +any_config: "{{ target.name }}"',
  // dbt-core's TestSimpleDependencyBadProfile: the filter binds to the list; '' is in its text.
  "  +enabled: \"{{ target.name in ['redshift', 'postgres'] | as_bool }}\"",
  '',
].join('\n');

const PROFILE = "demo:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: \"{{ env_var('UNSET_PROFILE_TEST_HOST') }}\"\n      user: u\n      password: p\n      dbname: d\n      schema: s\n";

describe('deps and clean without a profile', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('install packages and clean although the profile cannot load, with target keys reading as empty', async () => {
    const dir = testdir({
      'dbt_project.yml': PROJECT,
      'profiles.yml': PROFILE,
      'packages.yml': 'packages:\n  - local: vendor/helpers\n',
      'vendor/helpers/dbt_project.yml': "name: helpers\nversion: '1.0.0'\nconfig-version: 2\n",
      'models/m.sql': 'select 1 as id\n',
    });
    dirs.push(dir);
    const deps = await runTsdbt(['deps', '--project-dir', dir, '--profiles-dir', dir]);
    expect(deps.code, deps.stdout + deps.stderr).toBe(0);
    // `pkgs{{ target.name }}` is `pkgs`: target.name reads as ''.
    expect(readdirSync(path.join(dir, 'pkgs'))).toEqual(['helpers']);
    mkdirSync(path.join(dir, 'target'), { recursive: true });
    const clean = await runTsdbt(['clean', '--project-dir', dir, '--profiles-dir', dir]);
    expect(clean.code, clean.stdout + clean.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'pkgs'))).toBe(false);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
    // A command that needs the profile still says what is missing.
    const parse = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
    expect(parse.code).toBe(2);
    expect(parse.stdout + parse.stderr).toContain('UNSET_PROFILE_TEST_HOST');
  });
});
