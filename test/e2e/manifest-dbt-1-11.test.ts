// manifest.json as dbt 1.11 writes it, end to end: a project that asks for dbt >=1.11 parses; after
// `compile` every compiled node names the file its SQL was written to (compiled_path, relative to
// the project as dbt's target-path is), a model reading an ephemeral lists the injected CTE
// (extra_ctes), and models, seeds, sources and unit tests carry `static_analysis` (dbt 1.11's config
// key; YAML's unquoted `off` is the text "off", as dbt's config class reads it back).
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': [
    'name: shop',
    'profile: shop',
    'require-dbt-version: [">=1.11.0", "<2.0.0"]',
    'models:',
    '  shop:',
    '    orders:',
    '      +static_analysis: off',
    '',
  ].join('\n'),
  'seeds/raw_orders.csv': 'id,amount\n1,10\n',
  'models/eph.sql': "{{ config(materialized='ephemeral') }}\nselect id, amount from {{ ref('raw_orders') }}\n",
  'models/orders.sql': "select id from {{ ref('eph') }}\n",
  'models/schema.yml': [
    'version: 2',
    'sources:',
    '  - name: raw',
    '    tables: [{name: events}]',
    'unit_tests:',
    '  - name: orders_ids',
    '    model: orders',
    "    given: [{input: ref('eph'), rows: [{id: 1}]}]",
    '    expect: {rows: [{id: 1}]}',
    '',
  ].join('\n'),
};

type Json = Record<string, unknown> & { config: Record<string, unknown> };
interface Manifest { metadata: { dbt_version: string }; nodes: Record<string, Json>; sources: Record<string, Json>; unit_tests: Record<string, Json> }

describe("manifest.json as dbt 1.11 writes it", () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };
  const read = () => JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Manifest;

  it('parse: a project asking for dbt >=1.11 parses; nodes have metrics, functions and a null compiled_path; configs have static_analysis', async () => {
    const result = await runTsdbt(['parse', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const m = read();
    expect(m.metadata.dbt_version).toMatch(/^1\.11\./);
    const orders = m.nodes['model.shop.orders']!;
    expect(orders).toMatchObject({ metrics: [], functions: [], compiled_path: null });
    expect(orders).not.toHaveProperty('extra_ctes');
    expect(orders.config.static_analysis).toBe('off');
    expect(m.nodes['model.shop.eph']!.config.static_analysis).toBeNull();
    expect(m.nodes['seed.shop.raw_orders']!.root_path).toBe(dir);
    expect(m.sources['source.shop.raw.events']!.config.static_analysis).toBeNull();
    expect(m.unit_tests['unit_test.shop.orders.orders_ids']!.config.static_analysis).toBeNull();
  });

  it('compile: compiled_path names the written file; the model reading the ephemeral lists its CTE as dbt injected it', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const orders = read().nodes['model.shop.orders']!;
    expect(orders.compiled_path).toBe('target/compiled/shop/models/orders.sql');
    expect(readFileSync(path.join(dir, orders.compiled_path as string), 'utf8')).toBe(orders.compiled_code);
    expect(orders.extra_ctes_injected).toBe(true);
    const ctes = orders.extra_ctes as { id: string; sql: string }[];
    expect(ctes.map((c) => c.id)).toEqual(['model.shop.eph']);
    expect(ctes[0]!.sql.startsWith(' __dbt__cte__eph as (\n')).toBe(true);
    expect(orders.compiled_code).toContain(ctes[0]!.sql);
    expect(existsSync(path.join(dir, 'target/compiled/shop/models/eph.sql'))).toBe(true);
  });
});
