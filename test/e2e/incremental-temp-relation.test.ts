// dbt's incremental materialization (dbt-adapters incremental.sql) stages a later run's new rows in
// `make_temp_relation(target)`, created by `get_create_table_as_sql(True, temp_relation, sql)`, and
// hands that relation to the strategy's macro. dbt-postgres's make_temp_relation has no schema or
// database and is named `<alias>__dbt_tmp<HHMMSSffffff>`, so its create_table_as makes a
// `create temporary table`. A project's postgres__create_table_as that branches on `temporary` or
// on the relation's schema (as partitioning packages do) sees those values here too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

// dbt-postgres's postgres__create_table_as (no contract, no unlogged), recording what it was given.
const CREATE_TABLE_AS = `{% macro postgres__create_table_as(temporary, relation, sql) -%}
  {%- if execute -%}
    {%- do run_query("insert into " ~ target.schema ~ ".ctas_log (temporary, rel_schema, rel_database, identifier, rendered) values ('"
        ~ temporary ~ "', '" ~ relation.schema ~ "', '" ~ relation.database ~ "', '" ~ relation.identifier ~ "', '" ~ (relation | string | replace("'", "''")) ~ "')") -%}
  {%- endif %}
  create {% if temporary -%} temporary {%- endif %} table {{ relation }} as (
    {{ sql }}
  );
{%- endmacro %}
`;

const MODEL = (version: number, extra: string) =>
  `{{ config(materialized='incremental', unique_key='id', on_schema_change='append_new_columns') }}\n` +
  `select 1 as id, 'v${version}' as v${extra}\nunion all\nselect ${version + 1} as id, 'v${version}' as v${extra}\n`;

describe.each(WAREHOUSES)('incremental staging relation as dbt-postgres makes it (%s)', (kind) => {
  let p: WarehouseProject;
  let first: RunOutcome;
  let second: RunOutcome;
  let log: Record<string, unknown>[];
  beforeAll(async () => {
    p = warehouseProject(kind, {
      'macros/create_table_as.sql': CREATE_TABLE_AS,
      'models/inc.sql': MODEL(1, ''),
      'dbt_project.yml':
        'name: demo\nprofile: demo\non-run-start:\n' +
        '  - "create schema if not exists {{ target.schema }}"\n' +
        '  - "create table if not exists {{ target.schema }}.ctas_log (temporary text, rel_schema text, rel_database text, identifier text, rendered text)"\n',
    });
    first = await p.run('run');
    await p.sql(`delete from ${p.schema}.ctas_log`);
    p.write('models/inc.sql', MODEL(2, ", 'new' as added"));
    second = await p.run('run');
    log = await p.sql(`select * from ${p.schema}.ctas_log`);
  });
  afterAll(async () => {
    await p.cleanup();
  });

  it('creates the new rows with get_create_table_as_sql(True, <relation without schema or database>)', () => {
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    expect(log).toHaveLength(1);
    const [row] = log;
    expect(row).toMatchObject({ temporary: 'True', rel_schema: 'None', rel_database: 'None' });
    expect(String(row?.identifier)).toMatch(/^inc__dbt_tmp\d{12}$/);
    expect(row?.rendered).toBe(`"${String(row?.identifier)}"`);
  });

  it('applies the staged rows (delete+insert on the key, the new column appended)', async () => {
    expect(await p.sql(`select id, v, added from ${p.schema}.inc order by id`)).toEqual([
      { id: 1, v: 'v2', added: 'new' },
      { id: 2, v: 'v1', added: null },
      { id: 3, v: 'v2', added: 'new' },
    ]);
  });

  it('leaves no staging relation in the schema', async () => {
    const names = (await p.sql(`select table_name from information_schema.tables where table_schema = '${p.schema}' order by 1`)).map((r) => r.table_name);
    expect(names).toEqual(['ctas_log', 'inc']);
  });
});
