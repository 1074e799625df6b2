// The `graph` context variable: dbt's `manifest.flat_graph`, a dict per resource kind mapping
// unique ids to the same dicts manifest.json holds. Built once per manifest, on first use (a
// template that never reads `graph` costs nothing), and frozen: every render shares it. The parse
// session is handed this function (app/project-loader.ts), and its empty graph is
// manifest/flat-graph-kinds.ts.
import { nodeJson, unitTestJson } from './resource-json.js';
import { DECLARED_SECTIONS, declaredJson } from '../graph/declared-resources.js';
import type { FlatGraph } from '../manifest/flat-graph-kinds.js';
import type { Manifest } from '../manifest/types.js';

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
  for (const resource of Object.values(manifest.declared ?? {})) (declared[DECLARED_SECTIONS[resource.resource_type]] as Record<string, unknown>)[resource.unique_id] = Object.freeze(declaredJson(resource, manifest.nodes));
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
