// dbt-clickhouse's table-clause macros (engine_clause, order_cols, primary_key_clause,
// partition_cols, ttl_config, codec_clause in its materializations/table.sql), which project
// overrides copied from dbt-clickhouse call: here a project's clickhouse__create_table_as built from
// them, on chDB; and its get_sql_security_clause and clickhouse_escape_comment in a project's
// clickhouse__create_view_as. Each reads the model's config as dbt-clickhouse's does.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const CREATE_TABLE_AS = `{% macro clickhouse__create_table_as(temporary, relation, sql) -%}
  create table {{ relation }} (id UInt32{{ codec_clause('ZSTD(3)') }}, d Date, bucket UInt8)
  {{ engine_clause() }}
  {{ order_cols(label="order by") }}
  {{ primary_key_clause(label="primary key") }}
  {{ partition_cols(label="partition by") }}
  {{ ttl_config(label="ttl") }}
  as {{ sql }}
{%- endmacro %}
`;

const CREATE_VIEW_AS = `{% macro clickhouse__create_view_as(relation, sql) -%}
  create view {{ relation }} {{ get_sql_security_clause(relation) }} as {{ sql }}
  comment {{ clickhouse_escape_comment("it's the view's") }}
{%- endmacro %}
`;

const SELECT = "select toUInt32(1) as id, toDate('2030-01-01') as d, toUInt8(3) as bucket\n";

describe("dbt-clickhouse's table-clause macros in a project's create_table_as", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'macros/create_table_as.sql': CREATE_TABLE_AS,
      'macros/create_view_as.sql': CREATE_VIEW_AS,
      'models/secured.sql': "{{ config(materialized='view', sql_security='invoker') }}\nselect id from {{ ref('plain') }}\n",
      'models/keyed.sql': `{{ config(materialized='table', engine='ReplacingMergeTree()', order_by=['id', 'd'], primary_key='id', partition_by='bucket', ttl='d + interval 1 year') }}\n${SELECT}`,
      'models/plain.sql': `{{ config(materialized='table') }}\n${SELECT}`,
      'models/logged.sql': `{{ config(materialized='table', engine='Log', order_by='id') }}\n${SELECT}`,
    });
    out = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  const table = async (name: string) =>
    (await p.sql(`select engine, sorting_key, primary_key, partition_key, create_table_query like '%TTL d + toIntervalYear(1)%' as has_ttl from system.tables where database = '${p.schema}' and name = '${name}'`))[0];

  it('make the engine, keys, partition and TTL from the config', async () => {
    expect(out.code, out.output).toBe(0);
    expect(await table('keyed')).toEqual({ engine: 'ReplacingMergeTree', sorting_key: 'id, d', primary_key: 'id', partition_key: '(bucket)', has_ttl: 1 });
    expect(await p.sql(`select compression_codec from system.columns where database = '${p.schema}' and table = 'keyed' and name = 'id'`)).toEqual([{ compression_codec: 'CODEC(ZSTD(3))' }]);
    expect(await p.sql(`select id, d, bucket from \`${p.schema}\`.keyed`)).toEqual([{ id: 1, d: '2030-01-01', bucket: 3 }]);
  });

  it('default to MergeTree ordered by tuple(), and give a Log table no ORDER BY', async () => {
    expect(await table('plain')).toEqual({ engine: 'MergeTree', sorting_key: '', primary_key: '', partition_key: '', has_ttl: 0 });
    expect(await table('logged')).toEqual({ engine: 'Log', sorting_key: '', primary_key: '', partition_key: '', has_ttl: 0 });
  });

  it("give a view dbt-clickhouse's SQL SECURITY clause and a heredoc comment", async () => {
    const [view] = await p.sql(`select create_table_query like '%SQL SECURITY INVOKER%' as invoker, comment from system.tables where database = '${p.schema}' and name = 'secured'`);
    expect(view).toEqual({ invoker: 1, comment: "it's the view's" });
    expect(await p.sql(`select id from \`${p.schema}\`.secured`)).toEqual([{ id: 1 }]);
  });
});
