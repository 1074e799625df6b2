// `materialized='table'`: create the new table beside the old one, then swap atomically.
import { buildAndSwap, type Materialization } from './materialization.js';

export const materializeTable: Materialization = (ctx) =>
  buildAndSwap(ctx, (staging) => ctx.adapter.sql.createTableAs(staging, ctx.compiledSql, ctx.node.config), 'table');
