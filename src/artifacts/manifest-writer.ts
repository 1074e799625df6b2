// Writes target/manifest.json in dbt's manifest v12 shape (nodes, sources, macros, docs,
// parent_map, child_map, ...), so tools that read dbt artifacts read ours.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestNode } from '../graph/types.js';
import { contractChecksum } from '../graph/contract-constraints.js';
import { dbtConfigJson } from './config-defaults.js';
import { artifactMetadata } from './metadata.js';

export interface ManifestWriteInput {
  manifest: Manifest;
  targetDir: string;
  invocationId: string;
  generatedAt: Date;
  env: NodeJS.ProcessEnv;
  adapterType: string;
  projectName: string;
  /** tsdbt's own additions, under the top-level key `tsdbt` (e.g. `column_lineage`). */
  tsdbt?: Record<string, unknown>;
}

/** A node as dbt's manifest writes it (also what templates see in `graph` and on-run-end `results`). */
export function nodeJson(node: ManifestNode): Record<string, unknown> {
  const { seed_file: _seedFile, line: _line, ...rest } = node as ManifestNode & { _patch?: unknown };
  delete (rest as { _patch?: unknown })._patch;
  const config = dbtConfigJson(node.resource_type, node.config);
  return {
    ...rest,
    config,
    build_path: null,
    unrendered_config: node.unrendered_config ?? {},
    created_at: 0,
    contract: contractJson(node),
    access: node.resource_type === 'model' ? 'protected' : undefined,
    group: null,
    // Models: dbt's ModelNode fields, null unless the model is versioned / deprecated.
    ...(node.resource_type === 'model' ? { version: node.version ?? null, latest_version: node.latest_version ?? null, deprecation_date: node.deprecation_date ?? null } : {}),
    constraints: node.resource_type === 'model' ? (node.constraints ?? []) : [],
    deferred: false,
  };
}

/** dbt's node `contract`: the config's `enforced` / `alias_types` and the checksum state comparison reads. */
function contractJson(node: ManifestNode): Record<string, unknown> {
  const config = (node.config.contract ?? {}) as { enforced?: unknown; alias_types?: unknown };
  return { enforced: config.enforced === true, alias_types: config.alias_types !== false, checksum: contractChecksum(node) };
}

export function manifestJson(input: ManifestWriteInput): Record<string, unknown> {
  const { manifest } = input;
  const nodes: Record<string, unknown> = {};
  const unitTests: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (node.resource_type === 'unit_test') unitTests[id] = unitTestJson(node);
    else nodes[id] = nodeJson(node);
  }
  return {
    metadata: {
      ...artifactMetadata({ kind: 'manifest', schemaVersion: 12, invocationId: input.invocationId, generatedAt: input.generatedAt, env: input.env }),
      project_name: input.projectName,
      adapter_type: input.adapterType,
      send_anonymous_usage_stats: false,
    },
    nodes,
    sources: manifest.sources,
    macros: manifest.macros,
    docs: manifest.docs,
    exposures: {},
    metrics: {},
    groups: {},
    selectors: {},
    disabled: {},
    parent_map: manifest.parent_map,
    child_map: manifest.child_map,
    group_map: {},
    saved_queries: {},
    semantic_models: {},
    unit_tests: unitTests,
    ...(input.tsdbt ? { tsdbt: input.tsdbt } : {}),
  };
}

/** A loaded project's manifest.json, for one invocation (`tsdbt` extras optional). */
export function writeProjectManifest(
  inv: { invocationId: string; now(): Date; env: NodeJS.ProcessEnv },
  project: { parsed: { manifest: Manifest }; targetDir: string; target: { type: string }; config: { name: string } },
  tsdbt?: Record<string, unknown>,
): Promise<string> {
  return writeManifest({
    manifest: project.parsed.manifest,
    targetDir: project.targetDir,
    invocationId: inv.invocationId,
    generatedAt: inv.now(),
    env: inv.env,
    adapterType: project.target.type,
    projectName: project.config.name,
    tsdbt,
  });
}

export async function writeManifest(input: ManifestWriteInput): Promise<string> {
  const file = path.join(input.targetDir, 'manifest.json');
  await mkdir(input.targetDir, { recursive: true });
  await writeFile(file, JSON.stringify(manifestJson(input)));
  return file;
}

/** dbt's unit test shape: model, given, expect, overrides beside the usual identity fields. */
export function unitTestJson(node: ManifestNode): Record<string, unknown> {
  const spec = node.unit_test;
  return {
    unique_id: node.unique_id,
    resource_type: 'unit_test',
    package_name: node.package_name,
    name: node.name,
    path: node.path,
    original_file_path: node.original_file_path,
    fqn: node.fqn,
    description: node.description,
    model: spec?.model,
    given: spec?.given.map((g) => ({ input: g.input, rows: g.rows, format: g.format })),
    expect: spec ? { rows: spec.expect.rows, format: spec.expect.format } : null,
    overrides: spec?.overrides ?? null,
    depends_on: { nodes: node.depends_on.nodes, macros: [] },
    config: { tags: node.tags, meta: node.meta, enabled: true },
  };
}
