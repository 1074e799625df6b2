// The DAG over manifest nodes: edges parent -> child, cycle detection with the cycle's path in
// the error, topological order, and the parent/child maps written to manifest.json. Adjacency
// lists in insertion order, walked as graphlib's topsort walks its graph (sinks in node order,
// then predecessors depth-first), so the build order is the one tsdbt always had; building it is
// several times cheaper than graphlib's edge objects (0.3 s for 30,000 nodes, every command).
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { DeclaredResource, Manifest } from '../manifest/types.js';
import { recordEntries, recordKeys, recordValues } from '../manifest/record-values.js';
import { setDependencyMapTexts } from '../manifest/map-json.js';

/**
 * A DAG as partial_parse.bin keeps it (the parse's, read again by every compile and run of it):
 * the ids in `order` joined by NULs, each place's parents and children as ranges of places
 * (`predStarts[at]` to `predStarts[at + 1]` in `predPlaces`), and the topological order as places.
 */
export interface DagPlaces {
  ids: string;
  predStarts: Int32Array;
  predPlaces: Int32Array;
  succStarts: Int32Array;
  succPlaces: Int32Array;
  sorted: Int32Array;
}

export class Dag {
  /** Node ids in the order they were first seen (as a node or as a parent). */
  private readonly order: string[] = [];
  /** Each id's place in `order` (made when first needed for a DAG read from DagPlaces). */
  private indexMap: Map<string, number> | null = null;
  /** Parents and children by place in `order`, as ids (what parents() and children() hand out), each made when first asked for. */
  private readonly preds: (string[] | undefined)[] = [];
  private readonly succs: (string[] | undefined)[] = [];
  /** The topological order, made from `places.sorted` when first asked for. */
  private sortedIds: string[] | null = null;

  /**
   * The ids, parents, children and order as places (DagPlaces): what partial_parse.bin keeps, and
   * what a DAG is built as (30,000 nodes' four growing lists each, with room for 17 elements, held
   * ~10 MB and took as long again to pack for the cache).
   */
  private constructor(private readonly places: DagPlaces) {
    if (places.ids !== '') this.order.push(...places.ids.split('\0'));
    // Packed arrays of holes (pushed, not a length set: a 40,000-slot array is a dictionary's).
    for (let at = 0; at < this.order.length; at++) {
      this.preds.push(undefined);
      this.succs.push(undefined);
    }
  }

  /** The DAG as partial_parse.bin keeps it (DagPlaces). */
  toPlaces(): DagPlaces {
    return this.places;
  }

  /**
   * The DAG `toPlaces` gave (no cycle check: it was checked when made). Its ids are split at once;
   * the index, each node's parents and children as ids, and the order are made when first asked for.
   */
  static fromPlaces(places: DagPlaces): Dag {
    return new Dag(places);
  }

  private get index(): Map<string, number> {
    if (!this.indexMap) {
      const index = new Map<string, number>();
      this.order.forEach((id, at) => index.set(id, at));
      this.indexMap = index;
    }
    return this.indexMap;
  }

  /** The ids of a range of `places` (DagPlaces), kept in `into` at `at`. */
  private idsAt(into: (string[] | undefined)[], at: number, starts: Int32Array, list: Int32Array): string[] {
    let ids = into[at];
    if (ids === undefined) {
      ids = [];
      for (let i = starts[at] as number, end = starts[at + 1] as number; i < end; i++) ids.push(this.order[list[i] as number] as string);
      into[at] = ids;
    }
    return ids;
  }

  private predsAt(at: number): string[] {
    return this.idsAt(this.preds, at, this.places.predStarts, this.places.predPlaces);
  }

  private succsAt(at: number): string[] {
    return this.idsAt(this.succs, at, this.places.succStarts, this.places.succPlaces);
  }

  private topologicalIds(): string[] {
    // Made by Array.from, not `new Array(n)`: a large Array constructor call invalidates V8's
    // process-wide ArrayConstructor protector (manifest/record-values.ts).
    this.sortedIds ??= Array.from(this.places.sorted, (place) => this.order[place] as string);
    return this.sortedIds;
  }

  /** Builds the DAG from the manifest's depends_on; throws `dependency-cycle` with the path. */
  static fromManifest(manifest: Manifest): Dag {
    const order: string[] = [];
    const index = new Map<string, number>();
    const place = (id: string): number => {
      let at = index.get(id);
      if (at === undefined) {
        at = order.length;
        order.push(id);
        index.set(id, at);
      }
      return at;
    };
    for (const id of Object.keys(manifest.sources)) place(id);
    // The edges in the order found (each child's parents in its depends_on order, repeats dropped).
    const edgeChildren: number[] = [];
    const edgeParents: number[] = [];
    for (const [id, node] of recordEntries(manifest.nodes)) {
      const child = place(id);
      const first = edgeParents.length;
      for (const parentId of node.depends_on.nodes) {
        const parent = place(parentId);
        let seen = false;
        for (let e = first; e < edgeParents.length && !seen; e++) seen = edgeParents[e] === parent;
        if (seen) continue;
        edgeChildren.push(child);
        edgeParents.push(parent);
      }
    }
    const [predStarts, predPlaces] = packed(order.length, edgeChildren, edgeParents);
    const [succStarts, succPlaces] = packed(order.length, edgeParents, edgeChildren);
    const sorted = sortedOrNull(predStarts, predPlaces, succStarts);
    const dag = new Dag({ ids: order.join('\0'), predStarts, predPlaces, succStarts, succPlaces, sorted: sorted ?? new Int32Array(0) });
    dag.indexMap = index;
    if (!sorted) dag.throwCycle(manifest);
    return dag;
  }

  parents(id: string): string[] {
    const at = this.index.get(id);
    return at === undefined ? [] : this.predsAt(at);
  }

  children(id: string): string[] {
    const at = this.index.get(id);
    return at === undefined ? [] : this.succsAt(at);
  }

  /** Node ids in an order where every parent comes before its children. */
  topologicalOrder(): string[] {
    return [...this.topologicalIds()];
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

  private throwCycle(manifest: Manifest): never {
    const cycle = this.findCyclePath();
    const first = cycle[0] ? manifest.nodes[cycle[0]] : undefined;
    // dbt's words (compilation.py: "Found a cycle: a --> b --> a", node unique ids)
    throw new TsdbtError(`Found a cycle: ${[...cycle, cycle[0]].join(' --> ')}`, {
      code: 'dependency-cycle',
      location: first ? { file: first.original_file_path, line: 1 } : undefined,
      hint: 'remove one of these ref() calls; a model cannot depend on itself, directly or through others',
    });
  }

  /** One cycle as an ordered path of node ids (depth-first search for a back edge). */
  private findCyclePath(): string[] {
    const state = new Map<string, 'open' | 'done'>();
    const stack: string[] = [];
    const visit = (id: string): string[] | null => {
      state.set(id, 'open');
      stack.push(id);
      for (const child of this.children(id)) {
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
    for (const id of [...this.order].sort()) {
      if (state.has(id)) continue;
      const found = visit(id);
      if (found) return found;
    }
    return [];
  }
}

/**
 * The edges `from[e] -> to[e]` grouped by `from` as ranges of places (`starts[at]` to
 * `starts[at + 1]` in `list`), each group in the edges' order.
 */
function packed(count: number, from: readonly number[], to: readonly number[]): [Int32Array, Int32Array] {
  const starts = new Int32Array(count + 1);
  for (const at of from) starts[at + 1] = (starts[at + 1] as number) + 1;
  for (let at = 0; at < count; at++) starts[at + 1] = (starts[at + 1] as number) + (starts[at] as number);
  const next = starts.slice(0, count);
  const list = new Int32Array(from.length);
  for (let e = 0; e < from.length; e++) {
    const at = from[e] as number;
    const slot = next[at] as number;
    next[at] = slot + 1;
    list[slot] = to[e] as number;
  }
  return [starts, list];
}

/** graphlib's topsort over places: from each sink (in node order), parents first, depth-first; null on a cycle. */
function sortedOrNull(predStarts: Int32Array, predPlaces: Int32Array, succStarts: Int32Array): Int32Array | null {
  const count = predStarts.length - 1;
  // 0: not reached, 1: on the current path (open), 2: done.
  const state = new Uint8Array(count);
  const result = new Int32Array(count);
  let done = 0;
  // An explicit stack instead of recursion: a chain of 10,000 models is 10,000 levels deep.
  const stack = new Int32Array(count);
  const next = new Int32Array(count);
  for (let sink = 0; sink < count; sink++) {
    if (succStarts[sink + 1] !== succStarts[sink] || state[sink] === 2) continue;
    let depth = 0;
    stack[0] = sink;
    next[0] = predStarts[sink] as number;
    state[sink] = 1;
    while (depth >= 0) {
      const top = stack[depth] as number;
      const i = next[depth] as number;
      if (i < (predStarts[top + 1] as number)) {
        next[depth] = i + 1;
        const pred = predPlaces[i] as number;
        if (state[pred] === 1) return null;
        if (state[pred] === 0) {
          state[pred] = 1;
          depth++;
          stack[depth] = pred;
          next[depth] = predStarts[pred] as number;
        }
        continue;
      }
      depth--;
      state[top] = 2;
      result[done++] = top;
    }
  }
  return done === count ? result : null;
}

/**
 * parent_map / child_map as dbt writes them (Manifest.build_parent_and_child_maps: every node,
 * source, exposure, metric, semantic model and saved query present, lists sorted), made as
 * their JSON texts (manifest/map-json.ts): the maps themselves are made from the texts when first
 * asked for, which a parse never does (it writes them). The children are gathered in a Map (a
 * 30,000-key object grown key by key was a third of a second of the 10,000-model parse, issue 18);
 * the maps' keys keep the order nodes, sources, exposures, metrics, semantic models, saved queries,
 * then any other parent.
 */
export function buildParentChildMaps(manifest: Manifest): void {
  const children = new Map<string, string[]>();
  const nodeIds = recordKeys(manifest.nodes);
  // Beside the keys (kept lists while the parse keeps them): no 30,000 lookups in manifest.nodes.
  const nodes = recordValues(manifest.nodes);
  const sourceIds = Object.keys(manifest.sources);
  const declared = declaredMembers(manifest);
  for (const id of nodeIds) children.set(id, []);
  for (const id of sourceIds) children.set(id, []);
  for (const d of declared) children.set(d.unique_id, []);
  const own = children.size === nodeIds.length + sourceIds.length + declared.length;
  const parentsOf = (id: string, list: string[]): string[] => {
    for (const p of list) {
      let those = children.get(p);
      if (!those) children.set(p, (those = []));
      those.push(id);
    }
    return list.length > 1 ? list.slice().sort() : list.slice();
  };
  // A node's metric() calls are parents too (manifest.json lists them in its depends_on, resource-json.ts).
  const parents = nodes.map((node, at) => parentsOf(nodeIds[at] as string, node.metric_ids?.length ? node.depends_on.nodes.concat(node.metric_ids) : node.depends_on.nodes));
  const declaredParents = declared.map((d) => parentsOf(d.unique_id, d.depends_on.nodes));
  for (const list of children.values()) if (list.length > 1) list.sort();
  // A key that is an array index would come first in an object (and in its JSON); one both a node's
  // and a source's would be one key: neither is a dbt unique_id, but such maps are made as objects.
  if (!own || [...children.keys()].some(isArrayIndex)) {
    manifest.parent_map = Object.fromEntries([
      ...nodeIds.map((id, at): [string, string[]] => [id, parents[at] as string[]]),
      ...sourceIds.map((id): [string, string[]] => [id, []]),
      ...declared.map((d, at): [string, string[]] => [d.unique_id, declaredParents[at] as string[]]),
    ]);
    manifest.child_map = Object.fromEntries(children);
    return;
  }
  const q = JSON.stringify;
  let parentText = '';
  for (let at = 0; at < nodeIds.length; at++) parentText += `,${q(nodeIds[at])}:${q(parents[at])}`;
  for (const id of sourceIds) parentText += `,${q(id)}:[]`;
  for (let at = 0; at < declared.length; at++) parentText += `,${q((declared[at] as DeclaredResource).unique_id)}:${q(declaredParents[at])}`;
  let childText = '';
  for (const [id, list] of children) childText += `,${q(id)}:${q(list)}`;
  setDependencyMapTexts(manifest, { parent_map: `{${parentText.slice(1)}}`, child_map: `{${childText.slice(1)}}` });
}

/** The declared resources in dbt's maps, in its order (exposures, metrics, semantic models, saved queries); groups are in neither. */
const MAP_ORDER: readonly DeclaredResource['resource_type'][] = ['exposure', 'metric', 'semantic_model', 'saved_query'];

function declaredMembers(manifest: Manifest): DeclaredResource[] {
  const all = manifest.declared ? Object.values(manifest.declared) : [];
  if (all.length === 0) return all;
  return MAP_ORDER.flatMap((type) => all.filter((d) => d.resource_type === type));
}

/** Whether `key` is an array index (an object lists those first, in numeric order). */
function isArrayIndex(key: string): boolean {
  const first = key.charCodeAt(0);
  return first >= 48 && first <= 57 && /^(?:0|[1-9]\d*)$/.test(key) && Number(key) < 4294967295;
}
