// A seed's columns on ClickHouse get dbt-clickhouse's types (its convert_*_type: Int32, String,
// Bool, Date, DateTime, none Nullable), so a seed can be a MergeTree key, a TTL column or a
// dictionary's Int32 key as in dbt-clickhouse's tests (TestBasicMV, TestQueryDictionary,
// TestTableTTL). An empty field is stored as the type's default (0, ''), as dbt-clickhouse's CSV
// insert into non-Nullable columns does; `column_types` can ask for Nullable (then it is NULL).
// Where tsdbt differs, on purpose: integers past Int32 are Int64, decimals Float64 and ISO 8601
// timestamps DateTime64(6, 'UTC'). Built on chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const SEED = [
  'id,name,some_date,active,score,big,maybe,at_iso,note,kept',
  '1,Easton,2019-01-01 00:00:00,true,1.5,3000000000,7,2024-01-01T10:00:00.250Z,hi,5',
  '2,Lillian,2020-06-30 12:30:00,false,2.25,1,,2024-01-02T10:00:00Z,,',
].join('\n');

describe("seed column types on ClickHouse as dbt-clickhouse's (chDB)", () => {
  let p: WarehouseProject;
  let out: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/people.csv': `${SEED}\n`,
      'seeds/people.yml': 'seeds:\n  - name: people\n    config:\n      column_types: {kept: Nullable(Int32)}\n',
    });
    out = await p.run('seed');
  }, 300_000);
  afterAll(() => p.cleanup());

  it('creates Int32, String, DateTime, Bool columns, none Nullable (even with an empty field)', async () => {
    expect(out.code, out.output).toBe(0);
    const columns = await p.sql(`select name, type from system.columns where database = '${p.schema}' and table = 'people' order by position`);
    expect(columns.map((c) => [c.name, c.type])).toEqual([
      ['id', 'Int32'],
      ['name', 'String'],
      ['some_date', 'DateTime'],
      ['active', 'Bool'],
      ['score', 'Float64'],
      ['big', 'Int64'],
      ['maybe', 'Int32'],
      ['at_iso', "DateTime64(6, 'UTC')"],
      ['note', 'String'],
      ['kept', 'Nullable(Int32)'],
    ]);
  });

  it("loads the values, an empty field as the type's default (NULL in a column_types Nullable column)", async () => {
    const rows = await p.sql(`select id, name, toString(some_date) as d, big, maybe, toString(at_iso) as at, note, kept from \`${p.schema}\`.people order by id`);
    expect(rows).toEqual([
      { id: 1, name: 'Easton', d: '2019-01-01 00:00:00', big: 3000000000, maybe: 7, at: '2024-01-01 10:00:00.250000', note: 'hi', kept: 5 },
      { id: 2, name: 'Lillian', d: '2020-06-30 12:30:00', big: 1, maybe: 0, at: '2024-01-02 10:00:00.000000', note: '', kept: null },
    ]);
  });
});
