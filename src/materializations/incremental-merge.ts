// Applying a batch of new rows by merging on the unique_key, shared by the incremental
// materialization's `merge` strategy and microbatch batches on dialects that merge them
// (AdapterCapabilities.microbatchMergesOnUniqueKey): the duplicate-key check dbt-core#1556 asks
// for, dbt's get_merge_update_columns, and the MERGE (or upsert) statement.
import type { Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { MaterializationContext } from './materialization.js';

/**
 * The model's predicates as dbt's incremental materialization reads them: `predicates` (dbt's older
 * name) or `incremental_predicates`, a list; one string is one predicate (dbt would iterate its
 * characters).
 */
export function configuredPredicates(config: Record<string, unknown>): string[] {
  const value = config.predicates ?? config.incremental_predicates;
  return Array.isArray(value) ? value.map(String) : typeof value === 'string' && value !== '' ? [value] : [];
}

/** dbt-core#1556: a batch with duplicate keys makes MERGE fail with a database error; say which key. */
export async function assertUniqueBatch(ctx: MaterializationContext, batch: Relation, keys: string[]): Promise<void> {
  const { rows } = await ctx.conn.execute(ctx.adapter.sql.duplicateKeys(batch, keys, 1), { nodeId: ctx.node.unique_id });
  const sample = rows[0];
  if (!sample) return;
  const shown = keys.map((k) => `${k}=${JSON.stringify(sample[k])}`).join(', ');
  throw new TsdbtError(`the new rows of '${ctx.node.name}' repeat the unique_key (${keys.join(', ')}): ${shown} appears ${String(sample.n)} times`, {
    code: 'incremental-duplicate-key',
    nodeId: ctx.node.unique_id,
    location: { file: ctx.node.original_file_path },
    hint: 'deduplicate the new rows in the model (e.g. row_number() over (partition by the key)) or fix the unique_key',
  });
}

/** A `MERGE` of the batch into the target on the keys (an upsert where a unique index allows). */
export async function mergeStatement(ctx: MaterializationContext, tx: Connection, target: Relation, batch: Relation, keys: string[], columns: string[], predicates: string[]): Promise<string> {
  const { sql } = ctx.adapter;
  const updates = mergeUpdateColumns(ctx, columns);
  if (predicates.length === 0 && (await ctx.adapter.hasUniqueKey(tx, target, keys))) return sql.upsert(target, batch, keys, columns, updates);
  return sql.merge(target, batch, keys, columns, predicates, updates);
}

/**
 * The columns a merge updates on a match (dbt's get_merge_update_columns): `merge_update_columns`,
 * or every column but `merge_exclude_columns` (matched case-insensitively), or all of them.
 */
export function mergeUpdateColumns(ctx: Pick<MaterializationContext, 'node'>, columns: string[]): string[] {
  const list = (value: unknown): string[] | null => (Array.isArray(value) && value.length ? value.map(String) : null);
  const only = list(ctx.node.config.merge_update_columns);
  const except = list(ctx.node.config.merge_exclude_columns);
  if (only && except) {
    throw new TsdbtError('Model cannot specify merge_update_columns and merge_exclude_columns. Please update model to use only one config', {
      code: 'incremental-merge-columns',
      location: { file: ctx.node.original_file_path },
      hint: 'keep one of merge_update_columns (the columns to update) and merge_exclude_columns (the columns to leave alone)',
    });
  }
  if (only) return columns.filter((c) => only.some((o) => o.toLowerCase() === c.toLowerCase()));
  if (except) return columns.filter((c) => !except.some((e) => e.toLowerCase() === c.toLowerCase()));
  return columns;
}
