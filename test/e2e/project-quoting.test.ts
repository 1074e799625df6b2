// dbt_project.yml's `quoting:` (docs: reference/project-configs/quoting): it reaches every relation
// dbt makes for a node (ref(), `this`, relation_name, api.Relation.create, adapter.quote_as_configured)
// but not the relation a source() or function() returns, which keeps the adapter's quoting (dbt's
// SourceQuotingBaseConfig); a source's relation_name has it (dbt's SourcePatcher._get_relation_name
// builds it from the root project's config).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe("dbt_project.yml's quoting:", () => {
  const dir = testdir({
    'dbt_project.yml': 'name: shop\nprofile: shop\nquoting:\n  database: false\n  schema: false\n  identifier: false\n',
    'models/sources.yml': 'sources:\n  - name: raw\n    database: rawdb\n    schema: rawschema\n    tables: [{name: customers}]\n',
    'models/base.sql': 'select 1 as id\n',
    'models/downstream.sql': [
      "select * from {{ ref('base') }}",
      "union all select * from {{ source('raw', 'customers') }}",
      '-- this: {{ this }}',
      "-- api: {{ api.Relation.create(database='d', schema='s', identifier='t') }}",
      "-- as configured: {{ adapter.quote_as_configured('x', 'identifier') }}",
      '',
    ].join('\n'),
  });
  afterAll(() => removeDir(dir));

  it('renders refs, this, api.Relation and relation_name unquoted, and the source() quoted', async () => {
    const result = await runTsdbt(['compile', '--project-dir', dir], { env: { HOME: dir, DBT_PROFILES_DIR: '' } });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, { relation_name: string; database: string; schema: string }>; sources: Record<string, { relation_name: string }> };
    const base = manifest.nodes['model.shop.base']!;
    const where = `${base.database}.${base.schema}`;
    expect(base.relation_name).toBe(`${where}.base`);
    expect(manifest.sources['source.shop.raw.customers']!.relation_name).toBe('rawdb.rawschema.customers');
    const sql = readFileSync(path.join(dir, 'target/compiled/shop/models/downstream.sql'), 'utf8');
    expect(sql).toBe([
      `select * from ${where}.base`,
      'union all select * from "rawdb"."rawschema"."customers"',
      `-- this: ${where}.downstream`,
      '-- api: d.s.t',
      '-- as configured: x',
    ].join('\n'));
  });
});
