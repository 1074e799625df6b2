// on_schema_change for incremental models: compares the new batch's columns with the table's and
// ignores, fails on, appends, or fully syncs the difference (types included), returning the
// columns to insert.
import type { Adapter, ColumnInfo, ColumnTypeRules, Connection } from '../adapters/adapter.js';
import type { BuildingBlocks } from './building-blocks.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { columnsFromInfo } from '../jinja/dbt/api-column.js';

export type OnSchemaChange = 'ignore' | 'fail' | 'append_new_columns' | 'sync_all_columns';

export interface SchemaDiff {
  added: ColumnInfo[];
  removed: ColumnInfo[];
  changed: { column: string; from: string; to: string }[];
}

/**
 * The batch's columns the table lacks, the table's the batch lacks, and the columns whose type
 * changed. With the dialect's `types`, a string the table's column is wider than is no change
 * (dbt's diff_column_data_types: `sc.data_type != tc.data_type and not sc.can_expand_to(tc)`,
 * so `varchar(10)` rows go into a `text` column).
 */
export function diffColumns(target: ColumnInfo[], batch: ColumnInfo[], types?: ColumnTypeRules): SchemaDiff {
  const byName = new Map(target.map((c) => [c.name, c]));
  const batchNames = new Set(batch.map((c) => c.name));
  const fits = (from: ColumnInfo, to: ColumnInfo) => {
    if (!types) return false;
    const [b, t] = columnsFromInfo([from, to], types);
    return b !== undefined && t !== undefined && b.can_expand_to(t);
  };
  return {
    added: batch.filter((c) => !byName.has(c.name)),
    removed: target.filter((c) => !batchNames.has(c.name)),
    changed: batch.flatMap((c) => {
      const old = byName.get(c.name);
      return old && old.dataType !== c.dataType && !fits(c, old) ? [{ column: c.name, from: old.dataType, to: c.dataType }] : [];
    }),
  };
}

function describe(diff: SchemaDiff): string {
  return [
    diff.added.length ? `new columns: ${diff.added.map((c) => `${c.name} ${c.dataType}`).join(', ')}` : '',
    diff.removed.length ? `missing columns: ${diff.removed.map((c) => c.name).join(', ')}` : '',
    diff.changed.length ? `changed types: ${diff.changed.map((c) => `${c.column} ${c.from} -> ${c.to}`).join(', ')}` : '',
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * dbt's `adapter.expand_target_column_types(from_relation, to_relation)`, which the incremental and
 * snapshot materializations run once the new rows are staged: each of the target's string columns
 * narrower than the staged column of its name is widened to `Column.string_type(size)` of the
 * staged one (dbt-adapters' expand_column_types: `target.can_expand_to(reference)`), through a
 * project's `alter_column_type` when it replaced dbt's. So `varchar(10)` grows to `varchar(300)`
 * when longer values arrive, instead of the insert failing.
 */
export async function expandTargetColumnTypes(
  adapter: Adapter,
  conn: Connection,
  to: Relation,
  columns: { target: ColumnInfo[]; reference: ColumnInfo[] },
  nodeId: string,
  blocks?: BuildingBlocks,
): Promise<ColumnInfo[]> {
  const types = adapter.rules.columnTypes;
  const reference = new Map(columnsFromInfo(columns.reference, types).map((c) => [c.name.toLowerCase(), c]));
  const targets = columnsFromInfo(columns.target, types);
  const expanded: ColumnInfo[] = [];
  for (const [i, info] of columns.target.entries()) {
    const target = targets[i];
    const wider = reference.get(info.name.toLowerCase());
    if (!target || !wider || !target.can_expand_to(wider)) {
      expanded.push(info);
      continue;
    }
    const dataType = types.stringType(wider.string_size());
    if (!(await blocks?.alterColumnType(conn, to, info.name, dataType))) await conn.execute(adapter.sql.alterColumnType(to, info.name, dataType), { nodeId });
    expanded.push({ ...info, dataType });
  }
  return expanded;
}

/**
 * Widens the table's string columns to the batch's (expandTargetColumnTypes, as dbt's incremental
 * materialization does first, but for a model whose contract is enforced: `expandTypes` false keeps
 * the declared `varchar(10)`), then applies the policy (inside the caller's transaction) and
 * returns the columns to insert; through dbt's process_schema_changes macros where a project
 * replaces one of them (BuildingBlocks).
 */
export async function reconcileSchema(
  adapter: Adapter,
  conn: Connection,
  target: Relation,
  batch: Relation,
  policy: OnSchemaChange,
  nodeId: string,
  location: { file: string },
  blocks?: BuildingBlocks,
  expandTypes = true,
  declared: Readonly<Record<string, Readonly<Record<string, unknown>>>> = {},
): Promise<string[]> {
  // dbt reads both through adapter.get_columns_in_relation (a project's replacement applies).
  const columnsOf = (relation: Relation) => (blocks ? blocks.columnsIn(conn, relation) : adapter.getColumns(conn, relation));
  const found = await columnsOf(target);
  const batchColumns = await columnsOf(batch);
  const targetColumns = expandTypes ? await expandTargetColumnTypes(adapter, conn, target, { target: found, reference: batchColumns }, nodeId, blocks) : found;
  const replaced = await blocks?.processSchemaChanges(conn, policy, batch, target);
  if (replaced) return replaced;
  const diff = diffColumns(targetColumns, batchColumns, adapter.rules.columnTypes);
  const unchanged = !diff.added.length && !diff.removed.length && !diff.changed.length;
  const common = targetColumns.filter((c) => batchColumns.some((b) => b.name === c.name)).map((c) => c.name);
  if (unchanged || policy === 'ignore') return common;
  const conflicting = policy === 'fail' || (policy === 'append_new_columns' && adapter.capabilities.appendRefusesSyncChanges && (diff.removed.length > 0 || diff.changed.length > 0));
  if (conflicting) {
    // dbt's words (process_schema_changes' fail_msg; dbt-clickhouse's schema_change_fail_error).
    throw new TsdbtError(`The source and target schemas on this incremental model are out of sync: the new rows no longer match the table's columns (${describe(diff)})`, {
      code: 'incremental-schema-changed',
      nodeId,
      location,
      hint: "set on_schema_change to 'append_new_columns' or 'sync_all_columns', or run with --full-refresh",
    });
  }
  for (const c of diff.added) await conn.execute(adapter.sql.addColumn(target, c.name, c.dataType, declared[c.name]), { nodeId });
  if (policy === 'sync_all_columns') {
    for (const c of diff.removed) await conn.execute(adapter.sql.dropColumn(target, c.name), { nodeId });
    for (const c of diff.changed) {
      if (!(await blocks?.alterColumnType(conn, target, c.column, c.to))) await conn.execute(adapter.sql.alterColumnType(target, c.column, c.to), { nodeId });
    }
    return batchColumns.map((c) => c.name);
  }
  return [...common, ...diff.added.map((c) => c.name)];
}
