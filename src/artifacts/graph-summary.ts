// target/graph_summary.json, dbt's diagnostic summary of the graph a command runs on (dbt-core's
// Compiler.compile, which every command that compiles the manifest calls: run, build, compile,
// test, seed, snapshot, show, ls, source freshness, run-operation, clone, docs generate). Each
// graph member gets an index in the order dbt's Linker adds it (sources; then each node and,
// when first seen, its parents; then semantic models, exposures, functions, metrics, unit tests,
// saved queries) and is written as `{"name", "type", "succ": [child indexes]}`. `build` adds
// `with_test_edges`: the same graph with dbt's edges from each data test to every non-test node
// downstream of all that the test reads (add_test_edges_1, dbt's default), the edges that make
// build wait for a test before what is built from its model.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Manifest } from '../manifest/types.js';
import { pythonJson } from './python-json.js';

interface GraphMember {
  resource_type: string;
  depends_on: { nodes: string[] };
}

/** The graph as dbt's Linker builds it: members in insertion order, children in edge order. */
class SummaryGraph {
  readonly order: string[] = [];
  readonly children = new Map<string, string[]>();
  readonly parents = new Map<string, string[]>();

  add(id: string): void {
    if (this.children.has(id)) return;
    this.order.push(id);
    this.children.set(id, []);
    this.parents.set(id, []);
  }

  /** `child` depends on `parent` (networkx's add_edge: an existing edge keeps its place). */
  edge(parent: string, child: string): void {
    this.add(child);
    this.add(parent);
    const parents = this.parents.get(child)!;
    if (parents.includes(parent)) return;
    parents.push(parent);
    this.children.get(parent)!.push(child);
  }

  /** Everything upstream of `id` (not `id` itself). */
  ancestors(id: string): Set<string> {
    const seen = new Set<string>();
    const stack = [...(this.parents.get(id) ?? [])];
    while (stack.length > 0) {
      const next = stack.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...(this.parents.get(next) ?? []));
    }
    seen.delete(id);
    return seen;
  }
}

function linkedGraph(manifest: Manifest): { graph: SummaryGraph; typeOf: Map<string, string> } {
  const graph = new SummaryGraph();
  const typeOf = new Map<string, string>();
  const link = (id: string, member: GraphMember) => {
    typeOf.set(id, member.resource_type);
    graph.add(id);
    for (const parent of member.depends_on.nodes) graph.edge(parent, id);
  };
  for (const id of Object.keys(manifest.sources)) {
    typeOf.set(id, 'source');
    graph.add(id);
  }
  const nodes = Object.entries(manifest.nodes);
  const declared = Object.entries(manifest.declared ?? {}).filter(([, r]) => r.config.enabled !== false);
  const ofType = (type: string) => [...nodes, ...declared].filter(([, member]) => member.resource_type === type);
  for (const [id, node] of nodes) if (node.resource_type !== 'unit_test' && node.resource_type !== 'function') link(id, node);
  for (const type of ['semantic_model', 'exposure', 'function', 'metric', 'unit_test', 'saved_query']) {
    for (const [id, member] of ofType(type)) link(id, member);
  }
  return { graph, typeOf };
}

/** dbt's Linker.get_graph_summary: index -> {name, type, succ?}. */
function summaryOf(graph: SummaryGraph, typeOf: Map<string, string>): Record<number, { name: string; type: string; succ?: number[] }> {
  const index = new Map(graph.order.map((id, i) => [id, i]));
  const summary: Record<number, { name: string; type: string; succ?: number[] }> = {};
  graph.order.forEach((id, i) => {
    const entry: { name: string; type: string; succ?: number[] } = { name: id, type: typeOf.get(id) ?? 'model' };
    const children = graph.children.get(id)!;
    if (children.length > 0) entry.succ = children.map((child) => index.get(child)!);
    summary[i] = entry;
  });
  return summary;
}

/** dbt's add_test_edges_1: test -> node when the node is downstream of everything the test reads. */
function addTestEdges(graph: SummaryGraph, manifest: Manifest): void {
  const testsOf = new Map<string, string[]>();
  for (const [id, node] of Object.entries(manifest.nodes)) {
    if (node.resource_type !== 'test') continue;
    for (const parent of node.depends_on.nodes) {
      const tests = testsOf.get(parent) ?? [];
      if (!tests.includes(id)) tests.push(id);
      testsOf.set(parent, tests);
    }
  }
  if (testsOf.size === 0) return;
  for (const id of [...graph.order]) {
    const node = manifest.nodes[id];
    if (!node || node.resource_type === 'test') continue;
    const upstream = graph.ancestors(id);
    for (const parent of upstream) {
      for (const test of testsOf.get(parent) ?? []) {
        if (manifest.nodes[test]!.depends_on.nodes.every((n) => upstream.has(n))) graph.edge(test, id);
      }
    }
  }
}

/** The text of target/graph_summary.json (Python's json.dumps spacing, as dbt writes it). */
export function graphSummaryText(manifest: Manifest, invocationId: string, withTestEdges: boolean): string {
  const { graph, typeOf } = linkedGraph(manifest);
  const summaries: Record<string, unknown> = { _invocation_id: invocationId, linked: summaryOf(graph, typeOf) };
  if (withTestEdges) {
    addTestEdges(graph, manifest);
    summaries.with_test_edges = summaryOf(graph, typeOf);
  }
  return pythonJson(summaries);
}

/** Writes target/graph_summary.json, as dbt does for every command that compiles the manifest; `build` adds test edges. */
export async function writeGraphSummary(targetDir: string, manifest: Manifest, invocationId: string, options: { withTestEdges?: boolean } = {}): Promise<void> {
  await mkdir(targetDir, { recursive: true });
  await writeFile(path.join(targetDir, 'graph_summary.json'), graphSummaryText(manifest, invocationId, options.withTestEdges === true));
}
