// dbt-clickhouse's distributed tables' two statements (see DistributedBuilders).
import type { DistributedBuilders } from '../adapter.js';
import { quoteIdentifier, quoteString } from './clickhouse-quoting.js';

/**
 * dbt-clickhouse's distributed tables: `<name>` reads and writes through a Distributed table over
 * the cluster's `<name>_local` shards (created ON CLUSTER with a Replicated engine). Inserts wait
 * for every shard (`insert_distributed_sync`), so a swap never publishes a half-written table.
 */
export function distributedBuilders(cluster: string): DistributedBuilders {
  return {
    createDistributed(relation, local, shardingKey, ifNotExists) {
      const database = quoteString(local.schema ?? 'default');
      return `create table ${ifNotExists ? 'if not exists ' : ''}${relation.render()} on cluster ${quoteIdentifier(cluster)} as ${local.render()}\nengine = Distributed(${quoteString(cluster)}, ${database}, ${quoteString(local.identifier)}, ${shardingKey?.trim() || 'rand()'})`;
    },
    insertThrough(distributed, columns, selectSql) {
      const cols = columns.map(quoteIdentifier).join(', ');
      return `insert into ${distributed.render()} (${cols})\nsettings insert_distributed_sync = 1\nselect ${cols} from (\n${selectSql}\n) as model_subq`;
    },
  };
}

