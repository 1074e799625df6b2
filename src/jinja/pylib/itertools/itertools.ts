// Python's `itertools` for templates (`modules.itertools`). Finite results are Python lists
// (tuples for product/combinations/permutations/zip_longest rows) so templates can iterate,
// index and print them. The infinite iterators (`count`, `cycle`, `repeat` without `times`)
// are lazy and usable through `islice`, `zip`, `zip_longest`, `takewhile`...; iterating one
// directly stops with an error after LAZY_LIMIT items instead of running forever.
import { add, eq, iter, truthy } from '../../engine/py-ops.js';
import { makeFloat, renderError, tuple } from '../../engine/values.js';
import { pyArgs, splitArgs } from '../args/index.js';

/** How many items an infinite iterator yields when iterated without a bound. */
export const LAZY_LIMIT = 100_000;

/** An infinite (or very long) iterator: consumed lazily by the functions here and by `zip`. */
export class LazyIterable {
  constructor(
    readonly label: string,
    private readonly make: () => Iterator<unknown>,
  ) {}
  /** Lazy iteration for itertools and zip. */
  lazy(): Iterator<unknown> {
    return this.make();
  }
  /** What a template `for` loop (or `list()`) sees: capped, since Python would never end. */
  *[Symbol.iterator](): Iterator<unknown> {
    const it = this.make();
    for (let n = 0; ; n++) {
      const r = it.next();
      if (r.done) return;
      if (n >= LAZY_LIMIT) {
        throw renderError(`itertools.${this.label} is infinite: bound it with islice(), zip() or takewhile()`);
      }
      yield r.value;
    }
  }
  toString(): string {
    return this.label;
  }
}

/** A lazy iterator over any template value (lists, strings, dicts, sets, lazy iterables). */
export function lazyIter(v: unknown): Iterator<unknown> {
  if (v instanceof LazyIterable) return v.lazy();
  return iter(v)[Symbol.iterator]();
}

function call(fn: unknown, ...args: unknown[]): unknown {
  if (typeof fn !== 'function') throw renderError(`'${fn === null ? 'NoneType' : typeof fn}' object is not callable`);
  return (fn as (...a: unknown[]) => unknown)(...args);
}

function intOrNull(name: string, v: unknown): number | null {
  if (v === undefined || v === null) return null;
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  throw renderError(`${name} must be an integer or None`);
}

/** Python's error for a positional-only itertools function given keywords (`tee(x, n=3)`). */
function positionalOnly(fn: string, args: unknown[]): unknown[] {
  const [pos, kw] = splitArgs(args);
  if (Object.keys(kw).length > 0) throw renderError(`${fn}() takes no keyword arguments`);
  return pos;
}

function product(...args: unknown[]): unknown[][] {
  const [pos, kw] = splitArgs(args);
  const repeat = kw.repeat === undefined ? 1 : (intOrNull('repeat', kw.repeat) ?? 1);
  if (repeat < 0) throw renderError('repeat argument cannot be negative');
  const pools: unknown[][] = [];
  const lists = pos.map((p) => iter(p));
  for (let r = 0; r < repeat; r++) pools.push(...lists);
  let out: unknown[][] = [[]];
  for (const pool of pools) out = out.flatMap((prefix) => pool.map((x) => [...prefix, x]));
  return out.map((row) => tuple(row));
}

function combinations(iterable: unknown, r: unknown, withReplacement: boolean): unknown[][] {
  const pool = iter(iterable);
  const k = intOrNull('r', r);
  if (k === null) throw renderError(`combinations() missing required argument 'r' (pos 2)`);
  if (k < 0) throw renderError('r must be non-negative');
  const out: unknown[][] = [];
  const rec = (start: number, chosen: unknown[]) => {
    if (chosen.length === k) {
      out.push(tuple([...chosen]));
      return;
    }
    for (let i = start; i < pool.length; i++) {
      chosen.push(pool[i]);
      rec(withReplacement ? i : i + 1, chosen);
      chosen.pop();
    }
  };
  rec(0, []);
  return out;
}

function permutations(iterable: unknown, r: unknown): unknown[][] {
  const pool = iter(iterable);
  const k = intOrNull('r', r) ?? pool.length;
  if (k < 0) throw renderError('r must be non-negative');
  const out: unknown[][] = [];
  const used = new Array<boolean>(pool.length).fill(false);
  const rec = (chosen: unknown[]) => {
    if (chosen.length === k) {
      out.push(tuple([...chosen]));
      return;
    }
    for (let i = 0; i < pool.length; i++) {
      if (used[i]) continue;
      used[i] = true;
      chosen.push(pool[i]);
      rec(chosen);
      chosen.pop();
      used[i] = false;
    }
  };
  if (k <= pool.length) rec([]);
  return out;
}

function groupby(...args: unknown[]): unknown[][] {
  const a = pyArgs('groupby', args, ['iterable', 'key'], 1);
  const key = a.key === undefined || a.key === null ? (x: unknown) => x : (x: unknown) => call(a.key, x);
  const out: unknown[][] = [];
  let current: { k: unknown; items: unknown[] } | null = null;
  for (const item of iter(a.iterable)) {
    const k = key(item);
    if (current && pyEquals(current.k, k)) {
      current.items.push(item);
    } else {
      current = { k, items: [item] };
      out.push(tuple([k, current.items]));
    }
  }
  return out;
}

function pyEquals(a: unknown, b: unknown): boolean {
  if (a !== null && typeof a === 'object' && typeof (a as { __eq__?: unknown }).__eq__ === 'function') {
    return (a as { __eq__(o: unknown): boolean }).__eq__(b) === true;
  }
  return eq(a, b);
}

function islice(iterable: unknown, ...rest: unknown[]): unknown[] {
  let start = 0;
  let stop: number | null;
  let step = 1;
  if (rest.length === 0) throw renderError('islice expected at least 2 arguments, got 1');
  if (rest.length === 1) stop = intOrNull('Stop argument for islice()', rest[0]);
  else {
    start = intOrNull('Indices for islice()', rest[0]) ?? 0;
    stop = intOrNull('Stop argument for islice()', rest[1]);
    step = intOrNull('Step for islice()', rest[2]) ?? 1;
  }
  if (start < 0 || (stop !== null && stop < 0)) {
    throw renderError('Indices for islice() must be None or an integer: 0 <= x <= sys.maxsize.');
  }
  if (step < 1) throw renderError('Step for islice() must be a positive integer or None.');
  if (stop === null && iterable instanceof LazyIterable) {
    throw renderError(`islice() of an infinite ${iterable.label} needs a stop value`);
  }
  const it = lazyIter(iterable);
  const out: unknown[] = [];
  for (let i = 0; stop === null || i < stop; i++) {
    const r = it.next();
    if (r.done) break;
    if (i >= start && (i - start) % step === 0) out.push(r.value);
  }
  return out;
}

function count(...args: unknown[]): LazyIterable {
  const a = pyArgs('count', args, ['start', 'step']);
  const start = a.start ?? 0;
  const step = a.step ?? 1;
  const isFloat = [start, step].some((v) => typeof v === 'number' && !Number.isInteger(v));
  return new LazyIterable(`count(${String(start)}${step === 1 ? '' : `, ${String(step)}`})`, function* () {
    let n: unknown = start;
    for (;;) {
      yield isFloat ? makeFloat(Number(n)) : n;
      n = add(n, step);
    }
  });
}

function repeat(...args: unknown[]): unknown {
  const a = pyArgs('repeat', args, ['object', 'times'], 1);
  const times = intOrNull('times', a.times);
  if (times !== null) return Array.from({ length: Math.max(0, times) }, () => a.object);
  return new LazyIterable('repeat', function* () {
    for (;;) yield a.object;
  });
}

function cycle(iterable: unknown): LazyIterable {
  const items = iter(iterable);
  return new LazyIterable('cycle', function* () {
    if (!items.length) return;
    for (;;) yield* items;
  });
}

/** Python's `zip(*iterables)`, lazy-aware (stops at the shortest, so `zip(count(), xs)` works). */
export function zip(...args: unknown[]): unknown[] {
  const [pos] = splitArgs(args);
  if (!pos.length) return [];
  const its = pos.map(lazyIter);
  const out: unknown[] = [];
  for (;;) {
    const row: unknown[] = [];
    for (const it of its) {
      const r = it.next();
      if (r.done) return out;
      row.push(r.value);
    }
    out.push(tuple(row));
  }
}

function zipLongest(...args: unknown[]): unknown[] {
  const [pos, kw] = splitArgs(args);
  const fill = kw.fillvalue ?? null;
  if (pos.some((p) => p instanceof LazyIterable)) {
    throw renderError('zip_longest() with an infinite iterator never ends: bound it with islice()');
  }
  const its = pos.map(lazyIter);
  const done = its.map(() => false);
  const out: unknown[] = [];
  for (;;) {
    const row: unknown[] = [];
    its.forEach((it, i) => {
      if (done[i]) {
        row.push(fill);
        return;
      }
      const r = it.next();
      if (r.done) {
        done[i] = true;
        row.push(fill);
      } else {
        row.push(r.value);
      }
    });
    if (done.every(Boolean)) return out;
    out.push(tuple(row));
    if (out.length > LAZY_LIMIT) throw renderError('zip_longest() result is too long');
  }
}

function takewhile(predicate: unknown, iterable: unknown): unknown[] {
  const it = lazyIter(iterable);
  const out: unknown[] = [];
  for (let r = it.next(); !r.done; r = it.next()) {
    if (!truthy(call(predicate, r.value))) break;
    out.push(r.value);
    if (out.length > LAZY_LIMIT) throw renderError('takewhile() result is too long');
  }
  return out;
}

function accumulate(...args: unknown[]): unknown[] {
  const a = pyArgs('accumulate', args, ['iterable', 'func', 'initial'], 1);
  const fn = a.func === undefined || a.func === null ? add : (x: unknown, y: unknown) => call(a.func, x, y);
  const out: unknown[] = [];
  let acc: unknown;
  let started = false;
  if (a.initial !== undefined && a.initial !== null) {
    acc = a.initial;
    started = true;
    out.push(acc);
  }
  for (const x of iter(a.iterable)) {
    acc = started ? fn(acc, x) : x;
    started = true;
    out.push(acc);
  }
  return out;
}

/** `modules.itertools` as templates see it. */
export function itertoolsModule() {
  const chain = Object.assign((...iterables: unknown[]) => iterables.flatMap((x) => iter(x)), {
    from_iterable: (iterables: unknown) => iter(iterables).flatMap((x) => iter(x)),
  });
  return {
    chain,
    product,
    // Python binds these by name too: combinations(iterable, r=2), permutations(p, r=2).
    combinations: (...args: unknown[]) => {
      const a = pyArgs('combinations', args, ['iterable', 'r'], 2);
      return combinations(a.iterable, a.r, false);
    },
    combinations_with_replacement: (...args: unknown[]) => {
      const a = pyArgs('combinations_with_replacement', args, ['iterable', 'r'], 2);
      return combinations(a.iterable, a.r, true);
    },
    permutations: (...args: unknown[]) => {
      const a = pyArgs('permutations', args, ['iterable', 'r'], 1);
      return permutations(a.iterable, a.r);
    },
    groupby,
    islice,
    count,
    repeat,
    cycle,
    zip_longest: zipLongest,
    takewhile,
    dropwhile: (...args: unknown[]) => {
      const [predicate, iterable] = positionalOnly('dropwhile', args);
      const items = iter(iterable);
      const i = items.findIndex((x) => !truthy(call(predicate, x)));
      return i < 0 ? [] : items.slice(i);
    },
    filterfalse: (...args: unknown[]) => {
      const [predicate, iterable] = positionalOnly('filterfalse', args);
      return iter(iterable).filter((x) => !truthy(predicate === null ? x : call(predicate, x)));
    },
    compress: (...args: unknown[]) => {
      const a = pyArgs('compress', args, ['data', 'selectors'], 2);
      const sel = iter(a.selectors);
      return iter(a.data).filter((_x, i) => i < sel.length && truthy(sel[i]));
    },
    starmap: (...args: unknown[]) => {
      const [fn, iterable] = positionalOnly('starmap', args);
      return iter(iterable).map((row) => call(fn, ...iter(row)));
    },
    accumulate,
    pairwise: (...args: unknown[]) => {
      const [iterable] = positionalOnly('pairwise', args);
      const items = iter(iterable);
      return items.slice(1).map((x, i) => tuple([items[i], x]));
    },
    batched: (...args: unknown[]) => {
      const a = pyArgs('batched', args, ['iterable', 'n'], 2);
      const size = intOrNull('n', a.n);
      if (size === null || size < 1) throw renderError('n must be at least one');
      const items = iter(a.iterable);
      const out: unknown[] = [];
      for (let i = 0; i < items.length; i += size) out.push(tuple(items.slice(i, i + size)));
      return out;
    },
    tee: (...args: unknown[]) => {
      const [iterable, n = 2] = positionalOnly('tee', args);
      const items = iter(iterable);
      return tuple(Array.from({ length: intOrNull('n', n) ?? 2 }, () => [...items]));
    },
  };
}
