// The commands and their outputs on one small project (embedded PGlite): compile, ls, parse,
// run with hooks, --log-format json, --debug, secret scrubbing, the artifacts, and build's test
// gates (an error test skips what depends on it, a warning does not).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { pgServer } from '../support/postgres-targets.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents } from '../support/json-log.js';

/** What these tests read of manifest.json and run_results.json. */
interface ManifestJson {
  metadata: { dbt_schema_version: string };
  nodes: Record<string, { depends_on: { nodes: string[] } } | undefined>;
  child_map: Record<string, string[] | undefined>;
  macros: Record<string, { macro_sql: string } | undefined>;
}
interface RunResultsJson {
  metadata: { dbt_schema_version: string };
  results: { unique_id: string; timing: { name: string }[] }[];
}

const PROJECT_YML = [
  'name: demo',
  'profile: demo',
  'on-run-start: "create table if not exists {{ target.schema }}.audit (event text, at_step int)"',
  'on-run-end:',
  "  - \"insert into {{ target.schema }}.audit values ('end:{{ results | length }}', 99)\"",
  // The secret's value reaches the models through a var (dbt refuses env_var of a DBT_ENV_SECRET_
  // variable outside profiles.yml and packages.yml); every printed line still masks it.
  'vars:',
  '  token: hunter2-secret',
  'models:',
  '  demo:',
  "    +pre-hook: \"insert into {{ target.schema }}.audit values ('pre:{{ this.name }}', 1)\"",
  '',
].join('\n');

const FILES = {
  'dbt_project.yml': PROJECT_YML,
  'models/base.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id, '{{ var(\"token\") }}' = 'x' as flag\n",
  'models/orders.sql': "{{ config(materialized='table', post_hook=\"insert into {{ this.schema }}.audit values ('post:{{ this.name }}', 2)\") }}\n{{ log('token is ' ~ var('token'), info=True) }}\nselect id from {{ ref('base') }}\n",
  'models/downstream.sql': "select * from {{ ref('orders') }}\n",
  'models/schema.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        tests: [not_null]\n',
};

const env = { DBT_ENV_SECRET_TOKEN: 'hunter2-secret' };

describe('tsdbt commands', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  it('compile resolves refs and inlines ephemeral models as CTEs', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const compiled = readFileSync(path.join(dir, 'target/compiled/demo/models/orders.sql'), 'utf8');
    // dbt's text: the config() and log() lines leave their newlines, before `with` and in the CTE.
    expect(compiled).toMatch(/^\n\nwith __dbt__cte__base as \(\n\nselect 1 as id/);
    expect(compiled).toContain('select id from __dbt__cte__base');
    const downstream = readFileSync(path.join(dir, 'target/compiled/demo/models/downstream.sql'), 'utf8');
    expect(downstream).toBe('select * from "postgres"."analytics"."orders"');
    // As dbt: compile writes target/compiled; target/run holds the statements a build ran.
    expect(existsSync(path.join(dir, 'target/run'))).toBe(false);
    expect(existsSync(path.join(dir, 'target/tsdbt.pglite')), 'compile must not touch the warehouse').toBe(false);
  });

  it('ls lists by resource type and as JSON', async () => {
    const names = await runTsdbt(['ls', '--project-dir', dir, '--resource-type', 'model', '--output', 'name'], { env });
    expect(names.stdout.trim().split('\n').sort()).toEqual(['base', 'downstream', 'orders']);
    const json = await runTsdbt(['ls', '--project-dir', dir, '--select', 'orders+', '--output', 'json'], { env });
    const rows = json.stdout.trim().split('\n').map((l) => JSON.parse(l) as { unique_id: string; resource_type: string });
    const ids = rows.map((r) => r.unique_id).sort();
    expect(ids.slice(0, 2)).toEqual(['model.demo.downstream', 'model.demo.orders']);
    expect(ids[2]).toMatch(/^test\.demo\.not_null_orders_id\./);
    expect(ids).toHaveLength(3);
  });

  it('parse writes a v12 manifest', async () => {
    expect((await runTsdbt(['parse', '--project-dir', dir], { env })).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as ManifestJson;
    expect(manifest.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    expect(manifest.metadata).not.toHaveProperty('tsdbt_version'); // dbt's schema closes metadata
    expect(manifest.nodes['model.demo.downstream']?.depends_on.nodes).toEqual(['model.demo.orders']);
    const children = (manifest.child_map['model.demo.orders'] ?? []).slice().sort();
    expect(children[0]).toBe('model.demo.downstream');
    expect(children[1]).toMatch(/^test\.demo\.not_null_orders_id/);
    expect(manifest.macros['macro.dbt.generate_schema_name']).toBeDefined();
    // Each macro's own block (the first of several in its file), and a test block under its macro name.
    expect(manifest.macros['macro.dbt.generate_schema_name']?.macro_sql).toMatch(/^\{% macro generate_schema_name\(custom_schema_name, node\) -%\}\n[^]*\{%- endmacro %\}$/);
    expect(manifest.macros['macro.dbt.generate_schema_name']?.macro_sql).not.toContain('default__');
    expect(manifest.macros['macro.dbt.test_not_null']?.macro_sql).toBe("{% test not_null(model, column_name) %}\n    {% set macro = adapter.dispatch('test_not_null', 'dbt') %}\n    {{ macro(model, column_name) }}\n{% endtest %}");
  });

  it('run: hooks in order, JSON logs, secrets scrubbed, run_results v6', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir, '--log-format', 'json', '--debug', '--threads', '1'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const events = jsonLogEvents(result.stdout);
    const nodeInfo = (e: { data: Record<string, unknown> }) => e.data.node_info as { unique_id: string; node_status: string; node_started_at: string; node_finished_at: string };
    expect(events.filter((e) => e.name === 'NodeFinished').map((e) => [nodeInfo(e).unique_id, nodeInfo(e).node_status, (e.data.run_result as { status: string }).status])).toEqual([
      ['model.demo.orders', 'success', 'success'],
      ['model.demo.downstream', 'success', 'success'],
    ]);
    // dbt's result lines, as dagster-dbt reads them: LogModelResult with the node's node_info, started and finished.
    const results = events.filter((e) => e.name === 'LogModelResult');
    expect(results.map((e) => [e.code, nodeInfo(e).unique_id, nodeInfo(e).node_status, e.data.status])).toEqual([
      ['Q012', 'model.demo.orders', 'success', 'SELECT 1'],
      ['Q012', 'model.demo.downstream', 'success', 'CREATE VIEW'],
    ]);
    for (const e of results) expect(nodeInfo(e).node_finished_at >= nodeInfo(e).node_started_at && nodeInfo(e).node_started_at !== '').toBe(true);
    expect(events.filter((e) => e.name === 'LogStartLine').map((e) => [e.thread, nodeInfo(e).node_status])).toEqual([
      ['Thread-1 (worker)', 'started'],
      ['Thread-1 (worker)', 'started'],
    ]);
    expect(events.some((e) => e.name === 'SQLQuery' && /create table/i.test(e.msg))).toBe(true);
    // Under --debug, dbt's ResourceReport follows the summary, as the command's last event.
    expect(events.slice(-2).map((e) => e.name)).toEqual(['StatsLine', 'ResourceReport']);
    expect(events.findLast((e) => e.name === 'EndOfRunSummary')?.msg).toBe('Completed successfully');
    expect(result.stdout).not.toContain('hunter2-secret');
    expect(result.stdout).toContain('token is *****');
    expect(result.stdout).not.toMatch(/\u001b\[/);

    const db = new PGlite(path.join(dir, 'target/tsdbt.pglite'));
    try {
      const audit = await db.query('select event, at_step from analytics.audit order by at_step, event');
      expect(audit.rows).toEqual([
        { event: 'pre:downstream', at_step: 1 },
        { event: 'pre:orders', at_step: 1 },
        { event: 'post:orders', at_step: 2 },
        { event: 'end:2', at_step: 99 },
      ]);
    } finally {
      await db.close();
    }
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as RunResultsJson;
    expect(runResults.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/run-results/v6.json');
    const orders = runResults.results.find((r) => r.unique_id === 'model.demo.orders');
    expect(orders).toMatchObject({ status: 'success', adapter_response: { rows_affected: 1 } });
    expect(orders?.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
  });
});

describe('build gates on tests', () => {
  const files = (severity: string) => ({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'models/dupes.sql': "{{ config(materialized='table') }}\nselect 1 as id union all select 1\n",
    'models/after.sql': "select * from {{ ref('dupes') }}\n",
    'models/schema.yml': `version: 2\nmodels:\n  - name: dupes\n    columns:\n      - name: id\n        tests:\n          - unique:\n              config: {severity: ${severity}}\n`,
  });
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('a failing error-severity test skips the models downstream (exit 1)', async () => {
    const dir = testdir(files('error'));
    dirs.push(dir);
    const result = await runTsdbt(['build', '--project-dir', dir]);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/FAIL 1 unique_dupes_id/);
    expect(result.stdout).toMatch(/SKIP .*analytics\.after/);
    expect(result.stdout).toMatch(/Done\. PASS=1 WARN=0 ERROR=1 SKIP=1/);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string }[] };
    expect(runResults.results.find((r) => r.unique_id === 'model.demo.after')?.status).toBe('skipped');
  });

  it('a warning is reported and downstream models still run (exit 0)', async () => {
    const dir = testdir(files('warn'));
    dirs.push(dir);
    const result = await runTsdbt(['build', '--project-dir', dir]);
    expect(result.code, result.stdout).toBe(0);
    expect(result.stdout).toMatch(/WARN 1 unique_dupes_id/);
    expect(result.stdout).toMatch(/OK created sql view model analytics\.after/);
    expect(result.stdout).toMatch(/Done\. PASS=2 WARN=1 ERROR=0 SKIP=0/);
  });
});

describe('debug and clean', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('debug checks the connection: OK on the embedded default, exit 1 with the reason on a bad password', async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n' });
    dirs.push(dir);
    const ok = await runTsdbt(['debug', '--project-dir', dir]);
    expect(ok.code, ok.stdout + ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/connection: OK \(PGlite/);
    expect(ok.stdout).toContain('All checks passed!');
    const s = pgServer();
    writeFileSync(
      path.join(dir, 'profiles.yml'),
      `demo:\n  target: dev\n  outputs:\n    dev: {type: postgres, host: ${s.host}, port: ${s.port}, user: ${s.user}, password: wrong-password, dbname: ${s.database}, schema: x}\n`,
    );
    const bad = await runTsdbt(['debug', '--project-dir', dir]);
    expect(bad.code).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/connection: ERROR .*password/i);
  });

  it('clean removes the target folder', async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\nclean-targets: [target]\n', 'models/m.sql': 'select 1\n' });
    dirs.push(dir);
    expect((await runTsdbt(['parse', '--project-dir', dir])).code).toBe(0);
    expect(existsSync(path.join(dir, 'target/manifest.json'))).toBe(true);
    const result = await runTsdbt(['clean', '--project-dir', dir]);
    expect(result.code).toBe(0);
    expect(existsSync(path.join(dir, 'target'))).toBe(false);
  });

  it("clean refuses a source path, and a folder outside the project unless --no-clean-project-files-only (dbt's CleanTask)", async () => {
    const outside = testdir({ 'keep.txt': 'x\n' });
    const dir = testdir({ 'dbt_project.yml': `name: demo\nprofile: demo\nclean-targets: [models]\n`, 'models/m.sql': 'select 1\n' });
    dirs.push(dir, outside);
    const source = await runTsdbt(['clean', '--project-dir', dir]);
    expect(source.code).toBe(2);
    expect(source.stdout + source.stderr).toContain('dbt will not clean the following source paths');
    expect(existsSync(path.join(dir, 'models/m.sql'))).toBe(true);
    writeFileSync(path.join(dir, 'dbt_project.yml'), `name: demo\nprofile: demo\nclean-targets: ['${outside}']\n`);
    const refused = await runTsdbt(['clean', '--project-dir', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stdout + refused.stderr).toContain('dbt will not clean the following directories outside the project');
    const skipped = await runTsdbt(['clean', '--no-clean-project-files-only', '--project-dir', dir]);
    expect(skipped.code).toBe(0);
    expect(existsSync(path.join(outside, 'keep.txt'))).toBe(true);
  });
});

describe('timer-sized flags', () => {
  it('refuses a --progress-interval longer than a Node timer can wait (it would fire every millisecond)', async () => {
    const dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n' });
    try {
      const result = await runTsdbt(['load', '--once', '--project-dir', dir, '--progress-interval', '3000000']);
      expect(result.code).toBe(2);
      expect(result.stdout + result.stderr).toContain("--progress-interval must be a number of seconds from 0 to 2147483, got '3000000'");
      expect(result.stdout + result.stderr).not.toMatch(/internal error|\n\s+at /);
    } finally {
      removeDir(dir);
    }
  });
});
