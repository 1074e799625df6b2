// A failing unit test's message as dbt writes it (dbt-core's task/test.py: _get_daff_diff and
// _render_daff_diff): the expected and actual tables, each with its rows sorted (None last), compared
// by daff (the same library, its npm build of the same Haxe source) without regard to row order, and
// daff's terminal rendering of the highlighted diff:
//
//   actual differs from expected:
//
//   @@ ,user_id,events,amount
//   →  ,a      ,2     ,16→15
//   +++,c      ,3     ,4
//
// The cells are Python's str() of the values as agate gives them to dbt (`True`, `1.50`,
// `2024-01-31 00:00:00`), a null daff's `NULL`. dbt colours the rendering and the words `actual`
// and `expected` under its default --use-colors, so run_results.json's message carries ANSI codes;
// tsdbt's message never does.
import { pyStr } from '../jinja/engine/py-repr.js';
import { AgateTable, typeNamesOf, type AgateTypeName, type AgateTypeRules } from '../jinja/pylib/agate/index.js';
import type { QueryColumn } from '../adapters/connection.js';

/** One side of the comparison: a query's columns and rows, as the driver gave them. */
export interface DiffSide {
  columns: readonly QueryColumn[];
  rows: readonly Record<string, unknown>[];
}

interface DaffTable {
  readonly __daffTable: true;
}
interface DaffModule {
  TableView: new (data: (string | null)[][]) => DaffTable;
  CompareFlags: new () => { ordered: boolean };
  compareTables(a: DaffTable, b: DaffTable, flags: unknown): { align(): unknown };
  TableDiff: new (alignment: unknown, flags: unknown) => { hilite(out: DaffTable): boolean; hasDifference(): boolean };
  TerminalDiffRender: new () => { render(table: DaffTable): string };
}

/** daff, loaded the first time a unit test fails (no command's start-up pays for it). */
async function daff(): Promise<DaffModule> {
  const loaded = (await import('daff')) as { default?: unknown };
  return (loaded.default ?? loaded) as DaffModule;
}

/** The ANSI colour codes daff's terminal rendering puts in (dbt strips them without --use-colors). */
const ANSI_ESCAPE = /\x1b\[[0-9;]*m/g;

/**
 * dbt's failing unit-test message for `expected` and `actual` over `columns` (the compared
 * columns, in the expected rows' order): null when daff finds no difference between them.
 */
export async function unitTestDiffMessage(columns: readonly string[], expected: DiffSide, actual: DiffSide, rules: AgateTypeRules): Promise<string | null> {
  const lib = await daff();
  const flags = new lib.CompareFlags();
  flags.ordered = false;
  const header = columns.map((c) => c.toLowerCase());
  const expectedTable = new lib.TableView([header, ...sortedCells(columns, expected, rules)]);
  const actualTable = new lib.TableView([header, ...sortedCells(columns, actual, rules)]);
  const diff = new lib.TableDiff(lib.compareTables(expectedTable, actualTable, flags).align(), flags);
  const highlighted = new lib.TableView([]);
  diff.hilite(highlighted);
  if (!diff.hasDifference()) return null;
  const rendered = new lib.TerminalDiffRender().render(highlighted).replace(ANSI_ESCAPE, '');
  return `\n\nactual differs from expected:\n\n${rendered}\n`;
}

/**
 * A side's rows as agate gives them (typed by the warehouse's column types), sorted as dbt's
 * list_rows_from_table(sort=True) sorts them, then each cell as Python's str() (null stays null).
 */
function sortedCells(columns: readonly string[], side: DiffSide, rules: AgateTypeRules): (string | null)[][] {
  const named = columns.map((name) => side.columns.find((c) => c.name === name) ?? side.columns.find((c) => c.name.toLowerCase() === name.toLowerCase()) ?? { name });
  const rows = side.rows.map((row) => Object.fromEntries(named.map((c, i) => [String(i), rowValue(row, c.name)])));
  const table = AgateTable.fromQueryResult(
    named.map((c, i) => ({ name: String(i), dataType: 'dataType' in c ? c.dataType : null })),
    rows,
    rules,
  );
  const types = typeNamesOf(table);
  const values = table.rows.map((row) => [...row]);
  values.sort((a, b) => compareRows(a, b, types));
  return values.map((row) => row.map((v) => (v === null || v === undefined ? null : pyStr(v))));
}

/** A row's value of `column`, its name matched regardless of case where the warehouse changed it (null when absent). */
export function rowValue(row: Record<string, unknown>, column: string): unknown {
  return row[column] ?? Object.entries(row).find(([k]) => k.toLowerCase() === column.toLowerCase())?.[1] ?? null;
}

/** Python's ordering of `[(elem is None, elem) for elem in row]`: column by column, None after any value. */
function compareRows(a: readonly unknown[], b: readonly unknown[], types: readonly AgateTypeName[]): number {
  for (let i = 0; i < a.length; i++) {
    const order = compareValues(a[i], b[i], types[i] ?? 'Text');
    if (order !== 0) return order;
  }
  return 0;
}

function compareValues(x: unknown, y: unknown, type: AgateTypeName): number {
  const xNone = x === null || x === undefined;
  const yNone = y === null || y === undefined;
  if (xNone || yNone) return xNone === yNone ? 0 : xNone ? 1 : -1;
  if (type === 'Number' || type === 'Integer' || (typeof x === 'number' && typeof y === 'number')) {
    const dx = Number(x);
    const dy = Number(y);
    if (!Number.isNaN(dx) && !Number.isNaN(dy) && dx !== dy) return dx < dy ? -1 : 1;
    if (!Number.isNaN(dx) && !Number.isNaN(dy)) return 0;
  }
  if (typeof x === 'boolean' && typeof y === 'boolean') return x === y ? 0 : x ? 1 : -1;
  const sx = pyStr(x);
  const sy = pyStr(y);
  return sx === sy ? 0 : sx < sy ? -1 : 1;
}
