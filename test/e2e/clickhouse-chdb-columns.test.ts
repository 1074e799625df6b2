// The columns adapter.get_columns_in_relation gives on ClickHouse are dbt-clickhouse's
// ClickHouseColumn (dbt/adapters/clickhouse/column.py): LowCardinality(...) and Nullable(...) are
// read off the type into is_low_cardinality / is_nullable, the type tests ask the inner type,
// data_type puts the wrappers back (a FixedString's is String, a Decimal's Decimal(P, S)),
// string_size is a FixedString's size else 256, and `{{ column }}` prints `name type` (a nullable
// type wrapped in Nullable() once more, as dbt-clickhouse's __str__ does). Built on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const PROBE = [
  '{% for c in adapter.get_columns_in_relation(this) %}',
  "{% do log('col: ' ~ c.name ~ '|' ~ c.dtype ~ '|' ~ c.data_type ~ '|' ~ c.is_nullable ~ '|' ~ c.is_low_cardinality ~ '|' ~ c.is_string() ~ c.is_integer() ~ c.is_float() ~ c.is_numeric() ~ '|' ~ (c.string_size() if c.is_string() else '-') ~ '|' ~ c, info=True) %}",
  '{% endfor %}',
].join('');

const MODEL = `{{ config(materialized='table', order_by='id', post_hook=["${PROBE.replace(/"/g, '\\"')}"]) }}
select
  toInt32(1) as id,
  toNullable('a') as n_s,
  CAST('x' AS LowCardinality(String)) as lc_s,
  CAST('y' AS LowCardinality(Nullable(String))) as lc_n_s,
  toFixedString('ab', 5) as fixed,
  toDecimal64(1.5, 4) as amount,
  CAST(2.5 AS Nullable(Float64)) as score,
  toDate('2024-01-01') as day
`;

describe("ClickHouse's columns as dbt-clickhouse's ClickHouseColumn (chDB)", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', { 'models/typed.sql': MODEL });
    out = await p.run('run');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('reads the wrappers, type families, data_type, string_size and str() of get_columns_in_relation', () => {
    expect(out.code, out.output).toBe(0);
    const logged = out.output.split('\n').flatMap((l) => (l.includes('col: ') ? [l.slice(l.indexOf('col: ') + 5)] : []));
    expect(logged).toEqual([
      'id|Int32|Int32|False|False|FalseTrueFalseFalse|-|id Int32',
      'n_s|String|Nullable(String)|True|False|TrueFalseFalseFalse|256|n_s Nullable(Nullable(String))',
      'lc_s|String|LowCardinality(String)|False|True|TrueFalseFalseFalse|256|lc_s LowCardinality(String)',
      'lc_n_s|String|LowCardinality(Nullable(String))|True|True|TrueFalseFalseFalse|256|lc_n_s Nullable(LowCardinality(Nullable(String)))',
      'fixed|FixedString(5)|String|False|False|TrueFalseFalseFalse|5|fixed String',
      'amount|Decimal(18, 4)|Decimal(18, 4)|False|False|FalseFalseFalseTrue|-|amount Decimal(18, 4)',
      'score|Float64|Nullable(Float64)|True|False|FalseFalseTrueFalse|-|score Nullable(Nullable(Float64))',
      'day|Date|Date|False|False|FalseFalseFalseFalse|-|day Date',
    ]);
  });
});
