// dbt's two decisions about an incremental model, shared by the run (execution/node-executor.ts,
// which has looked the relation up already) and by renders that did not decide it (compile, show,
// docs: jinja/dbt/node-context.ts asks the warehouse only when the answer depends on it).
import type { ManifestNode } from './types.js';

/** dbt's should_full_refresh(): a model's `full_refresh` config wins over the --full-refresh flag. */
export function shouldFullRefresh(node: ManifestNode, flag: boolean): boolean {
  const configured = node.config.full_refresh;
  return configured === undefined || configured === null ? flag : configured === true;
}

/**
 * dbt's is_incremental(): an incremental model, not fully refreshed, whose relation exists as a
 * table; `existing` (the relation now, null when there is none) is asked last, only when it decides.
 */
export function isIncremental(node: ManifestNode, fullRefreshFlag: boolean, existing: () => { type: string | null } | null): boolean {
  return incrementalDependsOnExisting(node, fullRefreshFlag) && existing()?.type === 'table';
}

/** The materializations is_incremental() is true for: dbt's `incremental`, and dbt-clickhouse's override adds its `distributed_incremental`. */
const INCREMENTAL_MATERIALIZATIONS: ReadonlySet<unknown> = new Set(['incremental', 'distributed_incremental']);

/** Whether is_incremental() asks for the relation: an incremental model, not fully refreshed. */
export function incrementalDependsOnExisting(node: ManifestNode, fullRefreshFlag: boolean): boolean {
  return INCREMENTAL_MATERIALIZATIONS.has(node.config.materialized) && !shouldFullRefresh(node, fullRefreshFlag);
}
