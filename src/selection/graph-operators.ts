// Graph operators: `+x` (ancestors), `x+` (descendants), `2+x`/`x+3` (to a depth), `@x`
// (descendants and all their ancestors).
import type { Criterion } from './selection-spec.js';
import type { SelectableGraph } from './selectable-graph.js';

function walk(start: Iterable<string>, next: (id: string) => readonly string[], depth: number | null): Set<string> {
  const out = new Set<string>();
  let frontier = [...start];
  for (let level = 0; frontier.length > 0 && (depth === null || level < depth); level++) {
    const following: string[] = [];
    for (const id of frontier) {
      for (const n of next(id)) {
        if (!out.has(n)) {
          out.add(n);
          following.push(n);
        }
      }
    }
    frontier = following;
  }
  return out;
}

export function ancestors(graph: SelectableGraph, ids: Iterable<string>, depth: number | null = null): Set<string> {
  return walk(ids, (id) => graph.parents(id), depth);
}

export function descendants(graph: SelectableGraph, ids: Iterable<string>, depth: number | null = null): Set<string> {
  return walk(ids, (id) => graph.children(id), depth);
}

/** Applies a criterion's graph operators to the nodes its method matched. */
export function applyGraphOperators(graph: SelectableGraph, criterion: Criterion, matched: Set<string>): Set<string> {
  const out = new Set(matched);
  if (criterion.childrens_parents) {
    const down = descendants(graph, matched);
    for (const id of down) out.add(id);
    for (const id of ancestors(graph, out)) out.add(id);
    return out;
  }
  if (criterion.parents) for (const id of ancestors(graph, matched, criterion.parents_depth)) out.add(id);
  if (criterion.children) for (const id of descendants(graph, matched, criterion.children_depth)) out.add(id);
  return out;
}
