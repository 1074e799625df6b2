// `materialized='dictionary'` (dbt-clickhouse): the model is a ClickHouse dictionary over its SELECT
// (or a table, or a URL), built with the adapter's `SqlBuilders.dictionaries`. A dictionary of that
// name is replaced in one statement (CREATE OR REPLACE); another kind of relation there is replaced
// by a dictionary built beside it under a staging name and swapped in, so a failed build leaves it.
// Targets without dictionaries fail the node with a hint.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { grantStatements, persistDocsStatements, runHooks, stagingIdentifier, type Materialization } from './materialization.js';

export const materializeDictionary: Materialization = async (ctx) => {
  const { adapter, conn, node, hooks } = ctx;
  const nodeId = node.unique_id;
  const dictionaries = adapter.sql.dictionaries;
  if (!dictionaries) {
    throw new TsdbtError(`model ${node.name} is materialized as dictionary, which only ClickHouse has`, {
      code: 'materialization-unsupported',
      location: { file: node.original_file_path },
      hint: "use materialized='table' for this target",
    });
  }
  const target = ctx.relation.with({ type: 'dictionary' });
  const inPlace = !ctx.existing || ctx.existing.type === 'dictionary';
  const built = inPlace ? target : target.with({ identifier: stagingIdentifier(target.identifier) });
  let create: string;
  try {
    create = dictionaries.create(built, ctx.compiledSql, node.config);
  } catch (err) {
    if (err instanceof TsdbtError && !err.location) throw new TsdbtError(err.message, { code: err.code, hint: err.hint, location: { file: node.original_file_path } });
    throw err;
  }
  await runHooks(conn, [...hooks.beforeTransaction, ...hooks.preInTransaction], nodeId);
  if (!inPlace) await conn.execute(adapter.sql.dropRelation(built, 'dictionary'), { nodeId });
  const { response } = await conn.execute(create, { nodeId });
  if (!inPlace) await adapter.replaceRelation(conn, built, target, ctx.existing);
  await runHooks(conn, [...grantStatements(ctx, target, true), ...persistDocsStatements(ctx, target), ...hooks.postInTransaction, ...hooks.afterTransaction], nodeId);
  return { response };
};
