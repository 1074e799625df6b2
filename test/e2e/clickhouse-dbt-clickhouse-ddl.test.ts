// dbt-clickhouse's table DDL and schema changes, from its tests/integration/adapter (basic/
// test_engine_settings.py, incremental/test_schema_change.py and test_schema_change_codec.py):
// - a model's MergeTree table gets `replicated_deduplication_window = '0'`, a Memory table not
//   (dbt-clickhouse's update_model_settings and filter_settings_by_engine);
// - `append_new_columns` adds a column with the `codec` its YAML entry gives (clickhouse__add_columns);
// - `append_new_columns` fails, "out of sync", when a column was also dropped or changed type
//   (ClickHouseColumnChanges.has_conflicting_changes);
// - safe_cast to a type with quotes in it (utils/test_safe_cast.py's DateTime('Europe/Paris')). Built on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const APPEND = `{{ config(materialized='incremental', unique_key='col_1', on_schema_change='append_new_columns') }}
{% if not is_incremental() %}
select number as col_1, number + 1 as col_2 from numbers(3)
{% else %}
select number as col_1, number + 1 as col_2, number + 2 as col_3 from numbers(2, 3)
{% endif %}`;

const COMPLEX = `{{ config(materialized='incremental', unique_key='col_1', on_schema_change='append_new_columns') }}
{% if not is_incremental() %}
select toUInt8(number) as col_1, number + 1 as col_2 from numbers(3)
{% else %}
select toFloat32(number) as col_1, number + 2 as col_3 from numbers(2, 3)
{% endif %}`;

describe("dbt-clickhouse's table settings and schema changes (chDB)", () => {
  let p: WarehouseProject;
  const outs: RunOutcome[] = [];
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/mergetree.sql': "{{ config(materialized='table', engine='MergeTree()', order_by='id') }}\nselect 1 as id, 'test' as name",
      'models/memory.sql': "{{ config(materialized='table', engine='Memory') }}\nselect 1 as id, 'test' as name",
      'models/codec_append.sql': APPEND,
      'models/complex_append.sql': COMPLEX,
      'models/cast_tz.sql': `select {{ dbt.safe_cast("'2024-01-02 03:04:05'", "DateTime('Europe/Paris')") }} as ts`,
      'models/schema.yml': 'version: 2\nmodels:\n  - name: codec_append\n    columns:\n      - name: col_3\n        data_type: UInt64\n        codec: ZSTD\n',
    });
    outs.push(await p.run('run'), await p.run('run'));
  }, 300_000);
  afterAll(() => p.cleanup());

  const engine = async (table: string) => String((await p.sql(`select engine_full from system.tables where database = '${p.schema}' and name = '${table}'`))[0]?.engine_full);

  it("gives a MergeTree model's table replicated_deduplication_window, not a Memory one's", async () => {
    expect(outs[0]?.code, outs[0]?.output).toBe(0);
    expect(await engine('mergetree')).toContain("replicated_deduplication_window = '0'");
    expect(await engine('memory')).not.toContain('replicated_deduplication_window');
  });

  it("adds a new column with its YAML codec", async () => {
    const rows = await p.sql(`select col_1, col_3 from \`${p.schema}\`.codec_append order by col_1`);
    expect(rows.map((r) => Number(r.col_3))).toEqual([0, 0, 4, 5, 6]);
    const ddl = String((await p.sql(`show create table \`${p.schema}\`.codec_append`))[0]?.statement);
    expect(ddl).toMatch(/`col_3` UInt64 CODEC\(ZSTD/);
  });

  it('fails append_new_columns when a column was also dropped or retyped, out of sync', async () => {
    expect(outs[1]?.code).toBe(1);
    expect(outs[1]?.output).toMatch(/complex_append[\s\S]*out of sync/);
    expect(await p.sql(`select count() as n from system.columns where database = '${p.schema}' and table = 'complex_append'`)).toEqual([{ n: 2 }]);
  });

  it('casts to a type whose name holds quotes', async () => {
    expect(await p.sql(`select toTypeName(ts) as type, toString(ts) as text from \`${p.schema}\`.cast_tz`)).toEqual([{ type: "DateTime('Europe/Paris')", text: '2024-01-02 03:04:05' }]);
  });
});
