// catalog.json on ClickHouse as dbt-clickhouse writes it (its get_catalog_results_sql):
// `table_database` is '' (ClickHouse has no database level above dbt's schema), and a relation's
// type is 'view' for a View or MaterializedView engine and 'table' for every other engine, not
// information_schema's 'BASE TABLE'/'VIEW'. dbt-clickhouse's TestBaseDocsGenerate expects exactly
// this (dbt-tests-adapter's base_expected_catalog with table_type="table", view_type="view").
// Its catalog query reads no statistics, so every relation's stats is only has_stats false (no row count).
// Built on chDB.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { testInvocation } from '../support/test-invocation.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

interface Entry {
  metadata: { type: string; database: string | null; schema: string; name: string };
  stats: Record<string, unknown>;
}

describe("catalog.json on ClickHouse as dbt-clickhouse's (chDB)", () => {
  let p: WarehouseProject;
  let nodes: Record<string, Entry>;
  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/t.sql': "{{ config(materialized='table', order_by='id') }} select toInt32(1) as id",
      'models/v.sql': "{{ config(materialized='view') }} select id from {{ ref('t') }}",
    });
    const built = await p.run('run');
    expect(built.code, built.output).toBe(0);
    const { inv, lines } = testInvocation(p.dir);
    expect(await docsGenerateCommand(inv, { compile: false, emptyCatalog: false }), lines.join('\n')).toBe(0);
    nodes = (JSON.parse(readFileSync(path.join(p.dir, 'target', 'catalog.json'), 'utf8')) as { nodes: Record<string, Entry> }).nodes;
  }, 300_000);
  afterAll(() => p.cleanup());

  it("types relations 'table' and 'view', in database ''", () => {
    expect(nodes['model.demo.t']?.metadata).toMatchObject({ type: 'table', database: '', schema: p.schema, name: 't' });
    expect(nodes['model.demo.v']?.metadata).toMatchObject({ type: 'view', database: '', schema: p.schema, name: 'v' });
  });

  it('gives no row count, only has_stats false, as dbt-clickhouse', () => {
    const noStats = { has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' } };
    expect(nodes['model.demo.t']?.stats).toEqual(noStats);
    expect(nodes['model.demo.v']?.stats).toEqual(noStats);
  });
});
