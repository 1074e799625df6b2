// agate's Column: one column of a table, its name, type and values (`column.values()`,
// `column[0]`, `column[-1]`).
import { tuple } from '../../engine/index.js';
import { jsonValue, sequenceRepr, VALUES } from './sequence.js';
import type { AgateTypeName } from './values.js';
import { dataType, type DataType } from './data-types.js';
import { PyDatetime } from '../datetime/index.js';

/** The Proxy handler that lets `column[0]` / `column[-1]` read a column's values. */
export const columnIndexing: ProxyHandler<Column> = {
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
  /** The agate type (`Text`, `Number`, ...): a DataType, with agate's `jsonify` and `csvify`. */
  readonly data_type: DataType;
  readonly [VALUES]: readonly (readonly unknown[])[];

  constructor(index: number, name: string, typeName: AgateTypeName, rows: readonly (readonly unknown[])[]) {
    this.index = index;
    this.name = name;
    this.data_type = dataType(typeName);
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
      const key = v instanceof PyDatetime ? `datetime:${v.date.getTime()}:${v.tzinfo?.toString() ?? ''}` : v;
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

  /** Python truth: agate's Column is a MappedSequence of its values, false when the table has no rows. */
  __bool__(): boolean {
    return this[VALUES].length > 0;
  }

  toJSON(): unknown[] {
    return this.values().map(jsonValue);
  }

  toString(): string {
    return sequenceRepr('Column', this.values());
  }
}
