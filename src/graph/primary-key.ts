// A model's `primary_key` in manifest.json, inferred as dbt infers it after parsing
// (ModelNode.infer_primary_key, ManifestLoader.process_model_inferred_primary_keys): the columns
// of a primary_key constraint (the model's, else a column's); else the columns with both a
// not_null and a unique test; else those with an enabled unique (or unique_combination_of_columns)
// test, else a disabled one; sorted. Disabled tests count, as in dbt.
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';

const UNIQUE_TESTS = new Set(['unique', 'unique_combination_of_columns']);
const NO_TESTS: ManifestNode[] = [];

function testedColumns(test: ManifestNode): string[] {
  const kwargs = test.test_metadata?.kwargs ?? {};
  if (typeof kwargs.column_name === 'string') return [kwargs.column_name];
  if (Array.isArray(kwargs.combination_of_columns)) return kwargs.combination_of_columns.filter((c): c is string => typeof c === 'string');
  return [];
}

/** dbt's infer_primary_key for `model` given the generic tests attached to it. */
export function inferPrimaryKey(model: ManifestNode, tests: ManifestNode[]): string[] {
  for (const constraint of model.constraints ?? []) if (constraint.type === 'primary_key') return [...(constraint.columns ?? [])].sort();
  for (const [column, info] of Object.entries(model.columns)) if ((info.constraints ?? []).some((c) => c.type === 'primary_key')) return [column];
  if (tests.length === 0) return [];
  const enabledUnique = new Set<string>();
  const disabledUnique = new Set<string>();
  const notNull = new Set<string>();
  for (const test of tests) {
    const name = test.test_metadata?.name ?? '';
    for (const column of testedColumns(test)) {
      if (UNIQUE_TESTS.has(name)) (test.config.enabled === false ? disabledUnique : enabledUnique).add(column);
      else if (name === 'not_null') notNull.add(column);
    }
  }
  const both = [...notNull].filter((c) => enabledUnique.has(c) || disabledUnique.has(c));
  // A copy of its size (filter's list has room for 17): 10,000 models keep theirs parse long.
  if (both.length > 0) return [...both].sort();
  if (enabledUnique.size > 0) return [...enabledUnique].sort();
  return [...disabledUnique].sort();
}

/** Sets `primary_key` on every model of the manifest. */
export function inferPrimaryKeys(manifest: Manifest, disabled: ManifestNode[]): void {
  const attached = new Map<string, ManifestNode[]>();
  const attach = (node: ManifestNode): void => {
    if (node.resource_type !== 'test' || !node.test_metadata || !node.attached_node) return;
    const list = attached.get(node.attached_node);
    if (list) list.push(node);
    else attached.set(node.attached_node, [node]);
  };
  // One list of the nodes for both walks (no 30,000-node copies spread into another).
  const nodes = recordValues(manifest.nodes);
  for (const node of nodes) attach(node);
  for (const node of disabled) attach(node);
  for (const node of nodes) if (node.resource_type === 'model') node.primary_key = inferPrimaryKey(node, attached.get(node.unique_id) ?? NO_TESTS);
}
