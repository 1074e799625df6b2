// Writes target/manifest.json in dbt's manifest v12 shape (nodes, sources, macros, docs,
// parent_map, child_map, ...), so tools that read dbt artifacts read ours.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest, ManifestNode } from '../graph/types.js';
import { artifactMetadata } from './metadata.js';

export interface ManifestWriteInput {
  manifest: Manifest;
  targetDir: string;
  invocationId: string;
  generatedAt: Date;
  env: NodeJS.ProcessEnv;
  adapterType: string;
  projectName: string;
}

function nodeJson(node: ManifestNode): Record<string, unknown> {
  const { seed_file: _seedFile, line: _line, ...rest } = node as ManifestNode & { _patch?: unknown };
  delete (rest as { _patch?: unknown })._patch;
  const config = { ...node.config, 'pre-hook': node.config.pre_hook, 'post-hook': node.config.post_hook } as Record<string, unknown>;
  delete config.pre_hook;
  delete config.post_hook;
  return {
    ...rest,
    config,
    build_path: null,
    unrendered_config: {},
    created_at: 0,
    contract: { enforced: false, alias_types: true },
    access: node.resource_type === 'model' ? 'protected' : undefined,
    group: null,
    constraints: [],
    deferred: false,
  };
}

export function manifestJson(input: ManifestWriteInput): Record<string, unknown> {
  const { manifest } = input;
  const nodes: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(manifest.nodes)) nodes[id] = nodeJson(node);
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
    unit_tests: {},
  };
}

export async function writeManifest(input: ManifestWriteInput): Promise<string> {
  const file = path.join(input.targetDir, 'manifest.json');
  await mkdir(input.targetDir, { recursive: true });
  await writeFile(file, JSON.stringify(manifestJson(input)));
  return file;
}
