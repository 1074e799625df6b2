// The agate table dbt hands macros as query results (`run_query()`, `load_result('x').table`,
// `adapter.execute(..., fetch=True)[1]`): `table.columns[0].values()`, `table.rows[0]['id']`,
// `{% for row in table %}`, `table | length`, `table.print_table()`.
//
// Rows and the column sequence are agate MappedSequences: indexable by position (`row[0]`,
// `row[-1]`) and by name (`row['id']`), with names also readable as attributes (`row.id`). Those
// accessors are getters on a prototype made once per table (one per column layout), so a row is
// only its value array. A name that is also a method (`keys`, `values`, `items`, `dict`, `get`)
// or a number gives the method or the position; `row.get('values')` still reads the column.
//
// Values are what dbt's agate gives, in JavaScript: numeric columns hold numbers (a value that
// would lose digits as a double stays the decimal string), timestamps PyDatetime, JSON and array
// values their JSON text (as dbt does), NULL None.
import { pyJson, pyRepr, pyStr, tuple } from '../engine/index.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { callArgs } from './keywords.js';
import { PyDatetime } from './py-datetime.js';

/** agate's type names (`Integer` is dbt's addition for integral columns). */
export type AgateTypeName = 'Text' | 'Number' | 'Integer' | 'Boolean' | 'Date' | 'DateTime' | 'TimeDelta';

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

function tableError(message: string): TsdbtError {
  return new TsdbtError(message, { code: 'agate-table' });
}

const KEYS: unique symbol = Symbol('agate.keys');
const VALUES: unique symbol = Symbol('agate.values');

/** A value as JSON should carry it: datetimes as ISO text. */
function jsonValue(v: unknown): unknown {
  return v instanceof PyDatetime ? v.isoformat() : v;
}

/** agate's repr of a sequence: at most five values, then `...`. */
function sequenceRepr(kind: string, values: readonly unknown[]): string {
  const shown = values.slice(0, 5).map(pyRepr);
  if (values.length > 5) shown.push('...');
  return `<agate.${kind}: (${shown.join(', ')})>`;
}

/** agate's MappedSequence: values in order, each under a key. */
export class MappedSequence<T = unknown> implements Iterable<T> {
  readonly [KEYS]: readonly string[];
  readonly [VALUES]: readonly T[];

  constructor(keys: readonly string[], values: readonly T[]) {
    this[KEYS] = keys;
    this[VALUES] = values;
  }

  keys(): string[] {
    return tuple([...this[KEYS]]) as string[];
  }

  values(): T[] {
    return tuple([...this[VALUES]]) as T[];
  }

  items(): [string, T][] {
    return this[KEYS].map((k, i) => tuple([k, this[VALUES][i]]) as [string, T]);
  }

  /** The values as a dict by key. */
  dict(): Record<string, T> {
    const out: Record<string, T> = {};
    this[KEYS].forEach((k, i) => {
      out[k] = this[VALUES][i] as T;
    });
    return out;
  }

  /** `seq.get(key, default=None)`. */
  get(...args: unknown[]): unknown {
    const a = callArgs(args, ['key', 'default']);
    const i = this[KEYS].indexOf(String(a.key));
    return i >= 0 ? this[VALUES][i] : (a.default ?? null);
  }

  [Symbol.iterator](): Iterator<T> {
    return this[VALUES][Symbol.iterator]();
  }

  toJSON(): unknown {
    const out: Record<string, unknown> = {};
    this[KEYS].forEach((k, i) => {
      out[k] = jsonValue(this[VALUES][i]);
    });
    return out;
  }

  toString(): string {
    return sequenceRepr('MappedSequence', this[VALUES]);
  }
}

/** A table row: `row[0]`, `row['id']`, `row.id`; iterating it gives its values. */
export class Row extends MappedSequence<unknown> {
  override toString(): string {
    return sequenceRepr('Row', this[VALUES]);
  }
}

type SequenceClass<S> = new (keys: readonly string[], values: readonly any[]) => S;

/** A subclass of `base` whose instances read position `i`, `i - n` and each key as properties. */
function withAccessors<S extends MappedSequence<any>>(base: SequenceClass<S>, keys: readonly string[]): SequenceClass<S> {
  const layout = class extends (base as SequenceClass<MappedSequence<any>>) {};
  Object.defineProperty(layout, 'name', { value: base.name });
  const proto = layout.prototype as object;
  const n = keys.length;
  const define = (prop: string, i: number) =>
    Object.defineProperty(proto, prop, {
      get(this: MappedSequence<unknown>) {
        return this[VALUES][i];
      },
      configurable: true,
    });
  for (let i = 0; i < n; i++) {
    define(String(i), i);
    define(String(i - n), i);
  }
  keys.forEach((key, i) => {
    if (/^-?\d+$/.test(key) || key in proto) return;
    define(key, i);
  });
  return layout as unknown as SequenceClass<S>;
}

const columnIndexing: ProxyHandler<Column> = {
  get(target, prop, receiver) {
    if (typeof prop === 'string' && /^-?\d+$/.test(prop)) {
      const values = target.values();
      const i = Number(prop) < 0 ? values.length + Number(prop) : Number(prop);
      return i >= 0 && i < values.length ? values[i] : undefined;
    }
    return Reflect.get(target, prop, receiver) as unknown;
  },
};

/** One column of a table: its name, type and values (`column.values()`, `column[0]`). */
export class Column implements Iterable<unknown> {
  readonly name: string;
  readonly index: number;
  /** The agate type name (`Text`, `Number`, ...). */
  readonly data_type: AgateTypeName;
  readonly [VALUES]: readonly (readonly unknown[])[];

  constructor(index: number, name: string, dataType: AgateTypeName, rows: readonly (readonly unknown[])[]) {
    this.index = index;
    this.name = name;
    this.data_type = dataType;
    this[VALUES] = rows;
  }

  values(): unknown[] {
    return tuple(this[VALUES].map((r) => r[this.index] ?? null));
  }

  /** The distinct values, in order of first appearance. */
  values_distinct(): unknown[] {
    const seen = new Set<unknown>();
    const out: unknown[] = [];
    for (const v of this[VALUES].map((r) => r[this.index] ?? null)) {
      const key = v instanceof PyDatetime ? `datetime:${v.date.getTime()}:${v.tzinfo ?? ''}` : v;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(v);
    }
    return tuple(out);
  }

  values_without_nulls(): unknown[] {
    return tuple(this.values().filter((v) => v !== null));
  }

  [Symbol.iterator](): Iterator<unknown> {
    return this.values()[Symbol.iterator]();
  }

  toJSON(): unknown[] {
    return this.values().map(jsonValue);
  }

  toString(): string {
    return sequenceRepr('Column', this.values());
  }
}

// ---- Types and values from query results ----

/** Strips ClickHouse's Nullable(...) / LowCardinality(...) wrappers; lower case. */
function baseType(dataType: string): string {
  let t = dataType.trim();
  for (;;) {
    const m = /^(?:Nullable|LowCardinality)\((.*)\)$/i.exec(t);
    if (!m || m[1] === undefined) break;
    t = m[1].trim();
  }
  return t.toLowerCase();
}

const INTEGER_TYPE = /^(?:u?int(?:8|16|32|64|128|256)?|int[248]|tinyint|smallint|mediumint|integer|bigint|hugeint|uhugeint|oid|(?:small|big)?serial[248]?)(?![a-z0-9_ ])/;
const NUMBER_TYPE = /^(?:numeric|decimal(?:32|64|128|256)?|number|float(?:4|8|32|64)?|double(?: precision)?|real|bfloat16)(?![a-z0-9_])/;

/** The agate type of a column from the warehouse's type name; null when the name is unknown. */
export function agateTypeOf(dataType: string | null | undefined): AgateTypeName | null {
  if (dataType === null || dataType === undefined || dataType.trim() === '') return null;
  const t = baseType(dataType);
  if (t.endsWith(']') || /^(?:array|map|tuple|nested|json|object)\b/.test(t)) return 'Text';
  if (INTEGER_TYPE.test(t)) return 'Integer';
  if (NUMBER_TYPE.test(t)) return 'Number';
  if (t === 'boolean' || t === 'bool') return 'Boolean';
  if (t === 'date' || t === 'date32') return 'Date';
  if (/^(?:timestamp|timestamptz|datetime|datetime64)\b/.test(t)) return 'DateTime';
  return 'Text';
}

function isContainer(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !(v instanceof Date) && !(v instanceof PyDatetime) && !(v instanceof Uint8Array);
}

/** The agate type of a column with no type name, from its values (as agate's type tester does). */
function inferType(values: readonly unknown[]): AgateTypeName {
  const present = values.filter((v) => v !== null && v !== undefined);
  if (present.length === 0) return 'Text';
  if (present.every((v) => typeof v === 'boolean')) return 'Boolean';
  if (present.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v)))) return 'Integer';
  if (present.every((v) => typeof v === 'bigint' || typeof v === 'number')) return 'Number';
  if (present.every((v) => v instanceof Date || v instanceof PyDatetime)) return 'DateTime';
  return 'Text';
}

/** `sign digits e exponent` with no leading or trailing zeros: equal for equal decimal values. */
function canonicalDecimal(text: string): string | null {
  const m = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return null;
  const int = m[2] ?? '';
  const frac = m[3] ?? '';
  if (int === '' && frac === '') return null;
  let digits = (int + frac).replace(/^0+/, '');
  if (digits === '') return '0';
  let exp = Number(m[4] ?? 0) - frac.length;
  const trailing = /0+$/.exec(digits);
  if (trailing) {
    exp += trailing[0].length;
    digits = digits.slice(0, -trailing[0].length);
  }
  return `${m[1] === '-' ? '-' : ''}${digits}e${exp}`;
}

/** A decimal string as a number when the number has exactly its value; else the string. */
export function decimalToNumber(text: string): number | string {
  const s = text.trim();
  const special = s.toLowerCase().replace(/^\+/, '');
  if (special === 'nan' || special === '-nan') return NaN;
  if (special === 'infinity' || special === 'inf') return Infinity;
  if (special === '-infinity' || special === '-inf') return -Infinity;
  const canonical = canonicalDecimal(s);
  if (canonical === null) return text;
  const n = Number(s);
  return Number.isFinite(n) && canonicalDecimal(String(n)) === canonical ? n : text;
}

const DATETIME_TEXT = /^(\d{4})-(\d\d)-(\d\d)[ T](\d\d):(\d\d):(\d\d)(\.\d+)?$/;

/** A cell as templates see it. */
function cellValue(value: unknown, type: AgateTypeName, aware: boolean): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return new PyDatetime(value, aware ? 'UTC' : null);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : String(value);
  if (typeof value === 'string') {
    if (type === 'Number' || type === 'Integer') return decimalToNumber(value);
    if (type === 'DateTime') {
      const m = DATETIME_TEXT.exec(value);
      if (m) {
        const ms = m[7] ? Math.round(Number(`0${m[7]}`) * 1000) : 0;
        const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), ms));
        date.setUTCFullYear(Number(m[1]));
        return new PyDatetime(date, aware ? 'UTC' : null);
      }
    }
    return value;
  }
  if (isContainer(value)) {
    try {
      return pyJson(value);
    } catch {
      return String(value);
    }
  }
  return value;
}

/** Names made unique the way agate does: a repeated `a` becomes `a_2`, `a_3`... */
function uniqueNames(names: readonly string[]): string[] {
  const seen = new Set<string>();
  return names.map((name) => {
    let out = name;
    for (let i = 2; seen.has(out); i++) out = `${name}_${i}`;
    seen.add(out);
    return out;
  });
}

// ---- print_table ----

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

// ---- The table ----

export interface AgateTableOptions {
  /** Where `print_table()` writes (else setAgateTableOutput's, else process.stdout). */
  output?: TableOutput;
}

const OUTPUT: unique symbol = Symbol('agate.output');

/** agate's Table: column names and types, rows, columns. */
export class AgateTable implements Iterable<Row> {
  readonly column_names: string[];
  readonly column_types: AgateTypeName[];
  readonly rows: Row[];
  readonly columns: MappedSequence<Column>;
  readonly row_names: null = null;
  readonly [VALUES]: readonly (readonly unknown[])[];
  readonly [OUTPUT]: TableOutput | undefined;

  /** A table of values already in template form (see fromQueryResult for driver values). */
  constructor(
    columnNames: readonly string[],
    columnTypes: readonly AgateTypeName[],
    rows: readonly (readonly unknown[])[],
    options: AgateTableOptions = {},
  ) {
    const names = uniqueNames(columnNames.map(String));
    const types = names.map((_n, i) => columnTypes[i] ?? 'Text');
    const data = rows.map((r) => names.map((_n, i) => (r[i] === undefined ? null : r[i])));
    this.column_names = tuple(names) as string[];
    this.column_types = tuple(types) as AgateTypeName[];
    this[VALUES] = data;
    this[OUTPUT] = options.output;
    const RowClass = withAccessors(Row, names);
    this.rows = data.map((values) => new RowClass(names, values));
    const columns = names.map((name, i) => new Proxy(new Column(i, name, types[i] ?? 'Text', data), columnIndexing));
    this.columns = new (withAccessors(MappedSequence<Column>, names))(names, columns);
  }

  /**
   * A table from an adapter's query result: rows keyed by column name, values as drivers give
   * them. Types come from the warehouse's type names (`integer`, `numeric(10,2)`, `Nullable(Int64)`,
   * `timestamp with time zone`...), or from the values when a column has none.
   */
  static fromQueryResult(
    columns: readonly { name: string; dataType?: string | null }[],
    rows: readonly Record<string, unknown>[],
    options: AgateTableOptions = {},
  ): AgateTable {
    const cols: readonly { name: string; dataType?: string | null }[] =
      columns.length > 0 || rows.length === 0 ? columns : Object.keys(rows[0] ?? {}).map((name) => ({ name }));
    const raw = rows.map((r) => cols.map((c) => r[c.name]));
    const types = cols.map((c, i) => agateTypeOf(c.dataType) ?? inferType(raw.map((r) => r[i])));
    const aware = cols.map((c) => /with time zone|timestamptz/i.test(c.dataType ?? ''));
    const data = raw.map((r) => r.map((v, i) => cellValue(v, types[i] ?? 'Text', aware[i] ?? false)));
    return new AgateTable(cols.map((c) => c.name), types, data, options);
  }

  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]();
  }

  /** The columns given (a name or a list of names), in that order. */
  select(...args: unknown[]): AgateTable {
    return this.subset(this.keyList(callArgs(args, ['key']).key, 'select'));
  }

  /** All columns but those given. */
  exclude(...args: unknown[]): AgateTable {
    const drop = new Set(this.keyList(callArgs(args, ['key']).key, 'exclude'));
    return this.subset(this.column_names.filter((n) => !drop.has(n)));
  }

  /** `limit(n)` the first n rows; `limit(start, stop[, step])` a slice of them. */
  limit(...args: unknown[]): AgateTable {
    const a = callArgs(args, ['start_or_stop', 'stop', 'step']);
    const num = (v: unknown): number | undefined => (v === null || v === undefined ? undefined : Number(v));
    const [start, stop] = a.stop === undefined || a.stop === null ? [0, num(a.start_or_stop)] : [num(a.start_or_stop) ?? 0, num(a.stop)];
    const step = num(a.step) ?? 1;
    const picked = this[VALUES].slice(start, stop).filter((_r, i) => i % step === 0);
    return new AgateTable(this.column_names, this.column_types, picked, { output: this[OUTPUT] });
  }

  /**
   * Writes the table as text (`| a | b |` lines) and returns '' so `{{ t.print_table() }}`
   * renders nothing. Arguments as agate's: max_rows=20, max_columns=6, output, max_column_width=20,
   * locale (ignored), max_precision=3; None for max_rows / max_columns means all.
   */
  print_table(...args: unknown[]): string {
    const a = callArgs(args, ['max_rows', 'max_columns', 'output', 'max_column_width', 'locale', 'max_precision']);
    const maxRows = limitArg(a.max_rows, 20);
    const maxColumns = limitArg(a.max_columns, 6);
    const maxWidth = Math.max(4, limitArg(a.max_column_width, 20));
    const maxPrecision = limitArg(a.max_precision, 3);
    const output: TableOutput = isOutput(a.output) ? a.output : (this[OUTPUT] ?? moduleOutput ?? process.stdout);
    writeTo(output, this.tableText(maxRows, maxColumns, maxWidth, maxPrecision));
    return '';
  }

  /** `table | tojson`: the rows as dicts. */
  toJSON(): unknown[] {
    return this.rows.map((r) => r.toJSON());
  }

  toString(): string {
    return `<agate.Table: ${this.column_names.length} columns, ${this.rows.length} rows>`;
  }

  private keyList(key: unknown, method: string): string[] {
    const keys = typeof key === 'string' ? [key] : Array.isArray(key) ? key.map(String) : null;
    if (keys === null) throw tableError(`${method}() needs a column name or a list of column names`);
    for (const k of keys) {
      if (!this.column_names.includes(k)) throw tableError(`${method}(): the table has no column '${k}' (columns: ${this.column_names.join(', ')})`);
    }
    return keys;
  }

  private subset(names: readonly string[]): AgateTable {
    const idx = names.map((n) => this.column_names.indexOf(n));
    return new AgateTable(
      names,
      idx.map((i) => this.column_types[i] ?? 'Text'),
      this[VALUES].map((r) => idx.map((i) => r[i])),
      { output: this[OUTPUT] },
    );
  }

  private tableText(maxRows: number, maxColumns: number, maxWidth: number, maxPrecision: number): string {
    const shownCols = Math.min(this.column_names.length, maxColumns);
    const moreCols = this.column_names.length > shownCols;
    const shownRows = this[VALUES].slice(0, maxRows);
    const moreRows = this[VALUES].length > shownRows.length;
    const clip = (s: string) => (s.length > maxWidth ? `${s.slice(0, maxWidth - 3)}...` : s);

    const numeric: boolean[] = [];
    const header: string[] = [];
    const cells: string[][] = shownRows.map(() => []);
    for (let c = 0; c < shownCols; c++) {
      const type = this.column_types[c];
      const isNum = type === 'Number' || type === 'Integer';
      const values = this[VALUES].map((r) => r[c]);
      const format = isNum ? formatNumbers(values, maxPrecision) : cellText;
      numeric.push(isNum);
      header.push(clip(this.column_names[c] ?? ''));
      shownRows.forEach((r, i) => cells[i]?.push(clip(format(r[c]))));
    }
    if (moreCols) {
      numeric.push(false);
      header.push('...');
      for (const row of cells) row.push('...');
    }
    if (moreRows) cells.push(header.map(() => '...'));
    const widths = header.map((h, c) => Math.max(h.length, ...cells.map((row) => (row[c] ?? '').length)));
    const line = (row: readonly string[], alignNumbers: boolean) =>
      `| ${row.map((s, c) => (alignNumbers && numeric[c] ? s.padStart(widths[c] ?? 0) : s.padEnd(widths[c] ?? 0))).join(' | ')} |\n`;
    return [
      line(header, true),
      line(widths.map((w) => '-'.repeat(w)), false),
      ...cells.map((row) => line(row, true)),
    ].join('');
  }
}
