// `materialized='table'`: create the new table beside the old one, then swap atomically. With an
// enforced contract the SQL is checked first, and the table gets the declared types and constraints.
import { assertContract, contractEnforced, tableConstraint } from './contract.js';
import { buildAndSwap, indexNaming, type Materialization } from './materialization.js';
import { buildTriggerViewTarget } from './trigger-view-target.js';

export const materializeTable: Materialization = async (ctx) => {
  const { adapter, node } = ctx;
  // A table the project's materialized views write into (ClickHouse): kept, or refilled from them.
  const viewTarget = adapter.sql.triggerViews ? await buildTriggerViewTarget(ctx, adapter.sql.triggerViews) : null;
  if (viewTarget) return viewTarget;
  if (!contractEnforced(node)) return buildAndSwap(ctx, (staging, tx) => ctx.blocks.createTableAs(tx, staging, ctx.compiledSql), 'table');
  const columns = await assertContract(ctx);
  const constraints = (node.constraints ?? []).map((c) => tableConstraint(ctx, c));
  const naming = indexNaming(ctx);
  // A project's create_table_as builds the contracted table too (dbt-postgres's checks the contract
  // in it); tsdbt has checked the columns above and hands it the declared column list.
  if (ctx.blocks.replacesCreateTable()) {
    const contractColumns = adapter.sql.contractColumns(columns, constraints, naming);
    return buildAndSwap(ctx, (staging, tx) => ctx.blocks.createTableAs(tx, staging, ctx.compiledSql, { contractColumns }), 'table');
  }
  return buildAndSwap(
    ctx,
    (staging) => [
      ctx.blocks.headed(adapter.sql.createContractTable(staging, columns, constraints, naming)),
      adapter.sql.contractInsert(staging, columns, ctx.compiledSql),
    ],
    'table',
  );
};
