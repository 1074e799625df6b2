// Column lineage: the columns one column is computed from (upstream) and the columns computed from
// it (downstream), to a chosen depth. Each model is a box listing its columns on the way; edges go
// from column to column, port to port, routed by ELK around the boxes; boxes are as wide as their
// longest label, so nothing overlaps or is cut.
import type { SiteEntry } from '../site-types.js';
import { box, el, link, svg, textWidth } from './dom.js';
import { arrowHeads, edgePath } from './edge-path.js';
import { arrowMarker, graphRoute, legend, nodeLabel, sideToggle } from './graph-view.js';
import { layout, type ElkNode } from './layout.js';
import { lineageSelector } from './selection.js';
import { TYPE_LABEL, type Site } from './site.js';
import { Viewport } from './viewport.js';

export interface ColumnParams {
  node: string;
  column: string;
  /** Hops to follow upstream / downstream; null: all of them. */
  up: number | null;
  down: number | null;
}

const HEAD = 26;
const ROW = 22;
const DEPTHS: [string, number | null][] = [['0', 0], ['1', 1], ['2', 2], ['3', 3], ['4', 4], ['5', 5], ['all', null]];

export function columnRoute(p: ColumnParams): string {
  const q = new URLSearchParams({ node: p.node, column: p.column, up: p.up === null ? 'all' : String(p.up), down: p.down === null ? 'all' : String(p.down) });
  return `columns?${q.toString()}`;
}

export function parseDepth(value: string | null, fallback: number | null): number | null {
  if (value === 'all') return null;
  const n = Number(value);
  return value !== null && value !== '' && Number.isInteger(n) && n >= 0 ? n : fallback;
}

export interface ColumnTrace {
  /** Per node, its columns on the way (lower case), in the order met. */
  boxes: Map<string, string[]>;
  /** Upstream column -> downstream column, as `node\u0000column` keys. */
  edges: [string, string][];
}

const key = (node: string, column: string) => `${node}\u0000${column.toLowerCase()}`;

let downstreamIndex: { site: Site; index: Map<string, string[]> } | null = null;

/** Column -> the columns computed from it, over every model's lineage. */
function downstreamOf(site: Site): Map<string, string[]> {
  if (downstreamIndex?.site === site) return downstreamIndex.index;
  const index = new Map<string, string[]>();
  // Column lineage is traced for models only (column-lineage.ts): their pages, not the tests'.
  for (const entry of site.data.nodes) {
    if (entry.resourceType !== 'model') continue;
    const l = site.node(entry.id)?.columnLineage;
    if (!l || !('columns' in l)) continue;
    for (const [column, ups] of Object.entries(l.columns)) for (const u of ups) index.set(key(u.node, u.column), [...(index.get(key(u.node, u.column)) ?? []), key(entry.id, column)]);
  }
  downstreamIndex = { site, index };
  return index;
}

/** The columns on the way from (or to) `column` of `node`, breadth first to the given depths. */
export function traceColumn(site: Site, p: ColumnParams): ColumnTrace {
  const boxes = new Map<string, string[]>();
  const edges: [string, string][] = [];
  const edgeSeen = new Set<string>();
  const add = (k: string) => {
    const [node, column] = k.split('\u0000') as [string, string];
    const list = boxes.get(node) ?? [];
    if (!list.includes(column)) list.push(column);
    boxes.set(node, list);
  };
  const edge = (from: string, to: string) => {
    if (edgeSeen.has(`${from}\u0001${to}`)) return;
    edgeSeen.add(`${from}\u0001${to}`);
    edges.push([from, to]);
  };
  const start = key(p.node, p.column);
  add(start);
  const walk = (depth: number | null, next: (k: string) => string[], upstream: boolean) => {
    const seen = new Set([start]);
    let frontier = [start];
    for (let level = 0; frontier.length && (depth === null || level < depth); level++) {
      const following: string[] = [];
      for (const k of frontier) {
        for (const other of next(k)) {
          edge(upstream ? other : k, upstream ? k : other);
          if (seen.has(other)) continue;
          seen.add(other);
          add(other);
          following.push(other);
        }
      }
      frontier = following;
    }
  };
  walk(p.up, (k) => {
    const [node, column] = k.split('\u0000') as [string, string];
    const l = site.node(node)?.columnLineage;
    return l && 'columns' in l ? (l.columns[column] ?? []).map((u) => key(u.node, u.column)) : [];
  }, true);
  const down = downstreamOf(site);
  walk(p.down, (k) => down.get(k) ?? [], false);
  return { boxes, edges };
}

let rendering = 0;
let viewport: Viewport | null = null;

export async function renderColumns(main: HTMLElement, site: Site, p: ColumnParams, go: (route: string) => void): Promise<void> {
  const token = ++rendering;
  viewport?.dispose();
  main.textContent = '';
  main.classList.add('wide');
  const node = site.node(p.node);
  if (!node) {
    main.append(el('p', `No such node: ${p.node}`));
    return;
  }
  const depthSelect = (id: string, value: number | null, change: (v: number | null) => void) => {
    const s = el('select', null, { id });
    for (const [label, depth] of DEPTHS) {
      const o = el('option', label, { value: label });
      if (depth === value) o.selected = true;
      s.append(o);
    }
    s.addEventListener('change', () => change(parseDepth(s.value, null)));
    return s;
  };
  main.append(
    box('nav', { class: 'links' }, link(`${node.name} page`, `node/${encodeURIComponent(node.id)}`), link('Lineage graph', graphRoute({ select: lineageSelector(node) }))),
    box('div', { class: 'toolbar' }, sideToggle(), box('strong', null, 'Column lineage of ', el('code', `${node.name}.${p.column}`)), box('label', null, 'upstream hops', depthSelect('depth-up', p.up, (up) => go(columnRoute({ ...p, up })))), box('label', null, 'downstream hops', depthSelect('depth-down', p.down, (down) => go(columnRoute({ ...p, down }))))),
  );
  const lineage = node.columnLineage;
  if (lineage && 'error' in lineage) main.append(el('p', `The lineage of ${node.name} is not available: ${lineage.error}`, { class: 'error', id: 'lineage-error' }));
  const frame = el('div', null, { class: 'frame', id: 'columns-frame' });
  const drawing = svg('svg', { id: 'column-graph', 'data-state': 'laying-out', 'data-node': p.node, 'data-column': p.column, 'data-up': String(p.up ?? 'all'), 'data-down': String(p.down ?? 'all'), role: 'img' });
  frame.append(drawing);
  const status = el('p', null, { id: 'graph-status', class: 'graph-status' });
  main.append(frame, status);
  viewport = new Viewport(frame, drawing);
  const view = viewport;

  const trace = traceColumn(site, p);
  const focus = key(p.node, p.column);
  const sizes = new Map<string, { width: number; height: number; title: string }>();
  for (const [id, columns] of trace.boxes) {
    const n = site.get(id);
    const title = n ? nodeLabel(n) : id;
    const width = Math.ceil(Math.max(textWidth(title, '600 12px system-ui, sans-serif'), ...columns.map((c) => textWidth(c)))) + 28;
    sizes.set(id, { width: Math.max(width, 120), height: HEAD + columns.length * ROW + 4, title });
  }
  const port = (k: string, side: 'in' | 'out') => `${k}\u0001${side}`;
  const rowY = (index: number) => HEAD + index * ROW + ROW / 2;
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.edgeRouting': 'ORTHOGONAL',
      'elk.layered.spacing.nodeNodeBetweenLayers': '70',
      'elk.spacing.nodeNode': '28',
      'elk.layered.spacing.edgeNodeBetweenLayers': '18',
      'elk.spacing.edgeEdge': '8',
    },
    children: [...trace.boxes].map(([id, columns]) => {
      const size = sizes.get(id) as { width: number; height: number };
      return {
        id,
        width: size.width,
        height: size.height,
        layoutOptions: { 'elk.portConstraints': 'FIXED_POS' },
        ports: columns.flatMap((c, i) => [
          { id: port(key(id, c), 'in'), x: -1, y: rowY(i) - 1, width: 2, height: 2, layoutOptions: { 'elk.port.side': 'WEST' } },
          { id: port(key(id, c), 'out'), x: size.width - 1, y: rowY(i) - 1, width: 2, height: 2, layoutOptions: { 'elk.port.side': 'EAST' } },
        ]),
      };
    }),
    edges: trace.edges.map(([from, to], i) => ({ id: `c${i}`, sources: [port(from, 'out')], targets: [port(to, 'in')] })),
  };
  const started = performance.now();
  let laid: ElkNode | null;
  try {
    laid = await layout(graph);
  } catch (err) {
    // ELK's worker script did not load (tsdbt-docs-elk.js missing beside index.html).
    if (token !== rendering) return;
    drawing.dataset.state = 'error';
    status.textContent = (err as Error).message;
    return;
  }
  if (!laid || token !== rendering) return;
  const layoutMs = performance.now() - started;

  drawing.append(arrowMarker());
  const edgeLayer = svg('g', { class: 'edges' });
  const boxLayer = svg('g', { class: 'tables' });
  drawing.append(boxLayer, edgeLayer);
  const edgeEls: SVGPathElement[] = [];
  (laid.edges ?? []).forEach((e, i) => {
    const [from, to] = trace.edges[i] as [string, string];
    const path = svg('path', { class: 'edge', d: edgePath(e), 'data-from': from.replace('\u0000', '|'), 'data-to': to.replace('\u0000', '|') });
    edgeEls.push(path);
    edgeLayer.append(path);
  });
  edgeLayer.append(svg('path', { class: 'arrows', d: arrowHeads(laid.edges ?? []) }));
  for (const c of laid.children ?? []) {
    const n = site.get(c.id);
    const size = sizes.get(c.id) as { width: number; height: number; title: string };
    const g = svg('g', { class: `table ${n?.resourceType ?? ''}`, 'data-id': c.id, transform: `translate(${c.x ?? 0},${c.y ?? 0})` });
    g.append(svg('title', undefined, `${TYPE_LABEL[n?.resourceType ?? ''] ?? ''} ${c.id}`));
    g.append(svg('rect', { class: 'box', width: size.width, height: size.height, rx: 6 }));
    const head = svg('rect', { class: 'head', width: size.width, height: HEAD - 4, rx: 6 });
    head.style.fill = `var(--c-${n?.resourceType ?? 'model'})`;
    g.append(head, svg('text', { class: 'title', x: 10, y: 16 }, size.title));
    (trace.boxes.get(c.id) ?? []).forEach((column, i) => {
      const k = key(c.id, column);
      const row = svg('g', { class: `row${k === focus ? ' focus' : ''}`, 'data-column': column });
      row.append(svg('rect', { x: 1, y: HEAD + i * ROW, width: size.width - 2, height: ROW }), svg('text', { x: 10, y: rowY(i) + 4 }, column));
      row.addEventListener('pointerenter', () => edgeEls.forEach((p) => (p.dataset.from === k.replace('\u0000', '|') || p.dataset.to === k.replace('\u0000', '|')) && p.classList.add('hot')));
      row.addEventListener('pointerleave', () => edgeEls.forEach((p) => p.classList.remove('hot')));
      row.addEventListener('click', () => view.moved < 5 && go(columnRoute({ ...p, node: c.id, column })));
      g.append(row);
    });
    boxLayer.append(g);
  }
  frame.append(legend(new Set([...trace.boxes.keys()].map((id) => site.get(id)?.resourceType ?? 'model'))));
  view.fit({ x: 0, y: 0, width: laid.width ?? 0, height: laid.height ?? 0 });
  drawing.dataset.state = 'ready';
  status.textContent = `${trace.boxes.size} node${trace.boxes.size === 1 ? '' : 's'}, ${trace.edges.length} column edge${trace.edges.length === 1 ? '' : 's'}; click a column to follow it.`;
  drawing.dataset.layoutMs = layoutMs.toFixed(1);
}

/** The columns of a model page's lineage table link here. */
export function columnLink(n: SiteEntry, column: string): HTMLAnchorElement {
  return link(column, columnRoute({ node: n.id, column, up: null, down: null }), { title: 'show the column lineage' });
}
