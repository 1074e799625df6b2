// The docs graph's edge paths (src/docs/browser/edge-path.ts): the line through an
// edge's start, bend points and end, without the points that lie on a straight run between their
// neighbours (an edge passing several layers' placeholders at one height), so the browser parses
// less path data for the same line; and every edge's arrowhead in one path.
import { describe, expect, it } from 'vitest';
import type { ElkExtendedEdge } from 'elkjs/lib/elk-api.js';
import { ARROW, arrowHeads, edgePath } from '../../src/docs/browser/edge-path.js';
import { layeredLayout } from '../../src/docs/browser/layered-layout.js';

type Point = { x: number; y: number };

const pointsOf = (d: string): Point[] => [...d.matchAll(/[ML](-?[\d.]+),(-?[\d.]+)/g)].map((m) => ({ x: Number(m[1]), y: Number(m[2]) }));

/** Whether `p` lies on the segment from `a` to `b` (within the path's rounding to tenths). */
function onSegment(p: Point, a: Point, b: Point): boolean {
  const length = Math.hypot(b.x - a.x, b.y - a.y);
  if (length === 0) return Math.hypot(p.x - a.x, p.y - a.y) < 0.1;
  const along = ((p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y)) / length;
  const off = Math.abs((p.x - a.x) * (b.y - a.y) - (p.y - a.y) * (b.x - a.x)) / length;
  return off < 0.1 && along > -0.1 && along < length + 0.1;
}

describe('edgePath', () => {
  it('draws an edge through placeholders at one height as one straight run, through every point it had', () => {
    // a -> b -> c -> d -> e and a -> e: the long edge passes three layers' placeholders at one height.
    const ids = ['a', 'b', 'c', 'd', 'e'];
    const pairs = [['a', 'b'], ['b', 'c'], ['c', 'd'], ['d', 'e'], ['a', 'e']];
    const laid = layeredLayout({ id: 'root', children: ids.map((id) => ({ id, width: 80, height: 30 })), edges: pairs.map(([s, t], i) => ({ id: `e${i}`, sources: [s as string], targets: [t as string] })) });
    const long = (laid.edges ?? [])[4] as ElkExtendedEdge;
    const section = long.sections?.[0];
    if (!section) throw new Error('the long edge has no section');
    const all = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
    const drawn = pointsOf(edgePath(long));
    expect(all.length).toBeGreaterThan(4);
    // Fewer points, the same ends.
    expect(drawn.length).toBeLessThan(all.length);
    expect(drawn[0]).toEqual({ x: Number(section.startPoint.x.toFixed(1)), y: Number(section.startPoint.y.toFixed(1)) });
    expect(drawn[drawn.length - 1]).toEqual({ x: Number(section.endPoint.x.toFixed(1)), y: Number(section.endPoint.y.toFixed(1)) });
    // Every point of the edge is on the line drawn, and no point drawn lies on a straight run between its neighbours.
    for (const p of all) expect(drawn.some((q, i) => i > 0 && onSegment(p, drawn[i - 1] as Point, q)), JSON.stringify(p)).toBe(true);
    for (let i = 1; i + 1 < drawn.length; i++) expect(onSegment(drawn[i] as Point, drawn[i - 1] as Point, drawn[i + 1] as Point), JSON.stringify(drawn[i])).toBe(false);
  });

  it('keeps a corner, and a point that turns back on the line', () => {
    const edge = (points: Point[]): ElkExtendedEdge => ({ id: 'e', sources: ['a'], targets: ['b'], sections: [{ id: 's', startPoint: points[0] as Point, endPoint: points[points.length - 1] as Point, bendPoints: points.slice(1, -1) }] });
    expect(edgePath(edge([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 10, y: 10 }, { x: 20, y: 10 }]))).toBe('M0.0,0.0 L10.0,0.0 L10.0,10.0 L20.0,10.0');
    expect(edgePath(edge([{ x: 0, y: 0 }, { x: 5, y: 0 }, { x: 10, y: 0 }, { x: 20, y: 0 }]))).toBe('M0.0,0.0 L20.0,0.0');
    // Out to 10 and back to 5: not a point between its neighbours, so kept.
    expect(edgePath(edge([{ x: 0, y: 0 }, { x: 10, y: 0 }, { x: 5, y: 0 }]))).toBe('M0.0,0.0 L10.0,0.0 L5.0,0.0');
  });
});

describe('arrowHeads', () => {
  const edge = (points: Point[]): ElkExtendedEdge => ({ id: 'e', sources: ['a'], targets: ['b'], sections: [{ id: 's', startPoint: points[0] as Point, endPoint: points[points.length - 1] as Point, bendPoints: points.slice(1, -1) }] });

  it("draws each edge's arrowhead as the marker's triangle: its tip at the end, pointing along the last segment", () => {
    // Ending rightwards at (100, 50) after a bend; ending upwards at (0, 0).
    const d = arrowHeads([edge([{ x: 0, y: 0 }, { x: 40, y: 10 }, { x: 40, y: 50 }, { x: 100, y: 50 }]), edge([{ x: 0, y: 30 }, { x: 0, y: 0 }])]);
    const triangles = [...d.matchAll(/M(-?[\d.]+),(-?[\d.]+) L(-?[\d.]+),(-?[\d.]+) L(-?[\d.]+),(-?[\d.]+)z/g)].map((m) => m.slice(1).map(Number));
    expect(triangles).toEqual([
      [100 - ARROW.length, 50 + ARROW.halfWidth, 100, 50, 100 - ARROW.length, 50 - ARROW.halfWidth],
      [ARROW.halfWidth, ARROW.length, 0, 0, -ARROW.halfWidth, ARROW.length],
    ]);
    // The marker's size: 7 stroke widths of the edges' 1.4, its triangle as wide as long.
    expect(ARROW).toEqual({ length: 9.8, halfWidth: 4.9 });
  });

  it('draws none for an edge without a section, and points a zero-length last segment rightwards', () => {
    expect(arrowHeads([{ id: 'e', sources: ['a'], targets: ['b'] }])).toBe('');
    expect(arrowHeads([edge([{ x: 5, y: 5 }, { x: 5, y: 5 }])])).toBe('M-4.8,9.9 L5.0,5.0 L-4.8,0.1z');
  });
});
