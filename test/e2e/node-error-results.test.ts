// A node's failure as dbt reports it. run_results.json's message starts with dbt's kind of error
// and the node ("Database Error in model x (models/x.sql)", "Compilation Error in ..."), which tools
// reading dbt's artifacts look for. An ephemeral model that fails to compile: each model that
// inlines it is skipped ("SKIP relation ... due to ephemeral model status 'error'", `[ERROR SKIP]`),
// its result `skipped` with dbt's "Compilation Error in <node>, caused by compilation error in
// referenced ephemeral model <ephemeral>", the ephemeral's error is printed once, and the run exits
// 1. Models that do not use it still build.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe('a failing ephemeral model', () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'models/base/base.sql': "{{ config(materialized='ephemeral') }}\nselect 1 as id\n",
      'models/base/base_copy.sql': "{{ config(materialized='ephemeral') }}\n{{ adapter.invalid_method() }}\nselect * from {{ ref('base') }}\n",
      'models/dependent.sql': "select * from {{ ref('base_copy') }}\n",
      'models/also_dependent.sql': "select * from {{ ref('base_copy') }}\n",
      'models/after_dependent.sql': "select * from {{ ref('dependent') }}\n",
      'models/fine.sql': "select * from {{ ref('base') }}\n",
      'models/broken_sql.sql': 'select * from no_such_table\n',
      'models/broken_jinja.sql': "{% if execute %}{{ exceptions.raise_compiler_error('this model is not ready') }}{% endif %}\nselect 1 as id\n",
    });
    out = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('skips the models that inline it, with dbt message, and fails the run', () => {
    expect(out.code).toBe(1);
    const byId = Object.fromEntries(out.results.map((r) => [r.unique_id, r]));
    const cause = (id: string) => `Compilation Error in ${id}, caused by compilation error in referenced ephemeral model model.demo.base_copy`;
    expect(byId['model.demo.dependent']).toMatchObject({ status: 'skipped', message: cause('model.demo.dependent') });
    expect(byId['model.demo.also_dependent']).toMatchObject({ status: 'skipped', message: cause('model.demo.also_dependent') });
    expect(byId['model.demo.after_dependent']?.status).toBe('skipped');
    expect(byId['model.demo.fine']?.status).toBe('success');
  });

  it("starts each error's message with dbt's kind of error and the node", () => {
    const byId = Object.fromEntries(out.results.map((r) => [r.unique_id, r]));
    expect(byId['model.demo.broken_sql']?.status).toBe('error');
    expect(byId['model.demo.broken_sql']?.message).toMatch(/^Database Error in model broken_sql \(models\/broken_sql\.sql\)\n {2}relation "no_such_table" does not exist/);
    expect(byId['model.demo.broken_jinja']?.status).toBe('error');
    expect(byId['model.demo.broken_jinja']?.message).toMatch(/^Compilation Error in model broken_jinja \(models\/broken_jinja\.sql\)\n {2}models\/broken_jinja\.sql:1: this model is not ready/);
    // The console prints what dbt's print_run_result_error does: "Failure in", then the result's message.
    expect(out.output).toMatch(/Failure in model broken_sql \(models\/broken_sql\.sql\)\n\S* +Database Error in model broken_sql \(models\/broken_sql\.sql\)\n\S* +relation "no_such_table" does not exist/);
    expect(out.output).toMatch(/Failure in model broken_jinja \(models\/broken_jinja\.sql\)\n\S* +Compilation Error in model broken_jinja \(models\/broken_jinja\.sql\)\n/);
  });

  it("prints dbt's ERROR SKIP line, and the ephemeral's error once", () => {
    expect(out.output).toMatch(/SKIP relation \S+\.dependent due to ephemeral model status 'error' \.+ \[ERROR SKIP\]/);
    expect(out.output).toContain('Completed with 4 errors');
    expect(out.output.match(/Failure in model base_copy \(models\/base\/base_copy\.sql\)/g)).toHaveLength(1);
    expect(out.output).toContain("models/base/base_copy.sql:2: 'dict object' has no attribute 'invalid_method'");
    expect(out.output).toContain('skipped because of it: model.demo.also_dependent, model.demo.dependent');
    expect(out.output).toMatch(/Done\. PASS=1 WARN=0 ERROR=2 SKIP=3 NO-OP=0 TOTAL=6/);
  });
});

// A project materialization that never runs `statement('main')` (e.g. one that builds its table in
// statements of other names): dbt's _build_run_model_result raises DbtRuntimeError("main is not
// being called during running model"), so the result reads "Runtime Error in model ...", and the
// node's open transaction is rolled back when its connection is released: the table is not kept.
describe("a materialization without statement('main')", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('pglite', {
      'macros/truncate_insert.sql': [
        '{% materialization truncate_insert, default %}',
        "  {%- set target_relation = this.incorporate(type='table') -%}",
        "  {% call statement('create_target_relation') %}create table {{ target_relation }} as {{ sql }}{% endcall %}",
        "  {{ return({'relations': [target_relation]}) }}",
        '{% endmaterialization %}',
      ].join('\n'),
      'models/no_main.sql': "{{ config(materialized='truncate_insert') }}\nselect 1 as id\n",
    });
    out = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('fails the node with a Runtime Error, as dbt, and keeps no table', async () => {
    expect(out.code).toBe(1);
    const result = out.results.find((r) => r.unique_id === 'model.demo.no_main');
    expect(result?.status).toBe('error');
    expect(result?.message).toMatch(/^Runtime Error in model no_main \(models\/no_main\.sql\)\n {2}macros\/truncate_insert\.sql:1: main is not being called during running model/);
    expect(out.output).toMatch(/Failure in model no_main \(models\/no_main\.sql\)\n\S* +Runtime Error in model no_main/);
    const tables = await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}'`);
    expect(tables).toEqual([]);
  });
});
