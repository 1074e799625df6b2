// `tsdbt seed`: create the table from the CSV's header (names quoted, see seed-columns.ts) and inferred
// (or configured) column types, and bulk-load
// the rows (COPY on PostgreSQL) into a staging table. Then, as dbt does, an existing table whose
// columns are unchanged is truncated and refilled (inside the transaction, where DDL is
// transactional), so the views built on it are left alone; `--full-refresh`, changed columns, or a
// warehouse without transactional DDL swap the staging table in atomically instead.
import type { Connection, LoadColumn } from '../adapters/adapter.js';
import { BulkLoadRowError } from '../adapters/bulk-load-error.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { grantStatements, indexNaming, persistDocsStatements, runHooks, stagingIdentifier, type Materialization, type MaterializationContext } from './materialization.js';
import { preview, seedLoadColumns, seedNumberColumns } from './seed-columns.js';
import { inferSeedColumns, readSeedRows, seedDelimiter, seedRowLine } from './seed-csv.js';
import { groupThousands } from '../time/slow-step.js';

export const materializeSeed: Materialization = async (ctx) => {
  const { node, adapter, conn, hooks } = ctx;
  const file = node.seed_file;
  if (!file) throw new TsdbtError(`seed ${node.name} has no CSV file`, { code: 'seed-missing', category: 'internal' });
  const delimiter = seedDelimiter(node);
  const inferred = node.seed_columns ?? (await inferSeedColumns(file, node.original_file_path, undefined, delimiter));
  const columns = seedLoadColumns(node, inferred, adapter.sql);
  const numbers = seedNumberColumns(node, inferred);
  const staging = ctx.relation.with({ identifier: stagingIdentifier(ctx.relation.identifier), type: 'table' });
  await runHooks(conn, hooks.beforeTransaction, node.unique_id);
  const loaded = await conn.transaction(async (tx) => {
    await runHooks(tx, hooks.preInTransaction, node.unique_id);
    await tx.execute(adapter.sql.dropRelation(staging, 'table'), { nodeId: node.unique_id });
    // A project's seed macros see the CSV's rows in their agate table, as dbt's do: read them once, in memory.
    const loadsInJinja = ctx.blocks.replacesCsvLoad();
    const csvRows = loadsInJinja || ctx.blocks.replacesCsvTable() ? await allRows(ctx.empty ? noRows() : readSeedRows(file, node.original_file_path, delimiter, numbers)) : undefined;
    if (!(await ctx.blocks.createCsvTable(tx, staging, columns, csvRows))) await tx.execute(adapter.sql.createTable(staging, columns, node.config), { nodeId: node.unique_id });
    const count = loadsInJinja ? await loadInJinja(ctx, tx, staging, columns, csvRows ?? []) : await bulkLoadCsv(ctx, tx, staging, columns, { file, delimiter, header: inferred.map((c) => c.name), numbers });
    const target = ctx.relation.with({ type: 'table' });
    const sameColumns = await columnsToRefill(ctx, tx, staging);
    if (sameColumns) {
      if (!(await ctx.blocks.truncate(tx, target))) await tx.execute(adapter.sql.truncate(target), { nodeId: node.unique_id });
      await tx.execute(adapter.sql.insertFrom(target, staging, sameColumns), { nodeId: node.unique_id });
      await tx.execute(adapter.sql.dropRelation(staging, 'table'), { nodeId: node.unique_id });
    } else {
      // A new (or rebuilt) table gets the config's `indexes`, as dbt's seed materialization calls
      // create_indexes on a full refresh or a first load; a refilled table keeps its own.
      await runHooks(tx, ctx.blocks.tableExtras(staging, indexNaming(ctx)), node.unique_id);
      await adapter.replaceRelation(tx, staging, target, ctx.existing);
      await runHooks(tx, await ctx.blocks.indexesAfterSwap(tx, target), node.unique_id);
    }
    await runHooks(tx, [...grantStatements(ctx, target, sameColumns === null), ...persistDocsStatements(ctx, target)], node.unique_id);
    await runHooks(tx, hooks.postInTransaction, node.unique_id);
    return count;
  });
  await runHooks(conn, hooks.afterTransaction, node.unique_id);
  return { response: { message: `INSERT ${loaded}`, code: 'INSERT', rowsAffected: loaded } };
};

/** The CSV's rows through the adapter's bulk load (COPY on PostgreSQL): the fast path, streamed. */
async function bulkLoadCsv(ctx: MaterializationContext, tx: Connection, staging: Relation, columns: LoadColumn[], csv: { file: string; delimiter: string; header: string[]; numbers?: ReadonlySet<number> | undefined }): Promise<number> {
  const { node } = ctx;
  const progress = { rows: 0 };
  const stop = ctx.whileSlow?.(() => `loading ${node.original_file_path}: ${groupThousands(progress.rows)} rows read so far`);
  const rows = ctx.empty ? noRows() : readSeedRows(csv.file, node.original_file_path, csv.delimiter, csv.numbers);
  return tx
    .bulkLoad(staging, columns, counted(rows, progress), { nodeId: node.unique_id })
    .catch(async (err: unknown) => {
      throw await atCsvLine(err, { file: csv.file, displayPath: node.original_file_path, delimiter: csv.delimiter }, csv.header, columns.map((c) => c.name));
    })
    .finally(() => stop?.());
}

/**
 * The rows through the project's `load_csv_rows` (or dbt's, calling the project's
 * `get_batch_size` / `get_seed_column_quoted_csv` / `get_binding_char`): dbt's seed materialization
 * counts the agate table's rows as the rows affected.
 */
async function loadInJinja(ctx: MaterializationContext, tx: Connection, staging: Relation, columns: readonly LoadColumn[], rows: readonly (string | null)[][]): Promise<number> {
  if (rows.length > 0) await ctx.blocks.loadCsvRows(tx, staging, columns, rows);
  return rows.length;
}

async function allRows<T>(rows: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const row of rows) all.push(row);
  return all;
}

/**
 * The column names when the existing table can be truncated and refilled from `staging`, else
 * null: not a full refresh, an existing table, transactional DDL (a failed refill rolls back to the
 * old rows), and the same columns in the same order with the same types, as the warehouse spells
 * them for both tables.
 */
async function columnsToRefill(ctx: MaterializationContext, tx: Connection, staging: Relation): Promise<string[] | null> {
  if (ctx.fullRefresh || ctx.existing?.type !== 'table' || !ctx.adapter.capabilities.transactionalDdl) return null;
  const now = await ctx.adapter.getColumns(tx, ctx.existing);
  const next = await ctx.adapter.getColumns(tx, staging);
  const shape = (cols: { name: string; dataType: string }[]) => JSON.stringify(cols.map((c) => [c.name, c.dataType]));
  return now.length > 0 && shape(now) === shape(next) ? next.map((c) => c.name) : null;
}

/** A row the warehouse refused, as the CSV line it came from and the header's name of the column. */
async function atCsvLine(err: unknown, csv: { file: string; displayPath: string; delimiter: string }, header: string[], loaded: string[]): Promise<unknown> {
  if (!(err instanceof BulkLoadRowError)) return err;
  const { displayPath } = csv;
  const line = await seedRowLine(csv.file, displayPath, err.row, csv.delimiter);
  const at = err.column === null ? -1 : loaded.indexOf(err.column);
  const column = at >= 0 ? `column ${preview(header[at] ?? err.column ?? '')}: ` : '';
  return new TsdbtError(`${column}${err.message}`, {
    code: err.code,
    category: 'user',
    location: { file: displayPath, ...(line === undefined ? {} : { line }) },
    hint: "fix the value on this line of the CSV, or the column's type (`column_types`)",
    nodeId: err.nodeId,
    cause: err,
  });
}

/** `--empty`'s rows: none (the table still gets the CSV's columns and their types). */
async function* noRows(): AsyncGenerator<string[]> {}

/** The rows of `rows`, counted in `progress` as they are read. */
async function* counted<T>(rows: AsyncIterable<T>, progress: { rows: number }): AsyncGenerator<T> {
  for await (const row of rows) {
    progress.rows++;
    yield row;
  }
}
