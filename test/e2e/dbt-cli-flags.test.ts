// dbt's command-line flags on a real project (embedded PGlite), each checked by what it leaves
// behind, as dbt's "Command line options" and "About flags" pages describe them: `--empty` builds
// every model with its columns and no rows (refs and sources read `where false limit 0`),
// `--target-path` (and DBT_TARGET_PATH) moves the artifacts and the embedded database,
// `--resource-type` / `--exclude-resource-type` narrow a build, `--no-write-json` leaves no
// run_results.json, `--log-level` and `--printer-width` shape the output, and a dbt command line
// full of flags that change nothing here (`--no-version-check`, `--no-send-anonymous-usage-stats`,
// ...) runs unchanged.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: flags\nprofile: flags\n',
  'seeds/raw_orders.csv': 'id,amount\n1,10\n2,20\n3,30\n',
  'models/orders.sql': "{{ config(materialized='table') }}\nselect id, amount * 2 as doubled from {{ ref('raw_orders') }}\n",
  'models/big_orders.sql': "{{ config(materialized='table') }}\nselect o.id, o.doubled from {{ ref('orders') }} as o where o.doubled > 20\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [not_null, unique]\n',
};

async function rows(dir: string, targetPath: string, sql: string): Promise<Record<string, unknown>[]> {
  const db = new PGlite(path.join(dir, targetPath, 'tsdbt.pglite'));
  try {
    return (await db.query<Record<string, unknown>>(sql)).rows;
  } finally {
    await db.close();
  }
}

const resultIds = (dir: string, targetPath = 'target') =>
  (JSON.parse(readFileSync(path.join(dir, targetPath, 'run_results.json'), 'utf8')) as { results: { unique_id: string }[] }).results.map((r) => r.unique_id).sort();

describe("dbt's command-line flags", () => {
  const dirs: string[] = [];
  const project = () => {
    const dir = testdir(FILES);
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach(removeDir));

  it('--empty builds every model and seed with its columns and no rows (seeds as dbt 1.12)', async () => {
    const dir = project();
    const result = await runTsdbt(['build', '--empty', '--project-dir', dir]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await rows(dir, 'target', 'select count(*)::int as n from analytics.raw_orders')).toEqual([{ n: 0 }]);
    const seedColumns = "select column_name, data_type from information_schema.columns where table_schema = 'analytics' and table_name = 'raw_orders' order by ordinal_position";
    const emptySeed = await rows(dir, 'target', seedColumns);
    expect(emptySeed.length).toBeGreaterThan(1);
    expect(await rows(dir, 'target', 'select count(*)::int as n from analytics.orders')).toEqual([{ n: 0 }]);
    expect(await rows(dir, 'target', 'select count(*)::int as n from analytics.big_orders')).toEqual([{ n: 0 }]);
    const columns = await rows(dir, 'target', "select column_name from information_schema.columns where table_schema = 'analytics' and table_name = 'big_orders' order by ordinal_position");
    expect(columns.map((c) => c.column_name)).toEqual(['id', 'doubled']);
    const compiled = readFileSync(path.join(dir, 'target/run/flags/models/big_orders.sql'), 'utf8');
    // The model's own alias stands (dbt would write both and fail: `) _dbt_limit_subq_orders as o`).
    expect(compiled).toContain('from (select * from "postgres"."analytics"."orders" where false limit 0) as o');

    // logs/dbt.log, as dbt writes it: the progress lines and, at debug level, each statement, on the node's thread cut to 10 characters (`[Thread-1 (]`).
    const log = readFileSync(path.join(dir, 'logs/dbt.log'), 'utf8');
    expect(log).toMatch(/^\d\d:\d\d:\d\d\.\d{6} \[info \] \[Thread-\d \(\]: 1 of 5 START seed file analytics\.raw_orders/m);
    expect(log).toMatch(/\[debug\] \[Thread-\d \(\]: On model\.flags\.big_orders: /);
    expect(log).toMatch(/\[debug\] \[Thread-\d \(\]: +create table .*"big_orders"/);

    // The same project without --empty fills them; `compile --empty` writes the limited SQL.
    expect((await runTsdbt(['build', '--project-dir', dir])).code).toBe(0);
    expect(await rows(dir, 'target', 'select count(*)::int as n from analytics.big_orders')).toEqual([{ n: 2 }]);
    // The seed's columns and types are the same loaded empty or whole; `seed --empty` empties it again.
    expect(await rows(dir, 'target', seedColumns)).toEqual(emptySeed);
    expect(await rows(dir, 'target', 'select count(*)::int as n from analytics.raw_orders')).toEqual([{ n: 3 }]);
    expect((await runTsdbt(['seed', '--empty', '--project-dir', dir])).code).toBe(0);
    expect(await rows(dir, 'target', 'select count(*)::int as n from analytics.raw_orders')).toEqual([{ n: 0 }]);
    expect((await runTsdbt(['compile', '-s', 'orders', '--empty', '--project-dir', dir])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'target/compiled/flags/models/orders.sql'), 'utf8')).toContain('(select * from "postgres"."analytics"."raw_orders" where false limit 0) _dbt_limit_subq_raw_orders');
  });

  it('--target-path and DBT_TARGET_PATH move the artifacts (and the embedded database) out of target/', async () => {
    const dir = project();
    const byFlag = await runTsdbt(['build', '--exclude-resource-type', 'test', '--log-path', 'out/logs', '--target-path', 'out/ci', '--project-dir', dir]);
    expect(byFlag.code, byFlag.stdout + byFlag.stderr).toBe(0);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
    expect(resultIds(dir, 'out/ci')).toEqual(['model.flags.big_orders', 'model.flags.orders', 'seed.flags.raw_orders']);
    expect(existsSync(path.join(dir, 'out/ci/manifest.json'))).toBe(true);
    expect(readFileSync(path.join(dir, 'out/logs/dbt.log'), 'utf8')).toContain('OK created sql table model analytics.orders');
    expect(existsSync(path.join(dir, 'logs'))).toBe(false);

    const byEnv = await runTsdbt(['seed', '--project-dir', dir], { env: { DBT_TARGET_PATH: 'out/env' } });
    expect(byEnv.code, byEnv.stdout + byEnv.stderr).toBe(0);
    expect(resultIds(dir, 'out/env')).toEqual(['seed.flags.raw_orders']);
    expect(await rows(dir, 'out/env', 'select sum(amount)::int as total from analytics.raw_orders')).toEqual([{ total: 60 }]);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
  });

  // The last two share a project (and its embedded database, a few seconds to create).
  let shared = '';

  it('--resource-type and --exclude-resource-type narrow a build; --no-write-json leaves no run_results.json', async () => {
    const dir = (shared = project());
    expect((await runTsdbt(['build', '--resource-type', 'seed', 'model', '--project-dir', dir])).code).toBe(0);
    expect(resultIds(dir)).toEqual(['model.flags.big_orders', 'model.flags.orders', 'seed.flags.raw_orders']);
    expect((await runTsdbt(['build', '--exclude-resource-type', 'test', 'seed', '--project-dir', dir])).code).toBe(0);
    expect(resultIds(dir)).toEqual(['model.flags.big_orders', 'model.flags.orders']);
    expect((await runTsdbt(['test', '--resource-type', 'test', '--project-dir', dir])).code).toBe(0);
    expect(resultIds(dir)).toHaveLength(2);
    expect(resultIds(dir).every((id) => id.startsWith('test.flags.'))).toBe(true);

    const before = readFileSync(path.join(dir, 'target/run_results.json'), 'utf8');
    expect((await runTsdbt(['run', '--no-write-json', '--project-dir', dir])).code).toBe(0);
    expect(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')).toBe(before);
  });

  it('--log-level warn prints no progress lines; --printer-width sets where the dots end; dbt flags with no effect here are accepted', async () => {
    const dir = shared || project();
    const quiet = await runTsdbt(['seed', '--log-level', 'warn', '--project-dir', dir]);
    expect(quiet.code, quiet.stderr).toBe(0);
    expect(quiet.stdout).toBe('');

    const dbtLine = [
      // dbt's global flags before the command too, as its docs allow (a legacy form).
      '--no-version-check', 'run', '--no-send-anonymous-usage-stats', '--no-use-colors', '--printer-width', '60', '--no-populate-cache', '--cache-selected-only',
      '--partial-parse', '--log-format', 'default', '--no-introspect', '--use-experimental-parser', '--no-fail-fast', '-s', 'orders', '--project-dir', dir,
    ];
    const run = await runTsdbt(dbtLine.filter((arg) => arg !== '--no-introspect'));
    expect(run.code, run.stdout + run.stderr).toBe(0);
    const line = run.stdout.split('\n').find((l) => l.includes('OK created')) as string;
    expect(line.slice(10).indexOf(' [')).toBe(60); // after the time stamp and two spaces, 60 columns up to the status
    expect(resultIds(dir)).toEqual(['model.flags.orders']);
    // `--introspect` is compile's and show's flag, as in dbt: run refuses it.
    expect((await runTsdbt(dbtLine)).code).toBe(2);
  });
});
