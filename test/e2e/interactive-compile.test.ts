// dbt's interactive compile (dbt 1.5+, "About dbt compile command"): `compile --select m` also
// prints the compiled code of the node the selection names ("Compiled node 'm' is:"), `compile
// --inline "select ... {{ ref('m') }}"` compiles one query against the project and prints it
// ("Compiled inline node is:"), `--output json` prints `{"node": ..., "compiled": ...}`, and under
// --quiet only the SQL is printed, so `tsdbt -q compile -s m > m.sql` keeps the query alone.
// Also `debug --config-dir`, which prints how to open the folder holding profiles.yml.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/orders.sql': "select 1 as id, 10 as amount\n",
  'models/big_orders.sql': "select id from {{ ref('orders') }} where amount > 5\n",
  'models/recent.sql': "{{ config(materialized='ephemeral') }}\nselect id from {{ ref('orders') }}\n",
};

describe('interactive compile', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const tsdbt = (...args: string[]) => runTsdbt([...args, '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });

  it('prints the compiled code of the node --select names, and of no other selected node', async () => {
    const result = await tsdbt('compile', '--select', '+big_orders');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Compiled node 'big_orders' is:\nselect id from "postgres"\."analytics"\."orders" where amount > 5/);
    // orders is compiled (a parent in the selection) but not printed: the selection does not name it.
    expect(result.stdout).not.toContain("Compiled node 'orders'");
    // No Jinja in the file: dbt's get_rendered returns it as dbt read it, stripped.
    expect(readFileSync(path.join(dir, 'target/compiled/shop/models/orders.sql'), 'utf8')).toBe('select 1 as id, 10 as amount');
  });

  it("notes the nodes it leaves out in the debug log only when a selection named some, as dbt's CompileTask", async () => {
    const log = () => readFileSync(path.join(dir, 'logs/dbt.log'), 'utf8');
    const named = await tsdbt('compile', '--select', '+big_orders');
    expect(named.code, named.stderr).toBe(0);
    expect(log()).toContain("Excluded node 'orders' from results");
    const before = log().length;
    const all = await tsdbt('compile');
    expect(all.code, all.stderr).toBe(0);
    const written = log().slice(before);
    expect(written).toContain('Compiled 3 nodes');
    expect(written).not.toContain('Excluded node');
  });

  it('under --quiet prints the SQL alone', async () => {
    const result = await tsdbt('--quiet', 'compile', '-s', 'big_orders');
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('select id from "postgres"."analytics"."orders" where amount > 5');
  });

  it('--output json prints dbt\'s {"node", "compiled"} on stdout', async () => {
    const result = await tsdbt('compile', '-s', 'orders', '--output', 'json');
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ node: 'orders', compiled: 'select 1 as id, 10 as amount' });
  });

  it('--inline compiles one query against the project (ephemeral parents as CTEs) and writes no other node', async () => {
    const fresh = testdir(FILES);
    try {
      const result = await runTsdbt(['compile', '--inline', "select count(*) as n from {{ ref('recent') }} join {{ ref('orders') }} using (id)", '--project-dir', fresh], { env: { HOME: fresh, DBT_PROFILES_DIR: '' } });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      const printed = /Compiled inline node is:\n([\s\S]*)/.exec(result.stdout)?.[1] ?? '';
      expect(printed).toMatch(/with __dbt__cte__recent as \(\n\nselect id from "postgres"\."analytics"\."orders"\n\) select count\(\*\) as n from __dbt__cte__recent join "postgres"\."analytics"\."orders" using \(id\)/);
      expect(existsSync(path.join(fresh, 'target/compiled'))).toBe(false);

      const json = await runTsdbt(['compile', '--inline', "select * from {{ ref('orders') }}", '--output', 'json', '--project-dir', fresh], { env: { HOME: fresh, DBT_PROFILES_DIR: '' } });
      expect(json.code, json.stderr).toBe(0);
      expect(JSON.parse(json.stdout)).toEqual({ compiled: 'select * from "postgres"."analytics"."orders"' });
      // dbt logs its FoundStats line before the JSON unless --quiet; here it goes to stderr.
      expect(json.stderr).toMatch(/Found 3 models, \d+ macros/);
    } finally {
      removeDir(fresh);
    }
  });

  it('--inline records its result in run_results.json (sql_operation.<project>.inline_query), as dbt\'s compile', async () => {
    const result = await tsdbt('compile', '--inline', "select id from {{ ref('orders') }}");
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; compiled_code: string }[] };
    expect(runResults.results.map((r) => [r.unique_id, r.status, r.compiled_code])).toEqual([['sql_operation.shop.inline_query', 'success', 'select id from "postgres"."analytics"."orders"']]);
  });

  it('--select of an ephemeral model prints its compiled code and records its result', async () => {
    const result = await tsdbt('compile', '--select', 'recent');
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/Compiled node 'recent' is:\n\nselect id from "postgres"\."analytics"\."orders"/);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string }[] };
    expect(runResults.results.map((r) => r.unique_id)).toEqual(['model.shop.recent']);
    // Without --select, ephemeral models stay out of the results, as in dbt.
    await tsdbt('compile');
    const all = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string }[] };
    expect(all.results.map((r) => r.unique_id).sort()).toEqual(['model.shop.big_orders', 'model.shop.orders']);
  });

  it('--no-inject-ephemeral-ctes leaves the ephemeral input as __dbt__cte__<name>, with no CTE defining it', async () => {
    const fresh = testdir({ ...FILES, 'models/from_recent.sql': "select id from {{ ref('recent') }}\n" });
    try {
      const compile = (...flags: string[]) => runTsdbt(['-q', 'compile', '--select', 'from_recent', ...flags, '--project-dir', fresh], { env: { HOME: fresh, DBT_PROFILES_DIR: '' } });
      const left = await compile('--no-inject-ephemeral-ctes');
      expect(left.code, left.stderr).toBe(0);
      expect(left.stdout.trim()).toBe('select id from __dbt__cte__recent');
      const injected = await compile();
      expect(injected.stdout.trim()).toBe('with __dbt__cte__recent as (\n\nselect id from "postgres"."analytics"."orders"\n) select id from __dbt__cte__recent');
    } finally {
      removeDir(fresh);
    }
  });

  it("--inline with a mistake reads dbt's 'Error parsing inline query'", async () => {
    const result = await tsdbt('compile', '--inline', "select * from {{ ref('nowhere') }}");
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('Error parsing inline query: ');
  });

  it('--inline with a ref to no model is an error naming it', async () => {
    const result = await tsdbt('compile', '--inline', "select * from {{ ref('nowhere') }}");
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/nowhere/);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('debug --config-dir prints how to open the folder holding profiles.yml, and reads nothing else', async () => {
    const profiles = testdir({ 'profiles.yml': 'shop:\n  target: dev\n  outputs:\n    dev: {type: postgres, host: nowhere.invalid, user: u, dbname: d, schema: s}\n' });
    try {
      // A folder without a project (one that does not exist is dbt's usage error, click.Path(exists=True)).
      const result = await runTsdbt(['debug', '--config-dir', '--profiles-dir', profiles, '--project-dir', profiles], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
      expect(result.code, result.stdout + result.stderr).toBe(0);
      expect(result.stdout).toContain('To view your profiles.yml file, run:');
      expect(result.stdout).toMatch(new RegExp(`^\\d\\d:\\d\\d:\\d\\d  ${process.platform === 'darwin' ? 'open' : 'xdg-open'} ${profiles}$`, 'm'));
    } finally {
      removeDir(profiles);
    }
  });
});
