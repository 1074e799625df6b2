// tsdbt debug runs every check dbt's debug runs (dbt docs: reference/commands/debug): the profile,
// dbt_project.yml, git and the connection, each printed as [OK found and valid], [ERROR invalid] or
// [ERROR not found] whatever the others found; then "All checks passed!" (exit 0) or
// "N check(s) failed:" with each reason (exit 1: a scheduler reads it as failed checks, not a usage
// error).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const PROFILES = ['demo:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: dbg_schema', ''].join('\n');

describe('tsdbt debug checks', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': PROFILES });
  const badProject = testdir({ 'dbt_project.yml': 'invalid-key: not a valid key\n' });
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  afterAll(() => [dir, badProject].forEach(removeDir));

  it('all checks pass: each printed OK, then All checks passed! (exit 0)', async () => {
    const result = await runTsdbt(['debug', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('profiles.yml file [OK found and valid]');
    expect(result.stdout).toContain('dbt_project.yml file [OK found and valid]');
    expect(result.stdout).toContain('profile: demo [OK found]');
    expect(result.stdout).toContain('target: dev [OK found]');
    expect(result.stdout).toContain('Connection test: [OK connection ok]');
    expect(result.stdout).toContain('All checks passed!');
  });

  it('writes dbt.log as dbt does, in the project\'s logs/ or at --log-path even without a project', async () => {
    await runTsdbt(['debug', '--project-dir', dir], { env });
    expect(readFileSync(path.join(dir, 'logs', 'dbt.log'), 'utf8')).toContain('All checks passed!');
    const empty = testdir({});
    const logs = path.join(empty, 'elsewhere');
    const result = await runTsdbt(['debug', '--project-dir', empty, '--log-path', logs, '--log-format-file', 'json'], { env });
    expect(result.code).toBe(1);
    const names = readFileSync(path.join(logs, 'dbt.log'), 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { info: { name: string } }).info.name);
    expect(names.length).toBeGreaterThan(3);
    removeDir(empty);
  });

  it('a bad target: the profile check fails, the project check still runs, the connection is skipped; 1 check failed, exit 1', async () => {
    const result = await runTsdbt(['debug', '--project-dir', dir, '--target', 'nope'], { env });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(result.stdout).toContain('profiles.yml file [ERROR invalid]');
    expect(result.stdout).toContain('dbt_project.yml file [OK found and valid]');
    expect(result.stdout).toContain('Connection test skipped since no profile was found');
    expect(out).toContain('1 check failed:');
    expect(out).toContain('Profile loading failed for the following reason:');
    expect(out).toContain("The profile 'demo' does not have a target named 'nope'.");
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('a missing profiles.yml and an invalid project: both reported, 2 checks failed, exit 1', async () => {
    const result = await runTsdbt(['debug', '--project-dir', badProject, '--profiles-dir', 'NONE'], { env: { HOME: badProject, DBT_PROFILES_DIR: '' } });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(result.stdout).toContain('profiles.yml file [ERROR not found]');
    expect(result.stdout).toContain('dbt_project.yml file [ERROR invalid]');
    expect(out).toContain('2 checks failed:');
    expect(out).toMatch(/dbt looked for a profiles\.yml file in \S*NONE/);
    expect(out).toContain('Project loading failed for the following reason:');
  });

  // dbt reads profiles.yml from --profiles-dir alone (the click option wins over DBT_PROFILES_DIR) and names
  // it as given (dbt-tests-adapter's BaseDebug test_connection_flag: `--profiles-dir NONE`).
  it('--profiles-dir is the one folder read, even with DBT_PROFILES_DIR set; its file named as given', async () => {
    const result = await runTsdbt(['debug', '--project-dir', dir, '--connection', '--profiles-dir', 'NONE'], { env: { ...env, DBT_PROFILES_DIR: dir } });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(out).toContain('1 check failed');
    expect(out).toContain(`dbt looked for a profiles.yml file in ${path.join('NONE', 'profiles.yml')}, but did`);
  });

  it('--connection skips the configuration checks but still checks the connection', async () => {
    const result = await runTsdbt(['debug', '--project-dir', dir, '--connection'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('Skipping steps before connection verification');
    expect(result.stdout).not.toContain('Configuration:');
    expect(result.stdout).toContain('Connection test: [OK connection ok]');
  });

  // dbt's DebugTask renders the profile name as every command does (PartialProject.render_profile_name:
  // env_var and --vars); it used to be read as raw text here, so `{{ env_var(...) }}` named no profile.
  it("a var dbt_project.yml needs and nobody gives stops debug as dbt's CompilationError (exit 2), as it stops run", async () => {
    const project = testdir({ 'dbt_project.yml': `${MINIMAL_PROJECT_YML}models:\n  +materialized: "{{ var('materialized_var') }}"\n`, 'profiles.yml': PROFILES });
    try {
      const result = await runTsdbt(['debug', '--project-dir', project], { env: { HOME: project, DBT_PROFILES_DIR: '' } });
      const out = result.stdout + result.stderr;
      expect(result.code, out).toBe(2);
      expect(out).toContain('Compilation Error');
      expect(out).toContain("Required var 'materialized_var' not found in config");
      // Given a default, the project check passes.
      writeFileSync(path.join(project, 'dbt_project.yml'), `${MINIMAL_PROJECT_YML}models:\n  +materialized: "{{ var('materialized_var', 'view') }}"\n`);
      const ok = await runTsdbt(['debug', '--project-dir', project], { env: { HOME: project, DBT_PROFILES_DIR: '' } });
      expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    } finally {
      removeDir(project);
    }
  });

  it('reads the profile name from dbt_project.yml rendered with env_var and --vars', async () => {
    const rendered = testdir({
      'dbt_project.yml': MINIMAL_PROJECT_YML.replace('profile: demo', "profile: \"{{ env_var('DBG_PROFILE_NAME') }}{{ var('suffix', '') }}\""),
      'profiles.yml': PROFILES.replace('demo:', 'demo_rendered:'),
    });
    try {
      const result = await runTsdbt(['debug', '--project-dir', rendered, '--vars', '{suffix: _rendered}'], { env: { HOME: rendered, DBT_PROFILES_DIR: '', DBG_PROFILE_NAME: 'demo' } });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('profile: demo_rendered [OK found]');
      expect(result.stdout).toContain('Connection test: [OK connection ok]');
    } finally {
      removeDir(rendered);
    }
  });
});
