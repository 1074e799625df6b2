// Golden SQL for ClickHouse's builders, single node and ON CLUSTER: a change in generated SQL
// shows here in review. There is no ClickHouse cluster on the test machines; these strings are
// what a cluster would receive.
import { describe, expect, it } from 'vitest';
import { Relation } from '../relation.js';
import { distributedTablePlan } from '../../materializations/distributed-table.js';
import { canonicalType, clickhouseSql, replicatedEngine, tableEngineClause } from './clickhouse-sql.js';

const single = clickhouseSql();
const cluster = clickhouseSql({ cluster: 'analytics_cluster', databaseEngine: 'Atomic' });
const rel = (identifier: string, sql = single) => new Relation({ database: 'ignored', schema: 'analytics', identifier, type: 'table' }, sql);

describe('ClickHouse SQL', () => {
  it('renders relations as database.table with backticks', () => {
    expect(rel('stg_events').render()).toBe('`analytics`.`stg_events`');
    expect(single.quoteString("it's \\ ok")).toBe("'it\\'s \\\\ ok'");
  });

  it('builds MergeTree tables from dbt-clickhouse configs', () => {
    expect(single.createTableAs(rel('t'), 'select 1 as id', {})).toBe('create table `analytics`.`t`\nengine = MergeTree()\norder by tuple()\nas (\nselect 1 as id\n)');
    expect(
      tableEngineClause({ engine: 'ReplacingMergeTree(version)', order_by: ['user_id', 'session_id'], partition_by: 'toYYYYMM(session_start)', primary_key: 'user_id', ttl: 'session_start + interval 90 day', settings: { index_granularity: 8192 } }),
    ).toBe(
      'engine = ReplacingMergeTree(version)\norder by (user_id, session_id)\npartition by (toYYYYMM(session_start))\nprimary key (user_id)\nttl session_start + interval 90 day\nsettings index_granularity = 8192, allow_nullable_key = 1',
    );
    expect(tableEngineClause({ engine: 'Log' })).toBe('engine = Log()');
    // dbt-clickhouse's order_cols gives its listed engines an ORDER BY too; partition, primary key and TTL are written for any engine.
    expect(tableEngineClause({ engine: 'EmbeddedRocksDB', primary_key: 'id' })).toBe('engine = EmbeddedRocksDB()\norder by tuple()\nprimary key (id)');
    expect(tableEngineClause({ engine: 'Log', partition_by: 'd', ttl: 'd + interval 1 day' })).toBe('engine = Log()\npartition by (d)\nttl d + interval 1 day');
  });

  it("reads blank key entries as dbt-clickhouse's empty key: order_by=[''] is the tuple() key, not an ORDER BY with nothing", () => {
    // kzzzr/dbt_clickhouse_lab's f_orders_stats: config(engine='MergeTree()', order_by=['']); dbt-clickhouse sends `order by ()`.
    expect(tableEngineClause({ engine: 'MergeTree()', order_by: [''] })).toBe('engine = MergeTree()\norder by tuple()');
    expect(tableEngineClause({ order_by: ' ', partition_by: [''], primary_key: '' })).toBe('engine = MergeTree()\norder by tuple()');
    expect(tableEngineClause({ order_by: ['id', ''] })).toBe('engine = MergeTree()\norder by id\nsettings allow_nullable_key = 1');
  });

  it('clones MergeTree tables with CLONE AS (dbt-clickhouse), and says other engines and distributed tables cannot be cloned', () => {
    expect(single.canCloneTable({})).toBe(true);
    expect(single.canCloneTable({ engine: 'ReplacingMergeTree(version)' })).toBe(true);
    expect(single.canCloneTable({ engine: 'Log' })).toBe(false);
    expect(single.canCloneTable({ materialized: 'distributed_table' })).toBe(false);
    const prod = new Relation({ schema: 'prod', identifier: 't', type: 'table' }, single);
    expect(single.createOrReplaceClone(rel('t'), prod)).toBe('create or replace table `analytics`.`t` clone as `prod`.`t`');
    expect(cluster.createOrReplaceClone(rel('t', cluster), prod)).toBe('create or replace table `analytics`.`t` on cluster `analytics_cluster` clone as `prod`.`t`');
  });

  it('puts ON CLUSTER on every DDL when the profile names a cluster', () => {
    const t = rel('t', cluster);
    expect(cluster.createTableAs(t, 'select 1', { order_by: 'id' })).toMatch(/^create table `analytics`\.`t` on cluster `analytics_cluster`\n/);
    expect(cluster.createView(t, 'select 1')).toBe('create or replace view `analytics`.`t` on cluster `analytics_cluster` as (\nselect 1\n)');
    expect(cluster.dropRelation(t, 'table')).toBe('drop table if exists `analytics`.`t` on cluster `analytics_cluster` sync');
    expect(cluster.renameRelation(t, 'u')).toBe('rename table `analytics`.`t` to `analytics`.`u` on cluster `analytics_cluster`');
    expect(cluster.createSchema(null, 'analytics')).toBe('create database if not exists `analytics` on cluster `analytics_cluster` engine = Atomic');
    expect(cluster.deleteWhere(t, 'a = 1')).toBe('delete from `analytics`.`t` on cluster `analytics_cluster` where a = 1');
    expect(cluster.addColumn(t, 'c', 'String')).toBe('alter table `analytics`.`t` on cluster `analytics_cluster` add column if not exists `c` String');
  });

  it('uses Replicated engines with the table uuid in the path on a cluster, and Distributed tables', () => {
    expect(cluster.createTableAs(rel('t', cluster), 'select 1 as id', { order_by: 'id' })).toBe(
      "create table `analytics`.`t` on cluster `analytics_cluster`\nengine = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')\norder by id\nsettings allow_nullable_key = 1\nas (\nselect 1 as id\n)",
    );
    expect(replicatedEngine('ReplacingMergeTree(version)')).toBe("ReplicatedReplacingMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}', version)");
    expect(replicatedEngine('ReplicatedMergeTree(\'/p\', \'r\')')).toBe("ReplicatedMergeTree('/p', 'r')");
    expect(replicatedEngine('Log')).toBe('Log');
    expect(cluster.createTable(rel('seed', cluster), [{ name: 'a', dataType: 'Nullable(Int64)' }], {})).toBe(
      "create table `analytics`.`seed` on cluster `analytics_cluster` (\n    `a` Nullable(Int64)\n)\nengine = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')\norder by tuple()",
    );
  });

  it('plans distributed_table runs: a new local table on every shard, filled through a staging Distributed table', () => {
    expect(single.distributed).toBeUndefined();
    const distributed = cluster.distributed;
    if (!distributed) throw new Error('a cluster target has distributed builders');
    const plan = distributedTablePlan(cluster, distributed, rel('events', cluster), 'select user_id, ts from raw', ['user_id', 'ts'], { order_by: 'ts', sharding_key: 'cityHash64(user_id)' });
    expect(plan.local.render()).toBe('`analytics`.`events_local`');
    expect(plan.stagingLocal.render()).toBe('`analytics`.`events_local__dbt_tmp`');
    expect(plan.build).toEqual([
      'drop table if exists `analytics`.`events__dbt_tmp` on cluster `analytics_cluster` sync',
      'drop table if exists `analytics`.`events_local__dbt_tmp` on cluster `analytics_cluster` sync',
      "create table `analytics`.`events_local__dbt_tmp` on cluster `analytics_cluster`\nengine = ReplicatedMergeTree('/clickhouse/tables/{uuid}/{shard}', '{replica}')\norder by ts\nsettings allow_nullable_key = 1\nas (\nselect * from (\nselect user_id, ts from raw\n) as model_limit_subq\nlimit 0\n)",
      "create table `analytics`.`events__dbt_tmp` on cluster `analytics_cluster` as `analytics`.`events_local__dbt_tmp`\nengine = Distributed('analytics_cluster', 'analytics', 'events_local__dbt_tmp', cityHash64(user_id))",
      'insert into `analytics`.`events__dbt_tmp` (`user_id`, `ts`)\nsettings insert_distributed_sync = 1\nselect `user_id`, `ts` from (\nselect user_id, ts from raw\n) as model_subq',
    ]);
    expect(plan.finish).toEqual([
      'drop table if exists `analytics`.`events__dbt_tmp` on cluster `analytics_cluster` sync',
      "create table if not exists `analytics`.`events` on cluster `analytics_cluster` as `analytics`.`events_local`\nengine = Distributed('analytics_cluster', 'analytics', 'events_local', cityHash64(user_id))",
    ]);
  });

  it('deletes matching keys with a lightweight delete', () => {
    expect(single.deleteMatching(rel('t'), rel('t__batch'), ['a', 'b'], ['a > 0'])).toBe(
      'delete from `analytics`.`t`\nwhere (`a`, `b`) in (select `a`, `b` from `analytics`.`t__batch`)\n  and a > 0',
    );
    expect(single.deleteMatching(rel('t'), rel('t__batch'), ['id'], [])).toBe('delete from `analytics`.`t`\nwhere `id` in (select `id` from `analytics`.`t__batch`)');
  });

  it('builds fixtures, freshness and contract SQL', () => {
    expect(single.valuesQuery([{ name: 'a', dataType: 'Int32' }, { name: 'b', dataType: null }], [[1, 'x'], [null, true]])).toBe(
      "select cast(1 as Int32) as `a`, 'x' as `b`\nunion all\nselect cast(NULL as Nullable(Int32)) as `a`, true as `b`",
    );
    expect(single.freshnessQuery({ relation: rel('events'), field: 'loaded_at', filter: null })).toBe(
      "select toUnixTimestamp64Milli(toDateTime64(maxOrNull(loaded_at), 3, 'UTC')) / 1000 as max_loaded_at_epoch from `analytics`.`events`",
    );
    // dbt-clickhouse writes the model's CHECK constraints, never a column's (unsupportedConstraints warns of those).
    expect(single.createContractTable(rel('c'), [{ name: 'id', dataType: 'Int32', constraints: [{ type: 'check', name: 'ignored', expression: 'id < 0' }] }], [{ type: 'check', name: 'pos', expression: 'id > 0' }], { table: 'c', salt: 's' })).toBe(
      'create table `analytics`.`c` (\n    `id` Int32,\n    constraint `pos` check id > 0\n)\nengine = MergeTree()\norder by tuple()',
    );
  });

  it('spells types canonically for contracts', () => {
    expect(['Nullable(Int32)', 'LowCardinality(Nullable(String))', 'text', 'INT', "DateTime64(6, 'UTC')", 'Decimal(38, 10)', 'timestamp'].map(canonicalType)).toEqual([
      'Int32', 'String', 'String', 'Int32', 'DateTime64', 'Decimal', 'DateTime',
    ]);
  });
});
