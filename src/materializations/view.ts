// `materialized='view'`: create the new view beside the old relation, then swap atomically. An
// enforced contract is checked first (views take no constraints).
import { assertContract, contractEnforced } from './contract.js';
import { buildAndSwap, type Materialization } from './materialization.js';

export const materializeView: Materialization = async (ctx) => {
  if (contractEnforced(ctx.node)) await assertContract(ctx);
  const outcome = await buildAndSwap(ctx, (staging, tx) => ctx.blocks.createViewAs(tx, staging, ctx.compiledSql), 'view', { viewSql: ctx.compiledSql });
  return { response: { ...outcome.response, message: 'CREATE VIEW', code: 'CREATE VIEW' } };
};
