// The relations semantic-layer resources name in manifest.json: a semantic model's `node_relation`
// (dbt's NodeRelation of the model it reads: alias, schema_name, database, relation_name), filled
// in at the end of the parse from the model's final names (ManifestLoader.update_semantic_model),
// after `model`; a saved query's exports as dbt's ExportConfig (SavedQueryParser: export_as,
// schema_name, alias, database filled in), their config as written kept as unrendered_config; and
// every declared resource with the fields dbt's published schema gives its kind only (each of its
// objects closes with additionalProperties: false): no `tags` or `meta` on a semantic model, an
// element's `expr` a string.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FILES, parseSemanticProject } from '../support/semantic-project.js';
import { removeDir, testdir } from '../support/testdir.js';

type Json = Record<string, unknown>;

const EXPORTS = `
      - name: by_day_custom
        config:
          export_as: view
          schema: reporting
          alias: revenue_daily
groups:
  - name: finance
    owner: {name: Fin, email: fin@example.com}
    description: The finance team
exposures:
  - name: revenue_dashboard
    type: dashboard
    owner: {name: Fin}
    depends_on: ["ref('orders')"]
    tags: [board]
`;

describe('manifest.json semantic models and saved queries', () => {
  const dir = testdir({
    ...FILES,
    'dbt_project.yml': `${FILES['dbt_project.yml']}\nmodels:\n  demo:\n    orders:\n      +alias: orders_final\n      +schema: marts\n`,
    'models/semantic.yml': `${FILES['models/semantic.yml'].trimEnd()}${EXPORTS}`,
  });
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

  it("write saved query exports as dbt's ExportConfig, schema, alias and database filled in", () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as { nodes: Record<string, Json>; saved_queries: Record<string, Json> };
    const database = (manifest.nodes['model.demo.orders'] as Json).database;
    expect((manifest.saved_queries['saved_query.demo.revenue_by_day'] as Json).exports).toEqual([
      { name: 'revenue_by_day_table', config: { export_as: 'table', schema_name: 'analytics', alias: 'revenue_by_day_table', database }, unrendered_config: { export_as: 'table' } },
      { name: 'by_day_custom', config: { export_as: 'view', schema_name: 'reporting', alias: 'revenue_daily', database }, unrendered_config: { export_as: 'view', schema: 'reporting', alias: 'revenue_daily' } },
    ]);
  });

  it("write each declared resource with the fields dbt's schema gives its kind only", () => {
    const manifest = JSON.parse(readFileSync(path.join(dir, 'target/manifest.json'), 'utf8')) as Record<string, Record<string, Json>>;
    const semantic = manifest.semantic_models?.['semantic_model.demo.orders'] as Json;
    expect(Object.keys(semantic)).toEqual(['name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'fqn', 'model', 'node_relation', 'description', 'label', 'defaults', 'entities', 'measures', 'dimensions', 'depends_on', 'refs', 'created_at', 'config', 'unrendered_config', 'primary_entity', 'group'].filter((k) => k in semantic));
    expect(semantic).not.toHaveProperty('tags');
    expect(semantic).not.toHaveProperty('meta');
    const measures = semantic.measures as Json[];
    expect(measures.find((m) => m.name === 'order_count')?.expr).toBe('1');
    expect(Object.keys(manifest.groups?.['group.demo.finance'] as Json)).toEqual(['name', 'resource_type', 'package_name', 'path', 'original_file_path', 'unique_id', 'owner', 'description', 'config']);
    const exposure = manifest.exposures?.['exposure.demo.revenue_dashboard'] as Json;
    expect(exposure).toMatchObject({ type: 'dashboard', tags: ['board'], depends_on: { macros: [], nodes: ['model.demo.orders'] } });
    expect(manifest.saved_queries?.['saved_query.demo.revenue_by_day']).not.toHaveProperty('meta');
  });
});
