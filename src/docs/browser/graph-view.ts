// The lineage graph: a --select / --exclude box (the CLI's selection syntax, selection.ts), the
// selected nodes laid out by the layered layout (layered-layout.ts, synchronously, in
// milliseconds for hundreds of nodes), drawn as SVG with arrowheads showing
// which way data flows, coloured by resource type with a legend, fitted to the frame on open and
// on every new selection, with zoom buttons, a fit button, the wheel and drag to pan.
import type { SiteEntry } from '../site-types.js';
import { box, el, svg, textWidth } from './dom.js';
import { layeredLayout } from './layered-layout.js';
import { arrowHeads, edgePath } from './edge-path.js';
import type { ElkNode } from './layout.js';
import { selectForGraph } from './selection.js';
import { RESOURCE_TYPES, TYPE_LABEL, type Site } from './site.js';
import { Viewport } from './viewport.js';

export interface GraphParams {
  select: string;
  exclude: string;
  /** Draw even a selection above DRAW_LIMIT nodes. */
  all: boolean;
}

/** Above this many nodes the page asks before laying out (thousands of boxes make a slow page). */
export const DRAW_LIMIT = 1500;
const NODE_HEIGHT = 30;

export function graphRoute(params: Partial<GraphParams>): string {
  const q = new URLSearchParams();
  if (params.select) q.set('select', params.select);
  if (params.exclude) q.set('exclude', params.exclude);
  if (params.all) q.set('all', '1');
  const text = q.toString();
  return `graph${text ? `?${text}` : ''}`;
}

/** The label a node has in the graph. */
export function nodeLabel(n: SiteEntry): string {
  if (n.resourceType === 'source') return `${n.sourceName ?? ''}.${n.name}`;
  if (n.version !== null && n.version !== undefined) return `${n.name} v${String(n.version)}`;
  return n.name;
}

/**
 * The arrowhead a highlighted edge (`path.edge.hot`, the style sheet) ends with, larger with its
 * stroke; every edge's own arrowhead is drawn by arrowHeads() (edge-path.ts), the same triangle.
 */
export function arrowMarker(): SVGDefsElement {
  const defs = svg('defs');
  const marker = svg('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse', markerUnits: 'strokeWidth' });
  marker.append(svg('path', { d: 'M0,0 L10,5 L0,10 z' }));
  defs.append(marker);
  return defs;
}

let viewport: Viewport | null = null;

export function renderGraph(main: HTMLElement, site: Site, params: GraphParams, go: (route: string) => void): void {
  viewport?.dispose();
  main.textContent = '';
  main.classList.add('wide');
  const select = el('input', null, { id: 'select', type: 'text', value: params.select, placeholder: 'e.g. +my_model+ tag:nightly', spellcheck: 'false' });
  const exclude = el('input', null, { id: 'exclude', type: 'text', value: params.exclude, placeholder: 'e.g. path:models/staging', spellcheck: 'false' });
  const update = el('button', 'Update graph', { id: 'update', type: 'button', class: 'primary' });
  const submit = () => go(graphRoute({ select: select.value.trim(), exclude: exclude.value.trim() }));
  update.addEventListener('click', submit);
  for (const input of [select, exclude]) input.addEventListener('keydown', (e) => e.key === 'Enter' && submit());
  main.append(box('div', { class: 'toolbar' }, sideToggle(), box('label', null, '--select', select), box('label', null, '--exclude', exclude), update));
  const error = el('div', null, { id: 'selection-error', class: 'error' });
  const frame = el('div', null, { class: 'frame', id: 'graph-frame' });
  // What it draws, for whoever waits for this drawing (and not the previous one) to be ready.
  const drawing = svg('svg', { id: 'graph', 'data-state': 'laying-out', 'data-select': params.select, 'data-exclude': params.exclude, role: 'img' });
  frame.append(drawing);
  const status = el('p', null, { id: 'graph-status', class: 'graph-status' });
  main.append(error, frame, status);
  viewport = new Viewport(frame, drawing);
  const view = viewport;

  const notice = (text: string, action?: HTMLElement) => {
    drawing.dataset.state = 'empty';
    frame.append(box('div', { class: 'notice' }, box('div', null, text, action ? el('br') : null, action ?? null)));
  };
  const selection = selectForGraph(site, params.select, params.exclude);
  if ('error' in selection) {
    error.textContent = selection.error;
    drawing.dataset.state = 'error';
    return;
  }
  const ids = [...selection.ids];
  if (ids.length === 0) return notice('Nothing selected. Try +model_name+, tag:..., path:models/..., or leave --select empty for everything.');
  if (ids.length > DRAW_LIMIT && !params.all) {
    const more = el('button', `Draw all ${ids.length.toLocaleString('en')} nodes`, { type: 'button', id: 'draw-all' });
    more.addEventListener('click', () => go(graphRoute({ ...params, all: true })));
    return notice(`${ids.length.toLocaleString('en')} nodes selected: laying them all out takes a while. Narrow the selection (e.g. +model_name+) or`, more);
  }

  const chosen = new Set(ids);
  const nodes = ids.map((id) => site.get(id) as SiteEntry);
  const edges: { from: string; to: string }[] = [];
  for (const n of nodes) for (const parent of new Set(n.parents)) if (chosen.has(parent)) edges.push({ from: parent, to: n.id });
  const graph: ElkNode = {
    id: 'root',
    children: nodes.map((n) => ({ id: n.id, width: Math.max(48, Math.ceil(textWidth(nodeLabel(n))) + 20), height: NODE_HEIGHT })),
    edges: edges.map((e, i) => ({ id: `e${i}`, sources: [e.from], targets: [e.to] })),
  };
  const started = performance.now();
  // Every size by the layered layout, here and now: ELK in its worker took hundreds of
  // milliseconds even for 30 nodes (its thorough options), seconds for hundreds.
  const laid = layeredLayout(graph);
  const layoutMs = performance.now() - started;

  // The layers are filled before they join the page: appending hundreds of elements one by one
  // into the live document costs each its insertion steps there.
  const edgeLayer = svg('g', { class: 'edges' });
  const nodeLayer = svg('g', { class: 'nodes' });
  // Each edge and box a clone of one made here: a clone takes the attributes they all share
  // (class, the box's height and corners, the label's place) without a call per attribute (in
  // Chromium, building a 317-node drawing took about a third less time).
  const edgeShape = svg('path', { class: 'edge' });
  const boxShape = svg('g');
  boxShape.append(svg('rect', { height: NODE_HEIGHT, rx: 6 }), svg('text', { x: 10, y: NODE_HEIGHT / 2 + 4 }));
  const edgeEls: SVGPathElement[] = [];
  (laid.edges ?? []).forEach((e, i) => {
    const { from, to } = edges[i] as { from: string; to: string };
    const path = edgeShape.cloneNode() as SVGPathElement;
    path.setAttribute('d', edgePath(e));
    path.setAttribute('data-from', from);
    path.setAttribute('data-to', to);
    edgeEls.push(path);
    edgeLayer.append(path);
  });
  edgeLayer.append(svg('path', { class: 'arrows', d: arrowHeads(laid.edges ?? []) }));
  for (const c of laid.children ?? []) {
    const n = site.get(c.id) as SiteEntry;
    // The box's colour comes from the style sheet by its type's class (an inline style on each
    // box would keep the browser from sharing one computed style among boxes of a type).
    const g = boxShape.cloneNode(true) as SVGGElement;
    g.setAttribute('class', `node ${n.resourceType}${selection.focus === n.id ? ' focus' : ''}`);
    g.setAttribute('data-id', n.id);
    g.setAttribute('transform', `translate(${c.x ?? 0},${c.y ?? 0})`);
    (g.firstChild as SVGRectElement).setAttribute('width', String(c.width ?? 0));
    (g.lastChild as SVGTextElement).textContent = nodeLabel(n);
    nodeLayer.append(g);
  }
  drawing.append(arrowMarker(), edgeLayer, nodeLayer);
  // One listener of each kind for all the boxes (hundreds of boxes, three listeners each, cost
  // more to attach than the drawing takes to build): the box is the one the event happened in.
  const boxOf = (target: EventTarget | null) => (target instanceof Element ? target.closest('g.node') : null);
  let hovered: string | null = null;
  const hover = (box: Element | null) => {
    const id = box?.getAttribute('data-id') ?? null;
    if (id === hovered) return;
    hovered = id;
    // The box's tooltip, made when the pointer first comes to it rather than one <title> per box
    // up front (a quarter of the drawing's elements, created and styled with every graph drawn).
    const n = id === null ? undefined : site.get(id);
    if (n && box && !box.querySelector('title')) box.prepend(svg('title', undefined, `${TYPE_LABEL[n.resourceType] ?? n.resourceType} ${n.id}`));
    for (const p of edgeEls) p.classList.toggle('hot', id !== null && (p.dataset.from === id || p.dataset.to === id));
  };
  nodeLayer.addEventListener('click', (e) => {
    const id = boxOf(e.target)?.getAttribute('data-id');
    if (id && view.moved < 5) go(`node/${encodeURIComponent(id)}`);
  });
  nodeLayer.addEventListener('pointerover', (e) => hover(boxOf(e.target)));
  nodeLayer.addEventListener('pointerout', (e) => hover(boxOf(e.relatedTarget)));
  frame.append(legend(new Set(nodes.map((n) => n.resourceType))));
  view.fit({ x: 0, y: 0, width: laid.width ?? 0, height: laid.height ?? 0 });
  drawing.dataset.state = 'ready';
  drawing.dataset.layoutMs = layoutMs.toFixed(1);
  drawing.dataset.layout = 'layered';
  status.textContent = `${nodes.length} node${nodes.length === 1 ? '' : 's'}, ${edges.length} edge${edges.length === 1 ? '' : 's'}; data flows along the arrows. Click a node to open it.`;
}

/** Shows or hides the list beside a graph (hidden by default, so the graph has the whole width). */
export function sideToggle(): HTMLButtonElement {
  const b = el('button', '\u2630 List', { type: 'button', id: 'toggle-list', title: 'show or hide the list of resources' });
  b.addEventListener('click', () => document.body.classList.toggle('show-list'));
  return b;
}

/** The colours of the resource types drawn. */
export function legend(types: Set<string>): HTMLElement {
  const div = el('div', null, { class: 'legend', id: 'legend' });
  for (const [type] of RESOURCE_TYPES) {
    if (!types.has(type)) continue;
    const swatch = el('i');
    swatch.style.background = `var(--c-${type})`;
    div.append(box('span', { 'data-type': type }, swatch, TYPE_LABEL[type] ?? type));
  }
  return div;
}
