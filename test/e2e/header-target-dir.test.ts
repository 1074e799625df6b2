// dbt_project.yml's `target-path` (rendered with env_var, as dbt renders the project's header)
// decides where the commands that read target/ before the project loads look: `tsdbt parse`'s
// index of the last parse, `tsdbt retry`'s run_results.json and `tsdbt debug`'s embedded database.
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { plainTargetPath } from '../../src/app/header-target-dir.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const UNCHANGED = 'nothing changed since the last parse';
const project = (targetPath: string) => ['name: demo', 'profile: demo', `target-path: ${targetPath}`, ''].join('\n');

describe("dbt_project.yml's target-path read before the project loads", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));
  const dir = (files: Record<string, string>) => {
    const d = testdir(files);
    dirs.push(d);
    return d;
  };

  it('reads a plain value from the text, and leaves anything YAML or Jinja could read differently to the header reader', () => {
    expect(plainTargetPath('name: a\ntarget-path: out\n')).toBe('out');
    expect(plainTargetPath('name: a\r\ntarget-path: "build/out"\r\n')).toBe('build/out');
    expect(plainTargetPath("target-path: 'x'\n")).toBe('x');
    expect(plainTargetPath('name: a\nprofile: a\n')).toBeNull();
    for (const text of [
      'target-path: "{{ env_var(\'OUT\') }}"\n',
      'target-path: out # where\n',
      'target-path: ~\n',
      'target-path: null\n',
      'target-path: 2024\n',
      'target-path:\n',
      'target-path: out\ntarget-path: other\n',
      '{name: a, target-path: out}\n',
      'models:\n  target-path: x\n',
    ]) {
      expect(plainTargetPath(text), text).toBeUndefined();
    }
  });

  it.each([
    ['a plain value', 'out', {}],
    ['an env_var', '"{{ env_var(\'TSDBT_TEST_OUT\') }}"', { TSDBT_TEST_OUT: 'out' }],
  ])('parse answers from the index the last parse wrote under %s', async (_what, targetPath, env) => {
    const d = dir({ 'dbt_project.yml': project(targetPath), 'models/a.sql': 'select 1 as id\n' });
    const first = await runTsdbt(['parse', '--project-dir', d], { env });
    expect(first.code, first.stdout + first.stderr).toBe(0);
    expect(existsSync(path.join(d, 'out/manifest.json'))).toBe(true);
    expect(existsSync(path.join(d, 'target'))).toBe(false);
    const second = await runTsdbt(['parse', '--project-dir', d], { env });
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toContain(`${UNCHANGED}, out/manifest.json is current`);
    expect(existsSync(path.join(d, 'target'))).toBe(false);
  });

  it.each([
    ['PGlite', {}, 'out/tsdbt.pglite'],
    ['chDB', { 'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: clickhouse, driver: chdb, schema: header_target}\n' }, 'out/tsdbt.chdb'],
  ])('debug connects to the embedded database (%s) under the target-path, creating no target/', async (_engine, files: Record<string, string>, database) => {
    const d = dir({ 'dbt_project.yml': project('out'), 'models/a.sql': 'select 1 as id\n', ...files });
    const debug = await runTsdbt(['debug', '--project-dir', d, ...(files['profiles.yml'] ? ['--profiles-dir', d] : [])]);
    expect(debug.code, debug.stdout + debug.stderr).toBe(0);
    expect(debug.stdout).toContain('connection: OK');
    expect(existsSync(path.join(d, database))).toBe(true);
    expect(existsSync(path.join(d, 'target'))).toBe(false);
  });

  it('retry finds the last run_results.json under a rendered target-path', async () => {
    const env = { TSDBT_TEST_OUT: 'runs/latest' };
    const d = dir({
      'dbt_project.yml': project('"{{ env_var(\'TSDBT_TEST_OUT\') }}"'),
      'models/a.sql': 'select 1 as id\n',
      'models/b.sql': "{{ config(materialized='table') }} select id / 0 as boom from {{ ref('a') }}\n",
    });
    const run = await runTsdbt(['run', '--project-dir', d], { env });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    writeFileSync(path.join(d, 'models/b.sql'), "select id * 2 as doubled from {{ ref('a') }}\n");
    const retry = await runTsdbt(['retry', '--project-dir', d], { env });
    expect(retry.code, retry.stdout + retry.stderr).toBe(0);
    expect(retry.stdout).toContain('Retrying 1 of 2 nodes of the previous `run`');
    expect(retry.stdout).toMatch(/OK created sql \w+ model \w+\.b/);
  });
});
