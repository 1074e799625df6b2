// A node's config carries every key dbt's config classes define, with dbt's defaults, wherever a
// template or a tool reads it: on-run-end's `results[].node` (dbt_artifacts tests
// `node.config.full_refresh is none` to fall back to flags.FULL_REFRESH) and manifest.json.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject } from '../support/warehouse-project.js';

describe('node config defaults (dbt config classes)', () => {
  const project = warehouseProject('pglite', {
    'dbt_project.yml': [
      'name: demo',
      'profile: demo',
      'on-run-end:',
      '  - "create table {{ target.schema }}.hook_seen as select {% for r in results %}{{ \'\' if loop.first else \' union all select \' }}\'{{ r.node.name }}\' as name, \'{{ r.node.config.full_refresh is none }}\' as full_refresh_is_none, \'{{ r.node.config.on_schema_change }}\' as on_schema_change, \'{{ r.node.config.get(\'lookback\') }}\' as lookback, \'{{ r.node.config.no_such_key is none }}\' as other_is_none{% endfor %}"',
      '',
    ].join('\n'),
    'models/plain.sql': 'select 1 as id',
    'models/refreshing.sql': "{{ config(materialized='table', full_refresh=false) }} select 1 as id",
    'models/schema.yml': 'models:\n  - name: plain\n    columns:\n      - name: id\n        data_tests: [not_null]\n',
  });
  afterAll(() => project.cleanup());

  it('results[].node.config has dbt defaults, and set values win', async () => {
    const run = await project.run('build');
    expect(run.code, run.output).toBe(0);
    const rows = await project.sql(`select * from "${project.schema}".hook_seen order by name`);
    // A test node has no full_refresh, on_schema_change or lookback in dbt's TestConfig: like any
    // other key a config object lacks, they read as None.
    expect(rows).toEqual([
      { name: 'not_null_plain_id', full_refresh_is_none: 'True', on_schema_change: 'None', lookback: 'None', other_is_none: 'True' },
      { name: 'plain', full_refresh_is_none: 'True', on_schema_change: 'ignore', lookback: '1', other_is_none: 'True' },
      { name: 'refreshing', full_refresh_is_none: 'False', on_schema_change: 'ignore', lookback: '1', other_is_none: 'True' },
    ]);
  });

  it('manifest.json configs have the same keys', () => {
    const manifest = JSON.parse(readFileSync(path.join(project.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { config: Record<string, unknown> }> };
    const plain = manifest.nodes['model.demo.plain']?.config;
    expect(plain).toMatchObject({ full_refresh: null, unique_key: null, on_schema_change: 'ignore', access: 'protected', 'pre-hook': [], 'post-hook': [], contract: { enforced: false, alias_types: true }, materialized: 'view' });
    expect(plain).not.toHaveProperty('pre_hook');
    expect(manifest.nodes['model.demo.refreshing']?.config).toMatchObject({ full_refresh: false, materialized: 'table' });
  });
});

// dbt's SnapshotConfig: snapshot_meta_column_names is a dataclass (all five keys, unset ones None);
// hard_deletes is no field of it, so a snapshot that does not set it has none (dbt's `ls --output json`).
describe('snapshot config as dbt writes it', () => {
  const project = warehouseProject('pglite', {
    'snapshots/plain.sql': "{% snapshot plain %}{{ config(unique_key='id', strategy='check', check_cols='all') }}select 1 as id{% endsnapshot %}",
    'snapshots/named.sql': "{% snapshot named %}{{ config(unique_key='id', strategy='check', check_cols='all', hard_deletes='invalidate', snapshot_meta_column_names={'dbt_valid_to': 'valid_to'}) }}select 1 as id{% endsnapshot %}",
  });
  afterAll(() => project.cleanup());

  it('has the five meta column names and no hard_deletes unless set', async () => {
    expect((await project.run('compile')).code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(project.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { config: Record<string, unknown> }> };
    const none = { dbt_valid_to: null, dbt_valid_from: null, dbt_scd_id: null, dbt_updated_at: null, dbt_is_deleted: null };
    expect(manifest.nodes['snapshot.demo.plain']?.config.snapshot_meta_column_names).toEqual(none);
    expect(manifest.nodes['snapshot.demo.plain']?.config).not.toHaveProperty('hard_deletes');
    expect(manifest.nodes['snapshot.demo.named']?.config).toMatchObject({ snapshot_meta_column_names: { ...none, dbt_valid_to: 'valid_to' }, hard_deletes: 'invalidate' });
  });
});
