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

/** Tests with at least one parent in `selected` (candidates for indirect selection). */
function attachedTests(graph: SelectableGraph, selected: Set<string>): Set<string> {
  const out = new Set<string>();
  for (const id of selected) {
    for (const child of graph.children(id)) {
      const node = graph.nodes.get(child);
      if (node && (node.resource_type === 'test' || node.resource_type === 'unit_test') && !selected.has(child)) out.add(child);
    }
  }
  return out;
}

function incorporate(graph: SelectableGraph, direct: Set<string>, indirect: Set<string>, mode: IndirectSelection): Set<string> {
  const out = new Set(direct);
  if (mode === 'empty') return out;
  let buildable: Set<string> | null = null;
  for (const id of indirect) {
    const parents = graph.nodes.get(id)?.depends_on ?? [];
    if (mode === 'eager') out.add(id);
    else if (mode === 'cautious') {
      if (parents.every((p) => direct.has(p))) out.add(id);
    } else {
      // dbt's selector (collect_specified_neighbors) counts every source as buildable too.
      buildable ??= new Set([...direct, ...ancestors(graph, direct), ...[...graph.nodes.values()].filter((n) => n.resource_type === 'source').map((n) => n.unique_id)]);
      const ok = buildable;
      if (parents.every((p) => ok.has(p))) out.add(id);
    }
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
    const direct = applyGraphOperators(graph, spec, matchCriterion(graph, spec));
    return { direct, indirect: attachedTests(graph, direct) };
  }
  const parts = spec.components.map((c) => evaluate(graph, c, { ...options, indirectSelection: mode }));
  if (parts.length === 0) return { direct: new Set(), indirect: new Set() };
  let direct: Set<string>;
  let indirect: Set<string>;
  const [first, ...rest] = parts as [Selected, ...Selected[]];
  if (spec.kind === 'union') {
    direct = new Set(parts.flatMap((p) => [...p.direct]));
    indirect = new Set(parts.flatMap((p) => [...p.indirect]));
  } else if (spec.kind === 'intersection') {
    direct = new Set([...first.direct].filter((id) => rest.every((p) => p.direct.has(id))));
    indirect = new Set([...first.indirect].filter((id) => rest.every((p) => p.indirect.has(id))));
  } else {
    direct = new Set([...first.direct].filter((id) => rest.every((p) => !p.direct.has(id))));
    indirect = new Set([...first.indirect].filter((id) => rest.every((p) => !p.indirect.has(id) && !p.direct.has(id))));
  }
  return { direct: incorporate(graph, direct, indirect, mode), indirect };
}
