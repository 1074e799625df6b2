// dbt parses on-run-start / on-run-end hooks as nodes and renders them at parse (HookParser), so a
// log() in a project hook prints during `dbt parse` (execute false) and again when the hook runs
// (docs: reference/project-configs/on-run-start-on-run-end; dbt-core's BaseContext.log). An
// unchanged project parses nothing again, so its hooks print nothing at the next parse.
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const LOG_LINE = (text: string) => new RegExp(`^\\d\\d:\\d\\d:\\d\\d {2}${text}$`, 'gm');
const count = (out: string, text: string) => (out.match(LOG_LINE(text)) ?? []).length;

const PROJECT = [
  'name: demo',
  'config-version: 2',
  'profile: demo',
  'on-run-start:',
  "  - \"{{ log('start hook, execute ' ~ execute, info=True) }}\"",
  '  - select 1',
  'on-run-end:',
  "  - \"{{ log('end hook, execute ' ~ execute, info=True) }}\"",
  '',
].join('\n');

describe('on-run-start / on-run-end hooks render at parse', () => {
  const dir = testdir({ 'dbt_project.yml': PROJECT, 'models/m.sql': 'select 1 as id\n' });
  afterAll(() => removeDir(dir));

  it('a parse prints their log lines once each with execute false; an unchanged project prints none', async () => {
    const first = await runTsdbt(['parse', '--project-dir', dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(count(first.stdout, 'start hook, execute False')).toBe(1);
    expect(count(first.stdout, 'end hook, execute False')).toBe(1);
    const again = await runTsdbt(['parse', '--project-dir', dir]);
    expect(again.code, again.stderr).toBe(0);
    expect(count(again.stdout, 'start hook, execute False')).toBe(0);
  });
});

// dbt renders packages.yml (env_var, --vars) whenever it loads the project, not only for `deps`.
describe('packages.yml renders on every command', () => {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nconfig-version: 2\nprofile: demo\n',
    'models/m.sql': 'select 1 as id\n',
    'packages.yml': "packages:\n  - local: \"{{ log('packages.yml renders: ' ~ env_var('PKG_DIR') ~ ' ' ~ var('v', 'none'), info=True) }}{{ env_var('PKG_DIR') }}\"\n",
    'sub/dbt_project.yml': 'name: sub\nconfig-version: 2\n',
  });
  afterAll(() => removeDir(dir));

  it('a parse prints its log() line, with env_var and --vars', async () => {
    const deps = await runTsdbt(['deps', '--project-dir', dir], { env: { PKG_DIR: 'sub' } });
    expect(deps.code, deps.stdout + deps.stderr).toBe(0);
    const result = await runTsdbt(['parse', '--project-dir', dir, '--vars', '{v: given}'], { env: { PKG_DIR: 'sub' } });
    expect(result.code, result.stderr).toBe(0);
    expect(count(result.stdout, 'packages.yml renders: sub given')).toBe(1);
  });
});
