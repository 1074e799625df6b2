// A snapshot's configuration, read and checked once: strategy, keys, meta column names,
// hard-delete mode and the current-row marker (dbt's snapshot configs, 1.9 names included).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { ManifestNode } from '../manifest/types.js';

export interface SnapshotConfig {
  /** `timestamp`, `check`, or a custom strategy's name (`name` or `package.name`, dbt's strategy_dispatch). */
  strategy: string;
  keys: string[];
  updatedAt: string | null;
  checkCols: string[] | 'all';
  hardDeletes: 'ignore' | 'invalidate' | 'new_record';
  /** SQL for dbt_valid_to on current rows (null: SQL NULL). */
  validToCurrent: string | null;
  meta: { valid_from: string; valid_to: string; scd_id: string; updated_at: string; is_deleted: string };
  /**
   * A custom strategy's SQL (or a replaced `snapshot_timestamp_strategy` / `snapshot_check_strategy`),
   * from the dict its macro returns: `updated_at` and `scd_id` over the source's rows, `row_changed`
   * over the current version (alias `t`) and the source row (alias `s`).
   */
  custom?: { updatedAt: string; scdId: string; rowChanged: string };
}

/**
 * The configuration with a custom strategy's SQL, from the dict dbt's strategy macro returns (see
 * BuildingBlocks.snapshotStrategy); its hard-delete mode is the dict's, as dbt's snapshot helpers
 * read `strategy.hard_deletes` (a dict without one ignores hard deletes).
 */
export function withStrategy(node: ManifestNode, cfg: SnapshotConfig, strategy: Record<string, unknown> | null): SnapshotConfig {
  if (strategy === null) return cfg;
  const text = (key: string): string => {
    const value = strategy[key];
    if (value === null || value === undefined || String(value).trim() === '') {
      throw new TsdbtError(`snapshot '${node.name}': the strategy macro of '${cfg.strategy}' returned no '${key}'`, { code: 'snapshot-config', location: { file: node.original_file_path, line: node.line }, hint: 'return a dict with unique_key, updated_at, row_changed and scd_id (SQL expressions)' });
    }
    return String(value).trim();
  };
  const hardDeletes = typeof strategy.hard_deletes === 'string' ? (strategy.hard_deletes as SnapshotConfig['hardDeletes']) : strategy.invalidate_hard_deletes === true ? 'invalidate' : 'ignore';
  return { ...cfg, hardDeletes, custom: { updatedAt: text('updated_at'), scdId: text('scd_id'), rowChanged: text('row_changed') } };
}

export function snapshotConfig(node: ManifestNode): SnapshotConfig {
  const c = node.config;
  const fail = (message: string, hint: string): never => {
    throw new TsdbtError(`snapshot '${node.name}': ${message}`, { code: 'snapshot-config', location: { file: node.original_file_path, line: node.line }, hint });
  };
  const strategy = c.strategy;
  // Any other name is a custom strategy: a macro `snapshot_<name>_strategy`, looked up when the snapshot runs.
  if (typeof strategy !== 'string' || strategy === '') fail(`strategy must be 'timestamp', 'check' or a custom strategy's name (got ${JSON.stringify(strategy ?? null)})`, "add strategy='timestamp' with updated_at='...', or strategy='check' with check_cols");
  const keys = (Array.isArray(c.unique_key) ? c.unique_key : c.unique_key ? [c.unique_key] : []).map(String);
  if (keys.length === 0) fail('unique_key is required', "add unique_key='id' (or a list of columns)");
  const updatedAt = typeof c.updated_at === 'string' ? c.updated_at : null;
  if (strategy === 'timestamp' && !updatedAt) fail("the timestamp strategy needs updated_at", "add updated_at='updated_at' (the column that changes with each update)");
  const checkCols = c.check_cols === 'all' ? 'all' : Array.isArray(c.check_cols) ? c.check_cols.map(String) : [];
  if (strategy === 'check' && checkCols !== 'all' && checkCols.length === 0) fail('the check strategy needs check_cols', "add check_cols=['status', 'plan'] or check_cols='all'");
  const legacyInvalidate = c.invalidate_hard_deletes === true;
  const hardDeletes = (c.hard_deletes ?? (legacyInvalidate ? 'invalidate' : 'ignore')) as SnapshotConfig['hardDeletes'];
  if (!['ignore', 'invalidate', 'new_record'].includes(hardDeletes)) fail(`hard_deletes must be ignore, invalidate or new_record (got '${String(hardDeletes)}')`, 'pick one of the three');
  const names = (c.snapshot_meta_column_names ?? {}) as Partial<Record<'dbt_valid_from' | 'dbt_valid_to' | 'dbt_scd_id' | 'dbt_updated_at' | 'dbt_is_deleted', string>>;
  return {
    strategy: strategy as string,
    keys,
    updatedAt,
    checkCols,
    hardDeletes,
    validToCurrent: typeof c.dbt_valid_to_current === 'string' ? c.dbt_valid_to_current : null,
    meta: {
      valid_from: names.dbt_valid_from ?? 'dbt_valid_from',
      valid_to: names.dbt_valid_to ?? 'dbt_valid_to',
      scd_id: names.dbt_scd_id ?? 'dbt_scd_id',
      updated_at: names.dbt_updated_at ?? 'dbt_updated_at',
      is_deleted: names.dbt_is_deleted ?? 'dbt_is_deleted',
    },
  };
}
