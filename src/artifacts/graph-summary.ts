// target/graph_summary.json, dbt's diagnostic summary of the graph a command runs on (dbt-core's
// Compiler.compile, which every command that compiles the manifest calls: run, build, compile,
// test, seed, snapshot, show, ls, source freshness, run-operation, clone, docs generate). Each
// graph member gets an index in the order dbt's Linker adds it (sources; then each node and,
// when first seen, its parents; then semantic models, exposures, functions, metrics, unit tests,
// saved queries) and is written as `{"name", "type", "succ": [child indexes]}`. `build` adds
// `with_test_edges`: the same graph with edges from each data test to the nodes build makes wait
// for it (see addTestEdges).
import { writeFile } from 'node:fs';
import path from 'node:path';
import { forgetSummaryBasis, recordSummaryBasis, reusedSummary } from './graph-summary-reuse.js';
import type { Manifest } from '../manifest/types.js';
import { recordEntries } from '../manifest/record-values.js';
import { makeDir } from './make-dir.js';
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
  // What dbt's Linker adds after the nodes, by type, in its order; filled in one walk of each record.
  const later = new Map<string, [string, GraphMember][]>(['semantic_model', 'exposure', 'function', 'metric', 'unit_test', 'saved_query'].map((type) => [type, []]));
  for (const [id, node] of recordEntries(manifest.nodes)) {
    later.get(node.resource_type)?.push([id, node]);
    if (node.resource_type !== 'unit_test' && node.resource_type !== 'function') link(id, node);
  }
  for (const [id, member] of recordEntries(manifest.declared ?? {})) if (member.config.enabled !== false) later.get(member.resource_type)?.push([id, member]);
  for (const members of later.values()) for (const [id, member] of members) link(id, member);
  return { graph, typeOf };
}

/**
 * dbt's Linker.get_graph_summary, index -> {name, type, succ?}, as the text pythonJson gives that
 * object, written straight from the graph: the objects and pythonJson's walk over them were most
 * of the cost of graph_summary.json (issue 18: ~0.2 s of a 10,000-model compile, 60,000 members).
 */
function summaryText(graph: SummaryGraph, typeOf: Map<string, string>): string {
  const index = new Map(graph.order.map((id, i) => [id, i]));
  const entries: string[] = [];
  graph.order.forEach((id, i) => {
    const children = graph.children.get(id)!;
    let succ = '';
    if (children.length > 0) {
      succ = `, "succ": [${index.get(children[0]!)!}`;
      for (let k = 1; k < children.length; k++) succ += `, ${index.get(children[k]!)!}`;
      succ += ']';
    }
    entries.push(`"${i}": {"name": ${pythonJson(id)}, "type": ${pythonJson(typeOf.get(id) ?? 'model')}${succ}}`);
  });
  return `{${entries.join(', ')}}`;
}

/** A node dbt's test edges may point at: one of dbt's `manifest.nodes` that is no data test. */
function gated(manifest: Manifest, id: string): boolean {
  const type = manifest.nodes[id]?.resource_type;
  return type !== undefined && type !== 'test' && type !== 'unit_test' && type !== 'function';
}

/**
 * The edges that make build wait for a data test, as few as keep dbt's meaning (the transitive
 * reduction dbt's `--use-fast-test-edges` keeps; its default add_test_edges_1 also adds every
 * implied edge, millions on a large project): a test of one node gates that node's children; a
 * test of several gates each node that has all of them upstream and has no parent that does.
 */
function addTestEdges(graph: SummaryGraph, manifest: Manifest): void {
  const single = new Map<string, string[]>();
  const multi: { id: string; reads: string[] }[] = [];
  const multiRead = new Set<string>();
  for (const [id, node] of recordEntries(manifest.nodes)) {
    if (node.resource_type !== 'test') continue;
    const reads = [...new Set(node.depends_on.nodes)];
    if (reads.length === 1) single.set(reads[0]!, [...(single.get(reads[0]!) ?? []), id]);
    else if (reads.length > 1) {
      multi.push({ id, reads });
      for (const read of reads) multiRead.add(read);
    }
  }
  const edges: [string, string][] = [];
  for (const [read, tests] of single) {
    for (const child of graph.children.get(read) ?? []) if (gated(manifest, child)) for (const test of tests) edges.push([test, child]);
  }
  if (multi.length > 0) {
    // Upstream of each node, only the nodes some multi-node test reads (parents before children).
    const upstream = new Map<string, Set<string>>();
    const has = (id: string, reads: string[]) => reads.every((r) => upstream.get(id)?.has(r));
    for (const id of topologicalOrder(graph)) {
      const seen = new Set<string>();
      for (const parent of graph.parents.get(id)!) {
        for (const a of upstream.get(parent) ?? []) seen.add(a);
        if (multiRead.has(parent)) seen.add(parent);
      }
      upstream.set(id, seen);
      if (!gated(manifest, id)) continue;
      for (const { id: test, reads } of multi) {
        if (has(id, reads) && !graph.parents.get(id)!.some((p) => gated(manifest, p) && has(p, reads))) edges.push([test, id]);
      }
    }
  }
  for (const [test, node] of edges) graph.edge(test, node);
}

/** Every member with its parents before it (the linked graph has no cycle: the parse refused one). */
function topologicalOrder(graph: SummaryGraph): string[] {
  const waiting = new Map(graph.order.map((id) => [id, graph.parents.get(id)!.length]));
  const ready = graph.order.filter((id) => waiting.get(id) === 0);
  for (let i = 0; i < ready.length; i++) {
    for (const child of graph.children.get(ready[i]!)!) {
      const left = waiting.get(child)! - 1;
      waiting.set(child, left);
      if (left === 0) ready.push(child);
    }
  }
  return ready;
}

/** The text of target/graph_summary.json (Python's json.dumps spacing, as dbt writes it). */
export function graphSummaryText(manifest: Manifest, invocationId: string, withTestEdges: boolean): string {
  const { graph, typeOf } = linkedGraph(manifest);
  let text = `{"_invocation_id": ${pythonJson(invocationId)}, "linked": ${summaryText(graph, typeOf)}`;
  if (withTestEdges) {
    addTestEdges(graph, manifest);
    text += `, "with_test_edges": ${summaryText(graph, typeOf)}`;
  }
  return `${text}}`;
}

export interface GraphSummaryOptions {
  /** `build`'s test edges. */
  withTestEdges?: boolean;
  /**
   * The partial_parse.bin generation the manifest is, unchanged, since its load (a command that
   * adds or links no node after loading): a graph_summary.json written from the same one is the
   * same text but for its `_invocation_id`, which is all that is written then (graph-summary-reuse.ts).
   */
  basis?: string;
}

/** Writes target/graph_summary.json, as dbt does for every command that compiles the manifest; `build` adds test edges. */
export async function writeGraphSummary(targetDir: string, manifest: Manifest, invocationId: string, options: GraphSummaryOptions = {}): Promise<void> {
  await makeDir(targetDir);
  const withTestEdges = options.withTestEdges === true;
  const file = path.join(targetDir, 'graph_summary.json');
  const head = `{"_invocation_id": ${pythonJson(invocationId)}`;
  const key = options.basis === undefined ? null : { generation: options.basis, withTestEdges };
  if (key && reusedSummary(file, key, head)) return;
  const text = graphSummaryText(manifest, invocationId, withTestEdges);
  // node:fs's callback API: a run does not load node:fs/promises (make-dir.ts).
  await new Promise<void>((resolve, reject) => writeFile(file, text, (err) => (err ? reject(err) : resolve())));
  if (key) recordSummaryBasis(file, key, head);
  else forgetSummaryBasis(file);
}
