// dbt's breaking changes to an enforced model contract (ModelNode.same_contract and
// same_contract_removed), found while comparing with the --state manifest: the contract no longer
// enforced, columns removed, column base types changed (not their size, precision or scale), constraints removed where the old
// materialization enforced them, a materialization that enforced constraints changed, a contracted
// model deleted or renamed. dbt warns about them for unversioned models (UnversionedBreakingChange)
// and fails for versioned ones (ContractBreakingChangeError); the texts are dbt's.
import type { Manifest } from '../manifest/types.js';
import { nodeJson } from '../artifacts/resource-json.js';
import type { StateManifest, StateNode } from './state-artifacts.js';
import { sameJson } from './state-comparison.js';
import { pyRepr } from '../jinja/engine/py-repr.js';

export interface ContractBreak {
  unique_id: string;
  name: string;
  file: string;
  /** The model's version (versioned models: an error in dbt), null when unversioned. */
  version: unknown;
  changes: string[];
}

/** Materializations whose relations carry constraints (dbt's materialization_enforces_constraints). */
const ENFORCING = new Set(['table', 'incremental']);

interface ConstraintLike {
  type?: string;
  name?: string | null;
  columns?: string[];
}

const enforced = (node: StateNode) => node.contract?.enforced === true;
const materialized = (node: StateNode) => String(node.config?.materialized ?? '');
const constraintName = (c: ConstraintLike) => c.name ?? c.type ?? '';

/** dbt's _normalize_data_type_for_comparison: the base type, lower case, without size, precision or scale. */
const baseType = (dataType: unknown): unknown => (typeof dataType === 'string' && dataType ? (dataType.split('(')[0] ?? '').trim().toLowerCase() : dataType ?? null);

/** dbt's breaking changes of `now` against `before` (both contracted models as the manifest writes them). */
export function breakingChanges(now: StateNode, before: StateNode): string[] {
  if (!enforced(before)) return [];
  if (enforced(now) && (now.contract?.checksum ?? null) === (before.contract?.checksum ?? null)) return [];
  const changes: string[] = [];
  if (!enforced(now)) {
    changes.push('Contract enforcement was removed: Previously, this model had an enforced contract. It is no longer configured to enforce its contract, and this is a breaking change.');
  }
  const oldEnforces = ENFORCING.has(materialized(before));
  const removed: string[] = [];
  const retyped: string[] = [];
  const constraintsGone: string[] = [];
  let columnConstraints = false;
  const nowColumns = now.columns ?? {};
  for (const [key, column] of Object.entries(before.columns ?? {}).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const current = nowColumns[key];
    if (!current) removed.push(column.name);
    else if (baseType(column.data_type) !== baseType(current.data_type)) retyped.push(`${column.name} (${String(column.data_type ?? null)} -> ${String(current.data_type ?? null)})`);
    const oldConstraints = (column.constraints ?? []) as ConstraintLike[];
    if (oldConstraints.length > 0) columnConstraints = true;
    if (current && oldEnforces) {
      for (const constraint of oldConstraints) {
        if (!(current.constraints ?? []).some((c) => sameJson(c, constraint))) constraintsGone.push(`'${constraintName(constraint)}' constraint on column ${key}`);
      }
    }
  }
  if (removed.length) changes.push(`Columns were removed: \n    - ${removed.join('\n    - ')}`);
  if (retyped.length) changes.push(`Columns with data_type changes: \n    - ${retyped.join('\n    - ')}`);
  if (constraintsGone.length) changes.push(`Enforced column level constraints were removed: \n    - ${constraintsGone.join('\n    - ')}`);
  const oldModel = ((before.constraints ?? []) as ConstraintLike[]);
  const nowModel = (now.constraints ?? []) as unknown[];
  if (oldEnforces) {
    const gone = oldModel.filter((c) => !nowModel.some((n) => sameJson(n, c))).map((c) => `'${constraintName(c)}' constraint on columns ${pyRepr(c.columns ?? [])}`);
    if (gone.length) changes.push(`Enforced model level constraints were removed: \n    - ${gone.join('\n    - ')}`);
  }
  if (oldEnforces && !ENFORCING.has(materialized(now)) && (oldModel.length > 0 || columnConstraints)) {
    changes.push(`Materialization changed with enforced constraints: \n    - ${materialized(before)} -> ${materialized(now)}`);
  }
  return changes;
}

/**
 * Every contracted model of the state manifest whose contract this project breaks, or that it
 * removed: deleted or renamed, or disabled (`disabled`: the unique_ids of this parse's disabled nodes).
 */
export function contractBreaks(current: Manifest, state: StateManifest, disabled: ReadonlySet<string> = new Set()): ContractBreak[] {
  const out: ContractBreak[] = [];
  for (const before of Object.values(state.nodes)) {
    if (before.resource_type !== 'model' || !enforced(before)) continue;
    const node = current.nodes[before.unique_id];
    const file = String(node?.original_file_path ?? before.original_file_path ?? '');
    const base = { unique_id: before.unique_id, name: before.name, file, version: before.version ?? null };
    if (!node) {
      out.push({ ...base, changes: [`Contracted model '${before.unique_id}' was ${disabled.has(before.unique_id) ? 'disabled' : 'deleted or renamed'}.`] });
      continue;
    }
    const changes = breakingChanges(nodeJson(node) as StateNode, before);
    if (changes.length) out.push({ ...base, version: (node as { version?: unknown }).version ?? base.version, changes });
  }
  return out;
}

/** dbt's UnversionedBreakingChange text. */
export function unversionedBreakingChangeMessage(b: ContractBreak): string {
  return `Breaking change to contracted, unversioned model ${b.name} (${b.file})\nWhile comparing to previous project state, dbt detected a breaking change to an unversioned model.\n  - ${b.changes.join('\n  - ')}\n`;
}

/** dbt's ContractBreakingChangeError text, for a versioned model (whose contract is its API: an error). */
export function contractBreakingChangeMessage(b: ContractBreak): string {
  return `Breaking Change to Contract Error in model ${b.name}.v${String(b.version)} (${b.file})\nWhile comparing to previous project state, dbt detected a breaking change to an enforced contract.\n  - ${b.changes.join('\n  - ')}\nConsider making an additive (non-breaking) change instead, if possible.\nOtherwise, create a new model version: https://docs.getdbt.com/docs/collaborate/govern/model-versions`;
}
