// A layered (Sugiyama) layout for lineage graphs, left to right, fast enough to draw a
// neighbourhood of hundreds of nodes within a frame (a few milliseconds where ELK's layered
// algorithm takes hundreds), for graphs of every size (ELK, layout.ts, lays out the column view
// only). No DOM, no worker: it runs where it is called and returns ELK's shapes (edges with
// sections), so graph-view.ts draws them as it would draw ELK's.
//
// 1. Layers: each node one right of its furthest parent (longest path), then pulled right to just
//    before its nearest child (sources sit next to what reads them). A cycle (never in a dbt DAG)
//    is broken where it is found; its closing edges are drawn straight.
// 2. An edge spanning several layers gets a placeholder in each layer between (a slot of its own,
//    so edges run between boxes, never through them).
// 3. Order within layers: barycentre sweeps down and up, keeping the order with fewest crossings.
// 4. Positions: each layer a column as wide as its widest box, boxes left-aligned; each box's
//    vertical position the least-squares fit to its neighbours' centres under the order and the
//    spacing (pool-adjacent-violators), sweeping right and left.
// 5. Edges: horizontal through a layer's column (at the source's centre, at the placeholder's
//    slot), straight across the gaps between columns, ending on the target's left side.
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';

export interface LayeredSpacing {
  /** Between boxes of one layer (and placeholder slots). */
  node: number;
  /** Between the columns of two layers. */
  layer: number;
  /** The height of an edge placeholder's slot. */
  edgeSlot: number;
  /** Around the drawing. */
  margin: number;
}

const SPACING: LayeredSpacing = { node: 16, layer: 48, edgeSlot: 6, margin: 12 };

interface Item {
  /** Index into the input's children, or -1 for an edge placeholder. */
  node: number;
  height: number;
  /** Neighbours in the layer before and after (item indices). */
  up: number[];
  down: number[];
  layer: number;
  y: number;
}

/** The input as indices: each edge's source and target child, and whether it constrains the layers. */
interface Indexed {
  children: ElkNode[];
  edges: { from: number; to: number }[];
  /** False for an edge to itself or to an unknown node, and (after topologicalOrder) one closing a cycle. */
  forward: boolean[];
}

/** Where the items are: the layers' item lists, each edge's chain of items, the columns. */
interface Placed {
  items: Item[];
  layers: number[][];
  chains: number[][];
  columnX: number[];
  columnWidth: number[];
}

/** Lays out `graph` (children with width and height, edges with one source and one target). */
export function layeredLayout(graph: ElkNode, spacing: LayeredSpacing = SPACING): ElkNode {
  const input = indexed(graph);
  const order = topologicalOrder(input);
  const rank = layersOf(input, order);
  const { items, layers, chains } = layerItems(input, order, rank, spacing);
  orderLayers(items, layers);
  const columns = placeItems(input, items, layers, spacing);
  return drawing(graph, input, rank, { items, layers, chains, ...columns }, spacing);
}

function indexed(graph: ElkNode): Indexed {
  const children = graph.children ?? [];
  const index = new Map(children.map((c, i) => [c.id, i]));
  const edges = (graph.edges ?? []).map((e) => ({ from: index.get(e.sources[0] ?? '') ?? -1, to: index.get(e.targets[0] ?? '') ?? -1 }));
  return { children, edges, forward: edges.map((e) => e.from >= 0 && e.to >= 0 && e.from !== e.to) };
}

/** The nodes in a topological order (Kahn's; a cycle's member with fewest unplaced parents goes first); an edge against it closes a cycle and no longer counts as forward. */
function topologicalOrder({ children, edges, forward }: Indexed): number[] {
  const n = children.length;
  const parents: number[][] = Array.from({ length: n }, () => []);
  const kids: number[][] = Array.from({ length: n }, () => []);
  edges.forEach((e, i) => {
    if (!forward[i]) return;
    parents[e.to]?.push(e.from);
    kids[e.from]?.push(e.to);
  });
  const waiting = parents.map((p) => p.length);
  const placed = new Array<boolean>(n).fill(false);
  const order: number[] = [];
  const ready = [...Array(n).keys()].filter((v) => waiting[v] === 0);
  while (order.length < n) {
    if (ready.length === 0) {
      let pick = -1;
      for (let v = 0; v < n; v++) if (!placed[v] && (pick < 0 || (waiting[v] ?? 0) < (waiting[pick] ?? 0))) pick = v;
      ready.push(pick);
    }
    const v = ready.shift() as number;
    if (placed[v]) continue;
    placed[v] = true;
    order.push(v);
    for (const k of kids[v] ?? []) if (!placed[k] && --(waiting[k] as number) === 0) ready.push(k);
  }
  const position = new Array<number>(n);
  order.forEach((v, i) => (position[v] = i));
  edges.forEach((e, i) => {
    if (forward[i] && (position[e.from] as number) > (position[e.to] as number)) forward[i] = false;
  });
  return order;
}

/** Each node's layer: one right of its furthest parent, then pulled right to just before its nearest child. */
function layersOf({ children, edges, forward }: Indexed, order: number[]): number[] {
  const n = children.length;
  const rank = new Array<number>(n).fill(0);
  const ins: number[][] = Array.from({ length: n }, () => []);
  const outs: number[][] = Array.from({ length: n }, () => []);
  edges.forEach((e, i) => {
    if (!forward[i]) return;
    ins[e.to]?.push(e.from);
    outs[e.from]?.push(e.to);
  });
  for (const v of order) for (const p of ins[v] ?? []) rank[v] = Math.max(rank[v] as number, (rank[p] as number) + 1);
  for (let i = order.length - 1; i >= 0; i--) {
    const v = order[i] as number;
    const next = outs[v] ?? [];
    if (next.length > 0) rank[v] = Math.max(rank[v] as number, Math.min(...next.map((k) => rank[k] as number)) - 1);
  }
  return rank;
}

/** The items of each layer: its nodes (in the topological order), then a placeholder for each edge passing through. */
function layerItems({ children, edges, forward }: Indexed, order: number[], rank: number[], spacing: LayeredSpacing): Pick<Placed, 'items' | 'layers' | 'chains'> {
  const n = children.length;
  const layerCount = n === 0 ? 0 : Math.max(...rank) + 1;
  const items: Item[] = children.map((c, i) => ({ node: i, height: c.height ?? 0, up: [], down: [], layer: rank[i] as number, y: 0 }));
  const chains: number[][] = edges.map((e, i) => {
    if (!forward[i]) return [];
    const chain = [e.from];
    for (let layer = (rank[e.from] as number) + 1; layer < (rank[e.to] as number); layer++) {
      items.push({ node: -1, height: spacing.edgeSlot, up: [], down: [], layer, y: 0 });
      chain.push(items.length - 1);
    }
    chain.push(e.to);
    for (let k = 1; k < chain.length; k++) {
      items[chain[k - 1] as number]?.down.push(chain[k] as number);
      items[chain[k] as number]?.up.push(chain[k - 1] as number);
    }
    return chain;
  });
  const layers: number[][] = Array.from({ length: layerCount }, () => []);
  for (const v of order) layers[rank[v] as number]?.push(v);
  for (let i = n; i < items.length; i++) layers[(items[i] as Item).layer]?.push(i);
  return { items, layers, chains };
}

/** Orders each layer by barycentre sweeps down and up, keeping the order with the fewest crossings. */
function orderLayers(items: Item[], layers: number[][]): void {
  const slot = new Int32Array(items.length);
  const number = () => layers.forEach((layer) => layer.forEach((item, i) => (slot[item] = i)));
  number();
  const crossings = () => countCrossings(items, layers, slot);
  const centre = new Float64Array(items.length);
  const byCentre = (a: number, b: number) => (centre[a] as number) - (centre[b] as number);
  let best = layers.map((l) => [...l]);
  let fewest = crossings();
  for (let sweep = 0; sweep < 8 && fewest > 0; sweep++) {
    const down = sweep % 2 === 0;
    const range = down ? [...layers.keys()].slice(1) : [...layers.keys()].reverse().slice(1);
    for (const l of range) {
      const layer = layers[l] as number[];
      for (const item of layer) {
        const near = down ? (items[item] as Item).up : (items[item] as Item).down;
        let sum = 0;
        for (const k of near) sum += slot[k] as number;
        centre[item] = near.length === 0 ? (slot[item] as number) : sum / near.length;
      }
      layer.sort(byCentre);
      layer.forEach((item, i) => (slot[item] = i));
    }
    const count = crossings();
    if (count < fewest) {
      fewest = count;
      best = layers.map((l) => [...l]);
    }
  }
  best.forEach((layer, l) => (layers[l] = layer));
}

/**
 * Edge crossings between each pair of adjacent layers: the segments taken by their upper end's
 * slot, then their lower end's, and counted as pairs out of order in the lower ends (with a
 * Fenwick tree over the lower layer's slots: this count ran after every sweep and was most of
 * the layout's time when done by sorting and merge-sorting arrays of pairs).
 */
function countCrossings(items: Item[], layers: number[][], slot: Int32Array): number {
  let total = 0;
  const ends: number[] = [];
  for (let l = 0; l + 1 < layers.length; l++) {
    const size = (layers[l + 1] as number[]).length;
    const tree = new Int32Array(size + 1);
    let seen = 0;
    // A layer's items are in slot order; each one's segments by their lower end.
    for (const item of layers[l] as number[]) {
      const down = (items[item] as Item).down;
      ends.length = 0;
      for (const d of down) ends.push(slot[d] as number);
      if (ends.length > 1) ends.sort((a, b) => a - b);
      for (const end of ends) {
        let atMost = 0;
        for (let i = end + 1; i > 0; i -= i & -i) atMost += tree[i] as number;
        total += seen - atMost;
        for (let i = end + 1; i <= size; i += i & -i) (tree[i] as number)++;
        seen++;
      }
    }
  }
  return total;
}

/** Columns as wide as their widest box; each item's vertical position fitted to its neighbours' centres, sweeping right and left. */
function placeItems({ children }: Indexed, items: Item[], layers: number[][], spacing: LayeredSpacing): Pick<Placed, 'columnX' | 'columnWidth'> {
  const widthOf = (item: Item) => (item.node >= 0 ? (children[item.node]?.width ?? 0) : 0);
  const columnWidth = layers.map((layer) => Math.max(0, ...layer.map((i) => widthOf(items[i] as Item))));
  const columnX: number[] = [];
  let x = spacing.margin;
  for (const w of columnWidth) {
    columnX.push(x);
    x += w + spacing.layer;
  }
  for (const layer of layers) {
    let y = 0;
    for (const i of layer) {
      (items[i] as Item).y = y;
      y += (items[i] as Item).height + spacing.node;
    }
  }
  const centreOf = (i: number) => (items[i] as Item).y + (items[i] as Item).height / 2;
  for (let pass = 0; pass < 4; pass++) {
    const right = pass % 2 === 0;
    const range = right ? [...layers.keys()].slice(1) : [...layers.keys()].reverse().slice(1);
    for (const l of range) {
      const layer = layers[l] as number[];
      const wanted = layer.map((i) => {
        const item = items[i] as Item;
        const near = right ? item.up : item.down;
        const other = near.length > 0 ? near : right ? item.down : item.up;
        return other.length === 0 ? centreOf(i) : other.reduce((s, k) => s + centreOf(k), 0) / other.length;
      });
      place(layer.map((i) => items[i] as Item), wanted, spacing.node);
    }
  }
  return { columnX, columnWidth };
}

/** ELK's shapes: each child at its column and position, each edge horizontal through columns and straight across the gaps. */
function drawing(graph: ElkNode, { children, edges }: Indexed, rank: number[], placed: Placed, spacing: LayeredSpacing): ElkNode {
  const { items, chains, columnX, columnWidth } = placed;
  const top = Math.min(0, ...items.map((i) => i.y));
  const bottom = Math.max(0, ...items.map((i) => i.y + i.height));
  const right = columnX.length === 0 ? 0 : (columnX[columnX.length - 1] as number) + (columnWidth[columnWidth.length - 1] as number) + spacing.margin;
  const out: ElkNode = {
    id: graph.id,
    x: 0,
    y: 0,
    width: right,
    height: bottom - top + 2 * spacing.margin,
    children: children.map((c, i) => ({ ...c, x: columnX[rank[i] as number] as number, y: (items[i] as Item).y - top + spacing.margin })),
  };
  const at = (i: number) => (items[i] as Item).y - top + spacing.margin;
  const layerOf = (i: number) => (items[i] as Item).layer;
  const box = (v: number) => out.children?.[v] as Required<Pick<ElkNode, 'x' | 'y' | 'width' | 'height'>>;
  out.edges = (graph.edges ?? []).map((e, k): ElkExtendedEdge => {
    const { from, to } = edges[k] as { from: number; to: number };
    if (from < 0 || to < 0) return { ...e, sections: [] };
    const a = box(from);
    const b = box(to);
    const start = { x: a.x + a.width, y: a.y + a.height / 2 };
    const end = { x: b.x, y: b.y + b.height / 2 };
    const chain = chains[k] ?? [];
    const bends: { x: number; y: number }[] = [];
    if (chain.length > 0) {
      const sourceEnd = (columnX[layerOf(from)] as number) + (columnWidth[layerOf(from)] as number);
      if (sourceEnd > start.x) bends.push({ x: sourceEnd, y: start.y });
      for (const i of chain.slice(1, -1)) {
        const y = at(i) + (items[i] as Item).height / 2;
        bends.push({ x: columnX[layerOf(i)] as number, y }, { x: (columnX[layerOf(i)] as number) + (columnWidth[layerOf(i)] as number), y });
      }
    }
    return { ...e, sections: [{ id: `${e.id}-s`, startPoint: start, endPoint: end, ...(bends.length ? { bendPoints: bends } : {}) }] };
  });
  return out;
}

/**
 * Vertical positions for one layer's items, in their order, at least `gap` apart, as close as can
 * be (least squares) to the `wanted` centres: isotonic regression by pool-adjacent-violators on
 * the centres less each item's minimum offset from the first.
 */
function place(layer: Item[], wanted: number[], gap: number): void {
  const offset: number[] = [];
  let o = 0;
  layer.forEach((item, i) => {
    if (i > 0) o += (layer[i - 1] as Item).height / 2 + gap + item.height / 2;
    offset.push(o);
  });
  const blocks: { sum: number; count: number; start: number }[] = [];
  wanted.forEach((w, i) => {
    blocks.push({ sum: w - (offset[i] as number), count: 1, start: i });
    while (blocks.length > 1) {
      const last = blocks[blocks.length - 1] as (typeof blocks)[number];
      const prev = blocks[blocks.length - 2] as (typeof blocks)[number];
      if (prev.sum / prev.count <= last.sum / last.count) break;
      prev.sum += last.sum;
      prev.count += last.count;
      blocks.pop();
    }
  });
  for (const block of blocks) {
    const level = block.sum / block.count;
    for (let i = block.start; i < block.start + block.count; i++) {
      const item = layer[i] as Item;
      item.y = level + (offset[i] as number) - item.height / 2;
    }
  }
}
