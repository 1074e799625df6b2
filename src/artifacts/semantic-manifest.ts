// Writes target/semantic_manifest.json, what MetricFlow (`mf`) and the dbt Semantic Layer read:
// dbt-semantic-interfaces' PydanticSemanticManifest (0.9, the line dbt-core 1.10 and 1.11 pin) as
// dbt's SemanticManifest builds it from the manifest: the semantic models with the relation of the
// model each reads, the metrics with the measures each reads in the end (`input_measures`), the
// saved queries, and the project configuration with the time spines (models with `time_spine:`,
// and dbt's legacy `metricflow_time_spine` model when no YAML configures it). dbt writes it
// whenever it writes manifest.json, for every project: without semantic nodes its lists are empty.
// Every field pydantic has is written, in its order, as its `.json()` writes it (python-json.ts).
// The property values are turned into dbt's objects here (semantic-elements.ts); the parse checked
// what dbt fails on (graph/semantic-checks.ts, graph/declared-resources.ts).
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { makeDir } from './make-dir.js';
import path from 'node:path';
import type { DeclaredResource, Manifest, ManifestNode } from '../manifest/types.js';
import { LEGACY_TIME_SPINE_MODEL, timeGranularity } from '../manifest/time-granularity.js';
import { pythonJson } from './python-json.js';
import { metricsJson, savedQueryJson, semanticModelJson } from './semantic-elements.js';
import { nodeRelation } from '../manifest/node-relation.js';
import { recordValues } from '../manifest/record-values.js';

/** The dbt-semantic-interfaces version dbt-core 1.10 / 1.11 install (`>=0.9.0,<0.10`), which the file records. */
export const DSI_VERSION = { major_version: '0', minor_version: '9', patch_version: '2' } as const;

export const SEMANTIC_MANIFEST_FILE = 'semantic_manifest.json';

/** What the semantic manifest is made of: the manifest and the target schema (an export's default schema). */
export interface SemanticManifestInput {
  manifest: Manifest;
  targetSchema: string;
}

/** The semantic manifest as dbt writes it. */
export function semanticManifestJson(input: SemanticManifestInput): Record<string, unknown> {
  const { manifest } = input;
  const declared = Object.values(manifest.declared ?? {});
  const of = (kind: DeclaredResource['resource_type']) => declared.filter((d) => d.resource_type === kind);
  const semanticModels = of('semantic_model');
  return {
    semantic_models: semanticModels.map((sm) => semanticModelJson(sm, manifest.nodes)),
    metrics: metricsJson(of('metric')),
    project_configuration: {
      time_spine_table_configurations: legacyTimeSpine(manifest, semanticModels.length > 0),
      metadata: null,
      dsi_package_version: DSI_VERSION,
      time_spines: timeSpines(manifest),
    },
    saved_queries: of('saved_query').map((sq) => savedQueryJson(sq, input.targetSchema)),
  };
}

/** Writes semantic_manifest.json beside manifest.json (a temporary file, then a rename); returns its path. */
export async function writeSemanticManifest(targetDir: string, input: SemanticManifestInput): Promise<string> {
  const file = path.join(targetDir, SEMANTIC_MANIFEST_FILE);
  await makeDir(targetDir);
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, pythonJson(semanticManifestJson(input)));
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return file;
}

/** The models configured as time spines (dbt's PydanticTimeSpine), in manifest order; the parse checked their columns. */
function timeSpines(manifest: Manifest): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  for (const node of recordValues(manifest.nodes)) {
    if (node.resource_type !== 'model' || !node.time_spine) continue;
    const standard = String(node.time_spine.standard_granularity_column);
    out.push({
      node_relation: nodeRelation(node),
      primary_column: { name: standard, time_granularity: timeGranularity(node.columns[standard]?.granularity) },
      custom_granularities: node.time_spine.custom_granularities.map((g) => ({ name: g.name, column_name: g.column_name ?? null })),
    });
  }
  return out;
}

/**
 * dbt's backward compatibility: with semantic models, a model named metricflow_time_spine without
 * `time_spine:` is listed as the legacy day time spine on its `date_day` column.
 */
function legacyTimeSpine(manifest: Manifest, hasSemanticModels: boolean): Record<string, unknown>[] {
  if (!hasSemanticModels) return [];
  const models = recordValues(manifest.nodes).filter((n): n is ManifestNode => n.resource_type === 'model' && n.name === LEGACY_TIME_SPINE_MODEL);
  const legacy = models.find((n) => n.package_name === manifest.projectName) ?? models[0];
  if (!legacy || legacy.time_spine) return [];
  return [{ location: legacy.relation_name ?? nodeRelation(legacy)?.relation_name, column_name: 'date_day', grain: 'day' }];
}
