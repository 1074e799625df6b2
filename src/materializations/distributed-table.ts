// `materialized='distributed_table'` (dbt-clickhouse): the rows live in `<name>_local` on every
// shard of the profile's cluster, and `<name>` is a Distributed table over them. A run builds a new
// local table beside the old one, fills it through a staging Distributed table (waiting for every
// shard), swaps it in with the adapter's atomic replace, and creates `<name>` if it is missing.
// Only targets with a cluster have the builders (`SqlBuilders.distributed`); elsewhere it is a
// clear error, not a silent plain table.
import type { DistributedBuilders, SqlBuilders } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { runHooks, stagingIdentifier, type Materialization, type MaterializationContext } from './materialization.js';

export interface DistributedTablePlan {
  local: Relation;
  stagingLocal: Relation;
  /** Statements before the swap of `stagingLocal` into `local`. */
  build: string[];
  /** Statements after it. */
  finish: string[];
}

/** The statements of one run, a pure function of its inputs (golden-tested). */
export function distributedTablePlan(
  sql: SqlBuilders,
  distributed: DistributedBuilders,
  relation: Relation,
  compiledSql: string,
  columns: string[],
  config: Record<string, unknown>,
): DistributedTablePlan {
  const local = relation.with({ identifier: `${relation.identifier}_local`, type: 'table' });
  const stagingLocal = local.with({ identifier: stagingIdentifier(local.identifier) });
  const stagingDistributed = relation.with({ identifier: stagingIdentifier(relation.identifier), type: 'table' });
  const shardingKey = typeof config.sharding_key === 'string' ? config.sharding_key : null;
  return {
    local,
    stagingLocal,
    build: [
      sql.dropRelation(stagingDistributed, 'table'),
      sql.dropRelation(stagingLocal, 'table'),
      sql.createTableAs(stagingLocal, sql.limit(compiledSql, 0), config),
      distributed.createDistributed(stagingDistributed, stagingLocal, shardingKey, false),
      distributed.insertThrough(stagingDistributed, columns, compiledSql),
    ],
    finish: [sql.dropRelation(stagingDistributed, 'table'), distributed.createDistributed(relation.with({ type: 'table' }), local, shardingKey, true)],
  };
}

/** The target's Distributed-table builders; a target without a cluster has none, a clear error. */
export function distributedBuildersOf(ctx: MaterializationContext): DistributedBuilders {
  const { node } = ctx;
  const distributed = ctx.adapter.sql.distributed;
  if (distributed) return distributed;
  const materialized = String(node.config.materialized);
  const instead = materialized === 'distributed_incremental' ? 'incremental' : 'table';
  throw new TsdbtError(`model ${node.name} is materialized as ${materialized}, which needs a ClickHouse target with a cluster`, {
    code: 'materialization-unsupported',
    location: { file: node.original_file_path },
    hint: `set \`cluster:\` in the profile target, or use materialized='${instead}' for this target`,
  });
}

export const materializeDistributedTable: Materialization = async (ctx) => {
  const { adapter, conn, node, hooks } = ctx;
  const distributed = distributedBuildersOf(ctx);
  const columns = (await adapter.describeQuery(conn, ctx.compiledSql)).map((c) => c.name);
  const plan = distributedTablePlan(adapter.sql, distributed, ctx.relation, ctx.compiledSql, columns, node.config);
  await runHooks(conn, [...hooks.beforeTransaction, ...hooks.preInTransaction], node.unique_id);
  let response = null;
  for (const statement of plan.build) response = (await conn.execute(statement, { nodeId: node.unique_id })).response;
  await adapter.replaceRelation(conn, plan.stagingLocal, plan.local, null);
  await runHooks(conn, plan.finish, node.unique_id);
  await runHooks(conn, [...hooks.postInTransaction, ...hooks.afterTransaction], node.unique_id);
  return { response: response ?? { message: 'OK', code: 'OK' } };
};
