// A model contract as the adapter's builders take it: the declared columns (with their constraints)
// and the model-level constraints, a foreign key's `to: ref(...)` rendered to a relation by the caller.
import { createHash } from 'node:crypto';
import type { ContractColumn, TableConstraint } from '../adapters/adapter.js';
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

/** Materializations whose relations carry constraints (dbt's `materialization_enforces_constraints`). */
const ENFORCING = new Set(['table', 'incremental']);

/**
 * dbt's `contract.checksum` (ModelNode.build_contract_checksum): sha256 over the declared columns
 * sorted by name (name, data type, constraints) and, for materializations that enforce
 * constraints, the materialization and the model-level constraints. Null unless the contract is
 * enforced. `state:modified.contract` compares it.
 */
export function contractChecksum(node: ManifestNode): string | null {
  const contract = node.config.contract as { enforced?: unknown } | undefined;
  if (node.resource_type !== 'model' || contract?.enforced !== true) return null;
  let text = '';
  for (const column of Object.values(node.columns).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    text += `|${column.name}${String(column.data_type ?? null)}${JSON.stringify(column.constraints ?? [])}`;
  }
  if (ENFORCING.has(node.config.materialized)) text += `${node.config.materialized}${JSON.stringify(node.constraints ?? [])}`;
  return createHash('sha256').update(text).digest('hex');
}
