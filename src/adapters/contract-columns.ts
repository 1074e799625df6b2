// A model contract as the adapter's builders take it: the declared columns (with their constraints)
// and the model-level constraints, a foreign key's `to: ref(...)` rendered to a relation by the caller.
// (The contract's checksum, which state comparison reads, is manifest/contract-checksum.ts.)
import type { ContractColumn, TableConstraint } from './adapter.js';
import type { Constraint, ManifestNode } from '../manifest/types.js';

/** A constraint with its foreign key's `to` rendered by `renderRelation` (kept as written without one). */
export function tableConstraint(constraint: Constraint, renderRelation?: (expression: string) => string): TableConstraint {
  const out: TableConstraint = { type: constraint.type, name: constraint.name ?? null, expression: constraint.expression ?? null };
  if (constraint.columns) out.columns = constraint.columns.map(String);
  if (constraint.type === 'foreign_key' && constraint.to) {
    const relation = renderRelation ? renderRelation(constraint.to) : constraint.to;
    out.references = { relation, columns: (constraint.to_columns ?? []).map(String) };
  }
  return out;
}

/** The node's declared columns (its YAML order) with their types and constraints. */
export function contractColumnsOf(node: ManifestNode, renderRelation?: (expression: string) => string): ContractColumn[] {
  return Object.values(node.columns).map((c) => ({ name: c.name, dataType: String(c.data_type ?? ''), constraints: (c.constraints ?? []).map((k) => tableConstraint(k, renderRelation)) }));
}
