// dbt's node selection (pure): `--select` / `--exclude` / `--selector` / selectors.yml over a
// SelectableGraph, with indirect test selection.
export { selectNodes, type SelectionRequest } from './select.js';
export { parseSelectorsYaml, type SelectorDefinitions, type SelectorDefinition } from './selectors-yaml.js';
export type { SelectableGraph, SelectableNode, IndirectSelection } from './selectable-graph.js';
export { parseCriterion, parseSelectionWords } from './selection-spec.js';
