// A generic test whose macro body calls ref() or source() depends on those nodes too (dbt docs,
// "Writing custom generic data tests": the test's SQL is Jinja with the project's context; dbt-core
// renders the test macro while parsing, render_test_update, and its parse resolvers append each
// ref()/source() call to the test's refs and sources). So the test runs after the model it refs,
// is skipped when that model fails, and is among `<model>+`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'dbt_project.yml': 'name: demo\nprofile: demo\n',
  'models/lookup.sql': 'select 1 as code union all select 2 as code\n',
  'models/orders.sql': 'select 1 as id, 1 as code union all select 2 as id, 3 as code\n',
  'macros/tests.sql': [
    '{% test code_in_lookup(model, column_name) %}',
    "select * from {{ model }} where {{ column_name }} not in (select code from {{ ref('lookup') }})",
    '{% endtest %}',
    '{% test code_in_allowed(model, column_name) %}',
    "select * from {{ model }} where {{ column_name }} not in (select code from {{ source('raw', 'allowed') }})",
    '{% endtest %}',
    '',
  ].join('\n'),
  'models/_models.yml': `version: 2
sources:
  - name: raw
    schema: "{{ target.schema }}"
    tables: [{name: allowed}]
models:
  - name: orders
    columns:
      - name: code
        data_tests: [code_in_lookup, code_in_allowed]
`,
};

interface ManifestTest {
  refs: { name: string }[];
  sources: string[][];
  depends_on: { nodes: string[] };
}

describe('ref() and source() in a generic test macro body', () => {
  let p: WarehouseProject;
  let build: RunOutcome;
  let tests: Record<string, ManifestTest>;
  const status = (out: RunOutcome, name: string) => out.results.filter((r) => r.unique_id.startsWith(`test.demo.${name}_`)).map((r) => `${r.status} ${String(r.failures ?? '')}`.trim());

  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    await p.sql(`create schema if not exists ${p.schema}`);
    await p.sql(`create table ${p.schema}.allowed as select 1 as code`);
    build = await p.run('build');
    const manifest = JSON.parse(readFileSync(path.join(p.dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, ManifestTest> };
    tests = Object.fromEntries(Object.entries(manifest.nodes).filter(([id]) => id.startsWith('test.')).map(([id, n]) => [id.split('.')[2]?.replace(/_orders_code$/, '') ?? id, n]));
  }, 300_000);
  afterAll(() => p.cleanup());

  it('records the body calls after the model argument, as dbt appends them', () => {
    expect(tests['code_in_lookup']?.refs.map((r) => r.name)).toEqual(['orders', 'lookup']);
    expect(tests['code_in_lookup']?.depends_on.nodes).toEqual(['model.demo.orders', 'model.demo.lookup']);
    expect(tests['code_in_allowed']?.sources).toEqual([['raw', 'allowed']]);
    expect([...(tests['code_in_allowed']?.depends_on.nodes ?? [])].sort()).toEqual(['model.demo.orders', 'source.demo.raw.allowed']);
  });

  it('runs each test after what it reads: one unknown code each', () => {
    expect(build.code).toBe(1);
    expect(status(build, 'code_in_lookup')).toEqual(['fail 1']);
    expect(status(build, 'code_in_allowed')).toEqual(['fail 1']);
  });

  it("selects the test among the ref'd model's children, and skips it when that model fails", async () => {
    const children = await p.run('build', { select: ['lookup+'] });
    expect(children.results.map((r) => r.unique_id.split('.').slice(0, 3).join('.')).sort()).toEqual(['model.demo.lookup', 'test.demo.code_in_lookup_orders_code']);
    p.write('models/lookup.sql', 'select no_such_column\n');
    const broken = await p.run('build');
    expect(broken.results.find((r) => r.unique_id === 'model.demo.lookup')?.status).toBe('error');
    expect(status(broken, 'code_in_lookup')).toEqual(['skipped']);
  });
});
