// dbt-postgres's make_temp_relation tags each temporary relation with the wall clock
// (`dt.strftime("%H%M%S%f")`, dbt-adapters postgres/macros/adapters.sql), so a macro that makes a
// temporary table of the same base relation in an on-run-start hook, a model's pre- and post-hook
// and an on-run-end hook (as an event-logging package does) gets four names, though the four share
// the session and temporary tables live until it ends. tsdbt's tags were the same in every render.
// dbt-postgres's get_create_index_sql hashes utcnow() into an index's name alike, so two post-hooks
// indexing the model's table (besides its `indexes` config) make three indexes.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const RECORD = `{% macro record_temp() %}
  {% if execute %}
    {% set base = api.Relation.create(database=target.database, schema=target.schema, identifier='events') %}
    {% set tmp = make_temp_relation(base) %}
    {% do run_query(get_create_table_as_sql(True, tmp, "select 1 as x")) %}
    {% do run_query("insert into " ~ target.schema ~ ".temp_names select '" ~ tmp.identifier ~ "'") %}
  {% endif %}
{% endmacro %}
`;

describe.each(WAREHOUSES)('make_temp_relation across renders sharing a session (%s)', (kind) => {
  let p: WarehouseProject;
  let run: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject(kind, {
      'macros/record_temp.sql': RECORD,
      'models/m.sql': "{{ config(pre_hook=\"{{ record_temp() }}\", post_hook=\"{{ record_temp() }}\") }}\nselect 1 as id\n",
      'dbt_project.yml':
        'name: demo\nprofile: demo\non-run-start:\n' +
        '  - "create schema if not exists {{ target.schema }}"\n' +
        '  - "create table if not exists {{ target.schema }}.temp_names (name text)"\n' +
        '  - "{{ record_temp() }}"\n' +
        'on-run-end:\n  - "{{ record_temp() }}"\n',
    });
    run = await p.run('run', { threads: 1 });
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('gives each call its own temporary relation', async () => {
    expect(run.code, run.output).toBe(0);
    const rows = (await p.sql(`select name from ${p.schema}.temp_names`)) as { name: string }[];
    const names = rows.map((r) => r.name);
    expect(names).toHaveLength(4);
    expect(new Set(names).size).toBe(4);
    for (const name of names) expect(name).toMatch(/^events__dbt_tmp\d{12}$/);
  });
});

describe('get_create_index_sql in two hooks of one model (pglite)', () => {
  let p: WarehouseProject;
  let run: RunOutcome;
  beforeAll(async () => {
    const hook = "{{ get_create_index_sql(this, {'columns': ['id']}) }}";
    p = warehouseProject('pglite', {
      'models/m.sql': `{{ config(materialized='table', indexes=[{'columns': ['id']}], post_hook=["${hook}", "${hook}"]) }}\nselect 1 as id\n`,
    });
    run = await p.run('run');
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('names each index apart', async () => {
    expect(run.code, run.output).toBe(0);
    const rows = (await p.sql(`select indexname from pg_indexes where schemaname = '${p.schema}' and tablename = 'm'`)) as { indexname: string }[];
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.indexname)).size).toBe(3);
  });
});
