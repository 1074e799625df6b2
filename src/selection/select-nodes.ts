// Evaluates a selection spec over the graph with dbt's semantics: each criterion selects nodes
// directly and tests indirectly (tests of selected nodes); set operations combine both; indirect
// tests are incorporated per `--indirect-selection` (eager, cautious, buildable, empty).
import { applyGraphOperators, ancestors } from './graph-operators.js';
import { matchCriterion } from './selection-methods.js';
import type { SelectionSpec } from './selection-spec.js';
import type { IndirectSelection, SelectableGraph } from './selectable-graph.js';

interface Selected {
  direct: Set<string>;
  indirect: Set<string>;
}

export interface EvaluateOptions {
  indirectSelection: IndirectSelection;
  /** Resolves `selector:name` references in YAML selectors. */
  resolveSelector?: (name: string) => SelectionSpec;
}

/**
 * Tests with at least one parent in `selected` (candidates for indirect selection). None when
 * `selected` holds every node of the graph (a command without --select): then each node's
 * children were walked for nothing, 30,000 lists made for the 10,000-model bench (~60 ms).
 */
function attachedTests(graph: SelectableGraph, selected: Set<string>): Set<string> {
  const out = new Set<string>();
  if (holdsEveryNode(graph, selected)) return out;
  for (const id of selected) {
    for (const child of graph.children(id)) {
      if (selected.has(child)) continue;
      const node = graph.nodes.get(child);
      if (node && (node.resource_type === 'test' || node.resource_type === 'unit_test')) out.add(child);
    }
  }
  return out;
}

/** Whether every node of `graph` is in `selected`. */
function holdsEveryNode(graph: SelectableGraph, selected: Set<string>): boolean {
  if (selected.size < graph.nodes.size) return false;
  for (const id of graph.nodes.keys()) if (!selected.has(id)) return false;
  return true;
}

/** Every source of the graph: dbt's buildable mode counts them as built (collect_specified_neighbors). */
function sources(graph: SelectableGraph): string[] {
  return [...graph.nodes.values()].filter((n) => n.resource_type === 'source').map((n) => n.unique_id);
}

/**
 * A criterion's tests, as dbt's collect_specified_neighbors sorts them: eager takes every test of a
 * selected node, cautious one whose parents are all selected, buildable one whose parents are
 * selected, their ancestors or sources (directly selected); the rest wait as indirect, to be taken
 * once a set operation brings their other parents in. empty takes none.
 */
function neighbours(graph: SelectableGraph, matched: Set<string>, mode: IndirectSelection): Selected {
  const direct = new Set(matched);
  const indirect = new Set<string>();
  if (mode === 'empty') return { direct, indirect };
  let buildable: Set<string> | null = null;
  for (const id of attachedTests(graph, matched)) {
    const parents = graph.nodes.get(id)?.depends_on ?? [];
    if (mode === 'eager' || parents.every((p) => matched.has(p))) direct.add(id);
    else if (mode === 'buildable' && parents.every((p) => (buildable ??= new Set([...matched, ...ancestors(graph, matched), ...sources(graph)])).has(p))) direct.add(id);
    else indirect.add(id);
  }
  return { direct, indirect };
}

/** After a set operation (dbt's incorporate_indirect_nodes): a waiting test whose parents are now all selected (or, buildable, their ancestors) joins. */
function incorporate(graph: SelectableGraph, direct: Set<string>, indirect: Set<string>, mode: IndirectSelection): Set<string> {
  const out = new Set(direct);
  if (mode !== 'cautious' && mode !== 'buildable') return out;
  const allowed = mode === 'buildable' ? new Set([...direct, ...ancestors(graph, direct)]) : direct;
  for (const id of indirect) {
    if (graph.nodes.get(id)?.resource_type !== 'test' && graph.nodes.get(id)?.resource_type !== 'unit_test') continue;
    if ((graph.nodes.get(id)?.depends_on ?? []).every((p) => allowed.has(p))) out.add(id);
  }
  return out;
}

/**
 * A selection as dbt's selector makes it at the top (NodeSelector.get_selected): the tests of the
 * selected nodes are incorporated whatever the spec's shape, a YAML selector's lone method dict
 * (`{method: group, value: g}`) too, and not only a set of criteria.
 */
export function asTopLevel(spec: SelectionSpec): SelectionSpec {
  return spec.kind === 'criterion' && spec.method !== 'selector' ? { kind: 'union', components: [spec], indirect_selection: spec.indirect_selection } : spec;
}

export function evaluate(graph: SelectableGraph, spec: SelectionSpec, options: EvaluateOptions): Selected {
  const mode = spec.indirect_selection ?? options.indirectSelection;
  if (spec.kind === 'criterion') {
    if (spec.method === 'selector' && options.resolveSelector) {
      return evaluate(graph, asTopLevel(options.resolveSelector(spec.value)), { ...options, indirectSelection: mode });
    }
    return neighbours(graph, applyGraphOperators(graph, spec, matchCriterion(graph, spec)), mode);
  }
  const parts = spec.components.map((c) => evaluate(graph, c, { ...options, indirectSelection: mode }));
  if (parts.length === 0) return { direct: new Set(), indirect: new Set() };
  // dbt's select_nodes_recursively: the direct sets combine, and so do each part's direct and indirect together.
  const directs = parts.map((p) => p.direct);
  const wide = parts.map((p) => combine('union', [p.direct, p.indirect]));
  const direct = combine(spec.kind, directs);
  const indirect = combine(spec.kind, wide);
  return { direct: incorporate(graph, direct, indirect, mode), indirect };
}

function combine(kind: 'union' | 'intersection' | 'difference', sets: Set<string>[]): Set<string> {
  const [first, ...rest] = sets as [Set<string>, ...Set<string>[]];
  if (kind === 'union') {
    // Added set by set, not spread into one array first: the union of everything is 30,000 ids.
    const out = new Set(first);
    for (const set of rest) for (const id of set) out.add(id);
    return out;
  }
  if (kind === 'intersection') return new Set([...first].filter((id) => rest.every((set) => set.has(id))));
  return new Set([...first].filter((id) => rest.every((set) => !set.has(id))));
}
