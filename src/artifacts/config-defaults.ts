// dbt's config defaults per resource type (dbt-core's NodeConfig, ModelConfig, SeedConfig,
// SnapshotConfig, TestConfig): every key dbt's node config always has, with its default value.
// A node's config in manifest.json, in `graph` and in on-run-end's `results` carries them all, so a
// template can test `node.config.full_refresh is none` (dbt_artifacts does) instead of getting
// Undefined for a key tsdbt never set.
import { TEST_CONFIG_DEFAULTS } from '../graph/node-factory.js';
import type { NodeConfig } from '../manifest/types.js';
import { staticAnalysisValue } from '../manifest/static-analysis.js';

function nodeDefaults(materialized: string): Record<string, unknown> {
  return {
    enabled: true,
    alias: null,
    schema: null,
    database: null,
    tags: [],
    meta: {},
    group: null,
    // dbt 1.11's NodeAndTestConfig.static_analysis (Fusion's setting; dbt-core only carries it).
    static_analysis: null,
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
  static_analysis: null,
  materialized: 'test',
  ...TEST_CONFIG_DEFAULTS,
};

/** dbt's SnapshotMetaColumnNames: every column name, null where the config leaves dbt's default name. */
const SNAPSHOT_META_COLUMN_NAMES = Object.freeze({ dbt_valid_to: null, dbt_valid_from: null, dbt_scd_id: null, dbt_updated_at: null, dbt_is_deleted: null });

/** dbt's ContractConfig as it writes one: `enforced` (false unless true) and `alias_types` (true unless false). */
function contractConfig(value: Record<string, unknown>): { enforced: boolean; alias_types: boolean } {
  return { enforced: value.enforced === true, alias_types: value.alias_types !== false };
}

/** The config keys dbt always has for `resourceType`, with dbt's defaults. */
export function configDefaults(resourceType: string): Record<string, unknown> {
  switch (resourceType) {
    case 'model':
      return { ...nodeDefaults('view'), access: 'protected', freshness: null };
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
        snapshot_meta_column_names: SNAPSHOT_META_COLUMN_NAMES,
        dbt_valid_to_current: null,
        // dbt 1.11's SnapshotConfig has no hard_deletes field: it is written only when set.
      };
    case 'test':
      return { ...TEST_DEFAULTS };
    default:
      // dbt's NodeConfig (an analysis's, a project hook's): materialized `view`.
      return nodeDefaults(resourceType === 'analysis' || resourceType === 'operation' ? 'view' : resourceType);
  }
}

/** A node's config as dbt writes it: its defaults, then its values, with `pre-hook`/`post-hook` keys. */
export function dbtConfigJson(resourceType: string, config: NodeConfig): Record<string, unknown> {
  const out: Record<string, unknown> = { ...configDefaults(resourceType) };
  // dbt's TestConfig has no hooks: a test's are written only when set (as extra keys, like dbt's).
  const hooksUnlessEmpty = resourceType === 'test';
  for (const [key, value] of Object.entries(config)) {
    if (key === 'pre_hook' || key === 'post_hook') {
      if (!hooksUnlessEmpty || (Array.isArray(value) && value.length > 0)) out[key === 'pre_hook' ? 'pre-hook' : 'post-hook'] = value;
    } else if (key === 'static_analysis') out[key] = staticAnalysisValue(value);
    else if (key === 'snapshot_meta_column_names' && value !== null && typeof value === 'object') out[key] = { ...SNAPSHOT_META_COLUMN_NAMES, ...value };
    // dbt's ContractConfig has two fields: a key it does not know (`enforce:`) is dropped.
    else if (key === 'contract' && value !== null && typeof value === 'object') out[key] = contractConfig(value as Record<string, unknown>);
    else if (value !== undefined) out[key] = value;
  }
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
