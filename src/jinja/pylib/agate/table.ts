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
//
// This file is the table itself; rows and the column sequence are in sequence.ts, columns
// in column.ts, type names and driver-value conversion in values.ts, the DataType objects
// templates see (`column_types`, `column.data_type`) in data-types.ts, and
// print_table's text in print.ts; index.ts is the entry.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pyJson, pyStr, tuple } from '../../engine/index.js';
import { pyCompare, truthy } from '../../engine/py-ops.js';
import { TsdbtError } from '../../../errors/tsdbt-error.js';
import { Column, columnIndexing } from './column.js';
import { printTable, type TableOutput } from './print.js';
import { MappedSequence, Row, VALUES, withAccessors } from './sequence.js';
import { dataType, DataType } from './data-types.js';
import { groupKey, TableSet } from './tableset.js';
import { agateTypeOf, cellValue, inferType, type AgateTypeName, type AgateTypeRules } from './values.js';
import { callArgs } from '../args/index.js';

function tableError(message: string): TsdbtError {
  return new TsdbtError(message, { code: 'agate-table' });
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

// ---- The table ----

export interface AgateTableOptions {
  /** Where `print_table()` writes (else setAgateTableOutput's, else process.stdout). */
  output?: TableOutput;
}

const OUTPUT: unique symbol = Symbol('agate.output');
const TYPE_NAMES: unique symbol = Symbol('agate.typeNames');

/** The agate type names of a table's columns, in order (what tsdbt's own code reads; templates see `column_types`). */
export function typeNamesOf(table: AgateTable): readonly AgateTypeName[] {
  return table[TYPE_NAMES];
}

/** `table[i]` (negative from the end), as agate's Table indexes its rows. */
const tableIndexing: ProxyHandler<AgateTable> = {
  get(target, prop, receiver) {
    if (typeof prop === 'string' && /^-?\d+$/.test(prop)) {
      const i = Number(prop) < 0 ? target.rows.length + Number(prop) : Number(prop);
      return i >= 0 && i < target.rows.length ? target.rows[i] : undefined;
    }
    return Reflect.get(target, prop, receiver) as unknown;
  },
};

/** agate's Table: column names and types, rows, columns. */
export class AgateTable implements Iterable<Row> {
  readonly column_names: string[];
  /** agate's DataType objects (data-types.ts), one per column. */
  readonly column_types: DataType[];
  readonly rows: Row[];
  readonly columns: MappedSequence<Column>;
  readonly row_names: null = null;
  readonly [VALUES]: readonly (readonly unknown[])[];
  readonly [OUTPUT]: TableOutput | undefined;
  readonly [TYPE_NAMES]: readonly AgateTypeName[];

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
    this.column_types = tuple(types.map(dataType)) as DataType[];
    this[TYPE_NAMES] = types;
    this[VALUES] = data;
    this[OUTPUT] = options.output;
    const RowClass = withAccessors(Row, names);
    this.rows = data.map((values) => new RowClass(names, values));
    const columns = names.map((name, i) => new Proxy(new Column(i, name, types[i] ?? 'Text', data), columnIndexing));
    this.columns = new (withAccessors(MappedSequence<Column>, names))(names, columns);
    // agate's Table.__getitem__ is its rows': `run_query(sql)[0]` is the first row.
    return new Proxy(this, tableIndexing);
  }

  /**
   * A table from an adapter's query result: rows keyed by column name, values as drivers give
   * them. Types come from the warehouse's type names (`integer`, `numeric(10,2)`, `Nullable(Int64)`,
   * `timestamp with time zone`...) as the adapter's `rules` read them, or from the values when a
   * column has none.
   */
  static fromQueryResult(
    columns: readonly { name: string; dataType?: string | null }[],
    rows: readonly Record<string, unknown>[],
    rules: AgateTypeRules,
    options: AgateTableOptions = {},
  ): AgateTable {
    const cols: readonly { name: string; dataType?: string | null }[] =
      columns.length > 0 || rows.length === 0 ? columns : Object.keys(rows[0] ?? {}).map((name) => ({ name }));
    const raw = rows.map((r) => cols.map((c) => r[c.name]));
    const types = cols.map((c, i) => agateTypeOf(c.dataType, rules) ?? inferType(raw.map((r) => r[i])));
    const aware = cols.map((c) => (c.dataType ? rules.timeZoneAware(c.dataType) : false));
    const data = raw.map((r) => r.map((v, i) => cellValue(v, types[i] ?? 'Text', aware[i] ?? false)));
    return new AgateTable(cols.map((c) => c.name), types, data, options);
  }

  [Symbol.iterator](): Iterator<Row> {
    return this.rows[Symbol.iterator]();
  }

  /**
   * Python truth: agate's Table has `__len__` (its rows), so `{% if not run_query(sql) %}` is true
   * for a query that returned no rows (Elementary's result_value).
   */
  __bool__(): boolean {
    return this.rows.length > 0;
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
    return new AgateTable(this.column_names, this[TYPE_NAMES], picked, { output: this[OUTPUT] });
  }

  /**
   * agate's `order_by(key, reverse=False)`: rows sorted by a column, a list of columns or a macro of
   * the row; None sorts before every value (agate's NullOrder), and rows with equal keys keep
   * their order, also reversed (Python's sort is stable).
   */
  order_by(...args: unknown[]): AgateTable {
    const a = callArgs(args, ['key', 'reverse']);
    const keyOf = this.rowKey(a.key, 'order_by');
    // A Number cell too precise for a double is kept as its decimal text: it compares by value.
    const asNumber = (v: unknown, other: unknown): unknown => (typeof v === 'string' && typeof other === 'number' ? Number(v) : v);
    const nullFirst = (x: unknown, y: unknown): number => (x === null || x === undefined ? (y === null || y === undefined ? 0 : -1) : y === null || y === undefined ? 1 : pyCompare(asNumber(x, y), asNumber(y, x)));
    const cmp = (x: unknown, y: unknown): number => {
      if (!Array.isArray(x) || !Array.isArray(y)) return nullFirst(x, y);
      for (let i = 0; i < Math.min(x.length, y.length); i++) {
        const c = nullFirst(x[i], y[i]);
        if (c !== 0) return c;
      }
      return x.length - y.length;
    };
    const sign = truthy(a.reverse) ? -1 : 1;
    const keyed = this.rows.map((row, i) => ({ key: keyOf(row, i), values: this[VALUES][i] ?? [] }));
    keyed.sort((x, y) => sign * cmp(x.key, y.key));
    return new AgateTable(this.column_names, this[TYPE_NAMES], keyed.map((k) => k.values), { output: this[OUTPUT] });
  }

  /** agate's `distinct(key=None)`: the first row of each distinct key (a column, a list of columns, a macro of the row, or the whole row). */
  distinct(...args: unknown[]): AgateTable {
    const { key } = callArgs(args, ['key']);
    const keyOf = key === undefined || key === null ? (_row: Row, i: number) => [...(this[VALUES][i] ?? [])] : this.rowKey(key, 'distinct');
    const seen = new Set<unknown>();
    const kept = this[VALUES].filter((_v, i) => {
      const k = keyOf(this.rows[i] as Row, i);
      const id = JSON.stringify((Array.isArray(k) ? k : [k]).map(groupKey));
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    return new AgateTable(this.column_names, this[TYPE_NAMES], kept, { output: this[OUTPUT] });
  }

  /** A row's key for order_by / distinct: a column's value, a list of column values, or what a macro of the row returns. */
  private rowKey(key: unknown, method: string): (row: Row, i: number) => unknown {
    if (typeof key === 'function') return (row) => (key as (r: Row) => unknown)(row);
    const names = this.keyList(key, method);
    const idx = names.map((n) => this.column_names.indexOf(n));
    if (typeof key === 'string') return (_row, i) => this[VALUES][i]?.[idx[0] ?? -1] ?? null;
    return (_row, i) => idx.map((j) => this[VALUES][i]?.[j] ?? null);
  }

  /**
   * agate's `rename(column_names)`: new column names from a dict (old name to new; names not in it
   * stay) or a list (every name, in order). Elementary lower-cases query result columns with it.
   * Row names and slugs (`row_names`, `slug_columns`, `slug_rows`) are not supported.
   */
  rename(...args: unknown[]): AgateTable {
    const a = callArgs(args, ['column_names', 'row_names', 'slug_columns', 'slug_rows']);
    if ((a.row_names !== undefined && a.row_names !== null) || a.slug_columns === true || a.slug_rows === true) {
      throw tableError('rename(): only column_names is supported (row names and slugs are not)');
    }
    const given = a.column_names;
    let names: string[];
    if (given === undefined || given === null) names = [...this.column_names];
    else if (Array.isArray(given)) {
      if (given.length !== this.column_names.length) throw tableError(`rename(): ${given.length} names given for ${this.column_names.length} columns`);
      names = given.map(String);
    } else if (typeof given === 'object') {
      const map = given as Record<string, unknown>;
      names = this.column_names.map((n) => (Object.hasOwn(map, n) ? String(map[n]) : n));
    } else throw tableError('rename(): column_names must be a dict (old name to new) or a list of names');
    return new AgateTable(names, this[TYPE_NAMES], this[VALUES], { output: this[OUTPUT] });
  }

  /**
   * agate's `group_by(key, key_name=None, key_type=None)`: a TableSet of this table's rows split by
   * the `key` column's value (or by what `key(row)` returns, a Text key named `group`), each group
   * a table with every column, in the order its key first appears.
   */
  group_by(...args: unknown[]): TableSet<AgateTable> {
    const a = callArgs(args, ['key', 'key_name', 'key_type']);
    const byFunction = typeof a.key === 'function';
    let keyOf: (row: Row, i: number) => unknown;
    let keyName: string;
    let keyType: DataType;
    if (byFunction) {
      const fn = a.key as (row: Row) => unknown;
      keyOf = (row) => {
        const v = fn(row);
        return v === null || v === undefined ? null : pyStr(v);
      };
      keyName = 'group';
      keyType = dataType('Text');
    } else {
      const [column] = this.keyList(a.key, 'group_by');
      const index = this.column_names.indexOf(column ?? '');
      keyOf = (_row, i) => this[VALUES][i]?.[index] ?? null;
      keyName = column ?? '';
      keyType = this.column_types[index] ?? dataType('Text');
    }
    if (typeof a.key_name === 'string') keyName = a.key_name;
    if (a.key_type instanceof DataType) keyType = a.key_type;
    const groups = new Map<unknown, { key: unknown; rows: (readonly unknown[])[] }>();
    this.rows.forEach((row, i) => {
      const key = keyOf(row, i);
      const id = groupKey(key);
      const group = groups.get(id) ?? { key, rows: [] };
      group.rows.push(this[VALUES][i] ?? []);
      groups.set(id, group);
    });
    const fork = (rows: readonly (readonly unknown[])[]) => new AgateTable(this.column_names, this[TYPE_NAMES], rows, { output: this[OUTPUT] });
    // agate: no rows give one empty table under no key.
    if (groups.size === 0) return new TableSet([], [fork([])], keyName, keyType);
    const list = [...groups.values()];
    return new TableSet(
      list.map((g) => g.key),
      list.map((g) => fork(g.rows)),
      keyName,
      keyType,
    );
  }

  /**
   * Writes the table as text (`| a | b |` lines) and returns '' so `{{ t.print_table() }}`
   * renders nothing. Arguments as agate's: max_rows=20, max_columns=6, output, max_column_width=20,
   * locale (ignored), max_precision=3; None for max_rows / max_columns means all.
   */
  print_table(...args: unknown[]): string {
    printTable(this.column_names, this[TYPE_NAMES], this[VALUES], this[OUTPUT], args);
    return '';
  }

  /**
   * agate's `to_json(path, key=None, newline=False, indent=None)`: the rows as JSON objects, each
   * value through its column type's `jsonify`, written to `path` (relative to the working directory,
   * its folder made as agate makes it): a list, one object per line with `newline`, or an object
   * keyed by the `key` column's text. re_data's generate_overview writes its overview.json so.
   */
  to_json(...args: unknown[]): null {
    const a = callArgs(args, ['path', 'key', 'newline', 'indent']);
    if (typeof a.path !== 'string') throw tableError('to_json() needs a file path');
    const rowObject = (values: readonly unknown[]) => this.jsonRow(values);
    const indent = a.indent === undefined || a.indent === null ? null : Number(a.indent);
    let text: string;
    if (a.key !== undefined && a.key !== null) {
      const keyIndex = this.column_names.indexOf(String(a.key));
      if (keyIndex < 0) throw tableError(`to_json(): the table has no column '${String(a.key)}' to key by`);
      const keyed: Record<string, unknown> = {};
      for (const values of this[VALUES]) {
        const k = String(values[keyIndex]);
        if (Object.hasOwn(keyed, k)) throw tableError(`to_json(): value ${k} is not unique in key column '${String(a.key)}'`);
        keyed[k] = rowObject(values);
      }
      text = pyJson(keyed, indent);
    } else if (a.newline === true) text = this[VALUES].map((values) => `${pyJson(rowObject(values))}\n`).join('');
    else text = pyJson(this[VALUES].map(rowObject), indent);
    const dir = path.dirname(a.path);
    if (dir) mkdirSync(dir, { recursive: true });
    writeFileSync(a.path, text);
    return null;
  }

  /** One row as agate's to_json writes it: each value through its column type's `jsonify` (a Number as a float, `3.0`). */
  jsonRow(values: readonly unknown[]): Record<string, unknown> {
    const types = this.column_types;
    return Object.fromEntries(this.column_names.map((name, i) => [name, types[i]?.jsonify(values[i]) ?? null]));
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
      idx.map((i) => this[TYPE_NAMES][i] ?? 'Text'),
      this[VALUES].map((r) => idx.map((i) => r[i])),
      { output: this[OUTPUT] },
    );
  }
}
