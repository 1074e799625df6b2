// dbt's run_query returns `load_result("run_query_statement").table`: while parsing nothing was
// stored, so it is `.table` of None, a Jinja Undefined (length 0, iterates empty), not None.
// gnosischain's dbt-cerebro asks `{% if factories | length == 0 %}` of a run_query result in a
// model (macros/contracts/resolve_factory_children.sql); tsdbt's run_query gave None there and the
// parse failed with "object of type 'NoneType' has no len()".
// The adapter's warehouse questions answer the same way whatever their arguments while parsing
// (dbt's `@available.parse_none` / `parse_list` replace the method): Health-Union/dbt-xdb passes
// `adapter.get_relation(...)`, None at parse, to `adapter.get_columns_in_relation`, which gives [].
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/factories.sql': [
    "{% set factories = run_query('select 2 as n union all select 3') %}",
    '{% if factories | length == 0 %}',
    'select 0 as n',
    '{% else %}',
    "select {% for row in factories %}{{ row['n'] }}{{ ' + ' if not loop.last }}{% endfor %} as n",
    '{% endif %}',
    '',
  ].join('\n'),
  'models/columns_of.sql': [
    "{% set rel = adapter.get_relation(database=target.database, schema='information_schema', identifier='schemata') %}",
    '{% set cols = adapter.get_columns_in_relation(rel) %}',
    "{% do adapter.drop_relation(rel) if not execute %}",
    "select {{ cols | map(attribute='name') | select('equalto', 'schema_name') | list | length }} as n",
    '',
  ].join('\n'),
};

describe('run_query while parsing, on pglite', () => {
  let p: WarehouseProject;
  let compiled: RunOutcome;

  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    compiled = await p.run('compile');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('parses (the result is empty there) and compiles with the rows', () => {
    expect(compiled.code, compiled.output).toBe(0);
    const sql = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'factories.sql'), 'utf8');
    expect(sql.trim()).toBe('select 2 + 3 as n');
  });

  it('parses adapter calls given the None that get_relation answers there, and compiles with the columns', () => {
    expect(compiled.code, compiled.output).toBe(0);
    const sql = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', 'columns_of.sql'), 'utf8');
    expect(sql.trim()).toBe('select 1 as n');
  });
});
