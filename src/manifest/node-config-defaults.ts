// dbt-core's NodeConfig defaults (every key a model, seed or snapshot config always has), and the
// config a unit test renders its model under. Below compile/ and artifacts/, which both read them.
import type { NodeConfig } from './types.js';

/** dbt's NodeConfig keys with their defaults, for a node of materialization `materialized`. */
export function nodeDefaults(materialized: string): Record<string, unknown> {
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

/**
 * The config a model's code sees when a unit test renders it: dbt builds the unit-test node with a
 * fresh UnitTestNodeConfig (dbt-core's parser/unit_tests.py), so `config.get('meta')`,
 * `config.get('materialized')` or a custom key read dbt's node defaults, `materialized: 'unit'`
 * and the expected rows, not the tested model's own config.
 */
export function unitTestRenderConfig(expect: { format: string; rows: Record<string, unknown>[] | string }): NodeConfig {
  const sql = expect.format === 'sql' && typeof expect.rows === 'string' ? expect.rows : null;
  return { ...nodeDefaults('unit'), expected_rows: Array.isArray(expect.rows) ? expect.rows : [], expected_sql: sql } as unknown as NodeConfig;
}
