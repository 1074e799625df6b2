// An invocation's relative folder names (--project-dir, --profiles-dir, DBT_PROFILES_DIR) are read
// from its working directory, as dbt reads them from the shell's; a program that runs tsdbt for
// several projects names that directory (InvocationOptions.cwd) instead of changing the process's.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createInvocation } from './invocation.js';
import { resolveProfile } from './project-loader.js';

const PROFILES = ['shop:', '  target: dev', '  outputs:', '    dev:', '      type: pglite', '      path: memory', '      schema: from_cwd_profiles', ''].join('\n');

describe('an invocation reads relative folders from its own working directory', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-inv-cwd-'));
  mkdirSync(path.join(root, 'proj'));
  mkdirSync(path.join(root, 'ci', 'profiles'), { recursive: true });
  writeFileSync(path.join(root, 'ci', 'profiles', 'profiles.yml'), PROFILES);
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const header = { name: 'shop', profile: 'shop', targetPath: null };

  it('resolves --project-dir against the given cwd, not the process', () => {
    const inv = createInvocation({ cwd: root, projectDir: 'proj', env: { HOME: root }, write: () => {} });
    expect(inv.cwd).toBe(root);
    expect(inv.projectDir).toBe(path.join(root, 'proj'));
  });

  it('finds profiles.yml through a relative --profiles-dir or DBT_PROFILES_DIR under the given cwd', () => {
    const viaFlag = createInvocation({ cwd: root, projectDir: 'proj', profilesDir: 'ci/profiles', env: { HOME: root }, write: () => {} });
    expect(resolveProfile(viaFlag, {}, header).target.schema).toBe('from_cwd_profiles');
    const viaEnv = createInvocation({ cwd: path.join(root, 'ci'), projectDir: '../proj', env: { HOME: root, DBT_PROFILES_DIR: './profiles' }, write: () => {} });
    expect(viaEnv.projectDir).toBe(path.join(root, 'proj'));
    expect(resolveProfile(viaEnv, {}, header).target.schema).toBe('from_cwd_profiles');
  });

  it('takes the nearest dbt_project.yml above the working directory when no project folder is named, as dbt does', () => {
    const project = path.join(root, 'walk');
    mkdirSync(path.join(project, 'python_tests', 'deep'), { recursive: true });
    writeFileSync(path.join(project, 'dbt_project.yml'), 'name: walk\n');
    expect(createInvocation({ cwd: path.join(project, 'python_tests', 'deep'), env: { HOME: root }, write: () => {} }).projectDir).toBe(project);
    expect(createInvocation({ cwd: project, env: { HOME: root }, write: () => {} }).projectDir).toBe(project);
    // Named folders win, and a folder with no project above it stays the working directory.
    expect(createInvocation({ cwd: path.join(project, 'python_tests'), env: { HOME: root, DBT_PROJECT_DIR: '.' }, write: () => {} }).projectDir).toBe(path.join(project, 'python_tests'));
    expect(createInvocation({ cwd: path.join(root, 'ci'), env: { HOME: root }, write: () => {} }).projectDir).toBe(path.join(root, 'ci'));
  });
});
