// manifest.json's `disabled`, as dbt writes it (Manifest.disabled: unique_id -> a list of the
// disabled resources of that id): models, seeds, snapshots, tests, sources and exposures whose
// `enabled` config is false, each written as it would be enabled, with `config.enabled` false;
// none of them is in `nodes`, `sources` or `exposures`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { parseCommand } from '../../src/app/parse-command.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

const FILES = {
  'dbt_project.yml': `${MINIMAL_PROJECT_YML}\nseeds:\n  demo:\n    old_codes:\n      +enabled: false\n`,
  'profiles.yml': 'demo:\n  target: dev\n  outputs:\n    dev: {type: pglite, path: memory, schema: main}\n',
  'models/orders.sql': 'select 1 as id\n',
  'models/legacy.sql': "{{ config(enabled=false) }}\nselect * from {{ ref('orders') }}\n",
  'seeds/old_codes.csv': 'code\n1\n',
  'snapshots/orders_snap.sql': "{% snapshot orders_snap %}{{ config(enabled=false, unique_key='id', strategy='check', check_cols='all', target_schema='snap') }}select * from {{ ref('orders') }}{% endsnapshot %}\n",
  'models/schema.yml': `version: 2
models:
  - name: orders
    columns:
      - name: id
        data_tests:
          - unique
          - not_null:
              config: {enabled: false}
sources:
  - name: raw
    tables:
      - name: payments
      - name: refunds
        config: {enabled: false}
exposures:
  - name: old_dashboard
    type: dashboard
    owner: {email: a@example.com}
    config: {enabled: false}
    depends_on: ["ref('orders')"]
`,
};

describe("manifest.json's disabled", () => {
  let dir: string;
  let manifest: Record<string, Record<string, unknown>>;
  beforeAll(async () => {
    dir = testdir(FILES);
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    expect(await parseCommand(inv), lines.join('\n')).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as typeof manifest;
  });
  afterAll(() => removeDir(dir));

  it('lists every disabled resource by unique_id, each in a list, and nowhere else', () => {
    const disabled = manifest.disabled as Record<string, Record<string, unknown>[]>;
    // A generic test's unique_id ends in a hash of its arguments.
    const ids = Object.keys(disabled).map((id) => id.replace(/^(test\.demo\.not_null_orders_id)\.\w+$/, '$1'));
    expect(ids.sort()).toEqual(['exposure.demo.old_dashboard', 'model.demo.legacy', 'seed.demo.old_codes', 'snapshot.demo.orders_snap', 'source.demo.raw.refunds', 'test.demo.not_null_orders_id']);
    for (const entries of Object.values(disabled)) expect(entries).toHaveLength(1);
    expect(Object.keys(manifest.nodes ?? {}).some((id) => id.includes('legacy') || id.includes('old_codes') || id.includes('orders_snap') || id.startsWith('test.demo.not_null'))).toBe(false);
    expect(Object.keys(manifest.sources ?? {})).toEqual(['source.demo.raw.payments']);
    expect(manifest.exposures).toEqual({});
  });

  it('writes each as dbt writes the enabled resource, with enabled false', () => {
    const disabled = manifest.disabled as Record<string, Record<string, unknown>[]>;
    expect(disabled['model.demo.legacy']?.[0]).toMatchObject({ resource_type: 'model', name: 'legacy', original_file_path: 'models/legacy.sql', config: { enabled: false, materialized: 'view' }, fqn: ['demo', 'legacy'] });
    expect(disabled['seed.demo.old_codes']?.[0]).toMatchObject({ resource_type: 'seed', name: 'old_codes', config: { enabled: false } });
    expect(disabled['snapshot.demo.orders_snap']?.[0]).toMatchObject({ resource_type: 'snapshot', config: { enabled: false, strategy: 'check' } });
    expect(disabled['source.demo.raw.refunds']?.[0]).toMatchObject({ resource_type: 'source', source_name: 'raw', name: 'refunds', config: { enabled: false } });
    expect(disabled['exposure.demo.old_dashboard']?.[0]).toMatchObject({ resource_type: 'exposure', name: 'old_dashboard', type: 'dashboard', config: { enabled: false } });
    const testId = Object.keys(disabled).find((id) => id.startsWith('test.'));
    expect(disabled[testId ?? '']?.[0]).toMatchObject({ resource_type: 'test', test_metadata: { name: 'not_null' }, config: { enabled: false } });
    expect(disabled['source.demo.raw.refunds']?.[0]).not.toHaveProperty('line');
  });
});
