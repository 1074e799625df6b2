// dbt's cross-database macros as dbt-clickhouse writes them, where its ClickHouse forms differ from
// dbt's other adapters (dbt-clickhouse's macros/utils): `replace` quotes its characters itself,
// `listagg` reads `order by <field> desc`, `safe_cast` is a plain CAST whose 'null' is the type's
// default value, and `current_timestamp_in_utc_backcompat` is a DateTime. tsdbt also takes
// `replace`'s quoted literals as dbt's other adapters do (dbt-clickhouse quotes them twice).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const MODEL = `{{ config(materialized='table') }}
with v as (
    select 'b' as k, 2 as n union all
    select 'a', 1 union all
    select 'c', 3
)
select
    {{ dbt.replace("'http://x.org/a'", 'http://', '') }} as replace_raw,
    {{ dbt.replace("'a-b-c'", "'-'", "'+'") }} as replace_quoted,
    {{ dbt.replace("'it''s'", "'", '"') }} as replace_quote_char,
    {{ dbt.listagg('k', "'_|_'", "ORDER BY n DESC", 2) }} as listagg_desc,
    {{ dbt.listagg('k', "','", "order by n") }} as listagg_asc,
    {{ dbt.safe_cast("null", "Int32") }} as cast_null_int,
    {{ dbt.safe_cast("null", "Array(String)") }} as cast_null_array,
    {{ dbt.safe_cast("'Alice'", "String") }} as cast_string,
    {{ dbt.current_timestamp_in_utc_backcompat() }} as utc_now
from v
`;

describe('cross-database macros in dbt-clickhouse\'s ClickHouse forms', () => {
  let ch: WarehouseProject;
  beforeAll(() => {
    ch = warehouseProject('chdb', { 'models/dialect.sql': MODEL });
  });
  afterAll(async () => {
    await ch.cleanup();
  });

  it('builds the values and column types dbt-clickhouse gives', async () => {
    const out = await ch.run('run');
    expect(out.code, out.output).toBe(0);
    const [row] = await ch.sql(`select replace_raw, replace_quoted, replace_quote_char, listagg_desc, listagg_asc, cast_null_int, cast_null_array, cast_string from \`${ch.schema}\`.dialect`);
    expect(row).toEqual({
      replace_raw: 'x.org/a',
      replace_quoted: 'a+b+c',
      replace_quote_char: 'it"s',
      listagg_desc: 'c_|_b',
      listagg_asc: 'a,b,c',
      cast_null_int: 0,
      cast_null_array: [],
      cast_string: 'Alice',
    });
    const types = await ch.sql(`select name, type from system.columns where database = '${ch.schema}' and table = 'dialect' and name in ('cast_null_int', 'cast_string', 'utc_now') order by name`);
    expect(types).toEqual([
      { name: 'cast_null_int', type: 'Int32' },
      { name: 'cast_string', type: 'String' },
      { name: 'utc_now', type: 'DateTime' },
    ]);
  });

  it('refuses a listagg ordered by two fields, in dbt-clickhouse\'s words (at parse, where the model renders first)', async () => {
    const two = warehouseProject('chdb', { 'models/two_orders.sql': "select {{ dbt.listagg('k', \"','\", 'order by a, b') }} as l from (select 'x' as k, 1 as a, 2 as b)" });
    try {
      await expect(two.run('run')).rejects.toThrow('ClickHouse does not support multiple order by fields.');
    } finally {
      await two.cleanup();
    }
  });
});
