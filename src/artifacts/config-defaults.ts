// dbt's config defaults per resource type (dbt-core's NodeConfig, ModelConfig, SeedConfig,
// SnapshotConfig, TestConfig): every key dbt's node config always has, with its default value.
// A node's config in manifest.json, in `graph` and in on-run-end's `results` carries them all, so a
// template can test `node.config.full_refresh is none` (dbt_artifacts does) instead of getting
// Undefined for a key tsdbt never set.
import { TEST_CONFIG_DEFAULTS } from '../graph/node-factory.js';
import type { NodeConfig } from '../manifest/types.js';

function nodeDefaults(materialized: string): Record<string, unknown> {
  return {
    enabled: true,
    alias: null,
    schema: null,
    database: null,
    tags: [],
    meta: {},
    group: null,
    materialized,
    incremental_strategy: null,
    batch_size: null,
    lookback: 1,
    begin: null,
    persist_docs: {},
    'post-hook': [],
    'pre-hook': [],
    quoting: {},
    column_types: {},
    full_refresh: null,
    unique_key: null,
    on_schema_change: 'ignore',
    on_configuration_change: 'apply',
    grants: {},
    packages: [],
    docs: { show: true, node_color: null },
    contract: { enforced: false, alias_types: true },
    event_time: null,
    concurrent_batches: null,
  };
}

const TEST_DEFAULTS = {
  enabled: true,
  alias: null,
  database: null,
  tags: [],
  meta: {},
  group: null,
  materialized: 'test',
  ...TEST_CONFIG_DEFAULTS,
};

/**
 * dbt's SnapshotMetaColumnNames: each meta column's name, None where the default name is used.
 * (`hard_deletes` is no field of dbt's SnapshotConfig: a snapshot's config has it only when set.)
 */
const SNAPSHOT_META_COLUMN_NAMES = { dbt_valid_to: null, dbt_valid_from: null, dbt_scd_id: null, dbt_updated_at: null, dbt_is_deleted: null };

/** The config keys dbt always has for `resourceType`, with dbt's defaults. */
export function configDefaults(resourceType: string): Record<string, unknown> {
  switch (resourceType) {
    case 'model':
      return { ...nodeDefaults('view'), access: 'protected' };
    case 'seed':
      return { ...nodeDefaults('seed'), delimiter: ',', quote_columns: null };
    case 'snapshot':
      return {
        ...nodeDefaults('snapshot'),
        strategy: null,
        target_schema: null,
        target_database: null,
        updated_at: null,
        check_cols: null,
        snapshot_meta_column_names: { ...SNAPSHOT_META_COLUMN_NAMES },
        dbt_valid_to_current: null,
      };
    case 'test':
      return { ...TEST_DEFAULTS };
    default:
      return nodeDefaults(resourceType === 'analysis' ? 'view' : resourceType);
  }
}

/** A node's config as dbt writes it: its defaults, then its values, with `pre-hook`/`post-hook` keys. */
export function dbtConfigJson(resourceType: string, config: NodeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...configDefaults(resourceType) };
  for (const [key, value] of Object.entries(config)) {
    if (key === 'pre_hook') out['pre-hook'] = value;
    else if (key === 'post_hook') out['post-hook'] = value;
    else if (value !== undefined) out[key] = value;
  }
  // The meta column names as dbt's dataclass writes them: all five keys, the unset ones None.
  const names = out.snapshot_meta_column_names;
  if (resourceType === 'snapshot' && typeof names === 'object' && names !== null && !Array.isArray(names)) out.snapshot_meta_column_names = { ...SNAPSHOT_META_COLUMN_NAMES, ...names };
  return out;
}

/**
 * A node's config as a template sees dbt's config object (BaseConfig) rather than a dict: a key
 * that is neither set nor one of dbt's fields reads as None (`config.get(key)` semantics), so
 * `result.node.config.full_refresh` is None on a test node, which has no such field in dbt.
 */
export function dbtConfigObject(config: Record<string, unknown>): Record<string, unknown> {
  return new Proxy(config, {
    get: (target, prop, receiver): unknown => (typeof prop !== 'string' || prop in target ? Reflect.get(target, prop, receiver) : null),
  });
}
