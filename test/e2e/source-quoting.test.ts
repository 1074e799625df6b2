// A source's own `quoting:` (docs: reference/resource-properties/quoting): it says whether source()
// quotes the database, schema and identifier; a table's quoting overrides its source's. With quoting
// off, PostgreSQL reads the upper-case names of a Snowflake-style source (`TPCH_SF1.ORDERS`) as the
// lower-case tables they fold to. The manifest's relation_name is the project's quoting, then the
// source's, over the adapter's (dbt-core's SourcePatcher._get_relation_name).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { queryProjectPglite } from '../support/pglite-query.js';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe("a source's quoting:", () => {
  const dir = testdir({
    'dbt_project.yml': [
      'name: shop',
      'profile: shop',
      'on-run-start:',
      '  - create schema if not exists tpch_sf1',
      '  - create table if not exists tpch_sf1.orders as select 1 as id',
      '  - create table if not exists tpch_sf1."Lines" as select 2 as id',
      '',
    ].join('\n'),
    'models/sources.yml': [
      'sources:',
      '  - name: tpch',
      '    schema: TPCH_SF1',
      '    quoting: {database: false, schema: false, identifier: false}',
      '    tables:',
      '      - name: orders',
      '        identifier: ORDERS',
      '      - name: lines',
      '        identifier: Lines',
      '        quoting: {identifier: true}',
      '',
    ].join('\n'),
    'models/orders_lines.sql': "select id from {{ source('tpch', 'orders') }}\nunion all select id from {{ source('tpch', 'lines') }}\n",
  });
  afterAll(() => removeDir(dir));

  it('renders the parts it turns off bare, a table overriding its source, and reads the tables', async () => {
    const result = await runTsdbt(['run', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { sources: Record<string, { relation_name: string; database: string }>; nodes: Record<string, { relation_name: string }> };
    const orders = manifest.sources['source.shop.tpch.orders']!;
    expect(orders.relation_name).toBe(`${orders.database}.TPCH_SF1.ORDERS`);
    expect(manifest.sources['source.shop.tpch.lines']!.relation_name).toBe(`${orders.database}.TPCH_SF1."Lines"`);
    const sql = readFileSync(path.join(dir, 'target/compiled/shop/models/orders_lines.sql'), 'utf8');
    expect(sql).toBe(`select id from ${orders.database}.TPCH_SF1.ORDERS\nunion all select id from ${orders.database}.TPCH_SF1."Lines"`);
    const rows = await queryProjectPglite(dir, `select id from ${manifest.nodes['model.shop.orders_lines']!.relation_name} order by id`);
    expect(rows.map((r) => r.id)).toEqual([1, 2]);
  });

  it("finds the tables in the catalog under the names the warehouse gave them", async () => {
    const result = await runTsdbt(['docs', 'generate', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const catalog = JSON.parse(readFileSync(path.join(dir, 'target/catalog.json'), 'utf8')) as { sources: Record<string, { metadata: { schema: string; name: string }; columns: Record<string, unknown> }> };
    expect(Object.fromEntries(Object.entries(catalog.sources).map(([id, t]) => [id, [t.metadata.schema, t.metadata.name, Object.keys(t.columns)]]))).toEqual({
      'source.shop.tpch.orders': ['tpch_sf1', 'orders', ['id']],
      'source.shop.tpch.lines': ['tpch_sf1', 'Lines', ['id']],
    });
  });
});
