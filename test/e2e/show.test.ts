// tsdbt show (dbt's ShowTask) on embedded PGlite: the rows printed are the warehouse's, the limit
// is part of the SQL the adapter's builder wraps (default 5, -1 for all), --output json is dbt's
// {"node", "show"} shape, and an inline query resolves ref() (an ephemeral parent as a CTE).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation, type InvocationOptions } from '../../src/app/invocation.js';
import { showCommand, type ShowOptions } from '../../src/app/show-command.js';
import { reportFatal } from '../../src/cli/error-output.js';
import { queryProjectPglite } from '../support/pglite-query.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/base.sql': "{{ config(materialized='ephemeral') }}\nselect g as id, 'item ' || g as label, g * 1.5 as amount, (g % 2 = 0) as even from generate_series(1, 12) g\n",
  'models/orders.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('base') }} order by id\n",
  // A versioned model (dbt's model versions: one file per version, `versions:` in its property file).
  'models/prices_v1.sql': 'select 1 as version, 2.50 as price\n',
  'models/prices_v2.sql': 'select 2 as version, 3.0 as price\n',
  'models/prices.yml': 'version: 2\nmodels:\n  - name: prices\n    latest_version: 2\n    versions:\n      - v: 1\n      - v: 2\n',
};

describe('tsdbt show', () => {
  const dir = testdir(FILES);
  const env = { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir };
  const show = async (options: Partial<ShowOptions>, init: Partial<InvocationOptions> = {}) => {
    const lines: string[] = [];
    const stdout: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => (lines.push(l), stdout.push(l)), writeError: (l) => lines.push(l), env, color: false, ...init });
    let code: number;
    try {
      code = await showCommand(inv, { limit: 5, output: 'text', ...options });
    } catch (err) {
      code = reportFatal(err, (l) => lines.push(l), 'text');
    }
    return { code, lines, output: lines.join('\n'), stdout: stdout.join('\n') };
  };

  beforeAll(async () => {
    const inv = createInvocation({ projectDir: dir, write: () => {}, env });
    expect(await runCommand(inv, 'build')).toBe(0);
  });
  afterAll(() => removeDir(dir));

  it("prints dbt's table of the first 5 rows, equal to the warehouse's", async () => {
    const out = await show({}, { select: ['orders'] });
    expect(out.code, out.output).toBe(0);
    const at = out.lines.findIndex((l) => l.endsWith("Previewing node 'orders':"));
    expect(at).toBeGreaterThan(-1);
    const table = out.lines.slice(at + 1).join('\n').split('\n');
    expect(table).toEqual([
      '| id | label  | amount |  even |',
      '| -- | ------ | ------ | ----- |',
      '|  1 | item 1 |    1.5 | False |',
      '|  2 | item 2 |    3.0 |  True |',
      '|  3 | item 3 |    4.5 | False |',
      '|  4 | item 4 |    6.0 |  True |',
      '|  5 | item 5 |    7.5 | False |',
    ]);
    const rows = await queryProjectPglite(dir, 'select id, label from analytics.orders order by id limit 5');
    expect(table.slice(2).map((l) => l.split('|')[2]?.trim())).toEqual(rows.map((r) => r.label));
  });

  it('--limit goes into the SQL through the adapter; -1 fetches every row', async () => {
    const two = await show({ limit: 2 }, { select: ['orders'], debug: true });
    expect(two.code, two.output).toBe(0);
    expect(two.output).toMatch(/\) as model_limit_subq\n(\S+ {2})?limit 2\n/); // a --debug line per SQL line
    expect(two.output.split('\n').filter((l) => /^\|\s+\d+ \|/.test(l))).toHaveLength(2);
    const all = await show({ limit: -1, output: 'json' }, { select: ['orders'] });
    const parsed = JSON.parse(all.stdout) as { node: string; show: Record<string, unknown>[] };
    expect(parsed.show).toHaveLength(12);
  });

  it('--output json prints {"node": name, "show": rows} with the warehouse rows', async () => {
    const out = await show({ output: 'json', limit: 3 }, { select: ['orders'] });
    expect(out.code, out.output).toBe(0);
    const parsed = JSON.parse(out.stdout) as unknown;
    expect(parsed).toEqual({
      node: 'orders',
      show: [
        { id: 1, label: 'item 1', amount: 1.5, even: false },
        { id: 2, label: 'item 2', amount: 3, even: true },
        { id: 3, label: 'item 3', amount: 4.5, even: false },
      ],
    });
    expect(out.stdout.split('\n')[1]).toBe('  "node": "orders",'); // indent=2, as dbt's json.dumps
  });

  it('--inline with ref(): an ephemeral parent is inlined as a CTE; JSON has no node', async () => {
    const out = await show({ inline: "select count(*)::int as n, max(amount) as top from {{ ref('base') }} where even;", output: 'json' });
    expect(out.code, out.output).toBe(0);
    expect(JSON.parse(out.stdout)).toEqual({ show: [{ n: 6, top: 18 }] });
    const text = await show({ inline: "select label from {{ ref('orders') }} where id = 7" });
    expect(text.lines.slice(text.lines.findIndex((l) => l.endsWith('Previewing inline node:')) + 1).join('\n').split('\n')).toEqual(['| label  |', '| ------ |', '| item 7 |']);
  });

  it('--select of a versioned model previews each version, named m.v1 and m.v2; m.v2 selects one', async () => {
    const both = await show({}, { select: ['prices'] });
    expect(both.code, both.output).toBe(0);
    // Each heading is followed by its version's table (the rows are the version's query).
    expect(both.output).toMatch(/Previewing node 'prices\.v1':\n\| version \| price \|\n\| -+ \| -+ \|\n\| +1 \| +2\.5/);
    expect(both.output).toMatch(/Previewing node 'prices\.v2':\n\| version \| price \|\n\| -+ \| -+ \|\n\| +2 \| +3/);
    const one = await show({ output: 'json' }, { select: ['prices.v2'] });
    expect(one.code, one.output).toBe(0);
    expect(JSON.parse(one.stdout)).toEqual({ node: 'prices.v2', show: [{ version: 2, price: 3 }] });
  });

  it("--output json: dbt's Found line is a log line (stderr), beside the JSON on stdout; --quiet drops it", async () => {
    const out = await show({ output: 'json', limit: 1 }, { select: ['orders'] });
    expect(out.code, out.output).toBe(0);
    expect(out.output).toMatch(/Found 4 models, \d+ macros/);
    expect(JSON.parse(out.stdout)).toEqual({ node: 'orders', show: [{ id: 1, label: 'item 1', amount: 1.5, even: false }] });
    const quiet = await show({ output: 'json', limit: 1 }, { select: ['orders'], quiet: true });
    expect(quiet.output).not.toContain('Found ');
    expect(JSON.parse(quiet.output)).toEqual({ node: 'orders', show: [{ id: 1, label: 'item 1', amount: 1.5, even: false }] });
  });

  it("--output json writes a numeric value as agate's to_json does: 3.0 stays 3.0", async () => {
    const out = await show({ output: 'json', limit: 2 }, { select: ['orders'] });
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain('"amount": 3.0');
    expect(out.output).toContain('"amount": 1.5');
    expect(out.output).toContain('"id": 2,');
  });

  it("a mistake in the inline query reads dbt's 'Error parsing inline query'; a warehouse error 'Database Error'", async () => {
    const bad = await show({ inline: 'selec 1 as broken' });
    expect(bad.code).toBe(2);
    expect(bad.output).toMatch(/Database Error[^\n]*\n {2}.*syntax error at or near/);
    const missing = await show({ inline: "select * from {{ ref('nope') }}" });
    expect(missing.code).toBe(2);
    expect(missing.output).toContain('Error parsing inline query: ');
  });

  it('a bad inline ref, and no --select / --inline: errors, exit 2', async () => {
    const missing = await show({ inline: "select * from {{ ref('nope') }}" });
    expect(missing.code).toBe(2);
    expect(missing.output).toContain("depends on a node named 'nope' which was not found");
    const none = await show({});
    expect(none.code).toBe(2);
    expect(none.output).toContain('Either --select or --inline must be passed to show');
  });

  // A project's macro of the same name replaces dbt's (since dbt-adapters 1.8 dbt's dispatches to
  // `<prefix>__get_limit_sql`, so `postgres__get_limit_subquery_sql` no longer applies: see
  // adapter-macro-overrides.test.ts).
  it("a project's get_limit_subquery_sql replaces the adapter's limit (dbt's get_show_sql chain)", async () => {
    const dir2 = testdir({ ...FILES, 'macros/limits.sql': "{% macro get_limit_subquery_sql(sql, limit) %}select * from ({{ sql }}) as doubled order by id desc limit {{ limit * 2 }}{% endmacro %}\n" });
    try {
      const lines: string[] = [];
      const inv = createInvocation({ projectDir: dir2, write: (l) => lines.push(l), env: { ...env, HOME: dir2 }, color: false });
      expect(await showCommand(inv, { limit: 2, output: 'json', inline: "select id from {{ ref('base') }}" })).toBe(0);
      expect(JSON.parse(lines.join('\n'))).toEqual({ show: [{ id: 12 }, { id: 11 }, { id: 10 }, { id: 9 }] });
    } finally {
      removeDir(dir2);
    }
  });

  it('the CLI: --limit -1 and --output json on stdout', async () => {
    const out = await runTsdbt(['show', '--project-dir', dir, '--inline', "select id from {{ ref('orders') }} where id > 9", '--limit', '-1', '--output', 'json'], { env: { HOME: dir } });
    expect(out.code, out.stderr).toBe(0);
    expect(JSON.parse(out.stdout.slice(out.stdout.indexOf('{')))).toEqual({ show: [{ id: 10 }, { id: 11 }, { id: 12 }] });
  });
});
