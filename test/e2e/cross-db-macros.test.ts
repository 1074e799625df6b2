// dbt's cross-database macros give the same answers on PostgreSQL (PGlite) and ClickHouse (chDB):
// one model calls every macro, builds on both targets, and the two tables must hold the same
// values (each compared as text).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

// Jinja variables: the timestamps are built once with the target's timestamp type.
const SETS = `{% set T = "cast('2024-01-30 10:15:20' as " ~ dbt.type_timestamp() ~ ")" %}\n{% set U = "cast('2024-03-02 08:05:00' as " ~ dbt.type_timestamp() ~ ")" %}\n`;
const text = (expr: string) => `cast(${expr} as {{ dbt.type_string() }})`;

const EXPRESSIONS: Record<string, string> = {
  dateadd_day: text(`{{ dbt.dateadd('day', 3, T) }}`),
  dateadd_month: text(`{{ dbt.dateadd('month', 1, T) }}`),
  dateadd_hour: text(`{{ dbt.dateadd('hour', -2, T) }}`),
  datediff_day: text(`{{ dbt.datediff(T, U, 'day') }}`),
  datediff_month: text(`{{ dbt.datediff(T, U, 'month') }}`),
  datediff_year: text(`{{ dbt.datediff(T, U, 'year') }}`),
  datediff_hour: text(`{{ dbt.datediff(T, U, 'hour') }}`),
  datediff_minute: text(`{{ dbt.datediff(T, U, 'minute') }}`),
  date_trunc_month: text(`{{ dbt.date_trunc('month', T) }}`),
  date_trunc_hour: text(`{{ dbt.date_trunc('hour', T) }}`),
  last_day_month: text(`{{ dbt.last_day("cast('2024-02-10' as date)", 'month') }}`),
  safe_cast: text(`{{ dbt.safe_cast("'42'", dbt.type_int()) }}`),
  split_part: `{{ dbt.split_part("'a,b,c'", "','", 2) }}`,
  split_part_last: `{{ dbt.split_part("'a,b,c'", "','", -1) }}`,
  concat: `{{ dbt.concat(["'x'", "'-'", "'y'"]) }}`,
  hash: `{{ dbt.hash("'tsdbt'") }}`,
  string_literal: `{{ dbt.string_literal('lit') }}`,
  escape_single_quotes: `'{{ dbt.escape_single_quotes("it's") }}'`,
  length: text(`{{ dbt.length("'héllo'") }}`),
  position: text(`{{ dbt.position("'c'", "'abcd'") }}`),
  replace: `{{ dbt.replace("'a-b-c'", "'-'", "'+'") }}`,
  right: `{{ dbt.right("'abcdef'", 2) }}`,
  cast_bool_to_text: `{{ dbt.cast_bool_to_text('1 = 1') }}`,
  numeric: text(`cast(cast(1.5 as {{ dbt.type_numeric() }}) * 2 as {{ dbt.type_int() }})`),
  bigint: text(`cast(9000000000 as {{ dbt.type_bigint() }})`),
};

const MODEL = `${SETS}select\n${Object.entries(EXPRESSIONS)
  .map(([name, expr]) => `    ${expr} as ${name}`)
  .join(',\n')}\n`;

const AGGREGATES = `with v as (
    select 'b' as k, 2 as n, true as f union all
    select 'a', 1, false union all
    select 'c', 3, false
)
select
    {{ dbt.listagg('k', "','", 'order by n') }} as listagg_ordered,
    {{ dbt.listagg('k', "'|'", 'order by n', 2) }} as listagg_limited,
    {{ dbt.cast_bool_to_text(dbt.bool_or('f')) }} as bool_or,
    {{ dbt.cast_bool_to_text(dbt.bool_or('n > 5')) }} as bool_or_none,
    cast({{ dbt.any_value('n') }} >= 1 as {{ dbt.type_int() }}) as any_value_ok,
    (select count(*) from (select x from (select 1 as x union all select 2) as a {{ dbt.except() }} select 2) as e) as except_count,
    (select count(*) from (select x from (select 1 as x union all select 2) as a {{ dbt.intersect() }} select 2) as i) as intersect_count
from v
`;

const normalise = (rows: Record<string, unknown>[]) => rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, String(v)])));

describe('cross-database macros on PostgreSQL and ClickHouse', () => {
  let pg: WarehouseProject;
  let ch: WarehouseProject;
  beforeAll(() => {
    const files = { 'models/exprs.sql': `{{ config(materialized='table') }}\n${MODEL}`, 'models/aggs.sql': `{{ config(materialized='table') }}\n${AGGREGATES}` };
    pg = warehouseProject('pglite', files);
    ch = warehouseProject('chdb', files);
  });
  afterAll(async () => {
    await pg.cleanup();
    await ch.cleanup();
  });

  it('build the same values on both', async () => {
    const [a, b] = [await pg.run('run'), await ch.run('run')];
    expect(a.code, a.output).toBe(0);
    expect(b.code, b.output).toBe(0);
    const onPg = normalise(await pg.sql(`select * from ${pg.schema}.exprs`));
    const onCh = normalise(await ch.sql(`select * from \`${ch.schema}\`.exprs`));
    expect(onPg[0]).toMatchObject({
      dateadd_day: '2024-02-02 10:15:20',
      dateadd_month: '2024-02-29 10:15:20',
      datediff_day: '32',
      datediff_month: '2',
      datediff_year: '0',
      date_trunc_month: '2024-01-01 00:00:00',
      last_day_month: '2024-02-29',
      split_part: 'b',
      split_part_last: 'c',
      concat: 'x-y',
      escape_single_quotes: "it's",
      length: '5',
      position: '3',
      replace: 'a+b+c',
      right: 'ef',
      cast_bool_to_text: 'true',
    });
    expect(onPg[0]?.hash).toMatch(/^[0-9a-f]{32}$/);
    expect(onCh).toEqual(onPg);
    // dbt-postgres counts a negative part from the end itself (dbt._split_part_negative), as PostgreSQL before 14 needs.
    expect(readFileSync(path.join(pg.dir, 'target', 'run', 'demo', 'models', 'exprs.sql'), 'utf8')).toMatch(/length\('a,b,c'\)\s*- length\(\s*replace\('a,b,c',\s*',', ''\)\s*\) \+ 2 \+ -1/);
    const aggPg = normalise(await pg.sql(`select * from ${pg.schema}.aggs`));
    const aggCh = normalise(await ch.sql(`select * from \`${ch.schema}\`.aggs`));
    expect(aggPg).toEqual([{ listagg_ordered: 'a,b,c', listagg_limited: 'a|b', bool_or: 'true', bool_or_none: 'false', any_value_ok: '1', except_count: '1', intersect_count: '1' }]);
    expect(aggCh).toEqual(aggPg);
  });
});
