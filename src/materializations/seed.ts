// `tsdbt seed`: create the table from the CSV's inferred (or configured) column types and bulk-load
// the rows (COPY on PostgreSQL) into a staging table, then swap it in atomically. `--full-refresh`
// and a changed header both rebuild; otherwise the same atomic swap keeps readers safe.
import type { LoadColumn } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { persistDocsStatements, runHooks, stagingIdentifier, type Materialization } from './materialization.js';
import { inferSeedColumns, readSeedRows } from './seed-csv.js';

export const materializeSeed: Materialization = async (ctx) => {
  const { node, adapter, conn, hooks } = ctx;
  const file = node.seed_file;
  if (!file) throw new TsdbtError(`seed ${node.name} has no CSV file`, { code: 'seed-missing', category: 'internal' });
  const inferred = node.seed_columns ?? (await inferSeedColumns(file, node.original_file_path));
  // A column_types entry for a column this CSV does not have is ignored, as dbt does: projects set
  // types for a folder of seeds at once (agate's type tester only warns about such a name).
  const overrides = (node.config.column_types ?? {}) as Record<string, string>;
  // dbt's quote_columns: true keeps the CSV header's case; otherwise names are written bare.
  const quote = node.config.quote_columns === true;
  const columns: LoadColumn[] = inferred.map((c) => ({
    name: c.name,
    dataType: Object.prototype.hasOwnProperty.call(overrides, c.name) ? String(overrides[c.name]) : adapter.sql.typeFor(c.type),
    quote,
  }));
  const staging = ctx.relation.with({ identifier: stagingIdentifier(ctx.relation.identifier), type: 'table' });
  await runHooks(conn, hooks.beforeTransaction, node.unique_id);
  const loaded = await conn.transaction(async (tx) => {
    await runHooks(tx, hooks.preInTransaction, node.unique_id);
    await tx.execute(adapter.sql.dropRelation(staging, 'table'), { nodeId: node.unique_id });
    await tx.execute(adapter.sql.createTable(staging, columns, node.config), { nodeId: node.unique_id });
    const count = await tx.bulkLoad(staging, columns, readSeedRows(file, node.original_file_path), { nodeId: node.unique_id });
    await adapter.replaceRelation(tx, staging, ctx.relation.with({ type: 'table' }), ctx.existing);
    await runHooks(tx, persistDocsStatements(ctx, ctx.relation.with({ type: 'table' })), node.unique_id);
    await runHooks(tx, hooks.postInTransaction, node.unique_id);
    return count;
  });
  await runHooks(conn, hooks.afterTransaction, node.unique_id);
  return { response: { message: `INSERT ${loaded}`, code: 'INSERT', rowsAffected: loaded } };
};
