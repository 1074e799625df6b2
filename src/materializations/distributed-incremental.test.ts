// dbt-clickhouse's `distributed_incremental`, from its docs ("Distributed incremental materialization:
// incremental model based on the same idea as distributed table... the main difficulty is to process
// all incremental strategies correctly") and its materialization: a later run picks its strategy as
// dbt-clickhouse's does (inserts_only or no unique_key appends; unset with a key is delete+insert),
// inserts through the Distributed table, and for delete+insert deletes the new keys from every
// shard's local table ON CLUSTER first. is_incremental() is true for it, as dbt-clickhouse's
// override of the macro makes it. Pure: the statements a cluster would receive.
import { describe, expect, it } from 'vitest';
import { Relation } from '../adapters/relation.js';
import { clickhouseSql } from '../adapters/clickhouse/clickhouse-sql.js';
import { CLICKHOUSE_CAPABILITIES } from '../adapters/clickhouse/clickhouse-adapter.js';
import type { ManifestNode } from '../manifest/types.js';
import { isIncremental } from '../manifest/incremental-state.js';
import { distributedIncrementalPlan, distributedStrategy } from './distributed-incremental.js';

const cluster = clickhouseSql({ cluster: 'analytics_cluster', databaseEngine: 'Atomic' });
const blocks = new Relation({ database: 'ignored', schema: 'dbt', identifier: 'blocks', type: 'table' }, cluster);
const model = { name: 'blocks', file: 'models/blocks.sql' };
const run = (config: Record<string, unknown>) => {
  const distributed = cluster.distributed;
  if (!distributed) throw new Error('a cluster target has distributed builders');
  return { sql: cluster, distributed, relation: blocks, compiledSql: 'select slot, network from src', columns: ['slot', 'network'], config };
};

describe('distributed_incremental', () => {
  it("picks a later run's strategy as dbt-clickhouse does, and refuses the ones it cannot apply across shards", () => {
    expect(distributedStrategy({ incremental_strategy: 'append', unique_key: '(slot, network)' }, model, CLICKHOUSE_CAPABILITIES)).toBe('append');
    expect(distributedStrategy({ unique_key: 'id' }, model, CLICKHOUSE_CAPABILITIES)).toBe('delete+insert');
    expect(distributedStrategy({ unique_key: 'id', incremental_strategy: 'delete_insert' }, model, CLICKHOUSE_CAPABILITIES)).toBe('delete+insert');
    expect(distributedStrategy({ unique_key: 'id', incremental_strategy: 'delete+insert', inserts_only: true }, model, CLICKHOUSE_CAPABILITIES)).toBe('append');
    expect(distributedStrategy({ incremental_strategy: 'delete+insert' }, model, CLICKHOUSE_CAPABILITIES)).toBe('append'); // no unique_key
    expect(distributedStrategy({ unique_key: 'id', incremental_strategy: 'default' }, model, CLICKHOUSE_CAPABILITIES)).toBe('delete+insert');
    // dbt-clickhouse keeps insert_overwrite without a unique_key (it never appends for it), which
    // tsdbt cannot apply across shards: refused by its own name (was read as `insert+overwrite` and appended).
    expect(() => distributedStrategy({ incremental_strategy: 'insert_overwrite', partition_by: 'toYYYYMM(d)' }, model, CLICKHOUSE_CAPABILITIES)).toThrow(
      /incremental_strategy 'insert_overwrite', which tsdbt applies to a single table only/,
    );
    expect(() => distributedStrategy({ unique_key: 'id', incremental_strategy: 'legacy' }, model, CLICKHOUSE_CAPABILITIES)).toThrow(
      /model blocks is materialized as distributed_incremental with incremental_strategy 'legacy', which tsdbt applies to a single table only/,
    );
  });

  it('append inserts the new rows through the Distributed table, which it creates over an existing local table if missing', () => {
    const plan = distributedIncrementalPlan(run({ sharding_key: 'cityHash64(slot, network)' }), 'append');
    expect(plan).toEqual([
      "create table if not exists `dbt`.`blocks` on cluster `analytics_cluster` as `dbt`.`blocks_local`\nengine = Distributed('analytics_cluster', 'dbt', 'blocks_local', cityHash64(slot, network))",
      'insert into `dbt`.`blocks` (`slot`, `network`)\nsettings insert_distributed_sync = 1\nselect `slot`, `network` from (\nselect slot, network from src\n) as model_subq',
    ]);
  });

  it('delete+insert stages the new rows on every shard, deletes their keys from each local table ON CLUSTER, then inserts them', () => {
    const config = { unique_key: '(slot, network)', order_by: 'slot', incremental_predicates: ['slot > 10'] };
    const plan = distributedIncrementalPlan(run(config), 'delete+insert');
    expect(plan[0]).toMatch(/^create table if not exists `dbt`.`blocks` on cluster/);
    expect(plan.slice(1, 3)).toEqual([
      'drop table if exists `dbt`.`blocks__dbt_new_data` on cluster `analytics_cluster` sync',
      'drop table if exists `dbt`.`blocks__dbt_new_data_local` on cluster `analytics_cluster` sync',
    ]);
    expect(plan[3]).toMatch(/^create table `dbt`.`blocks__dbt_new_data_local` on cluster `analytics_cluster`\nengine = ReplicatedMergeTree/);
    expect(plan.slice(4)).toEqual([
      "create table `dbt`.`blocks__dbt_new_data` on cluster `analytics_cluster` as `dbt`.`blocks__dbt_new_data_local`\nengine = Distributed('analytics_cluster', 'dbt', 'blocks__dbt_new_data_local', rand())",
      'insert into `dbt`.`blocks__dbt_new_data` (`slot`, `network`)\nsettings insert_distributed_sync = 1\nselect `slot`, `network` from (\nselect slot, network from src\n) as model_subq',
      'delete from `dbt`.`blocks_local` on cluster `analytics_cluster` where ((slot, network)) in (select (slot, network) from `dbt`.`blocks__dbt_new_data`) and slot > 10',
      'insert into `dbt`.`blocks` (`slot`, `network`)\nsettings insert_distributed_sync = 1\nselect `slot`, `network` from (\nselect `slot`, `network` from `dbt`.`blocks__dbt_new_data`\n) as model_subq',
      'drop table if exists `dbt`.`blocks__dbt_new_data` on cluster `analytics_cluster` sync',
      'drop table if exists `dbt`.`blocks__dbt_new_data_local` on cluster `analytics_cluster` sync',
    ]);
  });

  it('is_incremental() is true for it once its relation exists, as dbt-clickhouse overrides the macro', () => {
    const node = (materialized: string) => ({ config: { materialized } }) as unknown as ManifestNode;
    expect(isIncremental(node('distributed_incremental'), false, () => ({ type: 'table' }))).toBe(true);
    expect(isIncremental(node('distributed_incremental'), true, () => ({ type: 'table' }))).toBe(false);
    expect(isIncremental(node('distributed_table'), false, () => ({ type: 'table' }))).toBe(false);
  });
});
