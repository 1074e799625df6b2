// `tsdbt compile` compiles offline first and again, connected, each node whose render asks the
// warehouse. A generic test's `model` argument (`{{ get_where_subquery(ref('m')) }}`) is rendered
// in the test's compile context, as dbt's add_rendered_test_kwargs renders it, so a project `ref`
// override that asks `adapter.get_relation` (Artemis's macros/admin/ref_override.sql: use the dev
// relation if it exists, else production's) needs the warehouse there too. Before the fix the
// failure, reported as the argument's ("could not be rendered"), was not retried connected.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'macros/ref_override.sql': [
    '{% macro ref(model_name) %}',
    '  {%- if execute -%}',
    '    {%- set relation = adapter.get_relation(database=target.database, schema=target.schema, identifier=model_name) -%}',
    '    {%- if relation is none -%}',
    "      {{ return(api.Relation.create(database=target.database, schema='prod', identifier=model_name)) }}",
    '    {%- endif -%}',
    '  {%- endif -%}',
    '  {{ return(builtins.ref(model_name)) }}',
    '{% endmacro %}',
    '',
  ].join('\n'),
  'models/orders.sql': 'select 1 as id\n',
  'models/_models.yml': 'version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
};

describe('compile: test arguments that ask the warehouse, on pglite', () => {
  let p: WarehouseProject;
  let compiled: RunOutcome;

  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    compiled = await p.run('compile');
  }, 300_000);
  afterAll(() => p.cleanup());

  it("compiles the test connected: its model argument is the override's production relation", () => {
    expect(compiled.code, compiled.output).toBe(0);
    const sql = readFileSync(path.join(p.dir, 'target', 'compiled', 'demo', 'models', '_models.yml', 'not_null_orders_id.sql'), 'utf8');
    expect(sql).toContain('from "postgres"."prod"."orders"');
  });
});
