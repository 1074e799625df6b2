// Table engines beside the MergeTree family, as dbt's ClickHouse configurations page lists them
// (MergeTree, HDFS, MaterializedPostgreSQL, S3, EmbeddedRocksDB, Hive) and dbt-clickhouse writes
// their clauses: an EmbeddedRocksDB table gets its `primary_key` (which it needs) and an ORDER BY
// as dbt-clickhouse's order_cols gives it; a config an engine cannot take (a Log table's
// partition_by) fails the model with ClickHouse's message instead of being dropped unseen. A
// contracted table's columns take dbt-clickhouse's column `codec` and `ttl` (its docs' "Column
// Configuration"), with no custom-key warning. On chDB.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

describe('ClickHouse table engines outside the MergeTree family', () => {
  let p: WarehouseProject;
  let first: RunOutcome;
  let second: RunOutcome;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/people.csv': 'id,name\n1,a\n2,b\n',
      'models/rocks.sql': "{{ config(materialized='table', engine='EmbeddedRocksDB', primary_key='id') }}\nselect id, name from {{ ref('people') }}\n",
      'models/logged.sql': "{{ config(materialized='table', engine='Log', partition_by='id') }}\nselect id from {{ ref('people') }}\n",
      'models/columns.sql': "{{ config(materialized='table', order_by='ts') }}\nselect toDateTime('2030-01-01 00:00:00') as ts, toUInt8(1) as x\n",
      'models/columns.yml': [
        'version: 2',
        'models:',
        '  - name: columns',
        '    config:',
        '      contract:',
        '        enforced: true',
        '    columns:',
        '      - name: ts',
        '        data_type: DateTime',
        '        codec: ZSTD',
        '      - name: x',
        '        data_type: UInt8',
        '        ttl: ts + INTERVAL 1 DAY',
        '',
      ].join('\n'),
    });
    first = await p.run('build');
    second = await p.run('run', { select: ['rocks'] });
  }, 300_000);
  afterAll(() => p.cleanup());

  it('an EmbeddedRocksDB table is keyed by its primary_key, built and rebuilt', async () => {
    const result = (out: RunOutcome) => out.results.find((r) => r.unique_id === 'model.demo.rocks')?.status;
    expect(result(first), first.output).toBe('success');
    expect(result(second), second.output).toBe('success');
    expect(await p.sql(`select engine, primary_key from system.tables where database = '${p.schema}' and name = 'rocks'`)).toEqual([{ engine: 'EmbeddedRocksDB', primary_key: '(id)' }]);
    expect(await p.sql(`select id, name from \`${p.schema}\`.rocks where id = 2`)).toEqual([{ id: 2, name: 'b' }]);
  });

  it("a Log table's partition_by fails the model with ClickHouse's message", () => {
    const logged = first.results.find((r) => r.unique_id === 'model.demo.logged');
    expect(logged?.status).toBe('error');
    expect(logged?.message).toContain("Engine Log doesn't support PARTITION_BY");
  });

  it("a contracted table's columns take their codec and TTL", async () => {
    expect(first.results.find((r) => r.unique_id === 'model.demo.columns')?.status, first.output).toBe('success');
    expect(first.output).not.toContain('Custom key');
    const [table] = await p.sql(`select create_table_query from system.tables where database = '${p.schema}' and name = 'columns'`);
    expect(String(table?.create_table_query)).toContain('`ts` DateTime CODEC(ZSTD(1))');
    expect(String(table?.create_table_query)).toMatch(/`x` UInt8 TTL ts \+ (toIntervalDay\(1\)|INTERVAL 1 DAY)/);
    expect(await p.sql(`select x from \`${p.schema}\`.columns`)).toEqual([{ x: 1 }]);
  });
});
