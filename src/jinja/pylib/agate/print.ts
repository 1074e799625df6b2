// print_table() for agate tables: the `| a | b |` text (clipped cells, aligned numbers, `...`
// for rows and columns left out) and where it is written.
import { pyStr } from '../../engine/index.js';
import type { AgateTypeName } from './values.js';
import { callArgs } from '../args/index.js';

/** Where `print_table()` writes: a stream-like object or a function taking the text. */
export type TableOutput = { write(text: string): unknown } | ((text: string) => void);

let moduleOutput: TableOutput | null = null;

/** Routes `print_table()` of tables without their own output (null: back to process.stdout). */
export function setAgateTableOutput(output: TableOutput | null): void {
  moduleOutput = output;
}

function writeTo(output: TableOutput, text: string): void {
  if (typeof output === 'function') output(text);
  else output.write(text);
}

function isOutput(value: unknown): value is TableOutput {
  return typeof value === 'function' || (typeof value === 'object' && value !== null && typeof (value as { write?: unknown }).write === 'function');
}

function formatNumbers(values: readonly unknown[], maxPrecision: number): (v: unknown) => string {
  let places = 0;
  for (const v of values) {
    if (typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)) {
      const frac = (/\.(\d+)/.exec(String(v))?.[1] ?? '').length;
      places = Math.max(places, Math.min(frac, maxPrecision));
    }
  }
  const format = new Intl.NumberFormat('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
  return (v) => (typeof v === 'number' ? (Number.isFinite(v) ? format.format(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity') : cellText(v));
}

function cellText(v: unknown): string {
  if (v === null || v === undefined) return '';
  return pyStr(v);
}

function limitArg(value: unknown, dflt: number): number {
  if (value === undefined) return dflt;
  if (value === null) return Infinity;
  const n = Number(value);
  return Number.isFinite(n) ? Math.max(0, Math.floor(n)) : dflt;
}

/**
 * Writes a table as text (`| a | b |` lines). Arguments as agate's: max_rows=20, max_columns=6,
 * output, max_column_width=20, locale (ignored), max_precision=3; None for max_rows /
 * max_columns means all. Without an output argument it goes to `tableOutput`, else to
 * setAgateTableOutput's, else to process.stdout.
 */
export function printTable(
  names: readonly string[],
  types: readonly AgateTypeName[],
  rows: readonly (readonly unknown[])[],
  tableOutput: TableOutput | undefined,
  args: unknown[],
): void {
  const a = callArgs(args, ['max_rows', 'max_columns', 'output', 'max_column_width', 'locale', 'max_precision']);
  const maxRows = limitArg(a.max_rows, 20);
  const maxColumns = limitArg(a.max_columns, 6);
  const maxWidth = Math.max(4, limitArg(a.max_column_width, 20));
  const maxPrecision = limitArg(a.max_precision, 3);
  const output: TableOutput = isOutput(a.output) ? a.output : (tableOutput ?? moduleOutput ?? process.stdout);
  writeTo(output, tableText(names, types, rows, maxRows, maxColumns, maxWidth, maxPrecision));
}

/** The text `print_table()` writes (agate's defaults: 20 rows, 6 columns, 20 characters, 3 decimals; Infinity for all). */
export function tableText(
  names: readonly string[],
  types: readonly AgateTypeName[],
  rows: readonly (readonly unknown[])[],
  maxRows: number,
  maxColumns: number,
  maxWidth: number,
  maxPrecision: number,
): string {
  const shownCols = Math.min(names.length, maxColumns);
  const moreCols = names.length > shownCols;
  const shownRows = rows.slice(0, maxRows);
  const moreRows = rows.length > shownRows.length;
  const clip = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 3)}...` : s);

  // agate right-justifies every column but Text; only Number gets grouping and fixed decimals
  // (dbt's Integer is its own type, printed as str()).
  const rightAligned: boolean[] = [];
  const header: string[] = [];
  const cells: string[][] = shownRows.map(() => []);
  for (let c = 0; c < shownCols; c++) {
    const type = types[c];
    const values = rows.map((r) => r[c]);
    const format = type === 'Number' ? formatNumbers(values, maxPrecision) : cellText;
    rightAligned.push(type !== undefined && type !== 'Text');
    header.push(clip(names[c] ?? ''));
    shownRows.forEach((r, i) => cells[i]?.push(clip(format(r[c]))));
  }
  if (moreCols) {
    rightAligned.push(false);
    header.push('...');
    for (const row of cells) row.push('...');
  }
  if (moreRows) cells.push(header.map(() => '...'));
  const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => (row[c] ?? '').length)));
  const line = (row: readonly string[], alignNumbers: boolean) =>
    `| ${row.map((s, c) => (alignNumbers && rightAligned[c] ? s.padStart(widths[c] ?? 0) : s.padEnd(widths[c] ?? 0))).join(' | ')} |\n`;
  return [
    line(header, true),
    line(widths.map((w) => '-'.repeat(w)), false),
    ...cells.map((row) => line(row, true)),
  ].join('');
}
