// A project's adapter-prefixed naming macro (`clickhouse__generate_schema_name`) is found through
// the target dialect's dispatch prefixes, as dbt's adapter.dispatch finds it in the root project:
// on a ClickHouse target it names the schema, on PGlite it does not (there `postgres__` does).
// `tsdbt parse` never connects, so no warehouse is needed.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const CLICKHOUSE_NAMING = `{% macro clickhouse__generate_schema_name(custom_schema_name, node) -%}
  ch_{{ target.schema }}
{%- endmacro %}`;
const POSTGRES_NAMING = `{% macro postgres__generate_schema_name(custom_schema_name, node) -%}
  pg_{{ target.schema }}
{%- endmacro %}`;

function project(target: string[], macros: string): string {
  return testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'profiles.yml': ['demo:', '  target: dev', '  outputs:', '    dev:', ...target.map((l) => `      ${l}`), ''].join('\n'),
    'macros/naming.sql': macros,
    'models/orders.sql': 'select 1 as id\n',
  });
}

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

async function schemaOfOrders(target: string[], macros: string): Promise<string> {
  const dir = project(target, macros);
  dirs.push(dir);
  const result = await runTsdbt(['parse', '--project-dir', dir, '--profiles-dir', dir]);
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { schema: string }> };
  return manifest.nodes['model.demo.orders']?.schema ?? '(no node)';
}

describe('adapter-prefixed naming macros of the project', () => {
  const clickhouse = ['type: clickhouse', 'host: 127.0.0.1', 'port: 9', 'schema: analytics']; // never contacted: parse does not connect

  it('clickhouse__generate_schema_name names the schema on a ClickHouse target', async () => {
    expect(await schemaOfOrders(clickhouse, CLICKHOUSE_NAMING)).toBe('ch_analytics');
  });

  it('postgres__generate_schema_name names it on PGlite, and not on ClickHouse', async () => {
    expect(await schemaOfOrders(['type: pglite', 'schema: analytics'], POSTGRES_NAMING)).toBe('pg_analytics');
    expect(await schemaOfOrders(clickhouse, POSTGRES_NAMING)).toBe('analytics');
  });

  it('clickhouse__generate_schema_name does not apply on PGlite', async () => {
    expect(await schemaOfOrders(['type: pglite', 'schema: analytics'], CLICKHOUSE_NAMING)).toBe('analytics');
  });
});
