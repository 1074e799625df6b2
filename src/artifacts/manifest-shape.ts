// manifest.json's content in dbt's manifest v12 shape: the top level in dbt's key order, its
// metadata, group_map, disabled and the declared resources' sections, and metadata.quoting; how it
// is written (streamed, copied from the previous file or patched) is manifest-writer.ts'.
import { createHash } from 'node:crypto';
import type { AdapterTargetConfig } from '../adapters/adapter.js';
import { dialectFor } from '../adapters/index.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { DECLARED_SECTIONS, declaredJson } from '../graph/declared-resources.js';
import { nodeGroup } from '../graph/model-access.js';
import { macrosJson, nodeJsonObject, sourceJson, sourcesJson, unitTestJson } from './resource-json.js';
import { artifactMetadata, dbtAwareDatetime } from './metadata.js';
import { PARSE_COPY } from './manifest-parse-parts.js';
import { recordEntries, recordValues } from '../manifest/record-values.js';
import { mapPart } from '../manifest/map-json.js';

export interface ManifestWriteInput {
  manifest: Manifest;
  targetDir: string;
  invocationId: string;
  generatedAt: Date;
  env: NodeJS.ProcessEnv;
  adapterType: string;
  projectName: string;
  /** When the invocation started: metadata's invocation_started_at and run_started_at (null without it). */
  startedAt?: Date;
  /** metadata.quoting (manifestQuoting); all null without it, as dbt's default Quoting. */
  quoting?: ManifestQuoting;
  /** The parse's disabled nodes, for `disabled` (with the manifest's disabled sources and declared resources). */
  disabled?: readonly ManifestNode[];
}

/** The top-level section of manifest.json a node of the Manifest's `nodes` is written to. */
export type NodeSection = 'nodes' | 'unit_tests' | 'functions';
export const sectionOf = (node: ManifestNode): NodeSection => (node.resource_type === 'unit_test' ? 'unit_tests' : node.resource_type === 'function' ? 'functions' : 'nodes');

export function manifestJson(input: ManifestWriteInput): Record<string, unknown> {
  const sections: Record<NodeSection, Record<string, unknown>> = { nodes: {}, unit_tests: {}, functions: {} };
  for (const [id, node] of recordEntries(input.manifest.nodes)) sections[sectionOf(node)][id] = node.resource_type === 'unit_test' ? unitTestJson(node) : nodeJsonObject(node);
  const shape = manifestShape(input, sections.nodes, sections.unit_tests, sections.functions);
  // The maps themselves (made now if not yet), not the writer's texts of them.
  return { ...shape, parent_map: input.manifest.parent_map, child_map: input.manifest.child_map };
}

/** The manifest's top level, in dbt's key order, with `nodes`, `unit_tests` and `functions` as given. */
export function manifestShape(input: ManifestWriteInput, nodes: unknown, unitTests: unknown, functions: unknown, copyParseParts = false): Record<string, unknown> {
  const { manifest } = input;
  // Not made (nor the maps read from the parse cache) when copied: manifest-parse-parts.ts.
  const parsePart = (make: () => unknown) => (copyParseParts ? PARSE_COPY : make());
  return {
    metadata: {
      ...artifactMetadata({ kind: 'manifest', schemaVersion: 12, invocationId: input.invocationId, generatedAt: input.generatedAt, env: input.env, invocationStartedAt: input.startedAt }),
      project_name: input.projectName,
      // dbt's RuntimeConfig.hashed_name: the md5 of the project's name.
      project_id: createHash('md5').update(input.projectName).digest('hex'),
      // tsdbt never tracks: dbt's active user is then User(None), with no id but a run_started_at.
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: input.adapterType,
      quoting: input.quoting ?? { database: null, schema: null, identifier: null, column: null },
      run_started_at: input.startedAt ? dbtAwareDatetime(input.startedAt) : null,
    },
    nodes,
    sources: sourcesJson(manifest.sources),
    macros: macrosJson(manifest.macros),
    docs: manifest.docs,
    exposures: declaredSection(manifest, 'exposures'),
    metrics: declaredSection(manifest, 'metrics'),
    groups: declaredSection(manifest, 'groups'),
    selectors: {},
    disabled: parsePart(() => disabledSection(input)),
    parent_map: parsePart(() => mapPart(manifest, 'parent_map')),
    child_map: parsePart(() => mapPart(manifest, 'child_map')),
    group_map: parsePart(() => groupMap(manifest)),
    saved_queries: declaredSection(manifest, 'saved_queries'),
    semantic_models: declaredSection(manifest, 'semantic_models'),
    unit_tests: unitTests,
    functions,
  };
}

/**
 * dbt's `group_map` (Manifest.build_group_map): each declared group's name -> the nodes, saved
 * queries, semantic models and metrics in it, in that order; a generic test is in its attached
 * node's group. Groups nobody declares are left out (the parse refuses them anyway).
 */
function groupMap(manifest: Manifest): Record<string, string[]> {
  const declared = Object.values(manifest.declared ?? {});
  const map: Record<string, string[]> = {};
  for (const resource of declared) if (resource.resource_type === 'group') map[resource.name] = [];
  if (Object.keys(map).length === 0) return map;
  const add = (group: unknown, id: string) => {
    if (typeof group === 'string') map[group]?.push(id);
  };
  for (const node of recordValues(manifest.nodes)) if (node.resource_type !== 'unit_test') add(nodeGroup(node), node.unique_id);
  for (const type of ['saved_query', 'semantic_model', 'metric'] as const) {
    for (const resource of declared) if (resource.resource_type === type) add(resource.config.group, resource.unique_id);
  }
  return map;
}

/**
 * dbt's `disabled`: unique_id -> the disabled resources of that id (a list, as two of one id may
 * be disabled in different files), each written as its enabled self would be.
 */
function disabledSection(input: ManifestWriteInput): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  const add = (id: string, json: unknown) => (out[id] ??= []).push(json);
  for (const node of input.disabled ?? []) add(node.unique_id, node.resource_type === 'unit_test' ? unitTestJson(node) : nodeJsonObject(node));
  for (const source of input.manifest.disabledSources ?? []) add(source.unique_id, sourceJson(source));
  for (const resource of input.manifest.disabledDeclared ?? []) add(resource.unique_id, declaredJson(resource));
  return out;
}

/** Exposures, groups, metrics, saved queries or semantic models, as dbt lists them. */
function declaredSection(manifest: Manifest, section: (typeof DECLARED_SECTIONS)[keyof typeof DECLARED_SECTIONS]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const resource of Object.values(manifest.declared ?? {})) if (DECLARED_SECTIONS[resource.resource_type] === section) out[resource.unique_id] = declaredJson(resource, manifest.nodes);
  return out;
}

/**
 * The manifest's `adapter_type`: the dbt adapter the target's SQL is written for, as `target.type`
 * reads in templates (`postgres` for an embedded PGlite target), so tools that read dbt's artifacts
 * know the warehouse.
 */
export function dbtAdapterType(target: AdapterTargetConfig): string {
  return dialectFor(target).dispatchPrefixes[0] ?? target.type;
}

/** manifest.json's metadata.quoting, as dbt's Quoting. */
export interface ManifestQuoting {
  database: boolean | null;
  schema: boolean | null;
  identifier: boolean | null;
  column: boolean | null;
}

/**
 * dbt's metadata.quoting (RuntimeConfig.from_parts): the adapter's default quote policy with the
 * booleans of dbt_project.yml's `quoting:` over it, for database, schema and identifier only (dbt's
 * ComponentName), so `column` stays null.
 */
export function manifestQuoting(target: AdapterTargetConfig, projectQuoting: Record<string, unknown> | undefined): ManifestQuoting {
  const policy = dialectFor(target).relation.defaultQuotePolicy;
  const pick = (key: 'database' | 'schema' | 'identifier'): boolean => {
    const value = projectQuoting?.[key];
    return typeof value === 'boolean' ? value : policy[key];
  };
  return { database: pick('database'), schema: pick('schema'), identifier: pick('identifier'), column: null };
}
