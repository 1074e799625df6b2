// A model contract as the adapter's builders take it: the declared columns (with their constraints)
// and the model-level constraints, a foreign key's `to: ref(...)` rendered to a relation by the caller.
// A column's `data_type` is translated through the adapter's type labels (dbt's base `string` ->
// `TEXT`, dbt-clickhouse's `string` -> `String`) unless the
// contract sets `alias_types: false`, as dbt's `model` context does for contracted models.
// (The contract's checksum, which state comparison reads, is manifest/contract-checksum.ts.)
import type { ContractColumn, TableConstraint } from './adapter.js';
import type { Constraint, ManifestNode } from '../manifest/types.js';

/** `Column.translate_type`: a label's type in `labels` (case-insensitive), any other name as written. */
export function translateType(dataType: string, labels: Readonly<Record<string, string>>): string {
  return labels[dataType.toUpperCase()] ?? dataType;
}

/** A declared column's type as the contract uses it: its label translated (the adapter's `labels`) unless `contract.alias_types` is false. */
export function contractDataType(node: ManifestNode, dataType: string, labels: Readonly<Record<string, string>>): string {
  const contract = node.config.contract as { alias_types?: unknown } | undefined;
  return contract?.alias_types === false ? dataType : translateType(dataType, labels);
}

/** A constraint with its foreign key's `to` rendered by `renderRelation` (kept as written without one). */
export function tableConstraint(constraint: Constraint, renderRelation?: (expression: string) => string): TableConstraint {
  const out: TableConstraint = { type: constraint.type, name: constraint.name ?? null, expression: constraint.expression ?? null };
  if (constraint.columns) out.columns = constraint.columns.map(String);
  if (constraint.warn_unsupported === false) out.warnUnsupported = false;
  if (constraint.type === 'foreign_key' && constraint.to) {
    const relation = renderRelation ? renderRelation(constraint.to) : constraint.to;
    out.references = { relation, columns: (constraint.to_columns ?? []).map(String) };
  }
  return out;
}

/** The node's declared columns (its YAML order) with their types and constraints. */
export function contractColumnsOf(node: ManifestNode, labels: Readonly<Record<string, string>>, renderRelation?: (expression: string) => string): ContractColumn[] {
  return Object.values(node.columns).map((c) => ({
    name: c.name,
    dataType: contractDataType(node, String(c.data_type ?? ''), labels),
    constraints: (c.constraints ?? []).map((k) => tableConstraint(k, renderRelation)),
    ...(c.quote === true ? { quote: true } : {}),
    ...columnClauses(c as unknown as Record<string, unknown>),
  }));
}

/** A column entry's `codec` and `ttl` (dbt-clickhouse's column configuration), where given as text. */
export function columnClauses(column: Record<string, unknown>): { codec?: string; ttl?: string } {
  const text = (value: unknown) => (typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined);
  const codec = text(column.codec);
  const ttl = text(column.ttl);
  return { ...(codec ? { codec } : {}), ...(ttl ? { ttl } : {}) };
}
