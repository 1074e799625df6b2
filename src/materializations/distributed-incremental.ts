// `materialized='distributed_incremental'` (dbt-clickhouse): an incremental model whose rows live in
// `<name>_local` on every shard of the profile's cluster, read and written through the Distributed
// table `<name>`. The first run (no local table yet) and --full-refresh build it as
// `distributed_table` does. A later run applies the new rows by its strategy, as dbt-clickhouse's
// materialization does: `append` (or `inserts_only`, or no unique_key) inserts them through the
// Distributed table; `delete+insert` (dbt-clickhouse's default where lightweight deletes exist)
// first writes them to a staging local + Distributed pair, deletes their keys from every shard's
// local table (ON CLUSTER), then inserts them through `<name>`. Other strategies are a clear error.
import type { AdapterCapabilities, DistributedBuilders, SqlBuilders } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { configuredPredicates } from './incremental-merge.js';
import { configuredStrategy } from './strategy-alias.js';
import { uniqueKeys } from './unique-key.js';
import { distributedBuildersOf, materializeDistributedTable } from './distributed-table.js';
import { runHooks, type Materialization, type MaterializationContext } from './materialization.js';

export type DistributedStrategy = 'append' | 'delete+insert';

/**
 * The strategy of a later run, by dbt-clickhouse's rules: `inserts_only` or no unique_key appends;
 * an unset strategy with a unique_key is delete+insert (its default with lightweight deletes).
 */
export function distributedStrategy(config: Record<string, unknown>, model: { name: string; file: string }, capabilities: AdapterCapabilities): DistributedStrategy {
  const configured = configuredStrategy(config, capabilities);
  const named = typeof configured === 'string' ? configured : undefined;
  if (config.inserts_only === true || (uniqueKeys(config.unique_key).length === 0 && named !== 'insert_overwrite')) return 'append';
  if (named === undefined || named === 'delete+insert') return 'delete+insert';
  if (named === 'append') return 'append';
  throw new TsdbtError(`model ${model.name} is materialized as distributed_incremental with incremental_strategy '${named}', which tsdbt applies to a single table only`, {
    code: 'materialization-unsupported',
    location: { file: model.file },
    hint: "use incremental_strategy='append' or 'delete+insert' for a distributed_incremental model",
  });
}

/** What a later run's statements are made from: the target's builders, the model and its columns. */
export interface DistributedRun {
  sql: SqlBuilders;
  distributed: DistributedBuilders;
  relation: Relation;
  compiledSql: string;
  columns: string[];
  config: Record<string, unknown>;
}

/** The statements of a later run, a pure function of its inputs (tested statement by statement). */
export function distributedIncrementalPlan(run: DistributedRun, strategy: DistributedStrategy): string[] {
  const { sql, distributed, relation, compiledSql, columns, config } = run;
  const local = relation.with({ identifier: `${relation.identifier}_local`, type: 'table' });
  const target = relation.with({ type: 'table' });
  const shardingKey = typeof config.sharding_key === 'string' ? config.sharding_key : null;
  // The Distributed table over an existing local table (a run that created only the local one).
  const ensureTarget = distributed.createDistributed(target, local, shardingKey, true);
  if (strategy === 'append') return [ensureTarget, distributed.insertThrough(target, columns, compiledSql)];
  const keys = uniqueKeys(config.unique_key).join(', ');
  const newData = relation.with({ identifier: `${relation.identifier}__dbt_new_data`, type: 'table' });
  const newDataLocal = relation.with({ identifier: `${relation.identifier}__dbt_new_data_local`, type: 'table' });
  const predicates = configuredPredicates(config).map((p) => ` and ${p}`).join('');
  const quoted = columns.map((c) => sql.quoteIdentifier(c)).join(', ');
  return [
    ensureTarget,
    sql.dropRelation(newData, 'table'),
    sql.dropRelation(newDataLocal, 'table'),
    sql.createTableAs(newDataLocal, sql.limit(compiledSql, 0), config),
    distributed.createDistributed(newData, newDataLocal, shardingKey, false),
    distributed.insertThrough(newData, columns, compiledSql),
    sql.deleteWhere(local, `(${keys}) in (select ${keys} from ${newData.render()})${predicates}`, config),
    distributed.insertThrough(target, columns, `select ${quoted} from ${newData.render()}`),
    sql.dropRelation(newData, 'table'),
    sql.dropRelation(newDataLocal, 'table'),
  ];
}

async function localExists(ctx: MaterializationContext): Promise<boolean> {
  const local = ctx.relation.with({ identifier: `${ctx.relation.identifier}_local` });
  return (await ctx.adapter.getRelation(ctx.conn, { database: local.database, schema: local.schema, identifier: local.identifier })) !== null;
}

export const materializeDistributedIncremental: Materialization = async (ctx) => {
  const distributed = distributedBuildersOf(ctx);
  if (ctx.fullRefresh || !(await localExists(ctx))) return materializeDistributedTable(ctx);
  const { adapter, conn, node, hooks } = ctx;
  const strategy = distributedStrategy(node.config, { name: node.name, file: node.original_file_path }, adapter.capabilities);
  const columns = (await adapter.describeQuery(conn, ctx.compiledSql)).map((c) => c.name);
  const statements = distributedIncrementalPlan({ sql: adapter.sql, distributed, relation: ctx.relation, compiledSql: ctx.compiledSql, columns, config: node.config }, strategy);
  await runHooks(conn, [...hooks.beforeTransaction, ...hooks.preInTransaction], node.unique_id);
  let response = null;
  for (const statement of statements) response = (await conn.execute(statement, { nodeId: node.unique_id })).response;
  await runHooks(conn, [...hooks.postInTransaction, ...hooks.afterTransaction], node.unique_id);
  return { response: response ?? { message: 'OK', code: 'OK' } };
};
