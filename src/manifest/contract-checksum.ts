// dbt's `contract.checksum` of a model: what `state:modified.contract` compares (manifest.json
// writes it; the columns the adapter's builders take are adapters/contract-columns.ts).
import { createHash } from 'node:crypto';
import type { ManifestNode } from './types.js';

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
