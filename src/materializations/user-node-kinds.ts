// What a seed's or a data test's own materialization (written in Jinja) needs beyond a model's, as
// dbt-core gives it: a seed's context has `load_agate_table()` (the CSV as an agate table), and a
// data test's result is read from its `statement('main')` table (TestRunner.execute_data_test: one
// row of failures, should_warn, should_error; the status from the test's severity).
import type { DialectRules, SqlBuilders } from '../adapters/adapter.js';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { AgateTable } from '../jinja/pylib/agate/index.js';
import { seedAgateTable } from '../jinja/dbt/template-builders.js';
import type { ManifestNode } from '../manifest/types.js';
import type { MaterializationContext, MaterializationOutcome } from './materialization.js';
import { seedLoadColumns, seedNumberColumns } from './seed-columns.js';
import { inferSeedColumns, readSeedRows, seedDelimiter } from './seed-csv.js';
import { testSummaryOutcome } from './test-result.js';

/** A seed's CSV as dbt's `load_agate_table()` returns it: its columns (with tsdbt's types) and rows (none under --empty). */
export async function seedAgateTableOf(ctx: MaterializationContext): Promise<AgateTable> {
  return seedCsvTable(ctx.node, ctx.adapter.sql, ctx.adapter.rules, ctx.empty);
}

/** The agate table of a seed's CSV file, for the warehouse of `sql` and `rules` (seed --show's sample reads it too). */
export async function seedCsvTable(node: ManifestNode, sql: SqlBuilders, rules: DialectRules, empty = false): Promise<AgateTable> {
  const file = node.seed_file;
  if (!file) throw new TsdbtError(`seed ${node.name} has no CSV file`, { code: 'seed-missing', category: 'internal' });
  const delimiter = seedDelimiter(node);
  const inferred = node.seed_columns ?? (await inferSeedColumns(file, node.original_file_path, undefined, delimiter));
  const columns = seedLoadColumns(node, inferred, sql);
  const rows: (string | null)[][] = [];
  if (!empty) for await (const row of readSeedRows(file, node.original_file_path, delimiter, seedNumberColumns(node, inferred))) rows.push(row);
  return seedAgateTable(columns, rows, rules);
}

/** dbt's TestRunner: the test's status from `main`'s one row (failures, should_warn, should_error), as dbt reads it. */
export function dataTestOutcome(main: unknown, node: ManifestNode, location: SourceLocation): NonNullable<MaterializationOutcome['test']> {
  const table = (main as { table?: AgateTable } | null)?.table;
  const rows = (table?.rows ?? []).map((row) => row.values());
  return testSummaryOutcome(table?.column_names ?? [], rows, node, location);
}

/**
 * The one row dbt's test materialization leaves in `statement('main')` (failures, should_warn,
 * should_error), from the built-in's outcome: what a wrapper of `dbt.materialization_test_default()`
 * reads with load_result('main').
 */
export function dataTestMainTable(test: NonNullable<MaterializationOutcome['test']>): AgateTable {
  return new AgateTable(['failures', 'should_warn', 'should_error'], ['Integer', 'Boolean', 'Boolean'], [[test.failures, test.status !== 'pass', test.status === 'fail']]);
}
