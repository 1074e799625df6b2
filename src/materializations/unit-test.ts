// Unit tests (dbt 1.8): the model's SQL runs over fixture rows instead of its inputs, and its output
// is compared with the expected rows as multisets, in the warehouse (so `10.5` equals `10.50` the
// way the column's type says). Fixture values are cast to the real input's column types when the
// input exists in the warehouse; expected values to the model's output types. A failure reports
// dbt's daff diff of the expected and actual tables (unit-test-daff.ts).
import { parse as parseCsv } from 'csv-parse/sync';
import type { ColumnInfo, FixtureValue } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import type { UnitTestRows } from '../manifest/types.js';
import { writeMain, type Materialization, type MaterializationContext } from './materialization.js';
import { rowValue, unitTestDiffMessage, type DiffSide } from './unit-test-daff.js';

/**
 * Rows of a dict or csv fixture as (columns, values); null for format: sql. A csv fixture is read as
 * dbt reads it (Python's csv.DictReader): a quote inside an unquoted field is an ordinary character.
 */
export function tabular(rows: UnitTestRows): { columns: string[]; values: Record<string, unknown>[] } | null {
  if (rows.format === 'sql') return null;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a csv fixture's rows are its text
  const csv = rows.format === 'csv' ? String(rows.rows) : null;
  const records =
    csv !== null
      ? parseCsv<Record<string, string>>(csv, { columns: true, skip_empty_lines: true, trim: true, relax_quotes: true }).map((r) =>
          Object.fromEntries(Object.entries(r).map(([k, v]) => [k, v === '' ? null : v])),
        )
      : (rows.rows as Record<string, unknown>[]);
  // dbt reads a row's column names case-insensitively (its format_row lowers them): `TESTED_COLUMN`
  // in one row and `tested_column` in the next are one column, named as first written.
  const columns: string[] = [];
  const values = records.map((record) => {
    const row: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(record)) {
      let column = columns.find((c) => c.toLowerCase() === key.toLowerCase());
      if (column === undefined) columns.push((column = key));
      row[column] = value;
    }
    return row;
  });
  if (rows.format === 'csv' && typeof rows.rows === 'string' && records.length === 0) columns.push(...(rows.rows.split('\n')[0] ?? '').split(',').map((c) => c.trim()).filter(Boolean));
  return { columns, values };
}

function fixtureValue(value: unknown): FixtureValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

/** Finds a column by name, case-insensitively (YAML keys are often lower case). */
function columnNamed(columns: ColumnInfo[], name: string): ColumnInfo | undefined {
  return columns.find((c) => c.name === name) ?? columns.find((c) => c.name.toLowerCase() === name.toLowerCase());
}

/** The columns of an input as the warehouse has them; [] when it does not exist (yet). */
async function inputColumns(ctx: MaterializationContext, relation: Relation | null): Promise<ColumnInfo[]> {
  const { adapter, conn } = ctx;
  const existing = relation ? await adapter.getRelation(conn, { database: relation.database, schema: relation.schema, identifier: relation.identifier }) : null;
  // dbt's get_fixture_sql reads them through adapter.get_columns_in_relation(this).
  return existing ? ctx.blocks.columnsIn(conn, existing) : [];
}

/** A `format: sql` fixture's SQL, its Jinja rendered. */
function sqlFixture(ctx: MaterializationContext, rows: UnitTestRows): Promise<string> {
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- a sql fixture's rows are its text
  const sql = String(rows.rows);
  return ctx.unitTest && (sql.includes('{{') || sql.includes('{%')) ? ctx.unitTest.renderSql(sql) : Promise.resolve(sql);
}

type Input = NonNullable<MaterializationContext['unitTest']>['inputs'][number];

async function fixtureSql(ctx: MaterializationContext, rows: UnitTestRows, real: ColumnInfo[], input: string, from?: Input): Promise<string> {
  const table = tabular(rows);
  if (!table) return sqlFixture(ctx, rows);
  const { adapter } = ctx;
  const identifier = from?.relation?.identifier;
  // A project's get_fixture_sql (or format_row, safe_cast ...): its SQL, as dbt's fixture node renders.
  const replaced = from?.relation ? await ctx.blocks.unitTestFixtureSql(ctx.conn, table.values, { name: from.name, relation: from.relation }) : null;
  if (replaced !== null) return replaced;
  if (real.length === 0) {
    if (table.columns.length === 0) {
      throw new TsdbtError(`unit test '${ctx.node.name}': ${input} has no rows and does not exist in the warehouse, so its columns are unknown`, {
        code: 'unit-test-input-columns',
        nodeId: ctx.node.unique_id,
        location: { file: ctx.node.original_file_path, line: ctx.node.line },
        hint: 'build the input first (tsdbt run -s +<model>), or give its rows with format: sql',
      });
    }
    if (from?.relation) {
      // dbt's get_fixture_sql types a fixture from its input's relation, and stops when it is not built.
      throw new TsdbtError(`Not able to get columns for unit test '${from.name}' from relation ${from.relation.render()} because the relation doesn't exist (unit test '${ctx.node.name}': ${input})`, {
        code: 'unit-test-input-columns',
        nodeId: ctx.node.unique_id,
        location: { file: ctx.node.original_file_path, line: ctx.node.line },
        hint: 'build the inputs first (tsdbt run -s +<model> --empty makes them without data), or give its rows with format: sql',
      });
    }
    return adapter.sql.valuesQuery(
      table.columns.map((name) => ({ name, dataType: null })),
      table.values.map((r) => table.columns.map((c) => fixtureValue(r[c]))),
    );
  }
  for (const name of table.columns) {
    if (!columnNamed(real, name)) {
      // dbt's words (its format_row), then which input.
      throw new TsdbtError(`Invalid column name: '${name}' in unit test fixture for '${identifier ?? input}'. (unit test '${ctx.node.name}': ${input} has no column '${name}')`, {
        code: 'unit-test-column',
        nodeId: ctx.node.unique_id,
        location: { file: ctx.node.original_file_path, line: ctx.node.line },
        hint: `its columns are: ${real.map((c) => c.name).join(', ')}`,
      });
    }
  }
  // Every real column, the ones the rows leave out as null (dbt's rule).
  return adapter.sql.valuesQuery(
    real.map((c) => ({ name: c.name, dataType: c.dataType })),
    table.values.map((r) => real.map((c) => fixtureValue(Object.entries(r).find(([k]) => k === c.name || k.toLowerCase() === c.name.toLowerCase())?.[1]))),
  );
}

function display(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (value instanceof Date) return value.toISOString().replace('T', ' ').replace(/\.000Z$|Z$/, '');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** A small aligned table of the differing rows: `-` expected but missing, `+` returned but not expected. */
export function formatDiff(columns: string[], rows: Record<string, unknown>[]): string {
  const ordered = [...rows].sort((a, b) => (a.dbt_side === b.dbt_side ? 0 : a.dbt_side === 'expected' ? -1 : 1));
  const cells = ordered.map((r) => [r.dbt_side === 'expected' ? '-' : '+', ...columns.map((c) => display(r[c]))]);
  const header = [' ', ...columns];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) => row.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ').trimEnd();
  const missing = ordered.filter((r) => r.dbt_side === 'expected').length;
  const extra = ordered.length - missing;
  return [
    `actual differs from expected: ${missing} expected row${missing === 1 ? '' : 's'} missing (-), ${extra} unexpected row${extra === 1 ? '' : 's'} returned (+)`,
    '',
    line(header),
    ...cells.map(line),
  ].join('\n');
}

export const materializeUnitTest: Materialization = async (ctx) => {
  const { adapter, conn, node } = ctx;
  const support = ctx.unitTest;
  const spec = node.unit_test;
  if (!support || !spec) throw new TsdbtError(`unit test ${node.name} cannot run without its model`, { code: 'internal', category: 'internal' });
  const columns: ColumnInfo[][] = [];
  for (const input of support.inputs) columns.push(await inputColumns(ctx, input.relation));
  // `this` before the model's first build: its columns are what the model's full-refresh SQL returns.
  const thisIndex = support.inputs.findIndex((i) => i.id === 'this');
  if (thisIndex >= 0 && columns[thisIndex]?.length === 0) {
    const placeholders = await Promise.all(support.inputs.map(async (input, i) => (i === thisIndex ? adapter.sql.valuesQuery([{ name: 'dbt_placeholder', dataType: null }], []) : fixtureSql(ctx, spec.given[i] as UnitTestRows, columns[i] ?? [], input.id, input))));
    columns[thisIndex] = await adapter.describeQuery(conn, await support.compile(placeholders, { incremental: false }));
  }
  const fixtures: string[] = [];
  for (const [i, given] of spec.given.entries()) fixtures.push(await fixtureSql(ctx, given, columns[i] ?? [], given.input, support.inputs[i]));
  const modelSql = await support.compile(fixtures);
  const outputs = await adapter.describeQuery(conn, modelSql);
  const expected = tabular(spec.expect);
  const expectedSql0 = expected ? null : await sqlFixture(ctx, spec.expect);
  const given = expected ? expected.columns : (await adapter.describeQuery(conn, expectedSql0 as string)).map((c) => c.name);
  // `expect: {rows: []}` names no column: compare every column the model returns (no rows expected).
  const names = given.length ? given : outputs.map((c) => c.name);
  const compared = names.map((name) => {
    const column = columnNamed(outputs, name);
    if (!column) {
      throw new TsdbtError(`Invalid column name: '${name}' in unit test fixture for expected output. (unit test '${node.name}' expects a column '${name}' that model '${spec.model}' does not return)`, {
        code: 'unit-test-column',
        nodeId: node.unique_id,
        location: { file: node.original_file_path, line: node.line },
        hint: `the model returns: ${outputs.map((c) => c.name).join(', ')}`,
      });
    }
    return column;
  });
  // A project's get_expected_sql (or format_row, safe_cast ...) over the model's output columns, as dbt's unit materialization calls it.
  const byLower = (value: (c: ColumnInfo) => string | null) => Object.fromEntries(outputs.map((c) => [c.name.toLowerCase(), value(c)]));
  const replacedExpected =
    expected && expected.values.length > 0
      ? await ctx.blocks.unitTestExpectedSql(conn, expected.values, byLower((c) => c.dataType), byLower((c) => adapter.sql.quoteIdentifier(c.name)) as Record<string, string>)
      : null;
  const expectedSql =
    replacedExpected ??
    (expected
      ? adapter.sql.valuesQuery(
          compared.map((c) => ({ name: c.name, dataType: c.dataType })),
          expected.values.map((r) => names.map((n) => fixtureValue(r[n]))),
        )
      : String(expectedSql0));
  const quoted = compared.map((c) => adapter.sql.quoteIdentifier(c.name)).join(', ');
  const actualSql = `select ${quoted} from (\n${modelSql}\n) as dbt_internal_unit_test_actual`;
  const columnNames = compared.map((c) => c.name);
  const projectSql = await ctx.blocks.unitTestSql(conn, modelSql, expectedSql, columnNames.map((n) => adapter.sql.quoteIdentifier(n)));
  const diffSql = projectSql ?? adapter.sql.rowsDiff(expectedSql, actualSql, columnNames, compared.map((c) => c.dataType));
  writeMain(ctx, diffSql);
  const both = projectSql === null ? null : await conn.execute(projectSql, { nodeId: node.unique_id });
  const diff = both === null ? await conn.execute(diffSql, { nodeId: node.unique_id }) : { rows: multisetDiff(both.rows, columnNames) };
  const differing = diff.rows.length;
  // dbt's build_unit_test_run_result: a failing unit test counts one failure, however many rows differ.
  const failures = differing ? 1 : 0;
  // A failure's message is dbt's daff diff of the whole expected and actual tables (read only
  // then: a passing test makes one query); the -/+ table of the differing rows where daff, which
  // compares the cells' text, sees no difference the warehouse's types did.
  const sides = failures === 0 ? null : both === null ? await expectedAndActual(ctx, expectedSql, actualSql) : splitSides(both);
  const message = sides === null ? null : ((await unitTestDiffMessage(columnNames, sides.expected, sides.actual, adapter.rules)) ?? formatDiff(columnNames, diff.rows));
  return {
    response: { message: failures ? `FAIL ${failures}` : 'PASS', code: 'SELECT', rowsAffected: differing },
    test: { failures, status: failures ? 'fail' : 'pass', message },
  };
};

async function expectedAndActual(ctx: MaterializationContext, expectedSql: string, actualSql: string): Promise<{ expected: DiffSide; actual: DiffSide }> {
  const nodeId = ctx.node.unique_id;
  return { expected: await ctx.conn.execute(expectedSql, { nodeId }), actual: await ctx.conn.execute(actualSql, { nodeId }) };
}

/** The rows of a project's `get_unit_test_sql`, split by their `actual_or_expected` tag as dbt splits them. */
function splitSides(result: DiffSide): { expected: DiffSide; actual: DiffSide } {
  const tag = (row: Record<string, unknown>) => String(rowValue(row, 'actual_or_expected'));
  return {
    expected: { columns: result.columns, rows: result.rows.filter((r) => tag(r) === 'expected') },
    actual: { columns: result.columns, rows: result.rows.filter((r) => tag(r) === 'actual') },
  };
}

/**
 * The rows of a project's `get_unit_test_sql` (each tagged `actual_or_expected`) compared as
 * multisets over `columns`: what one side has more often than the other, tagged `dbt_side` as
 * the built-in diff query tags them.
 */
export function multisetDiff(rows: Record<string, unknown>[], columns: string[]): Record<string, unknown>[] {
  const keyOf = (row: Record<string, unknown>) => JSON.stringify(columns.map((c) => display(rowValue(row, c))));
  const sides = { actual: new Map<string, Record<string, unknown>[]>(), expected: new Map<string, Record<string, unknown>[]>() };
  for (const row of rows) {
    const side = String(rowValue(row, 'actual_or_expected')) === 'actual' ? sides.actual : sides.expected;
    const key = keyOf(row);
    side.set(key, [...(side.get(key) ?? []), row]);
  }
  const out: Record<string, unknown>[] = [];
  for (const [name, mine, theirs] of [['expected', sides.expected, sides.actual], ['actual', sides.actual, sides.expected]] as const) {
    for (const [key, list] of mine) {
      for (const row of list.slice(theirs.get(key)?.length ?? 0)) out.push({ ...Object.fromEntries(columns.map((c) => [c, rowValue(row, c)])), dbt_side: name });
    }
  }
  return out;
}
