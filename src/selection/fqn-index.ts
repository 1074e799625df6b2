// The fqn method's index, for a graph many selections are made on (SelectableGraph.repeated: the
// docs page selects once per graph drawn, over every node of the project, tests included): each
// node under the words an fqn match without wildcards can match it by (selection-methods.ts'
// fqnMatcher: its name, its fqn's leaf, the first two parts of its fqn with dots as separators,
// its package), so `+model+` tries the few nodes named so, not all 15,000 of a large project.
import type { SelectableNode } from './selectable-graph.js';

interface FqnIndex {
  /** The node count when it was built (a map that changed size is indexed again). */
  size: number;
  nodes: SelectableNode[];
  /** Each word: the positions (in `nodes`, the map's order) of the nodes it names. */
  byWord: Map<string, number[]>;
  /** Versioned models match by their name and version (`dim_v2`): always tried. */
  versioned: number[];
}

const indexes = new WeakMap<ReadonlyMap<string, SelectableNode>, FqnIndex>();

/** dbt's fqn with dots inside its parts as separators (a model `alternative.users`). */
export function flatFqn(fqn: string[]): string[] {
  return fqn.some((p) => p.includes('.')) ? fqn.flatMap((p) => p.split('.')) : fqn;
}

function build(nodes: ReadonlyMap<string, SelectableNode>): FqnIndex {
  const index: FqnIndex = { size: nodes.size, nodes: [...nodes.values()], byWord: new Map(), versioned: [] };
  index.nodes.forEach((n, i) => {
    if (n.version !== null && n.version !== undefined) index.versioned.push(i);
    const flat = flatFqn(n.fqn);
    for (const word of new Set([n.name, n.fqn[n.fqn.length - 1], flat[0], flat[1], n.package_name])) {
      if (word === undefined) continue;
      const list = index.byWord.get(word);
      if (list) list.push(i);
      else index.byWord.set(word, [i]);
    }
  });
  return index;
}

/**
 * The nodes an fqn criterion of `value` (no wildcards) can match, in the map's order: those named
 * by the value or its first dotted part, and the versioned ones. Each is still tested.
 */
export function fqnCandidates(nodes: ReadonlyMap<string, SelectableNode>, value: string): SelectableNode[] {
  let index = indexes.get(nodes);
  if (!index || index.size !== nodes.size) indexes.set(nodes, (index = build(nodes)));
  const first = value.split('.')[0] as string;
  const at = new Set([...(index.byWord.get(value) ?? []), ...(index.byWord.get(first) ?? []), ...index.versioned]);
  return [...at].sort((a, b) => a - b).map((i) => index.nodes[i] as SelectableNode);
}
