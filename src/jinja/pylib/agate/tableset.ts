// agate's TableSet, what `table.group_by(key)` returns: the groups' tables, each under its key, in
// the order the keys first appear. Templates read it as a mapping (`tableset.items()`, `keys()`,
// `values()`, `tableset['a']`, `tableset.get('a')`) or iterate its tables; Elementary's
// upload_dbt_artifacts groups the stored artifact hashes so. `key_name` and `key_type` are agate's.
import { pyStr, tuple } from '../../engine/index.js';
import { callArgs } from '../args/index.js';
import type { DataType } from './data-types.js';
import { PyDatetime } from '../datetime/index.js';

/** A group key as a Map key: datetimes by their text, other values as they are. */
export function groupKey(value: unknown): unknown {
  return value instanceof PyDatetime ? `datetime:${pyStr(value)}` : value;
}

/** `tableset['a']` by key, `tableset[0]` by position when no key is `0`. */
function keyIndexing<T>(): ProxyHandler<TableSet<T>> {
  return {
    get(target, prop, receiver) {
      if (typeof prop === 'string' && !(prop in target)) {
        const found = target.lookup(prop);
        if (found !== undefined) return found;
        if (/^-?\d+$/.test(prop)) {
          const tables = target.values();
          const i = Number(prop) < 0 ? tables.length + Number(prop) : Number(prop);
          return tables[i];
        }
      }
      return Reflect.get(target, prop, receiver) as unknown;
    },
  };
}

/** `T`: the table type (agate's Table; generic so this module does not import table.ts, which imports it). */
export class TableSet<T> implements Iterable<T> {
  private readonly groupKeys: readonly unknown[];
  private readonly tables: readonly T[];

  constructor(
    keys: readonly unknown[],
    tables: readonly T[],
    readonly key_name: string,
    readonly key_type: DataType,
  ) {
    this.groupKeys = keys;
    this.tables = tables;
    return new Proxy(this, keyIndexing<T>());
  }

  keys(): unknown[] {
    return tuple([...this.groupKeys]);
  }

  values(): T[] {
    return tuple([...this.tables]) as T[];
  }

  items(): [unknown, T][] {
    return this.groupKeys.map((k, i) => tuple([k, this.tables[i]]) as [unknown, T]);
  }

  /** `tableset.get(key, default=None)`. */
  get(...args: unknown[]): unknown {
    const a = callArgs(args, ['key', 'default']);
    return this.lookup(a.key) ?? a.default ?? null;
  }

  /** The table of the group `key` (a key written as text finds a group of that text), or undefined. */
  lookup(key: unknown): T | undefined {
    const wanted = groupKey(key);
    const i = this.groupKeys.findIndex((k) => groupKey(k) === wanted);
    return i >= 0 ? this.tables[i] : undefined;
  }

  get length(): number {
    return this.tables.length;
  }

  [Symbol.iterator](): Iterator<T> {
    return this.tables[Symbol.iterator]();
  }

  toString(): string {
    return `<agate.TableSet: ${this.tables.length} tables>`;
  }
}
