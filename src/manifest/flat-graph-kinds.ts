// The shape of the `graph` context variable, dbt's `manifest.flat_graph`: a dict per resource kind.
// The parse render's empty graph is built from it here; the execute phase's, from the manifest,
// by artifacts/flat-graph.ts (it holds nodes in manifest.json's shape).

/** The resource kinds dbt's flat graph holds, in dbt's order. */
export const GRAPH_KINDS = ['exposures', 'groups', 'metrics', 'nodes', 'sources', 'semantic_models', 'saved_queries', 'unit_tests'] as const;

export type FlatGraph = Record<(typeof GRAPH_KINDS)[number], Readonly<Record<string, unknown>>>;


/** The graph before the manifest exists (parse time): every kind present, all empty. */
export function emptyGraph(): FlatGraph {
  return Object.freeze(Object.fromEntries(GRAPH_KINDS.map((k) => [k, Object.freeze({})]))) as FlatGraph;
}
