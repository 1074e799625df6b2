// `npm run conformance -- <project>` end to end on our own fixture: a dbt project with a local
// package, one model that errors and one singular test that fails (and so skips what is built on
// the seed it tests). The harness installs the package, builds
// into a fresh embedded database, counts per resource type, names each failing node with its first
// error, writes the JSON summary, and exits 1.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe('conformance harness', () => {
  const dir = testdir({
    'project/dbt_project.yml': 'name: shop\nprofile: shop_profile\n',
    'project/packages.yml': 'packages:\n  - local: ../helpers\n',
    'project/seeds/orders.csv': 'id,amount\n1,10\n2,-5\n',
    'project/models/order_totals.sql': "select {{ helpers.doubled('amount') }} as doubled from {{ ref('orders') }}",
    'project/models/broken.sql': 'select * from no_such_table',
    'project/models/schema.yml': 'models:\n  - name: order_totals\n    columns:\n      - name: doubled\n        data_tests: [not_null]\n  - name: broken\n',
    'project/tests/amounts_positive.sql': "select * from {{ ref('orders') }} where amount < 0",
    'helpers/dbt_project.yml': 'name: helpers\n',
    'helpers/macros/doubled.sql': '{% macro doubled(column) %}({{ column }} * 2){% endmacro %}',
  });
  afterAll(() => removeDir(dir));

  it('summarises a build per resource type with the first error of each failing node', () => {
    const json = path.join(dir, 'summary.json');
    const run = spawnSync(process.execPath, ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/conformance.ts'), path.join(dir, 'project'), '--json', json], {
      cwd: REPO_ROOT,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
    });
    const output = run.stdout + run.stderr;
    expect(run.status, output).toBe(1);
    expect(output).toContain('Installed from <local @ ../helpers>');
    expect(output).toMatch(/seed\s+1\s+0\s+0\s+0\s+0\s+1/);
    // The failing test on the seed gates what builds on it (as dbt build does): skipped.
    expect(output).toMatch(/model\s+0\s+0\s+0\s+1\s+1\s+2/);
    expect(output).toMatch(/test\s+0\s+0\s+1\s+0\s+1\s+2/);
    // The message's first two lines: dbt's kind-and-node header, then the database's words.
    expect(output).toContain('error  model.shop.broken: Database Error in model broken (models/broken.sql) | relation "no_such_table" does not exist');
    expect(output).toContain('fail   test.shop.amounts_positive: Got 1 result');
    expect(existsSync(json)).toBe(true);
    const summary = JSON.parse(readFileSync(json, 'utf8')) as { totals: Record<string, number> };
    expect(summary.totals).toMatchObject({ passed: 1, failed: 1, errored: 1, skipped: 2, total: 5 });
    // Nothing but tsdbt's own folders was written into the project.
    expect(existsSync(path.join(dir, 'project', 'profiles.yml'))).toBe(false);
  }, 300_000);

  it('runs the steps an upstream CI runs, in order, and counts the results of all of them', () => {
    const json = path.join(dir, 'steps.json');
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', path.join(REPO_ROOT, 'scripts/conformance.ts'), path.join(dir, 'project'), '--json', json, '--step', 'seed --full-refresh', '--step', "run --select 'order_totals'", '--step', 'test --select order_totals'],
      { cwd: REPO_ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } },
    );
    const output = run.stdout + run.stderr;
    // Each step ran (the model only exists if `run` came after `seed`), and nothing failed.
    expect(output).toContain('$ tsdbt seed --full-refresh');
    expect(output).toContain('$ tsdbt run --select order_totals');
    expect(run.status, output).toBe(0);
    expect(output).toMatch(/seed\s+1\s+0\s+0\s+0\s+0\s+1/);
    expect(output).toMatch(/model\s+1\s+0\s+0\s+0\s+0\s+1/);
    expect(output).toMatch(/test\s+1\s+0\s+0\s+0\s+0\s+1/);
    const summary = JSON.parse(readFileSync(json, 'utf8')) as { ok: boolean; steps: { command: string; exitCode: number }[] };
    expect(summary.ok).toBe(true);
    expect(summary.steps.map((s) => [s.command, s.exitCode])).toEqual([
      ['seed --full-refresh', 0],
      ['run --select order_totals', 0],
      ['test --select order_totals', 0],
    ]);
  }, 300_000);
});
