// Snapshots (SCD type 2): the first run records every row as current; later runs close the current
// version of rows that changed (timestamp or check strategy), add their new versions and the new
// keys, and handle hard deletes (ignore / invalidate / new_record). Each run is one transaction
// holding a lock on the snapshot table, so overlapping runs never write duplicate current rows.
import { runHooks, stagingIdentifier, buildAndSwap, type Materialization, type MaterializationContext } from './materialization.js';
import { snapshotConfig, type SnapshotConfig } from './snapshot-config.js';

const NOW = 'cast(current_timestamp as timestamp)';

function sql(ctx: MaterializationContext, cfg: SnapshotConfig) {
  const q = (name: string) => ctx.adapter.sql.quoteIdentifier(name);
  const m = cfg.meta;
  const updated = (alias: string) => (cfg.strategy === 'timestamp' ? `${alias}.${q(cfg.updatedAt as string)}` : NOW);
  const keyText = (alias: string) => cfg.keys.map((k) => `coalesce(cast(${alias}.${q(k)} as varchar), '')`).join(` || '|' || `);
  const scdId = (alias: string, updatedExpr = updated(alias)) => `md5(${keyText(alias)} || '|' || coalesce(cast(${updatedExpr} as varchar), ''))`;
  const validToCurrent = cfg.validToCurrent ?? 'cast(null as timestamp)';
  const isCurrent = (alias: string) => (cfg.validToCurrent ? `${alias}.${q(m.valid_to)} = ${cfg.validToCurrent}` : `${alias}.${q(m.valid_to)} is null`);
  const keysMatch = (a: string, b: string) => cfg.keys.map((k) => `${a}.${q(k)} = ${b}.${q(k)}`).join(' and ');
  const deletedFlag = cfg.hardDeletes === 'new_record';
  return { q, m, updated, scdId, validToCurrent, isCurrent, keysMatch, deletedFlag };
}

/** The first build: every source row, current, with the snapshot's meta columns. */
function initialSelect(ctx: MaterializationContext, cfg: SnapshotConfig): string {
  const s = sql(ctx, cfg);
  return [
    'select src.*,',
    `    ${s.scdId('src')} as ${s.q(s.m.scd_id)},`,
    `    ${s.updated('src')} as ${s.q(s.m.updated_at)},`,
    `    ${s.updated('src')} as ${s.q(s.m.valid_from)},`,
    `    ${s.validToCurrent} as ${s.q(s.m.valid_to)}${s.deletedFlag ? ',' : ''}`,
    ...(s.deletedFlag ? [`    'False' as ${s.q(s.m.is_deleted)}`] : []),
    `from (\n${ctx.compiledSql}\n) src`,
  ].join('\n');
}

export const materializeSnapshot: Materialization = async (ctx) => {
  const cfg = snapshotConfig(ctx.node);
  if (!ctx.existing || ctx.existing.type !== 'table') return buildAndSwap(ctx, (staging) => ctx.adapter.sql.createTableAs(staging, initialSelect(ctx, cfg), ctx.node.config), 'table');
  const { adapter, conn, node, hooks } = ctx;
  const s = sql(ctx, cfg);
  const id = node.unique_id;
  const target = ctx.relation.with({ type: 'table' });
  const stage = ctx.relation.with({ identifier: stagingIdentifier(ctx.relation.identifier, '__tsdbt_snap'), type: 'table' });
  const changes = ctx.relation.with({ identifier: stagingIdentifier(ctx.relation.identifier, '__tsdbt_chg'), type: 'table' });
  await runHooks(conn, hooks.beforeTransaction, id);
  const response = await conn.transaction(async (tx) => {
    const run = (statement: string) => tx.execute(statement, { nodeId: id });
    await adapter.lockRelation(tx, target);
    await runHooks(tx, hooks.preInTransaction, id);
    await run(adapter.sql.dropRelation(stage, 'table'));
    await run(adapter.sql.dropRelation(changes, 'table'));
    await run(adapter.sql.createTableAs(stage, `select src.*, ${s.updated('src')} as __tsdbt_updated from (\n${ctx.compiledSql}\n) src`, {}));
    const sourceColumns = (await adapter.getColumns(tx, stage)).map((c) => c.name).filter((c) => c !== '__tsdbt_updated');
    const checked = cfg.strategy === 'check' ? (cfg.checkCols === 'all' ? sourceColumns.filter((c) => !cfg.keys.includes(c)) : cfg.checkCols) : [];
    const changed =
      cfg.strategy === 'timestamp'
        ? `s.__tsdbt_updated > t.${s.q(s.m.updated_at)}`
        : checked.map((c) => `s.${s.q(c)} is distinct from t.${s.q(c)}`).join(' or ') || 'false';
    const reappeared = s.deletedFlag ? ` or t.${s.q(s.m.is_deleted)} = 'True'` : '';
    const firstKey = s.q(cfg.keys[0] as string);
    await run(
      adapter.sql.createTableAs(
        changes,
        [
          `select s.*, case when t.${firstKey} is null then 'insert' else 'update' end as __tsdbt_change`,
          `from ${stage.render()} s`,
          `left join (select * from ${target.render()} c where ${s.isCurrent('c')}) t on ${s.keysMatch('t', 's')}`,
          `where t.${firstKey} is null or ${changed}${reappeared}`,
        ].join('\n'),
        {},
      ),
    );
    // Close the current version of every changed row.
    await run(
      `update ${target.render()} as t set ${s.q(s.m.valid_to)} = c.__tsdbt_updated\nfrom ${changes.render()} c\nwhere ${s.keysMatch('t', 'c')} and c.__tsdbt_change = 'update' and ${s.isCurrent('t')}`,
    );
    const metaColumns = [s.m.scd_id, s.m.updated_at, s.m.valid_from, s.m.valid_to, ...(s.deletedFlag ? [s.m.is_deleted] : [])];
    const insertColumns = [...sourceColumns, ...metaColumns].map(s.q).join(', ');
    const newVersionValues = (alias: string) =>
      [...sourceColumns.map((c) => `${alias}.${s.q(c)}`), s.scdId(alias, `${alias}.__tsdbt_updated`), `${alias}.__tsdbt_updated`, `${alias}.__tsdbt_updated`, s.validToCurrent, ...(s.deletedFlag ? ["'False'"] : [])].join(', ');
    const inserted = await run(`insert into ${target.render()} (${insertColumns})\nselect ${newVersionValues('c')}\nfrom ${changes.render()} c`);
    let affected = inserted.response.rowsAffected ?? 0;
    if (cfg.hardDeletes !== 'ignore') {
      const gone = `select t.* from ${target.render()} t where ${s.isCurrent('t')}${s.deletedFlag ? ` and t.${s.q(s.m.is_deleted)} = 'False'` : ''} and not exists (select 1 from ${stage.render()} s where ${s.keysMatch('s', 't')})`;
      if (s.deletedFlag) {
        const deletedValues = [...sourceColumns.map((c) => `g.${s.q(c)}`), `md5(${cfg.keys.map((k) => `coalesce(cast(g.${s.q(k)} as varchar), '')`).join(` || '|' || `)} || '|deleted|' || cast(${NOW} as varchar))`, NOW, NOW, s.validToCurrent, "'True'"].join(', ');
        const marked = await run(`insert into ${target.render()} (${insertColumns})\nselect ${deletedValues}\nfrom (${gone}) g`);
        affected += marked.response.rowsAffected ?? 0;
        await run(`update ${target.render()} as t set ${s.q(s.m.valid_to)} = ${NOW}\nwhere ${s.isCurrent('t')} and t.${s.q(s.m.is_deleted)} = 'False' and not exists (select 1 from ${stage.render()} s where ${s.keysMatch('s', 't')})`);
      } else {
        await run(`update ${target.render()} as t set ${s.q(s.m.valid_to)} = ${NOW}\nwhere ${s.isCurrent('t')} and not exists (select 1 from ${stage.render()} s where ${s.keysMatch('s', 't')})`);
      }
    }
    await run(adapter.sql.dropRelation(changes, 'table'));
    await run(adapter.sql.dropRelation(stage, 'table'));
    await runHooks(tx, hooks.postInTransaction, id);
    return { message: `INSERT ${affected}`, code: 'INSERT', rowsAffected: affected };
  });
  await runHooks(conn, hooks.afterTransaction, id);
  return { response };
};

