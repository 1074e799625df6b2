// The `graph` context variable: dbt's `manifest.flat_graph`, a dict per resource kind mapping
// unique ids to the same dicts manifest.json holds. Built once per manifest, on first use (a
// template that never reads `graph` costs nothing), and frozen: every render shares it.
import { nodeJson, unitTestJson } from '../artifacts/manifest-writer.js';
import { DECLARED_SECTIONS, declaredJson } from './declared-resources.js';
import type { Manifest } from '../manifest/types.js';

/** The resource kinds dbt's flat graph holds, in dbt's order. */
export const GRAPH_KINDS = ['exposures', 'groups', 'metrics', 'nodes', 'sources', 'semantic_models', 'saved_queries', 'unit_tests'] as const;

export type FlatGraph = Record<(typeof GRAPH_KINDS)[number], Readonly<Record<string, unknown>>>;


/** The graph before the manifest exists (parse time): every kind present, all empty. */
export function emptyGraph(): FlatGraph {
  return Object.freeze(Object.fromEntries(GRAPH_KINDS.map((k) => [k, Object.freeze({})]))) as FlatGraph;
}

const built = new WeakMap<Manifest, FlatGraph>();

/** `graph` for templates rendering against `manifest` (execute phase). */
export function flatGraph(manifest: Manifest): FlatGraph {
  let graph = built.get(manifest);
  if (graph) return graph;
  const nodes: Record<string, unknown> = {};
  const unitTests: Record<string, unknown> = {};
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (node.resource_type === 'unit_test') unitTests[id] = Object.freeze(unitTestJson(node));
    else nodes[id] = Object.freeze(nodeJson(node));
  }
  const sources: Record<string, unknown> = {};
  for (const [id, source] of Object.entries(manifest.sources)) sources[id] = Object.freeze({ ...source });
  // Exposures, groups, metrics, semantic models and saved queries as manifest.json lists them.
  const declared: Record<string, Record<string, unknown>> = { exposures: {}, groups: {}, metrics: {}, semantic_models: {}, saved_queries: {} };
  for (const resource of Object.values(manifest.declared ?? {})) (declared[DECLARED_SECTIONS[resource.resource_type]] as Record<string, unknown>)[resource.unique_id] = Object.freeze(declaredJson(resource));
  const section = (kind: string) => Object.freeze({ ...declared[kind] });
  graph = Object.freeze({
    exposures: section('exposures'),
    groups: section('groups'),
    metrics: section('metrics'),
    nodes: Object.freeze(nodes),
    sources: Object.freeze(sources),
    semantic_models: section('semantic_models'),
    saved_queries: section('saved_queries'),
    unit_tests: Object.freeze(unitTests),
  });
  built.set(manifest, graph);
  return graph;
}
