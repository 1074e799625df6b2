// A semantic model in manifest.json names the relation of the model it reads, `node_relation`
// (dbt's NodeRelation: alias, schema_name, database, relation_name), filled in at the end of the
// parse from the model's final names (ManifestLoader.update_semantic_model), after `model`.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILES, parseSemanticProject } from '../support/semantic-project.js';
import { removeDir, testdir } from '../support/testdir.js';

type Json = Record<string, unknown>;

describe('manifest.json semantic models', () => {
  const dir = testdir({ ...FILES, 'dbt_project.yml': `${FILES['dbt_project.yml']}\nmodels:\n  demo:\n    orders:\n      +alias: orders_final\n      +schema: marts\n` });
  afterAll(() => removeDir(dir));

  it("write node_relation from the model's final alias, schema and relation name", async () => {
    const { code, output } = await parseSemanticProject(dir);
    expect(code, output).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Json>; semantic_models: Record<string, Json> };
    const model = manifest.nodes['model.demo.orders'] as Json;
    const semantic = manifest.semantic_models['semantic_model.demo.orders'] as Json;
    expect(model.alias).toBe('orders_final');
    expect(semantic.node_relation).toEqual({ alias: 'orders_final', schema_name: 'analytics_marts', database: model.database, relation_name: model.relation_name });
    expect(String(model.relation_name)).toContain('"analytics_marts"."orders_final"');
    const keys = Object.keys(semantic);
    expect(keys[keys.indexOf('model') + 1]).toBe('node_relation');
  });
});
