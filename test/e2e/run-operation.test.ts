// `tsdbt run-operation <macro> --args '{...}'` as dbt documents it (reference/commands/run-operation,
// "Hooks and operations"): the macro runs with the warehouse available (run_query, statement blocks,
// adapter methods), its statements stay committed, --args is a YAML mapping of keyword arguments,
// `package.macro` reaches a package's macro, on-run-start/end hooks do not run, run_results.json
// holds one result for the macro; exit 1 when it raises, 2 for an unknown macro (did you mean).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';
import { queryProjectPglite } from '../support/pglite-query.js';
import { jsonLogEvents } from '../support/json-log.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': [
    'name: shop',
    'profile: shop',
    'on-run-start: "create table {{ target.schema }}.on_run_start_ran (x int)"',
    'on-run-end: "create table {{ target.schema }}.on_run_end_ran (x int)"',
    '',
  ].join('\n'),
  'models/orders.sql': 'select 1 as id\n',
  'macros/fixtures.sql': [
    '{% macro load_fixture(table_name, amounts=[10, 20]) %}',
    '  {% do adapter.create_schema(api.Relation.create(database=target.database, schema=target.schema)) %}',
    "  {% do run_query('create table ' ~ target.schema ~ '.' ~ table_name ~ ' (amount int, label text)') %}",
    '  {% for amount in amounts %}',
    "    {% call statement('insert_' ~ loop.index) %}",
    "      insert into {{ target.schema }}.{{ table_name }} values ({{ amount }}, '{{ var(\"label\", \"none\") }}')",
    '    {% endcall %}',
    '  {% endfor %}',
    "  {% set counted = run_query('select count(*) as n from ' ~ target.schema ~ '.' ~ table_name) %}",
    "  {{ log('loaded ' ~ counted.columns[0].values()[0] ~ ' rows into ' ~ table_name, info=True) }}",
    "  {% do return({'table': table_name, 'rows': counted.columns[0].values()[0], 'amounts': amounts}) %}",
    '{% endmacro %}',
    '',
    '{% macro refuse(reason) %}',
    '  {% if reason %}',
    "    {{ exceptions.raise_compiler_error('refused: ' ~ reason) }}",
    '  {% endif %}',
    '{% endmacro %}',
  ].join('\n'),
  'dbt_packages/helpers/dbt_project.yml': 'name: helpers\nversion: "1.0"\nconfig-version: 2\n',
  'dbt_packages/helpers/macros/stamp.sql': [
    '{% macro stamp(what) %}',
    "  {% do run_query('create table ' ~ target.schema ~ '.stamped as select ' ~ \"'\" ~ what ~ \"'\" ~ '::text as what, ' ~ \"'\" ~ project_name ~ \"'\" ~ '::text as project') %}",
    '{% endmacro %}',
  ].join('\n'),
};

const query = queryProjectPglite;

describe('tsdbt run-operation', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));

  it('runs a macro whose run_query and statement blocks create a table and insert rows, with --args as YAML', async () => {
    const result = await runTsdbt(['run-operation', 'load_fixture', '--project-dir', dir, '--args', '{table_name: payments, amounts: [5, 7, 11]}', '--vars', '{label: seeded}']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('loaded 3 rows into payments');
    const rows = await query(dir, 'select amount, label from analytics.payments order by amount');
    expect(rows).toEqual([
      { amount: 5, label: 'seeded' },
      { amount: 7, label: 'seeded' },
      { amount: 11, label: 'seeded' },
    ]);
    const hooks = await query(dir, "select table_name from information_schema.tables where table_name like 'on_run_%'");
    expect(hooks, 'on-run-start / on-run-end do not run for run-operation').toEqual([]);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; failures: number; message: string | null; timing: { name: string }[] }[]; args: Record<string, unknown> };
    expect(runResults.results).toHaveLength(1);
    expect(runResults.results[0]).toMatchObject({ unique_id: 'macro.shop.load_fixture', status: 'success', failures: 0, message: null });
    // dbt's RunOperationTask times the manifest's compile, then the macro's execution
    expect(runResults.results[0]?.timing.map((t) => t.name)).toEqual(['compile', 'execute']);
    expect(runResults.args).toMatchObject({ which: 'run-operation', macro: 'load_fixture', args: { table_name: 'payments', amounts: [5, 7, 11] } });
  });

  it("prints the macro's log() lines and its return value as JSON log events", async () => {
    const result = await runTsdbt(['run-operation', 'shop.load_fixture', '--project-dir', dir, '--args', '{"table_name": "refunds"}', '--log-format', 'json']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const events = jsonLogEvents(result.stdout.trim());
    expect(events.filter((e) => e.msg === 'loaded 2 rows into refunds').map((e) => [e.name, e.code, e.data.msg])).toEqual([['JinjaLogInfo', 'I062', 'loaded 2 rows into refunds']]);
    const returned = events.find((e) => e.name === 'RunOperationResult');
    expect(returned?.data).toEqual({ macro: 'macro.shop.load_fixture', returned: { table: 'refunds', rows: 2, amounts: [10, 20] } });
    expect(await query(dir, 'select sum(amount)::int as total from analytics.refunds')).toEqual([{ total: 30 }]);
  });

  it('reaches a package macro as package.macro, rendering in that package', async () => {
    const result = await runTsdbt(['run-operation', 'helpers.stamp', '--project-dir', dir, '--args', 'what: hello']);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await query(dir, 'select what, project from analytics.stamped')).toEqual([{ what: 'hello', project: 'shop' }]);
  });

  it('exits 1 with the error message and the macro file:line (no stack) when the macro raises', async () => {
    const result = await runTsdbt(['run-operation', 'refuse', '--project-dir', dir, '--args', '{reason: not today}']);
    expect(result.code).toBe(1);
    const output = result.stdout + result.stderr;
    expect(output).toContain('Encountered an error while running operation: macros/fixtures.sql:16: refused: not today');
    expect(output).not.toMatch(/\bat .+ \(.+\.(ts|c?js):\d+:\d+\)/);
    const runResults = JSON.parse(readFileSync(path.join(dir, 'target/run_results.json'), 'utf8')) as { results: { unique_id: string; status: string; failures: number; message: string }[] };
    expect(runResults.results[0]).toMatchObject({ unique_id: 'macro.shop.refuse', status: 'error', failures: 1, message: 'macros/fixtures.sql:16: refused: not today' });
  });

  it('exits 1 naming the template line when a statement the macro runs fails', async () => {
    const first = await runTsdbt(['run-operation', 'load_fixture', '--project-dir', dir, '--args', '{table_name: twice}']);
    expect(first.code, first.stdout + first.stderr).toBe(0);
    // The second `create table` fails in the warehouse: the error points at the macro's line.
    const result = await runTsdbt(['run-operation', 'load_fixture', '--project-dir', dir, '--args', '{table_name: twice}']);
    expect(result.code).toBe(1);
    expect(result.stdout + result.stderr).toMatch(/relation "twice" already exists[^\n]*\n[^\n]*call chain: macros\/fixtures\.sql:3 -> /);
  });

  it('exits 2 for an unknown macro, suggesting the closest name', async () => {
    const result = await runTsdbt(['run-operation', 'load_fixtures', '--project-dir', dir]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("could not find a macro with the name 'load_fixtures' in any package");
    expect(result.stderr).toContain("did you mean 'load_fixture'?");
    const unknownPackage = await runTsdbt(['run-operation', 'helper.stamp', '--project-dir', dir]);
    expect(unknownPackage.code).toBe(2);
    expect(unknownPackage.stderr).toContain("did you mean 'helpers.stamp'?");
  });

  it('exits 1 for an argument the macro does not take, pointing at its definition and listing its arguments', async () => {
    const result = await runTsdbt(['run-operation', 'load_fixture', '--project-dir', dir, '--args', '{tabel_name: x}']);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain("macros/fixtures.sql:1: macro 'dbt_macro__load_fixture' takes no keyword argument 'tabel_name'");
    expect(result.stdout).toContain("hint: the macro's arguments are: table_name, amounts");
  });

  it('exits 2 when --args is not a YAML mapping', async () => {
    const result = await runTsdbt(['run-operation', 'refuse', '--project-dir', dir, '--args', '[1, 2]']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--args must be a mapping');
  });

  it('is listed in --help', async () => {
    const result = await runTsdbt(['--help']);
    expect(result.stdout).toMatch(/run-operation \[options\] <macro>/);
  });
});
