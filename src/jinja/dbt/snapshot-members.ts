// dbt-adapters' snapshot methods of `adapter` (BaseAdapter): `get_hard_deletes_behavior(config)`,
// which reads a snapshot's `hard_deletes` / legacy `invalidate_hard_deletes`, and
// `assert_valid_snapshot_target_given_strategy(relation, column_names, strategy)`
// (with `valid_snapshot_target`), which dbt's snapshot materialization calls before it merges
// into an existing table. Both are `@available.parse_none`: None while parsing.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { callArgs } from '../pylib/args/index.js';
import type { ApiColumn } from './api-column.js';

/** A config as templates pass it: the context's `config` object (`config.get`) or a dict (`model['config']`). */
function configValue(config: unknown, key: string): unknown {
  if (config === null || config === undefined) return undefined;
  const get = (config as { get?: unknown }).get;
  if (typeof get === 'function') return (get as (k: string) => unknown).call(config, key);
  return (config as Record<string, unknown>)[key];
}

const given = (value: unknown) => value !== null && value !== undefined;

/** dbt-adapters' BaseAdapter.get_hard_deletes_behavior: 'invalidate', 'new_record' or 'ignore'. */
export function hardDeletesBehavior(config: unknown): string {
  const invalidate = configValue(config, 'invalidate_hard_deletes');
  const hardDeletes = configValue(config, 'hard_deletes');
  if (given(invalidate) && given(hardDeletes)) {
    throw new TsdbtError('You cannot set both the invalidate_hard_deletes and hard_deletes config properties on the same snapshot.', {
      code: 'snapshot-config',
      hint: "keep hard_deletes ('ignore', 'invalidate' or 'new_record') and remove invalidate_hard_deletes",
    });
  }
  if (invalidate === true || hardDeletes === 'invalidate') return 'invalidate';
  if (hardDeletes === 'new_record') return 'new_record';
  if (!given(hardDeletes) || hardDeletes === 'ignore') return 'ignore';
  throw new TsdbtError('Invalid setting for property hard_deletes.', { code: 'snapshot-config', hint: "set hard_deletes to 'ignore', 'invalidate' or 'new_record'" });
}

/** dbt's SnapshotTimestampWarning (Q043): the snapshot's time and its updated_at differ in type. */
export function snapshotTimestampWarning(snapshotTimeType: string, updatedAtType: string): string {
  return `Data type of snapshot table timestamp columns (${snapshotTimeType}) doesn't match derived column 'updated_at' (${updatedAtType}). Please update snapshot config 'updated_at'.`;
}

/** dbt-adapters' SnapshotTargetNotSnapshotTableError. */
function notSnapshotTable(missing: string[]): TsdbtError {
  return new TsdbtError(
    `Snapshot target is missing configured columns (missing "${missing.join('", "')}"). See https://docs.getdbt.com/docs/build/snapshots#snapshot-meta-fields for more information.`,
    {
      code: 'snapshot-target-invalid',
      hint: 'the existing table was not built by this snapshot (or its snapshot_table_column_names changed): rename the snapshot, or move the old table away and run it again',
    },
  );
}

/** The column name `column_names` maps `column` to (dbt: `column_names[column] if column_names else column`). */
function desiredName(columnNames: unknown, column: string): unknown {
  if (!columnNames || typeof columnNames !== 'object' || Object.keys(columnNames).length === 0) return column;
  const value = configValue(columnNames, column);
  if (value === undefined) throw new TsdbtError(`KeyError: '${column}'`, { code: 'snapshot-config', hint: `snapshot_table_column_names lacks '${column}'` });
  return value;
}

/**
 * dbt-adapters' valid_snapshot_target and assert_valid_snapshot_target_given_strategy, over the
 * relation's columns (`columnsOf`, the adapter's get_columns_in_relation).
 */
export function assertValidSnapshotTarget(columns: readonly Pick<ApiColumn, 'name'>[], columnNames: unknown, strategy: unknown): void {
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  // dbt does not check dbt_updated_at or dbt_is_deleted here: they are not always present.
  const missing: string[] = [];
  for (const column of ['dbt_scd_id', 'dbt_valid_from', 'dbt_valid_to']) {
    const desired = desiredName(columnNames, column);
    if (desired && !names.has(String(desired).toLowerCase())) missing.push(String(desired));
  }
  if (missing.length > 0) throw notSnapshotTable(missing);
  if (configValue(strategy, 'hard_deletes') === 'new_record') {
    const desired = String(desiredName(columnNames, 'dbt_is_deleted'));
    // dbt compares this one as written, not lower-cased.
    if (!names.has(desired)) throw notSnapshotTable([desired]);
  }
}

export interface SnapshotMemberAccess {
  parse: boolean;
  /** The relation's columns (the warehouse question behind `adapter.get_columns_in_relation`). */
  columnsIn(relation: unknown): ApiColumn[];
}

/** The `adapter` members. */
export function snapshotMembers(access: SnapshotMemberAccess): Record<string, unknown> {
  return {
    get_hard_deletes_behavior: (...values: unknown[]) => (access.parse ? null : hardDeletesBehavior(callArgs(values, ['config']).config)),
    assert_valid_snapshot_target_given_strategy: (...values: unknown[]) => {
      if (access.parse) return null;
      const a = callArgs(values, ['relation', 'column_names', 'strategy']);
      assertValidSnapshotTarget(access.columnsIn(a.relation), a.column_names, a.strategy);
      return null;
    },
    valid_snapshot_target: (...values: unknown[]) => {
      if (access.parse) return null;
      const a = callArgs(values, ['relation', 'column_names']);
      assertValidSnapshotTarget(access.columnsIn(a.relation), a.column_names, null);
      return null;
    },
  };
}
