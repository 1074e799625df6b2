// `state:modified` against a manifest an older dbt wrote (schema v4-v8, dbt 1.0-1.4): dbt reads it
// through upgrade_manifest_json (a node's `raw_sql` is today's `raw_code`) and its node classes'
// defaults (a model without `access` is protected), so an unchanged project selects nothing.
// dbt-core's tests/functional/artifacts/test_previous_version_state.py checks v4 to v12.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': 'name: shop\nprofile: shop\n',
  'models/orders.sql': 'select 1 as id\n',
  'models/customers.sql': "select * from {{ ref('orders') }}\n",
};

type Node = Record<string, unknown>;
type Manifest = { metadata: Record<string, unknown>; nodes: Record<string, Node> };

describe('state:modified against an older dbt manifest', () => {
  const dir = testdir(FILES);
  afterAll(() => removeDir(dir));
  const env = { HOME: dir, DBT_PROFILES_DIR: '' };

  /** This parse's manifest as dbt 1.2 (schema v6) wrote it: `raw_sql`, no `language` nor `access`. */
  const writeV6State = (edit: (m: Manifest) => void = () => undefined) => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Manifest;
    manifest.metadata.dbt_schema_version = 'https://schemas.getdbt.com/dbt/manifest/v6.json';
    for (const node of Object.values(manifest.nodes)) {
      node.raw_sql = node.raw_code;
      for (const key of ['raw_code', 'language', 'access', 'latest_version', 'deprecation_date', 'version']) delete node[key];
    }
    edit(manifest);
    mkdirSync(path.join(dir, 'state'), { recursive: true });
    writeFileSync(path.join(dir, 'state/manifest.json'), JSON.stringify(manifest));
  };
  const modified = async () => {
    const result = await runTsdbt(['ls', '--project-dir', dir, '--select', 'state:modified', '--state', 'state', '--output', 'name', '-q'], { env });
    expect(result.code, result.stdout + result.stderr).toBe(0);
    return result.stdout.trim().split('\n').filter(Boolean).sort();
  };

  it('reads raw_sql as the code and a missing access as protected: nothing changed', async () => {
    expect((await runTsdbt(['parse', '--project-dir', dir], { env })).code).toBe(0);
    writeV6State();
    expect(await modified()).toEqual([]);
  });

  it('still sees a changed body or access', async () => {
    writeV6State((m) => {
      (m.nodes['model.shop.orders'] as Node).raw_sql = 'select 2 as id';
      (m.nodes['model.shop.customers'] as Node).access = 'public';
    });
    expect(await modified()).toEqual(['customers', 'orders']);
  });
});
