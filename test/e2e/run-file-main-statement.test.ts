// target/run/<node>.sql as dbt writes it: dbt's `statement` macro calls `write(compiled_code)`
// for the statement named `main` only (the materialization's build: create table/view as,
// the incremental strategy's SQL, the test's summary query), so the file holds that text and not
// the drops, renames, grants and commits around it. The last `main` a materialization runs wins.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const PER_STEP = `
{% materialization per_step, default %}
  {%- set target_relation = this.incorporate(type='table') -%}
  {% call statement('setup') -%} drop table if exists {{ target_relation }} {%- endcall %}
  {% call statement('main') -%} create table {{ target_relation }} as select 1 as step {%- endcall %}
  {% call statement('main') -%} insert into {{ target_relation }} select 2 as step {%- endcall %}
  {{ adapter.commit() }}
  {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
`;

describe('target/run holds the main statement only', () => {
  const projects: WarehouseProject[] = [];
  afterAll(async () => {
    for (const p of projects) await p.cleanup();
  });

  it('view, contracted table, delete+insert incremental, data test and a Jinja materialization', async () => {
    const p = warehouseProject('pglite', {
      'models/t.sql': "{{ config(materialized='table') }}\nselect 1 as id, 'blue' as color\n",
      'models/v.sql': "select * from {{ ref('t') }}\n",
      'models/i.sql': "{{ config(materialized='incremental', unique_key='id', incremental_strategy='delete+insert') }}\nselect * from {{ ref('t') }}\n",
      'models/j.sql': "{{ config(materialized='per_step') }}\nselect 1 as step\n",
      'macros/per_step.sql': PER_STEP,
      'models/props.yml': [
        'models:',
        '  - name: t',
        '    config: {contract: {enforced: true}}',
        '    columns:',
        '      - {name: id, data_type: integer, constraints: [{type: not_null}], data_tests: [unique]}',
        '      - {name: color, data_type: text}',
        '',
      ].join('\n'),
    });
    projects.push(p);
    const first = await p.run('build');
    expect(first.code, first.output).toBe(0);
    const again = await p.run('run', { select: ['i'] });
    expect(again.code, again.output).toBe(0);
    const runFile = (file: string) => readFileSync(path.join(p.dir, 'target', 'run', 'demo', file), 'utf8');

    // A view: its create, nothing else (no drop of a staging name, no rename, no commit).
    const view = runFile('models/v.sql');
    expect(view).toMatch(/^create (or replace )?view [^\n]*"v[^"]*" as \(\s*select \* from [^\n]*"t"\s*\);$/);
    // A contracted table: dbt's one text, the create with its columns and then the insert.
    const table = runFile('models/t.sql');
    expect(table).toMatch(/^create table [^\n]*\(\s*id integer not null,\s*color text\s*\);\s*insert into [^\n]*\(\s*id, color\s*\)\s*\(\s*select id, color\s*from \([\s\S]*\) as model_subq\s*\);$/);
    expect(table).not.toMatch(/drop |alter table|rename|commit/i);
    // An incremental run: the strategy's SQL (delete+insert: both), not the batch table's create.
    const incremental = runFile('models/i.sql');
    expect(incremental).toMatch(/^delete from [^\n]*"i"[\s\S]*;\s*insert into [^\n]*"i"/);
    expect(incremental).not.toMatch(/create table|drop table/i);
    // A data test: the summary query dbt's test materialization names main.
    const test = runFile('models/props.yml/unique_t_id.sql');
    expect(test).toMatch(/^select\s+count\(\*\) as failures,[\s\S]*\) dbt_internal_test$/);
    // A materialization in Jinja: the text of its last statement('main'), as written (write()).
    expect(runFile('models/j.sql').trim()).toBe('insert into ' + `"postgres"."${p.schema}"."j"` + ' select 2 as step');
    expect(await p.sql(`select step from "${p.schema}".j order by step`)).toEqual([{ step: 1 }, { step: 2 }]);
  });
});
