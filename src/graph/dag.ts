// The DAG over manifest nodes (graphlib): edges parent -> child, cycle detection with the cycle's
// path in the error, topological order, and the parent/child maps written to manifest.json.
import { Graph, alg } from '@dagrejs/graphlib';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { Manifest } from './types.js';

export class Dag {
  readonly graph: Graph;

  private constructor(graph: Graph) {
    this.graph = graph;
  }

  /** Builds the DAG from the manifest's depends_on; throws `dependency-cycle` with the path. */
  static fromManifest(manifest: Manifest): Dag {
    const graph = new Graph({ directed: true });
    for (const id of Object.keys(manifest.sources)) graph.setNode(id);
    for (const [id, node] of Object.entries(manifest.nodes)) {
      graph.setNode(id);
      for (const parent of node.depends_on.nodes) graph.setEdge(parent, id);
    }
    const dag = new Dag(graph);
    dag.assertAcyclic(manifest);
    return dag;
  }

  parents(id: string): string[] {
    return (this.graph.predecessors(id) as string[] | undefined) ?? [];
  }

  children(id: string): string[] {
    return (this.graph.successors(id) as string[] | undefined) ?? [];
  }

  /** Node ids in an order where every parent comes before its children. */
  topologicalOrder(): string[] {
    return alg.topsort(this.graph) as string[];
  }

  /** All ancestors of `id` (not including it). */
  ancestors(id: string): Set<string> {
    const seen = new Set<string>();
    const stack = [...this.parents(id)];
    while (stack.length) {
      const next = stack.pop() as string;
      if (seen.has(next)) continue;
      seen.add(next);
      stack.push(...this.parents(next));
    }
    return seen;
  }

  private assertAcyclic(manifest: Manifest): void {
    if (alg.isAcyclic(this.graph)) return;
    const cycle = findCyclePath(this.graph);
    const first = cycle[0] ? manifest.nodes[cycle[0]] : undefined;
    const names = cycle.map((id) => manifest.nodes[id]?.name ?? id);
    throw new TsdbtError(`dependency cycle: ${[...names, names[0]].join(' -> ')}`, {
      code: 'dependency-cycle',
      location: first ? { file: first.original_file_path, line: 1 } : undefined,
      hint: 'remove one of these ref() calls; a model cannot depend on itself, directly or through others',
    });
  }
}

/** One cycle as an ordered path of node ids (depth-first search for a back edge). */
function findCyclePath(graph: Graph): string[] {
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | null => {
    state.set(id, 'open');
    stack.push(id);
    for (const child of (graph.successors(id) as string[] | undefined) ?? []) {
      const s = state.get(child);
      if (s === 'open') return stack.slice(stack.indexOf(child));
      if (s === undefined) {
        const found = visit(child);
        if (found) return found;
      }
    }
    stack.pop();
    state.set(id, 'done');
    return null;
  };
  for (const id of (graph.nodes() as string[]).sort()) {
    if (state.has(id)) continue;
    const found = visit(id);
    if (found) return found;
  }
  return [];
}

/** parent_map / child_map as dbt writes them (every node and source present, lists sorted). */
export function buildParentChildMaps(manifest: Manifest): void {
  const parent: Record<string, string[]> = {};
  const child: Record<string, string[]> = {};
  for (const id of [...Object.keys(manifest.nodes), ...Object.keys(manifest.sources)]) {
    parent[id] = [];
    child[id] = [];
  }
  for (const [id, node] of Object.entries(manifest.nodes)) {
    parent[id] = [...node.depends_on.nodes].sort();
    for (const p of node.depends_on.nodes) (child[p] ??= []).push(id);
  }
  for (const list of Object.values(child)) list.sort();
  manifest.parent_map = parent;
  manifest.child_map = child;
}
