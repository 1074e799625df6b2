// dbt's "Global configs" pages (About flags, Project flags, Environment variable configs): a flag
// set in dbt_project.yml's `flags:` applies where neither the command line nor its env var set it,
// and "the CLI option will take precedence, followed by the environment variable, and finally, the
// value in dbt_project.yml" (dbt's cli/flags.py: project flags fill the params assigned from default).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const project = (flags: string, extra = '') => `name: demo\nprofile: demo\n${extra}flags:\n${flags}`;

// The page's own example: `flags: fail_fast: true`, `export DBT_FAIL_FAST=1`, `dbt run --fail-fast`.
describe('fail_fast in dbt_project.yml', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({
      'dbt_project.yml': project('  fail_fast: true\n'),
      'models/a.sql': 'select 1 as id',
      'models/b.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('a') }} where 1 / (id - 1) = 1",
      'models/c.sql': "select * from {{ ref('a') }}",
    });
  });
  afterAll(() => removeDir(dir));

  it('stops at the first failure, the rest skipped "due to fail_fast"', async () => {
    const result = await runTsdbt(['run', '--threads', '1', '--project-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=1 NO-OP=0 TOTAL=3/);
  });

  it('an env var (DBT_FAIL_FAST=0) or the command line (--no-fail-fast) wins over it', async () => {
    const byEnv = await runTsdbt(['run', '--threads', '1', '--project-dir', dir], { env: { DBT_FAIL_FAST: '0' } });
    expect(byEnv.stdout).toMatch(/Done\. PASS=2 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=3/);
    const byFlag = await runTsdbt(['run', '--threads', '1', '--no-fail-fast', '--project-dir', dir], { env: { DBT_FAIL_FAST: '1' } });
    expect(byFlag.stdout).toMatch(/Done\. PASS=2 WARN=0 ERROR=1 SKIP=0 NO-OP=0 TOTAL=3/);
  });
});

describe('printer_width, write_json, use_colors and indirect_selection in dbt_project.yml', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({
      'dbt_project.yml': project('  printer_width: 60\n  write_json: false\n  use_colors: true\n  indirect_selection: empty\n'),
      'models/a.sql': 'select 1 as id',
      'models/a.yml': 'models:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
    });
  });
  afterAll(() => removeDir(dir));

  it('pads progress lines to 60, writes no run_results.json and colours the status', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const start = result.stdout.split('\n').find((l) => l.includes('START sql view model'));
    expect(start?.replace(/^\d\d:\d\d:\d\d {2}/, '')).toBe(`1 of 1 START sql view model analytics.a ${'.'.repeat(20)} [RUN]`);
    expect(result.stdout).toContain('\u001b[32mOK\u001b[39m created');
    expect(existsSync(path.join(dir, 'target/run_results.json'))).toBe(false);
  });

  it('--printer-width and --no-use-colors win over them; DBT_INDIRECT_SELECTION over indirect_selection', async () => {
    const result = await runTsdbt(['run', '--printer-width', '70', '--no-use-colors', '--project-dir', dir]);
    const start = result.stdout.split('\n').find((l) => l.includes('START sql view model'));
    expect(start?.replace(/^\d\d:\d\d:\d\d {2}/, '')).toBe(`1 of 1 START sql view model analytics.a ${'.'.repeat(30)} [RUN]`);
    expect(result.stdout).not.toContain('\u001b[');
    const empty = await runTsdbt(['ls', '-s', 'a', '--project-dir', dir]);
    expect(empty.stdout.trim().split('\n').filter((l) => l.startsWith('demo.'))).toEqual(['demo.a']);
    const eager = await runTsdbt(['ls', '-s', 'a', '--project-dir', dir], { env: { DBT_INDIRECT_SELECTION: 'eager' } });
    expect(eager.stdout.trim().split('\n').filter((l) => l.startsWith('demo.'))).toEqual(['demo.a', 'demo.not_null_a_id']);
  });
});

describe('partial_parse and version_check in dbt_project.yml', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({
      'dbt_project.yml': project('  partial_parse: false\n  version_check: false\n', "require-dbt-version: '<1.0.0'\n"),
      'models/a.sql': 'select 1 as id',
    });
  });
  afterAll(() => removeDir(dir));

  it('parses without partial parsing (dbt\'s PartialParsingNotEnabled) and runs a project its version range excludes', async () => {
    expect((await runTsdbt(['parse', '--project-dir', dir])).code).toBe(0);
    const second = await runTsdbt(['parse', '--debug', '--project-dir', dir]);
    expect(second.code, second.stdout + second.stderr).toBe(0);
    expect(second.stdout).toMatch(/Partial parsing not enabled/);
    const ls = await runTsdbt(['ls', '--debug', '--project-dir', dir]);
    expect((ls.stdout + ls.stderr).split('\n').filter((l) => /partial pars/i.test(l)).map((l) => l.replace(/^\S+\s+/, ''))).toEqual(['Partial parsing not enabled']);
    expect(ls.stdout).toMatch(/^demo\.a$/m);
  });

  // "About flags": a command-line flag wins over dbt_project.yml's `flags:`. With --partial-parse
  // the parse is repeated from the last one; without it the project's `partial_parse: false` holds
  // again, though the last parse (given the flag) left its index.
  it('--partial-parse turns partial parsing on again, for that invocation only', async () => {
    expect((await runTsdbt(['parse', '--partial-parse', '--project-dir', dir])).code).toBe(0);
    const again = await runTsdbt(['parse', '--partial-parse', '--project-dir', dir]);
    expect(again.code, again.stdout + again.stderr).toBe(0);
    expect(again.stdout).toMatch(/nothing changed since the last parse/);
    const plain = await runTsdbt(['parse', '--debug', '--project-dir', dir]);
    expect(plain.code, plain.stdout + plain.stderr).toBe(0);
    expect(plain.stdout).not.toMatch(/nothing changed since the last parse/);
    expect(plain.stdout).toMatch(/Partial parsing not enabled/);
  });

  it('DBT_VERSION_CHECK=1 wins over version_check: false', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir], { env: { DBT_VERSION_CHECK: '1' } });
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/require-dbt-version/);
  });
});

// The log-path and target-path pages: dbt_project.yml's keys still apply, with dbt 1.5+'s
// ConfigLogPathDeprecation / ConfigTargetPathDeprecation unless they hold the default; the flag and
// its env var win over them.
describe('log-path and target-path in dbt_project.yml', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({ 'dbt_project.yml': "name: demo\nprofile: demo\ntarget-path: build_out\nlog-path: build_logs\n", 'models/a.sql': 'select 1 as id' });
  });
  afterAll(() => removeDir(dir));

  it('writes there, warning that the keys are deprecated in favour of --target-path / --log-path', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir]);
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'build_out/manifest.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'build_logs/dbt.log'))).toBe(true);
    expect(result.stdout).toContain('The `target-path` config in `dbt_project.yml` has been deprecated, and will no longer be supported in a future version of dbt-core. If you wish to write dbt artifacts to a custom directory, please use the --target-path CLI flag or DBT_TARGET_PATH env var instead.');
    expect(result.stdout).toContain('The `log-path` config in `dbt_project.yml` has been deprecated, and will no longer be supported in a future version of dbt-core. If you wish to write dbt logs to a custom directory, please use the --log-path CLI flag or DBT_LOG_PATH env var instead.');
    expect(result.stdout).toMatch(/- ConfigLogPathDeprecation: 1 occurrence/);
    expect(result.stdout).toMatch(/- ConfigTargetPathDeprecation: 1 occurrence/);
  });

  it('--target-path and DBT_LOG_PATH win over them; the default values warn nothing', async () => {
    const result = await runTsdbt(['parse', '--target-path', 'flag_out', '--project-dir', dir], { env: { DBT_LOG_PATH: path.join(dir, 'env_logs') } });
    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'flag_out/manifest.json'))).toBe(true);
    expect(existsSync(path.join(dir, 'env_logs/dbt.log'))).toBe(true);
    const defaults = testdir({ 'dbt_project.yml': "name: demo\nprofile: demo\ntarget-path: target\nlog-path: logs\n", 'models/a.sql': 'select 1 as id' });
    try {
      const quiet = await runTsdbt(['parse', '--project-dir', defaults]);
      expect(quiet.stdout).not.toMatch(/deprecated|Deprecation/);
    } finally {
      removeDir(defaults);
    }
  });
});
