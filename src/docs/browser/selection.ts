// The graph's --select / --exclude box runs the CLI's own selection code (src/selection/, bundled
// into the page) over a SelectableGraph built from the site's data, so `+m+`, `tag:x`, `path:`,
// `config.materialized:view`, `exposure:x`, unions (spaces) and intersections (commas) select here
// exactly what `tsdbt ls --select ... --exclude ...` lists.
import { selectNodes } from '../../selection/select.js';
import { parseSelectionWords } from '../../selection/selection-spec.js';
import type { SelectableGraph, SelectableNode } from '../../selection/selectable-graph.js';
import { matchCriterion } from '../../selection/selection-methods.js';
import type { SiteEntry } from '../site-types.js';
import { GRAPH_TYPES, type Site } from './site.js';

let cached: { site: Site; nodes: unknown[]; graph: SelectableGraph } | null = null;

/** The site's nodes as the selection code sees them (macros and groups are not selectable). */
export function selectableGraph(site: Site): SelectableGraph {
  // Built again once the data tests are in (data.nodes is then another array).
  if (cached?.site === site && cached.nodes === site.data.nodes) return cached.graph;
  const nodes = new Map<string, SelectableNode>();
  for (const n of site.data.nodes) {
    if (n.resourceType === 'macro' || n.resourceType === 'group') continue;
    nodes.set(n.id, selectable(n));
  }
  const graph: SelectableGraph = {
    nodes,
    parents: (id) => site.get(id)?.parents ?? [],
    children: (id) => site.get(id)?.children ?? [],
    // A selection per graph drawn: `+model+` looks the name up rather than trying 15,000 nodes.
    repeated: true,
  };
  cached = { site, nodes: site.data.nodes, graph };
  return graph;
}

let drawable: { site: Site; nodes: unknown[]; graph: SelectableGraph } | null = null;

/** The selectable graph's drawable nodes only: a lone criterion's matches among them, without the 10,000 tests of a large project. */
function drawableGraph(site: Site): SelectableGraph {
  if (drawable?.site === site && drawable.nodes === site.data.nodes) return drawable.graph;
  const all = selectableGraph(site);
  const graph: SelectableGraph = { ...all, nodes: new Map([...all.nodes].filter(([id]) => GRAPH_TYPES.has(site.get(id)?.resourceType ?? ''))) };
  drawable = { site, nodes: site.data.nodes, graph };
  return graph;
}

function selectable(n: SiteEntry): SelectableNode {
  return {
    unique_id: n.id,
    name: n.name,
    resource_type: n.resourceType,
    package_name: n.package,
    fqn: n.fqn,
    original_file_path: n.path,
    tags: n.tags,
    config: n.config,
    source_name: n.sourceName,
    test_type: n.testType,
    test_name: n.testName,
    version: n.version ?? null,
    latest_version: n.latestVersion ?? null,
    depends_on: n.parents,
  };
}

export type GraphSelection = { ids: Set<string>; focus: string | null } | { error: string };

/**
 * The drawable nodes `--select select --exclude exclude` picks (no tests: indirect selection is
 * off, as the docs graph draws none), and the node to highlight: the one a lone `+name+`-style
 * criterion names.
 */
export function selectForGraph(site: Site, select: string, exclude: string): GraphSelection {
  try {
    const graph = selectableGraph(site);
    const chosen = selectNodes(graph, { select: select.trim() ? [select] : [], exclude: exclude.trim() ? [exclude] : [], indirectSelection: 'empty' });
    const ids = new Set([...chosen].filter((id) => GRAPH_TYPES.has(site.get(id)?.resourceType ?? '')));
    return { ids, focus: focusOf(site, select) };
  } catch (err) {
    const e = err as { message?: string; hint?: string };
    return { error: `${e.message ?? String(err)}${e.hint ? `\n${e.hint}` : ''}` };
  }
}

/** The one node a lone criterion's method matches, before its graph operators (`int_sessions` of `+int_sessions+`). */
function focusOf(site: Site, select: string): string | null {
  try {
    const spec = parseSelectionWords([select]);
    const only = spec.kind === 'union' && spec.components.length === 1 ? spec.components[0] : null;
    if (!only || only.kind !== 'criterion') return null;
    // Matched node by node (no graph operators): over the drawable nodes, what matching all of them and keeping those gives.
    const matched = [...matchCriterion(drawableGraph(site), { ...only, parents: false, children: false, childrens_parents: false })];
    return matched.length === 1 ? (matched[0] as string) : null;
  } catch {
    return null;
  }
}

/** The selector that draws a node with its ancestors and descendants. */
export function lineageSelector(n: SiteEntry): string {
  const method: Record<string, string> = { source: `source:${n.sourceName ?? ''}.${n.name}`, exposure: `exposure:${n.name}`, metric: `metric:${n.name}`, saved_query: `saved_query:${n.name}`, semantic_model: `semantic_model:${n.name}` };
  return `+${method[n.resourceType] ?? n.name}+`;
}
