// catalog.json's `metadata.type` of each kind of relation, as dbt-postgres's get_catalog_relations
// names them from pg_class's relkind: 'BASE TABLE', 'VIEW', 'MATERIALIZED VIEW'
// (dbt-tests-adapter's CatalogRelationTypes, dbt-core issue 8864).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const FILES: Record<string, string> = {
  'seeds/my_seed.csv': 'id,value\n1,100\n2,200\n',
  'models/my_table.sql': "{{ config(materialized='table') }}\nselect * from {{ ref('my_seed') }}\n",
  'models/my_view.sql': "{{ config(materialized='view') }}\nselect * from {{ ref('my_seed') }}\n",
  'models/my_materialized_view.sql': "{{ config(materialized='materialized_view') }}\nselect * from {{ ref('my_seed') }}\n",
};

describe('catalog relation types', () => {
  let p: WarehouseProject;
  let types: Record<string, string>;
  beforeAll(async () => {
    p = warehouseProject('pglite', FILES);
    expect((await p.run('build')).code).toBe(0);
    const inv = createInvocation({ projectDir: p.dir, write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: false })).toBe(0);
    const catalog = JSON.parse(readFileSync(path.join(p.dir, 'target', 'catalog.json'), 'utf8')) as { nodes: Record<string, { metadata: { type: string } }> };
    types = Object.fromEntries(Object.entries(catalog.nodes).map(([id, node]) => [id, node.metadata.type]));
  }, 120_000);
  afterAll(() => p.cleanup());

  it("names each relation's type as dbt-postgres does", () => {
    expect(types).toEqual({
      'seed.demo.my_seed': 'BASE TABLE',
      'model.demo.my_table': 'BASE TABLE',
      'model.demo.my_view': 'VIEW',
      'model.demo.my_materialized_view': 'MATERIALIZED VIEW',
    });
  });
});
