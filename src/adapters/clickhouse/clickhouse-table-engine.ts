// A ClickHouse table's engine clause from the model's config, as dbt-clickhouse's engine_clause,
// order_cols, partition_cols, primary_key_clause, ttl_config and get_model_settings write it.
import { quoteString } from './clickhouse-quoting.js';

/**
 * A key config (`order_by`, `partition_by`, `primary_key`) as its list of expressions. A blank
 * entry adds nothing: dbt-clickhouse pastes `order_by=['']` as `order by ()`, the empty key that
 * `tuple()` also is.
 */
function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).map(String).filter((item) => item.trim() !== '');
}

/** Engines other than the MergeTree family that dbt-clickhouse's order_cols gives an ORDER BY. */
const ORDERED_ENGINES = new Set(['HDFS', 'MaterializedPostgreSQL', 'S3', 'EmbeddedRocksDB', 'Hive']);

/** dbt-clickhouse's MERGETREE_EXCLUSIVE_SETTINGS. */
const MERGETREE_ONLY_SETTINGS = new Set(['replicated_deduplication_window']);

/**
 * On a cluster, a MergeTree-family engine becomes its Replicated twin. The replica path holds the
 * table's `{uuid}`, so a table re-created under the same name (every rebuild, every snapshot run)
 * never meets the old replica's metadata (dbt-clickhouse#182).
 */
export function replicatedEngine(engine: string): string {
  const match = /^(\w*MergeTree)\s*(?:\((.*)\))?$/s.exec(engine.trim());
  if (!match || /^Replicated/i.test(engine.trim())) return engine;
  const args = (match[2] ?? '').trim();
  return `Replicated${match[1] as string}('/clickhouse/tables/{uuid}/{shard}', '{replica}'${args ? `, ${args}` : ''})`;
}

/** `ENGINE ... ORDER BY ... PARTITION BY ... PRIMARY KEY ... TTL ... SETTINGS ...` from the config. */
export function tableEngineClause(config: Record<string, unknown>, cluster: string | null = null): string {
  const named = typeof config.engine === 'string' && config.engine.trim() ? config.engine.trim() : 'MergeTree()';
  const engine = cluster ? replicatedEngine(named) : named;
  const parts = [`engine = ${/\(/.test(engine) ? engine : `${engine}()`}`];
  const mergeTree = /MergeTree/i.test(engine);
  // dbt-clickhouse's order_cols: an ORDER BY (tuple() without order_by) for the MergeTree family and
  // the engines it lists, named as written (`EmbeddedRocksDB`, not `EmbeddedRocksDB()`).
  if (mergeTree || ORDERED_ENGINES.has(named)) {
    // A ReplacingMergeTree deduplicates rows with equal sorting keys: with no order_by, the model's
    // unique_key is that key (dbt-clickhouse's upsert pattern, with a version column in the engine).
    const orderBy = list(config.order_by).length || !/^(Replicated)?Replacing/i.test(engine) ? list(config.order_by) : list(config.unique_key);
    parts.push(`order by ${orderBy.length === 0 ? 'tuple()' : orderBy.length === 1 ? orderBy[0] : `(${orderBy.join(', ')})`}`);
  }
  // partition_cols, primary_key_clause and ttl_config write their clause for any engine, as
  // dbt-clickhouse's do: an EmbeddedRocksDB table needs its PRIMARY KEY, and an engine without
  // the feature fails with ClickHouse's own message rather than losing the config unseen.
  const partitionBy = list(config.partition_by);
  if (partitionBy.length) parts.push(`partition by (${partitionBy.join(', ')})`);
  const primaryKey = list(config.primary_key);
  if (primaryKey.length) parts.push(`primary key (${primaryKey.join(', ')})`);
  if (typeof config.ttl === 'string' && config.ttl.trim()) parts.push(`ttl ${config.ttl.trim()}`);
  const given = config.settings && typeof config.settings === 'object' ? (config.settings as Record<string, unknown>) : {};
  // dbt-clickhouse's filter_settings_by_engine: MergeTree-only settings are left out for other engines.
  const configured = mergeTree ? given : Object.fromEntries(Object.entries(given).filter(([k]) => !MERGETREE_ONLY_SETTINGS.has(k)));
  // Seeds and many models have Nullable columns (NULLs as on PostgreSQL): let them be keys.
  const keyed = mergeTree && (list(config.order_by).length > 0 || list(config.primary_key).length > 0);
  const settings = Object.entries(keyed && !('allow_nullable_key' in configured) ? { ...configured, allow_nullable_key: 1 } : configured);
  if (settings.length) parts.push(`settings ${settings.map(([k, v]) => `${k} = ${typeof v === 'string' ? quoteString(v) : String(v)}`).join(', ')}`);
  return parts.join('\n');
}
