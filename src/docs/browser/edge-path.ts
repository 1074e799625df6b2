// The SVG path of an edge of a drawing (the lineage graph's, the column view's): a line through
// the start, bend points and end of each of its sections (ELK's shape, which the layered layout
// also gives), without the points that lie on a straight run between their neighbours; and the
// arrowheads of all the edges of a drawing as one path. No DOM, so it is tested in Node.
import type { ElkExtendedEdge } from 'elkjs/lib/elk-api.js';

/**
 * An SVG path along an ELK edge's sections, without the points that lie on a straight run between
 * their neighbours (an edge through several layers' placeholders is one horizontal line there): the
 * same line, in a fraction of the path data the browser parses.
 */
export function edgePath(edge: ElkExtendedEdge): string {
  return (edge.sections ?? [])
    .map((s) => corners([s.startPoint, ...(s.bendPoints ?? []), s.endPoint]).map((p, i) => `${i ? 'L' : 'M'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' '))
    .join(' ');
}

type Point = { x: number; y: number };

/** `points` without each one that lies between the kept point before it and the next one, on their line. */
function corners(points: Point[]): Point[] {
  const kept: Point[] = [];
  points.forEach((p, i) => {
    const a = kept[kept.length - 1];
    const b = points[i + 1];
    if (a && b && onSegment(a, p, b)) return;
    kept.push(p);
  });
  return kept;
}

/** Whether `p` lies on the segment from `a` to `b` (on its line, between its ends). */
function onSegment(a: Point, p: Point, b: Point): boolean {
  const cross = (p.x - a.x) * (b.y - a.y) - (p.y - a.y) * (b.x - a.x);
  const dot = (p.x - a.x) * (b.x - a.x) + (p.y - a.y) * (b.y - a.y);
  const length2 = (b.x - a.x) ** 2 + (b.y - a.y) ** 2;
  return Math.abs(cross) <= 1e-6 * Math.max(1, length2) && dot >= 0 && dot <= length2;
}

/** The arrowhead's length and half its width, in drawing units (graph-view.ts arrowMarker's size at an edge's stroke width). */
export const ARROW = { length: 9.8, halfWidth: 4.9 };

/**
 * The arrowheads of `edges`, each a triangle with its tip at the edge's end, pointing along its
 * last segment, all in one path: the shape arrowMarker() draws at each end, without a marker per
 * edge (with hundreds of edges, painting a marker instance per path was a fifth of drawing a graph).
 */
export function arrowHeads(edges: ElkExtendedEdge[], { length, halfWidth } = ARROW): string {
  const out: string[] = [];
  for (const edge of edges) {
    const section = edge.sections?.[edge.sections.length - 1];
    if (!section) continue;
    const tip = section.endPoint;
    // The last point before the tip that is not the tip (a long edge has hundreds of bend points: not copied).
    const bends = section.bendPoints ?? [];
    let from: Point | undefined;
    for (let i = bends.length; i >= 0 && !from; i--) {
      const p = i === 0 ? section.startPoint : (bends[i - 1] as Point);
      if (p.x !== tip.x || p.y !== tip.y) from = p;
    }
    const dx = from ? tip.x - from.x : 1;
    const dy = from ? tip.y - from.y : 0;
    const norm = Math.hypot(dx, dy) || 1;
    const [ux, uy] = [dx / norm, dy / norm];
    const [bx, by] = [tip.x - ux * length, tip.y - uy * length];
    const f = (x: number, y: number) => `${x.toFixed(1)},${y.toFixed(1)}`;
    out.push(`M${f(bx - uy * halfWidth, by + ux * halfWidth)} L${f(tip.x, tip.y)} L${f(bx + uy * halfWidth, by - ux * halfWidth)}z`);
  }
  return out.join(' ');
}
