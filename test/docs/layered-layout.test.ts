// The docs graph's layered layout (src/docs/browser/layered-layout.ts), on generated lineage
// graphs: data flows left to right, no two boxes overlap, every edge is drawn from its source's
// right side to its target's left side and passes through no box.
import { describe, expect, it } from 'vitest';
import type { ElkNode } from 'elkjs/lib/elk-api.js';
import { layeredLayout } from '../../src/docs/browser/layered-layout.js';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** A DAG of `n` nodes where each reads one to three earlier ones (a fixed pseudo-random sequence). */
function lineage(n: number, seed: number): ElkNode {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  const children = Array.from({ length: n }, (_, i) => ({ id: `n${i}`, width: 60 + Math.floor(next() * 120), height: 30 }));
  const edges: { id: string; sources: string[]; targets: string[] }[] = [];
  for (let i = 1; i < n; i++) {
    const parents = new Set<number>();
    for (let k = 0; k < 1 + Math.floor(next() * 3); k++) parents.add(Math.floor(next() * i));
    for (const p of parents) edges.push({ id: `e${edges.length}`, sources: [`n${p}`], targets: [`n${i}`] });
  }
  return { id: 'root', children, edges };
}

const overlaps = (a: Box, b: Box) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Whether the segment p-q passes through the inside of `box` (Liang-Barsky clipping). */
function crosses(p: { x: number; y: number }, q: { x: number; y: number }, box: Box): boolean {
  const inset = 0.5;
  const [x0, x1, y0, y1] = [box.x + inset, box.x + box.width - inset, box.y + inset, box.y + box.height - inset];
  let t0 = 0;
  let t1 = 1;
  const dx = q.x - p.x;
  const dy = q.y - p.y;
  for (const [pk, qk] of [[-dx, p.x - x0], [dx, x1 - p.x], [-dy, p.y - y0], [dy, y1 - p.y]] as [number, number][]) {
    if (pk === 0) {
      if (qk < 0) return false;
    } else {
      const r = qk / pk;
      if (pk < 0) t0 = Math.max(t0, r);
      else t1 = Math.min(t1, r);
    }
  }
  return t0 < t1;
}

function check(graph: ElkNode): ElkNode {
  const laid = layeredLayout(graph);
  const boxes = new Map((laid.children ?? []).map((c) => [c.id, { x: c.x ?? NaN, y: c.y ?? NaN, width: c.width ?? 0, height: c.height ?? 0 }]));
  expect(boxes.size).toBe(graph.children?.length);
  const list = [...boxes.entries()];
  for (const [id, b] of list) {
    expect(Number.isFinite(b.x) && Number.isFinite(b.y), id).toBe(true);
    expect(b.x >= 0 && b.y >= 0 && b.x + b.width <= (laid.width ?? 0) && b.y + b.height <= (laid.height ?? 0), `${id} inside the drawing`).toBe(true);
  }
  const overlapping: string[] = [];
  for (let i = 0; i < list.length; i++) for (let j = i + 1; j < list.length; j++) if (overlaps(list[i]![1], list[j]![1])) overlapping.push(`${list[i]![0]} and ${list[j]![0]}`);
  expect(overlapping).toEqual([]);
  const through: string[] = [];
  expect(laid.edges).toHaveLength(graph.edges?.length ?? 0);
  for (const edge of laid.edges ?? []) {
    const from = boxes.get(edge.sources[0]!)!;
    const to = boxes.get(edge.targets[0]!)!;
    const section = edge.sections?.[0];
    expect(section, edge.id).toBeDefined();
    const points = [section!.startPoint, ...(section!.bendPoints ?? []), section!.endPoint];
    expect(points[0]).toEqual({ x: from.x + from.width, y: from.y + from.height / 2 });
    expect(points.at(-1)).toEqual({ x: to.x, y: to.y + to.height / 2 });
    expect(to.x, `${edge.id} flows right`).toBeGreaterThan(from.x + from.width);
    for (let k = 1; k < points.length; k++) {
      expect(points[k]!.x, `${edge.id} never turns back`).toBeGreaterThanOrEqual(points[k - 1]!.x);
      for (const [id, b] of list) if (crosses(points[k - 1]!, points[k]!, b)) through.push(`${edge.id} through ${id}`);
    }
  }
  expect(through).toEqual([]);
  return laid;
}

describe('layeredLayout', () => {
  it('a chain with a shortcut: three layers, the long edge routed through a slot of its own', () => {
    const laid = check({
      id: 'root',
      children: ['a', 'b', 'c'].map((id) => ({ id, width: 80, height: 30 })),
      edges: [
        { id: 'ab', sources: ['a'], targets: ['b'] },
        { id: 'bc', sources: ['b'], targets: ['c'] },
        { id: 'ac', sources: ['a'], targets: ['c'] },
      ],
    });
    const x = Object.fromEntries((laid.children ?? []).map((c) => [c.id, c.x]));
    expect(x.a).toBeLessThan(x.b as number);
    expect(x.b).toBeLessThan(x.c as number);
    expect(laid.edges?.find((e) => e.id === 'ac')?.sections?.[0]?.bendPoints).toHaveLength(2);
  });

  it('a source read only late sits next to its reader', () => {
    const laid = check({
      id: 'root',
      children: ['a', 'b', 'c', 'seed'].map((id) => ({ id, width: 80, height: 30 })),
      edges: [
        { id: 'ab', sources: ['a'], targets: ['b'] },
        { id: 'bc', sources: ['b'], targets: ['c'] },
        { id: 'sc', sources: ['seed'], targets: ['c'] },
      ],
    });
    const x = Object.fromEntries((laid.children ?? []).map((c) => [c.id, c.x]));
    expect(x.seed).toBe(x.b);
  });

  it.each([12, 60, 300])('a generated lineage of %i nodes: no overlaps, every edge drawn around the boxes, deterministic', (n) => {
    const graph = lineage(n, n);
    const laid = check(graph);
    expect(layeredLayout(graph)).toEqual(laid);
  });

  it('draws a cycle (never in a dbt DAG) without looping forever', () => {
    const laid = layeredLayout({
      id: 'root',
      children: ['a', 'b'].map((id) => ({ id, width: 50, height: 30 })),
      edges: [
        { id: 'ab', sources: ['a'], targets: ['b'] },
        { id: 'ba', sources: ['b'], targets: ['a'] },
      ],
    });
    expect(laid.children?.map((c) => [c.id, Number.isFinite(c.x)])).toEqual([['a', true], ['b', true]]);
    expect(laid.edges).toHaveLength(2);
  });
});
