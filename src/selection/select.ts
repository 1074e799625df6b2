// selectNodes: the selection a request (`--select`, `--exclude`, `--selector`, resource types,
// indirect selection) makes over a SelectableGraph. Free of Node.js modules (selectors.yml is read
// by the caller), so the docs site runs this same code in the browser.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { asTopLevel, evaluate } from './select-nodes.js';
import { parseSelectionWords, type SelectionSpec } from './selection-spec.js';
import type { IndirectSelection, SelectableGraph } from './selectable-graph.js';
import type { SelectorDefinitions } from './selection-spec.js';

export interface SelectionRequest {
  select?: string[];
  exclude?: string[];
  selector?: string;
  /** Only these resource types (`all` and `default`: every type the command runs). */
  resourceTypes?: string[];
  /** Not these (`--exclude-resource-type`), applied after resourceTypes as dbt does. */
  excludeResourceTypes?: string[];
  indirectSelection?: IndirectSelection;
}

const EVERYTHING: SelectionSpec = { kind: 'union', components: [{ kind: 'criterion', method: 'fqn', methodArgs: [], value: '*', childrens_parents: false, parents: false, parents_depth: null, children: false, children_depth: null, raw: '*' }, { kind: 'criterion', method: 'source', methodArgs: [], value: '*', childrens_parents: false, parents: false, parents_depth: null, children: false, children_depth: null, raw: 'source:*' }] };

export function selectNodes(graph: SelectableGraph, req: SelectionRequest, selectors?: SelectorDefinitions): Set<string> {
  const lookup = (name: string, seen: string[] = []): SelectionSpec => {
    const found = selectors?.get(name);
    if (!found) {
      throw new TsdbtError(`no selector named '${name}'`, {
        code: 'selector-invalid',
        hint: selectors?.size ? `selectors.yml defines: ${[...selectors.keys()].join(', ')}` : 'define it in selectors.yml at the project root',
      });
    }
    if (seen.includes(name)) throw new TsdbtError(`selector '${name}' refers to itself (${[...seen, name].join(' -> ')})`, { code: 'selector-invalid', hint: 'remove the cycle' });
    return found.spec;
  };
  let include: SelectionSpec;
  const hasSelect = (req.select ?? []).some((s) => s.trim() !== '');
  if (req.selector) {
    if (hasSelect) throw new TsdbtError('--selector cannot be combined with --select', { code: 'selector-invalid', hint: 'put the extra criteria in the YAML selector' });
    include = lookup(req.selector);
  } else if (hasSelect) include = parseSelectionWords(req.select ?? []);
  else {
    const fallback = selectors ? [...selectors.values()].find((s) => s.default) : undefined;
    include = fallback ? fallback.spec : EVERYTHING;
  }
  const excludeWords = (req.exclude ?? []).filter((s) => s.trim() !== '');
  const spec: SelectionSpec = excludeWords.length ? { kind: 'difference', components: [include, parseSelectionWords(excludeWords)] } : include;
  const { direct } = evaluate(graph, asTopLevel(spec), { indirectSelection: req.indirectSelection ?? 'eager', resolveSelector: (name) => lookup(name) });
  const only = req.resourceTypes?.length && !req.resourceTypes.some((t) => t === 'all' || t === 'default') ? new Set(req.resourceTypes) : null;
  const without = new Set(req.excludeResourceTypes ?? []);
  if (!only && without.size === 0) return direct;
  return new Set(
    [...direct].filter((id) => {
      const type = graph.nodes.get(id)?.resource_type ?? '';
      return (!only || only.has(type)) && !without.has(type);
    }),
  );
}
