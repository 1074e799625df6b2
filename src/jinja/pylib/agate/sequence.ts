// agate's MappedSequence (values in order, each under a key) and its Row, with the per-layout
// accessors (`row[0]`, `row[-1]`, `row.id`) described in table.ts.
import { pyRepr, tuple } from '../../engine/index.js';
import { callArgs } from '../args/index.js';
import { PyDatetime } from '../datetime/index.js';

const KEYS: unique symbol = Symbol('agate.keys');
export const VALUES: unique symbol = Symbol('agate.values');

/** A value as JSON should carry it: datetimes as ISO text. */
export function jsonValue(v: unknown): unknown {
  return v instanceof PyDatetime ? v.isoformat() : v;
}

/** agate's repr of a sequence: at most five values, then `...`. */
export function sequenceRepr(kind: string, values: readonly unknown[]): string {
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

  /** Python truth: agate's MappedSequence has `__len__`, so an empty one (no rows, a row of no values) is false. */
  __bool__(): boolean {
    return this[VALUES].length > 0;
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

type SequenceClass<S, T> = new (keys: readonly string[], values: readonly T[]) => S;

/** A subclass of `base` whose instances read position `i`, `i - n` and each key as properties. */
export function withAccessors<T, S extends MappedSequence<T>>(base: SequenceClass<S, T>, keys: readonly string[]): SequenceClass<S, T> {
  const layout = class extends (base as SequenceClass<MappedSequence<T>, T>) {};
  Object.defineProperty(layout, 'name', { value: base.name });
  const proto = layout.prototype as object;
  const n = keys.length;
  const define = (prop: string, i: number) =>
    Object.defineProperty(proto, prop, {
      get(this: MappedSequence<T>) {
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
  return layout as unknown as SequenceClass<S, T>;
}
