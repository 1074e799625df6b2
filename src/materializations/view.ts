// `materialized='view'`: create the new view beside the old relation, then swap atomically.
import { buildAndSwap, type Materialization } from './materialization.js';

export const materializeView: Materialization = async (ctx) => {
  const outcome = await buildAndSwap(ctx, (staging) => ctx.adapter.sql.createView(staging, ctx.compiledSql), 'view');
  return { response: { ...outcome.response, message: 'CREATE VIEW', code: 'CREATE VIEW' } };
};
