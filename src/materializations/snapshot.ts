// Snapshots (SCD type 2): the first run records every row as current; later runs close the current
// version of rows that changed (timestamp or check strategy), add their new versions and the new
// keys, and handle hard deletes (ignore / invalidate / new_record). Each run is one transaction
// holding a lock on the snapshot table, so overlapping runs never write duplicate current rows.
// "Now" is one literal from the invocation's clock, the same in every statement of the run (and on
// every node of a ClickHouse cluster: dbt-clickhouse#493). Where the warehouse cannot update rows in
// place (ClickHouse), a run builds the snapshot's next version as a new table and swaps it in.
import { diffColumns, expandTargetColumnTypes } from './incremental-schema.js';
import type { Relation } from '../adapters/relation.js';
import { grantStatements, persistDocsStatements, runHooks, stagingIdentifier, buildAndSwap, writeMain, type Materialization, type MaterializationContext } from './materialization.js';
import { snapshotConfig, withStrategy, type SnapshotConfig } from './snapshot-config.js';
import { keyColumnName } from './unique-key.js';
import { assertValidSnapshotTarget, snapshotTimestampWarning } from '../jinja/dbt/snapshot-members.js';

/** A hash of SQL expressions: the adapter's md5, or the project's `snapshot_hash_arguments`. */
type Hash = (expressions: string[]) => string;

function sql(ctx: MaterializationContext, cfg: SnapshotConfig, now: string, hash: Hash) {
  const builders = ctx.adapter.sql;
  const q = (name: string) => builders.quoteIdentifier(name);
  const m = cfg.meta;
  // Over the source's rows, unqualified and as written, as dbt's snapshot helpers use `strategy.updated_at`
  // (a column name, quoted or not, or an expression).
  // The check strategy takes updated_at too when configured (dbt: `config.get('updated_at') or snapshot_get_time()`).
  const updatedExpr = cfg.custom ? cfg.custom.updatedAt : (cfg.updatedAt ?? now);
  const updated = () => updatedExpr;
  // A key is a column name or, as dbt allows, an SQL expression (`id || '-' || name`). An
  // expression is evaluated once per table into a `__tsdbt_key_<n>` column (the staged source, the
  // snapshot's rows in `withKeys`), so joins compare columns and never evaluate it in a two-table scope.
  const columns = cfg.keys.map((key) => keyColumnName(builders, key));
  const isExpression = (i: number) => columns[i] === null || columns[i] === undefined;
  const keyColumn = (i: number) => `__tsdbt_key_${i + 1}`;
  /** The column that holds key `i` in the staged tables (and `withKeys`' rows). */
  const keyName = (i: number) => (isExpression(i) ? keyColumn(i) : q(columns[i] as string));
  const keyRef = (alias: string, i: number) => `${alias}.${keyName(i)}`;
  const keyRefs = (alias: string) => cfg.keys.map((_, i) => keyRef(alias, i));
  /** The expression keys' columns, for a SELECT over one table whose columns the keys name. */
  const keyColumns = cfg.keys.flatMap((key, i) => (isExpression(i) ? [`, (${key}) as ${keyColumn(i)}`] : [])).join('');
  /** A relation's rows (optionally filtered) with the expression keys' columns, aliased. */
  const withKeys = (relation: Relation, alias: string, where?: string) =>
    keyColumns || where ? `(select c.*${keyColumns} from ${relation.render()} c${where ? ` where ${where}` : ''}) ${alias}` : `${relation.render()} ${alias}`;
  /** scd ids from rows that hold the key columns, or (`source`) from the query's own rows. */
  // A custom strategy's scd_id is its own expression, staged with the source's rows (`__tsdbt_scd`).
  const scdId = (alias: string, updatedAt = updated(), source = false) =>
    cfg.custom
      ? source
        ? `(${cfg.custom.scdId})`
        : `${alias}.${CUSTOM_SCD}`
      : hash([...(source ? cfg.keys.map((k, i) => (isExpression(i) ? `(${k})` : keyRef(alias, i))) : keyRefs(alias)), updatedAt]);
  const deletedScdId = (alias: string) => hash([...keyRefs(alias), "'deleted'", now]);
  const validToCurrent = cfg.validToCurrent ?? builders.nullTimestamp();
  /**
   * A new version's open valid_to over rows whose updated_at is `updatedAt`: dbt's
   * get_dbt_valid_to_current, `coalesce(nullif(updated_at, updated_at), <dbt_valid_to_current or null>)`,
   * so the column takes updated_at's type (a `date` for a date updated_at, as dbt_valid_from has).
   */
  const openValidTo = (updatedAt: string) => `coalesce(nullif(${updatedAt}, ${updatedAt}), ${cfg.validToCurrent ?? 'null'})`;
  const isCurrent = (alias: string) => (cfg.validToCurrent ? `${alias}.${q(m.valid_to)} = ${cfg.validToCurrent}` : `${alias}.${q(m.valid_to)} is null`);
  const keysMatch = (a: string, b: string) => cfg.keys.map((_, i) => `${keyRef(a, i)} = ${keyRef(b, i)}`).join(' and ');
  /** Null-safe "differs" that every dialect understands (no IS DISTINCT FROM). */
  const differs = (a: string, b: string) => `(${a} <> ${b} or (${a} is null) <> (${b} is null))`;
  const deletedFlag = cfg.hardDeletes === 'new_record';
  return { q, m, now, updated, keyName, keyRef, keyRefs, keyColumns, withKeys, scdId, deletedScdId, validToCurrent, openValidTo, isCurrent, keysMatch, differs, deletedFlag };
}

/** The columns the staged source holds beside the query's own. */
const STAGED_ONLY = /^__tsdbt_(updated|scd|key_\d+)$/;
/** A custom strategy's scd id of the source's row, staged with it. */
const CUSTOM_SCD = '__tsdbt_scd';
/** The scd id of the current version a change closes, kept in the changes table. */
const CLOSED_SCD = '__tsdbt_closed_scd';

/** The first build: every source row, current, with the snapshot's meta columns. */
function initialSelect(ctx: MaterializationContext, cfg: SnapshotConfig, now: string, hash: Hash): string {
  const s = sql(ctx, cfg, now, hash);
  return [
    'select src.*,',
    `    ${s.scdId('src', s.updated(), true)} as ${s.q(s.m.scd_id)},`,
    `    ${s.updated()} as ${s.q(s.m.updated_at)},`,
    `    ${s.updated()} as ${s.q(s.m.valid_from)},`,
    // dbt's get_dbt_valid_to_current: updated_at's null, so the column takes updated_at's type (a timestamp for `date('9999-12-31')`, a date for a date updated_at).
    `    ${s.openValidTo(s.updated())} as ${s.q(s.m.valid_to)}${s.deletedFlag ? ',' : ''}`,
    ...(s.deletedFlag ? [`    'False' as ${s.q(s.m.is_deleted)}`] : []),
    `from (\n${ctx.compiledSql}\n) src`,
  ].join('\n');
}

/**
 * dbt's check_time_data_types, on every run: a warning when the snapshot's time and the query's
 * updated_at (the timestamp or a custom strategy's) differ in type, as `timestamp` and `timestamptz`.
 */
async function checkTimeDataTypes(ctx: MaterializationContext, s: Snap): Promise<void> {
  if (!ctx.warn || s.updated() === s.now) return;
  const [time, updatedAt] = await ctx.adapter.describeQuery(ctx.conn, `select ${s.now} as snapshot_get_time, ${s.updated()} as dbt_updated_at from (\n${ctx.compiledSql}\n) src`);
  if (time && updatedAt && time.dataType !== updatedAt.dataType) ctx.warn(snapshotTimestampWarning(time.dataType, updatedAt.dataType));
}

export const materializeSnapshot: Materialization = async (ctx) => {
  // dbt's strategy_dispatch: a custom strategy (or a replaced built-in one) is its macro's SQL.
  const targetExists = ctx.existing?.type === 'table';
  const base = snapshotConfig(ctx.node);
  const cfg = withStrategy(ctx.node, base, await ctx.blocks.snapshotStrategy(ctx.conn, base.strategy, { snapshotted: 't', current: 's', targetExists }));
  // dbt's snapshot_get_time() and snapshot_hash_arguments(args), when a project replaced them.
  const now = (await ctx.blocks.snapshotTime(ctx.conn)) ?? ctx.adapter.sql.timestamp(ctx.now?.() ?? new Date());
  const hash: Hash = (await ctx.blocks.hashArguments(ctx.conn, [cfg.keys.length + 1, cfg.keys.length + 2])) ?? ((e) => ctx.adapter.sql.hashOf(e));
  await checkTimeDataTypes(ctx, sql(ctx, cfg, now, hash));
  if (!ctx.existing || ctx.existing.type !== 'table') return buildAndSwap(ctx, (staging, tx) => ctx.blocks.createTableAs(tx, staging, initialSelect(ctx, cfg, now, hash)), 'table');
  if (!ctx.adapter.capabilities.updateInPlace) return rebuildSnapshot(ctx, cfg, now, hash);
  const { adapter, conn, node, hooks } = ctx;
  const s = sql(ctx, cfg, now, hash);
  const id = node.unique_id;
  const target = ctx.relation.with({ type: 'table' });
  // A project's snapshot_merge_sql applies dbt's staging table instead of tsdbt's statements.
  const throughProject = cfg.hardDeletes !== 'new_record' && ctx.blocks.replacesSnapshotMerge();
  const rel = await stagingRelations(ctx, target, throughProject);
  const { stage, changes } = rel;
  await runHooks(conn, hooks.beforeTransaction, id);
  const response = await conn.transaction(async (tx) => {
    const run = (statement: string) => tx.execute(statement, { nodeId: id });
    await adapter.lockRelation(tx, target);
    await runHooks(tx, hooks.preInTransaction, id);
    const { sourceColumns, targetColumns } = await prepareChanges(ctx, cfg, s, run, tx, rel);
    if (throughProject) {
      const affected = await mergeThroughProject(ctx, cfg, s, run, tx, rel, { sourceColumns, targetColumns });
      await run(adapter.sql.dropRelation(changes, 'table'));
      await run(adapter.sql.dropRelation(stage, 'table'));
      await runHooks(tx, [...grantStatements(ctx, target, false), ...persistDocsStatements(ctx, target)], id);
      await runHooks(tx, hooks.postInTransaction, id);
      return adapter.rules.insertedRows(affected);
    }
    // dbt's main statement is snapshot_merge_sql (dbt-postgres: its update, then its insert): these statements are target/run's text.
    const merge: string[] = [];
    const mergeStep = (statement: string) => {
      merge.push(statement);
      writeMain(ctx, merge);
      return run(statement);
    };
    // Close the current version of every changed row.
    await mergeStep(
      `update ${target.render()} as t set ${s.q(s.m.valid_to)} = c.__tsdbt_updated\nfrom ${changes.render()} c\nwhere t.${s.q(s.m.scd_id)} = c.${CLOSED_SCD} and c.__tsdbt_change = 'update' and ${s.isCurrent('t')}`,
    );
    const metaColumns = [s.m.scd_id, s.m.updated_at, s.m.valid_from, s.m.valid_to, ...(s.deletedFlag ? [s.m.is_deleted] : [])];
    const insertColumns = [...sourceColumns, ...metaColumns].map(s.q).join(', ');
    const newVersionValues = (alias: string) =>
      [...sourceColumns.map((c) => `${alias}.${s.q(c)}`), s.scdId(alias, `${alias}.__tsdbt_updated`), `${alias}.__tsdbt_updated`, `${alias}.__tsdbt_updated`, s.validToCurrent, ...(s.deletedFlag ? ["'False'"] : [])].join(', ');
    const inserted = await mergeStep(`insert into ${target.render()} (${insertColumns})\nselect ${newVersionValues('c')}\nfrom ${changes.render()} c`);
    let affected = inserted.response.rowsAffected ?? 0;
    if (cfg.hardDeletes !== 'ignore') {
      // The current versions whose key left the source (with new_record, not already a deletion).
      const open = (alias: string) => `${s.isCurrent(alias)}${s.deletedFlag ? ` and ${alias}.${s.q(s.m.is_deleted)} = 'False'` : ''}`;
      const gone = `select t.* from ${s.withKeys(target, 't')} where ${open('t')} and not exists (select 1 from ${stage.render()} s where ${s.keysMatch('s', 't')})`;
      if (s.deletedFlag) {
        const deletedValues = [...sourceColumns.map((c) => `g.${s.q(c)}`), s.deletedScdId('g'), now, now, s.validToCurrent, "'True'"].join(', ');
        const marked = await mergeStep(`insert into ${target.render()} (${insertColumns})\nselect ${deletedValues}\nfrom (${gone}) g`);
        affected += marked.response.rowsAffected ?? 0;
      }
      await mergeStep(`update ${target.render()} as t set ${s.q(s.m.valid_to)} = ${now}\nwhere ${open('t')} and t.${s.q(s.m.scd_id)} in (select g.${s.q(s.m.scd_id)} from (${gone}) g)`);
    }
    await run(adapter.sql.dropRelation(changes, 'table'));
    await run(adapter.sql.dropRelation(stage, 'table'));
    // dbt's snapshot materialization persists the docs on every run, not only the first.
    await runHooks(tx, [...grantStatements(ctx, target, false), ...persistDocsStatements(ctx, target)], id);
    await runHooks(tx, hooks.postInTransaction, id);
    return adapter.rules.insertedRows(affected);
  });
  await runHooks(conn, hooks.afterTransaction, id);
  return { response };
};

/**
 * The tables a later snapshot run stages in. dbt's snapshot staging table
 * (build_snapshot_staging_table: `create_table_as(True, make_temp_relation(target), ...)`) is, on
 * an adapter whose make_temp_relation makes a table of the session (dbt-postgres), the table the
 * snapshot's query runs into (`stage`), or with a project's snapshot_merge_sql the staging table
 * that macro reads (`staging`); tsdbt's other tables (the changes) are tables of the session there
 * too, named as dbt-postgres names them with tsdbt's suffixes. Elsewhere (ClickHouse) they are
 * permanent tables beside the snapshot, as dbt-clickhouse's staging table is.
 */
async function stagingRelations(ctx: MaterializationContext, target: Relation, throughProject: boolean): Promise<Staging> {
  const at = ctx.now?.() ?? new Date();
  const made = await ctx.blocks.tempRelation(ctx.conn, target, at);
  const own = (suffix: string) =>
    made ? (ctx.adapter.sql.tempRelation?.(target, suffix, at) ?? made) : target.with({ identifier: stagingIdentifier(target.identifier, suffix) });
  const permanent = target.with({ identifier: stagingIdentifier(target.identifier) });
  return {
    target,
    temporary: made !== null,
    stage: made && !throughProject ? made : own('__tsdbt_snap'),
    changes: own('__tsdbt_chg'),
    staging: made ?? permanent,
  };
}

/** A later snapshot run's relations (stagingRelations); `temporary`: the staging ones are tables of the session. */
interface Staging {
  target: Relation;
  temporary: boolean;
  stage: Relation;
  changes: Relation;
  staging: Relation;
}

/**
 * dbt's snapshot staging table, built from tsdbt's changes: the new versions (`insert`), the
 * current versions they close (`update`, valid_to the change's time) and, with hard_deletes
 * invalidate, the current versions of deleted keys (`delete`), passed to the project's
 * snapshot_merge_sql with the snapshot's quoted columns. Returns the number of new versions.
 */
async function mergeThroughProject(ctx: MaterializationContext, cfg: SnapshotConfig, s: Snap, run: Run, conn: MaterializationContext['conn'], rel: Staging, columns: { sourceColumns: string[]; targetColumns: string[] }): Promise<number> {
  const { sourceColumns } = columns;
  const { adapter } = ctx;
  const { target, stage, changes, staging } = rel;
  const { q, m } = s;
  const source = (alias: string) => sourceColumns.map((c) => `${alias}.${q(c)} as ${q(c)}`).join(', ');
  const kept = (alias: string) => [m.scd_id, m.updated_at, m.valid_from].map((c) => `${alias}.${q(c)} as ${q(c)}`).join(', ');
  const parts = [
    `select ${source('c')}, ${s.scdId('c', 'c.__tsdbt_updated')} as ${q(m.scd_id)}, c.__tsdbt_updated as ${q(m.updated_at)}, c.__tsdbt_updated as ${q(m.valid_from)}, ${s.openValidTo('c.__tsdbt_updated')} as ${q(m.valid_to)}, 'insert' as dbt_change_type\nfrom ${changes.render()} c`,
    `select ${source('c')}, ${kept('t')}, c.__tsdbt_updated as ${q(m.valid_to)}, 'update' as dbt_change_type\nfrom ${changes.render()} c\njoin ${target.render()} t on t.${q(m.scd_id)} = c.${CLOSED_SCD} and ${s.isCurrent('t')}\nwhere c.__tsdbt_change = 'update'`,
  ];
  if (cfg.hardDeletes === 'invalidate') {
    parts.push(`select ${source('t')}, ${kept('t')}, ${s.now} as ${q(m.valid_to)}, 'delete' as dbt_change_type\nfrom ${s.withKeys(target, 't')}\nwhere ${s.isCurrent('t')} and not exists (select 1 from ${stage.render()} g where ${s.keysMatch('g', 't')})`);
  }
  const select = parts.join('\nunion all\n');
  if (rel.temporary) await run(await ctx.blocks.createTableAs(conn, staging, select, { temporary: true, config: {} }));
  else {
    await run(adapter.sql.dropRelation(staging, 'table'));
    await run(adapter.sql.createTableAs(staging, select, {}));
  }
  const insertColumns = columns.targetColumns.map(q);
  await run(await ctx.blocks.snapshotMergeSql(conn, target, staging, insertColumns));
  const { rows } = await conn.execute(adapter.queries.countRows(changes), { nodeId: ctx.node.unique_id });
  await run(adapter.sql.dropRelation(staging, 'table'));
  return Number(rows[0]?.n ?? 0);
}

type Snap = ReturnType<typeof sql>;
type Run = (statement: string) => Promise<unknown>;

/**
 * Stages the source (with its `__tsdbt_updated`) and the rows that need a new version: new keys
 * (`insert`), changed rows and keys that come back after a delete (`update`), after adding the
 * source's new columns to the snapshot table. Returns the source's columns and the table's.
 */
async function prepareChanges(ctx: MaterializationContext, cfg: SnapshotConfig, s: Snap, run: Run, conn: MaterializationContext['conn'], rel: Staging): Promise<{ sourceColumns: string[]; targetColumns: string[] }> {
  const { adapter } = ctx;
  const { target, stage, changes } = rel;
  const found = await ctx.blocks.columnsIn(conn, target);
  // dbt's assert_valid_snapshot_target_given_strategy: the table has the configured meta columns.
  const { m } = s;
  assertValidSnapshotTarget(found, { dbt_scd_id: m.scd_id, dbt_valid_from: m.valid_from, dbt_valid_to: m.valid_to, dbt_is_deleted: m.is_deleted }, { hard_deletes: cfg.hardDeletes });
  const { temporary } = rel;
  // A session's temporary table is new: a name without schema must not reach a permanent table on the search_path.
  if (!temporary) {
    await run(adapter.sql.dropRelation(stage, 'table'));
    await run(adapter.sql.dropRelation(changes, 'table'));
  }
  // The snapshot's query runs here: its sql_header goes in front, as dbt's staging create_table_as
  // sends it; dbt's make_temp_relation table is made by dbt's create_table_as(True, ...).
  const customScd = cfg.custom ? `, ${s.scdId('src', s.updated(), true)} as ${CUSTOM_SCD}` : '';
  const staged = `select src.*, ${s.updated()} as __tsdbt_updated${customScd}${s.keyColumns} from (\n${ctx.compiledSql}\n) src`;
  await run(stage === rel.staging ? await ctx.blocks.createTableAs(conn, stage, staged, { temporary: true, config: {} }) : ctx.blocks.headed(adapter.sql.createTableAs(stage, staged, {}, { temporary })));
  const stageColumns = (await ctx.blocks.columnsIn(conn, stage)).filter((c) => !STAGED_ONLY.test(c.name));
  // dbt's snapshot materialization widens the table's string columns to the staged rows' first.
  const existing = await expandTargetColumnTypes(adapter, conn, target, { target: found, reference: stageColumns }, ctx.node.unique_id, ctx.blocks);
  const sourceColumns = stageColumns.map((c) => c.name);
  // A column the source gained is added to the snapshot table (dbt's get_missing_columns and
  // create_columns); the versions recorded before it read null there.
  const { added } = diffColumns(existing, stageColumns);
  for (const column of added) await run(adapter.sql.addColumn(target, column.name, column.dataType));
  const keyColumns = cfg.keys.map((key) => keyColumnName(adapter.sql, key));
  // dbt's snapshot_check_all_get_existing_columns: a checked column is the query's column of that
  // name in the warehouse's casing, and one the snapshot table lacked until now (column_added)
  // marks every current row changed.
  const queryColumn = (name: string) => {
    const bare = name.replace(/^"(.*)"$/, '$1');
    return sourceColumns.find((c) => c === bare) ?? sourceColumns.find((c) => c.toLowerCase() === bare.toLowerCase()) ?? bare;
  };
  const checked = cfg.strategy === 'check' ? (cfg.checkCols === 'all' ? sourceColumns.filter((c) => !keyColumns.includes(c)) : cfg.checkCols.map(queryColumn)) : [];
  const columnAdded = checked.some((c) => added.some((a) => a.name === c));
  const changed = cfg.custom
    ? `(${cfg.custom.rowChanged})`
    : columnAdded
      ? '1 = 1'
      : cfg.strategy === 'timestamp'
      ? `s.__tsdbt_updated > t.${s.q(s.m.updated_at)}`
      : checked.map((c) => s.differs(`s.${s.q(c)}`, `t.${s.q(c)}`)).join(' or ') || '1 = 0';
  const reappeared = s.deletedFlag ? ` or t.${s.q(s.m.is_deleted)} = 'True'` : '';
  const firstKey = s.keyRef('t', 0);
  await run(
    adapter.sql.createTableAs(
      changes,
      [
        `select s.*, case when ${firstKey} is null then 'insert' else 'update' end as __tsdbt_change, t.${s.q(s.m.scd_id)} as ${CLOSED_SCD}`,
        `from ${stage.render()} s`,
        `left join (select c.*${s.keyColumns} from ${target.render()} c where ${s.isCurrent('c')}) t on ${s.keysMatch('t', 's')}`,
        `where ${firstKey} is null or ${changed}${reappeared}`,
      ].join('\n'),
      {},
      { temporary },
    ),
  );
  return { sourceColumns, targetColumns: [...existing.map((c) => c.name), ...added.map((c) => c.name)] };
}

/**
 * Without in-place updates (ClickHouse): the next version of the whole snapshot is one SELECT —
 * the existing rows with closed versions' valid_to set, the new versions, and (new_record) the
 * deletion markers — built beside the table and swapped in (EXCHANGE TABLES).
 */
async function rebuildSnapshot(ctx: MaterializationContext, cfg: SnapshotConfig, now: string, hash: Hash) {
  const { adapter, conn, node } = ctx;
  const s = sql(ctx, cfg, now, hash);
  const target = ctx.relation.with({ type: 'table' });
  const rel = await stagingRelations(ctx, target, false);
  const { stage, changes } = rel;
  const run = (statement: string) => conn.execute(statement, { nodeId: node.unique_id });
  await adapter.lockRelation(conn, target);
  const { sourceColumns, targetColumns } = await prepareChanges(ctx, cfg, s, run, conn, rel);
  const m = s.m;
  const keyList = cfg.keys.map((_, i) => s.keyName(i)).join(', ');
  const open = (alias: string) => `${s.isCurrent(alias)}${s.deletedFlag ? ` and ${alias}.${s.q(m.is_deleted)} = 'False'` : ''}`;
  const gone = cfg.hardDeletes === 'ignore' ? null : `${s.keyRef('g', 0)} is null`;
  // Existing rows: a current version whose key changed or disappeared gets its valid_to.
  const closedValidTo = [
    `case when ${s.isCurrent('t')} and ${s.keyRef('u', 0)} is not null then u.__tsdbt_updated`,
    ...(gone ? [`     when ${open('t')} and ${gone} then ${now}`] : []),
    `     else t.${s.q(m.valid_to)} end`,
  ].join('\n');
  const existing = [
    // Every column aliased: ClickHouse names an unaliased `t.key` of a join "t.key".
    `select ${targetColumns.map((c) => `${c === m.valid_to ? closedValidTo : `t.${s.q(c)}`} as ${s.q(c)}`).join(', ')}`,
    `from ${s.withKeys(target, 't')}`,
    `left join (select ${keyList}, __tsdbt_updated from ${changes.render()} where __tsdbt_change = 'update') u on ${s.keysMatch('t', 'u')}`,
    ...(gone ? [`left join (select distinct ${keyList} from ${stage.render()}) g on ${s.keysMatch('t', 'g')}`] : []),
  ].join('\n');
  const metaValues = (alias: string): Record<string, string> => ({
    [m.scd_id]: s.scdId(alias, `${alias}.__tsdbt_updated`),
    [m.updated_at]: `${alias}.__tsdbt_updated`,
    [m.valid_from]: `${alias}.__tsdbt_updated`,
    // Typed as the initial build typed it (updated_at's type), so the union keeps the column's type.
    [m.valid_to]: s.openValidTo(`${alias}.__tsdbt_updated`),
    ...(s.deletedFlag ? { [m.is_deleted]: "'False'" } : {}),
  });
  const pick = (alias: string, meta: Record<string, string>) =>
    targetColumns.map((c) => `${meta[c] ?? (sourceColumns.includes(c) ? `${alias}.${s.q(c)}` : 'null')} as ${s.q(c)}`).join(', ');
  const parts = [existing, `select ${pick('c', metaValues('c'))}\nfrom ${changes.render()} c`];
  if (s.deletedFlag) {
    const marker = { [m.scd_id]: s.deletedScdId('t'), [m.updated_at]: now, [m.valid_from]: now, [m.valid_to]: s.validToCurrent, [m.is_deleted]: "'True'" };
    parts.push(
      [`select ${pick('t', marker)}`, `from ${s.withKeys(target, 't')}`, `left join (select distinct ${keyList} from ${stage.render()}) g on ${s.keysMatch('t', 'g')}`, `where ${open('t')} and ${s.keyRef('g', 0)} is null`].join('\n'),
    );
  }
  const outcome = await buildAndSwap(ctx, (staging, tx) => ctx.blocks.createTableAs(tx, staging, parts.join('\nunion all\n')), 'table');
  await run(adapter.sql.dropRelation(changes, 'table'));
  await run(adapter.sql.dropRelation(stage, 'table'));
  return outcome;
}
