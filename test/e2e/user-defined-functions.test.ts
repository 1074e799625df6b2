// dbt 1.11's user-defined functions, built end to end as dbt's "User-defined functions" page
// describes them: a SQL file under functions/ with its `functions:` property entry (arguments,
// returns, config volatility), `function('name')` in a model, and `build`, which creates the
// function (dbt-adapters' `function` materialization, `CREATE OR REPLACE FUNCTION`) before the
// model that calls it. On the PostgreSQL server, PGlite and ClickHouse (chDB, where a function
// is a lambda); a project replaces one step of the materialization through dispatch; a Python
// function and an aggregate one fail their node with dbt's message.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FUNCTIONS = {
  'functions/double_it.sql': 'SELECT value * 2\n',
  'functions/add_to.sql': '{{ config(volatility="deterministic") }}\nSELECT base + amount\n',
  'functions/schema.yml': [
    'functions:',
    '  - name: double_it',
    '    description: Doubles whatever number is passed in',
    '    arguments:',
    '      - name: value',
    '        data_type: integer',
    '    returns:',
    '      data_type: integer',
    '  - name: add_to',
    '    config:',
    '      volatility: stable',
    '    arguments:',
    '      - name: base',
    '        data_type: integer',
    '      - name: amount',
    '        data_type: integer',
    '        default_value: 10',
    '    returns:',
    '      data_type: integer',
    '',
  ].join('\n'),
};

const MODELS = {
  'seeds/numbers.csv': 'n\n1\n2\n3\n',
  'models/doubled.sql': "{{ config(materialized='table') }}\nselect n, {{ function('double_it') }}(n) as twice, {{ function('add_to') }}(n) as plus_ten from {{ ref('numbers') }}\n",
};

/** The unique_ids of a run's results, in the order they finished. */
const ids = (out: RunOutcome) => out.results.map((r) => `${r.unique_id}:${r.status}`);

describe.each(WAREHOUSES)('user-defined functions on PostgreSQL (%s)', (kind) => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, { ...FUNCTIONS, ...MODELS });
    out = await p.run('build');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('build creates each function before the model calling it, with dbt\'s progress line', () => {
    expect(out.code, out.output).toBe(0);
    const order = ids(out);
    expect(order).toContain('function.demo.double_it:success');
    expect(order.indexOf('function.demo.double_it:success')).toBeLessThan(order.indexOf('model.demo.doubled:success'));
    expect(order.indexOf('function.demo.add_to:success')).toBeLessThan(order.indexOf('model.demo.doubled:success'));
    expect(out.output).toMatch(/OK created function \S+\.double_it \.+ \[CREATE FUNCTION in /);
    expect(out.output).toContain('Found 1 model, 1 seed, ');
  });

  it("the model's rows are the functions' results (a default argument filled in)", async () => {
    const rows = await p.sql(`select n, twice, plus_ten from "${p.schema}".doubled order by n`);
    expect(rows.map((r) => [Number(r.n), Number(r.twice), Number(r.plus_ten)])).toEqual([
      [1, 2, 11],
      [2, 4, 12],
      [3, 6, 13],
    ]);
  });

  it("volatility: the file's config() wins over the property entry's (IMMUTABLE); none set leaves PostgreSQL's default", async () => {
    const rows = await p.sql(`select proname, provolatile from pg_proc join pg_namespace n on n.oid = pronamespace where nspname = '${p.schema}' order by proname`);
    expect(rows).toEqual([
      { proname: 'add_to', provolatile: 'i' },
      { proname: 'double_it', provolatile: 'v' },
    ]);
  });

  it('a second build replaces the functions (CREATE OR REPLACE) and succeeds', async () => {
    const again = await p.run('build');
    expect(again.code, again.output).toBe(0);
    expect(ids(again)).toContain('function.demo.double_it:success');
  });

  it('run builds models only, as dbt 1.11 does; `--resource-type function` builds the functions alone', async () => {
    const run = await p.run('run');
    expect(ids(run)).toEqual(['model.demo.doubled:success']);
    const fns = await p.run('build', { resourceTypes: ['function'] });
    expect(ids(fns).sort()).toEqual(['function.demo.add_to:success', 'function.demo.double_it:success']);
  });

  it("adapter.list_relations_without_caching lists the schema's functions as relations of type function, as dbt-postgres 1.11's macro does", async () => {
    p.write(
      'models/listed.sql',
      [
        "{% set listed = adapter.list_relations_without_caching(api.Relation.create(database=this.database, schema=this.schema)) if execute else [] %}",
        "select '{{ listed | selectattr('type', 'equalto', 'function') | map(attribute='identifier') | sort | join(',') }}' as functions,",
        "  '{{ listed | selectattr('type', 'equalto', 'table') | map(attribute='identifier') | sort | join(',') }}' as tables,",
        "  {{ function('double_it') }}(1) as two",
        '',
      ].join('\n'),
    );
    const listed = await p.run('run', { select: ['listed'] });
    expect(listed.code, listed.output).toBe(0);
    expect(await p.sql(`select functions, tables from "${p.schema}".listed`)).toEqual([{ functions: 'add_to,double_it', tables: 'doubled,numbers' }]);
    p.write('models/listed.sql', "{{ config(enabled=false) }}\nselect 1 as n\n");
  });

  it('--defer calls a function this target has, not the state\'s (dbt-postgres 1.11 finds functions as relations)', async () => {
    // The state's functions live in a schema this server lacks: deferring to them would fail.
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as { functions: Record<string, { schema: string }> };
    for (const fn of Object.values(manifest.functions)) fn.schema = `${p.schema}_prod`;
    p.write('state/manifest.json', JSON.stringify(manifest));
    const deferred = await p.run('run', { select: ['doubled'], defer: true, state: path.join(p.dir, 'state') });
    expect(deferred.code, deferred.output).toBe(0);
    expect(ids(deferred)).toEqual(['model.demo.doubled:success']);
    const compiled = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'doubled.sql'), 'utf8');
    expect(compiled).toContain(`"${p.schema}"."double_it"(n)`);
    const rows = await p.sql(`select n, twice from "${p.schema}".doubled order by n`);
    expect(rows.map((r) => [Number(r.n), Number(r.twice)])).toEqual([[1, 2], [2, 4], [3, 6]]);
  });
});

describe('user-defined functions: overrides and unsupported kinds (PGlite)', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', {
      ...FUNCTIONS,
      ...MODELS,
      // A project's postgres__ implementation of one step replaces dbt's, as dispatch finds it first.
      'macros/udf_body.sql': '{% macro postgres__scalar_function_body_sql() %}\n  $$ select ({{ model.compiled_code }}) + 1000 $$ LANGUAGE SQL\n{% endmacro %}\n',
      'functions/py_double.py': 'def entry(value):\n    return value * 2\n',
      'functions/total.sql': 'SELECT sum(v)\n',
      'functions/more.yml': [
        'functions:',
        '  - name: py_double',
        '    config: {runtime_version: "3.11", entry_point: entry}',
        '    arguments: [{name: value, data_type: integer}]',
        '    returns: {data_type: integer}',
        '  - name: total',
        '    config: {type: aggregate}',
        '    arguments: [{name: v, data_type: integer}]',
        '    returns: {data_type: integer}',
        '',
      ].join('\n'),
    });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it("the project's postgres__scalar_function_body_sql writes the body; the Python and aggregate functions fail with dbt's message, the rest builds", async () => {
    const out = await p.run('build');
    expect(out.code).toBe(1);
    const status = Object.fromEntries(out.results.map((r) => [r.unique_id, r]));
    expect(status['function.demo.py_double']?.status).toBe('error');
    expect(status['function.demo.py_double']?.message).toContain("No macro named 'scalar_function_python' found within namespace");
    expect(status['function.demo.total']?.message).toContain("No macro named 'aggregate_function_sql' found within namespace");
    expect(status['model.demo.doubled']?.status).toBe('success');
    const rows = await p.sql(`select twice from "${p.schema}".doubled order by n`);
    expect(rows.map((r) => Number(r.twice))).toEqual([1002, 1004, 1006]);
    const created = readFileSync(path.join(p.dir, 'target', 'run', 'demo', 'functions', 'double_it.sql'), 'utf8');
    expect(created).toMatch(/CREATE OR REPLACE FUNCTION "[^"]+"\."[^"]+"\."double_it" \(\s*value integer\s*\)\s+RETURNS integer/);
  });
});

describe('user-defined functions on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('chdb', {
      'functions/udf_triple.sql': 'SELECT value * 3\n',
      'functions/schema.yml': 'functions:\n  - name: udf_triple\n    arguments: [{name: value, data_type: Int64}]\n    returns: {data_type: Int64}\n',
      'models/tripled.sql': "{{ config(materialized='table') }}\nselect number as n, {{ function('udf_triple') }}(number) as thrice from numbers(3)\n",
    });
  });
  afterAll(async () => {
    await p.sql('drop function if exists udf_triple');
    await p.cleanup();
  });

  it('a function is a global lambda (CREATE OR REPLACE FUNCTION name AS (value) -> (...)) the model calls by name', async () => {
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
    const rows = await p.sql(`select n, thrice from \`${p.schema}\`.tripled order by n`);
    expect(rows.map((r) => [Number(r.n), Number(r.thrice)])).toEqual([
      [0, 0],
      [1, 3],
      [2, 6],
    ]);
    const compiled = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'tripled.sql'), 'utf8');
    expect(compiled).toContain('`udf_triple`(number)');
  });
});
