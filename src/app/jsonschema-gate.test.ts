import { describe, expect, it } from 'vitest';
import { dbtValidatesOn } from './jsonschema-gate.js';

describe("where dbt's JSON-schema deprecations are shown", () => {
  it("on dbt's four warehouses (jsonschemas.py's _JSONSCHEMA_SUPPORTED_ADAPTERS), not on PostgreSQL or ClickHouse", () => {
    for (const adapter of ['bigquery', 'databricks', 'redshift', 'snowflake']) expect(dbtValidatesOn(adapter, {})).toBe(true);
    for (const adapter of ['postgres', 'pglite', 'clickhouse']) expect(dbtValidatesOn(adapter, {})).toBe(false);
  });

  it('TSDBT_JSONSCHEMA_ADAPTERS names the adapters instead: a list, or all', () => {
    expect(dbtValidatesOn('postgres', { TSDBT_JSONSCHEMA_ADAPTERS: 'postgres, clickhouse' })).toBe(true);
    expect(dbtValidatesOn('snowflake', { TSDBT_JSONSCHEMA_ADAPTERS: 'postgres' })).toBe(false);
    expect(dbtValidatesOn('pglite', { TSDBT_JSONSCHEMA_ADAPTERS: 'all' })).toBe(true);
    expect(dbtValidatesOn('postgres', { TSDBT_JSONSCHEMA_ADAPTERS: '' })).toBe(false);
  });
});
