// Python `set` methods callable on template values (dbt's `set()` / `set_strict()` make a JavaScript
// Set): union/intersection/difference/symmetric_difference with any iterables, the subset tests,
// and add/discard/remove/pop/update/clear/copy, which mutate in place and return None as in Python.
import { iter } from './py-ops.js';
import type { PyMethod } from './py-str-methods.js';
import { nullProto, renderError } from './values.js';

type PySet = Set<unknown>;

/** Every argument's items (Python's set methods take any number of iterables). */
function others(args: unknown[]): unknown[][] {
  return args.map((a) => iter(a));
}

export const setMethods: Record<string, PyMethod<PySet>> = nullProto<Record<string, PyMethod<PySet>>>({
  union: (s, a) => new Set([...s, ...others(a).flat()]),
  intersection: (s, a) => {
    const sets = others(a).map((items) => new Set(items));
    return new Set([...s].filter((x) => sets.every((o) => o.has(x))));
  },
  difference: (s, a) => {
    const drop = new Set(others(a).flat());
    return new Set([...s].filter((x) => !drop.has(x)));
  },
  symmetric_difference: (s, a) => {
    const other = new Set(iter(a[0]));
    return new Set([...[...s].filter((x) => !other.has(x)), ...[...other].filter((x) => !s.has(x))]);
  },
  issubset: (s, a) => {
    const other = new Set(iter(a[0]));
    return [...s].every((x) => other.has(x));
  },
  issuperset: (s, a) => iter(a[0]).every((x) => s.has(x)),
  isdisjoint: (s, a) => !iter(a[0]).some((x) => s.has(x)),
  copy: (s) => new Set(s),
  add: (s, a) => {
    s.add(a[0]);
    return null;
  },
  discard: (s, a) => {
    s.delete(a[0]);
    return null;
  },
  remove: (s, a) => {
    if (!s.delete(a[0])) throw renderError(`KeyError: ${String(a[0])}`);
    return null;
  },
  pop: (s) => {
    if (s.size === 0) throw renderError("'pop from an empty set'");
    const first = s.values().next().value;
    s.delete(first);
    return first;
  },
  update: (s, a) => {
    for (const x of others(a).flat()) s.add(x);
    return null;
  },
  intersection_update: (s, a) => {
    const sets = others(a).map((items) => new Set(items));
    for (const x of [...s]) if (!sets.every((o) => o.has(x))) s.delete(x);
    return null;
  },
  difference_update: (s, a) => {
    for (const x of others(a).flat()) s.delete(x);
    return null;
  },
  clear: (s) => {
    s.clear();
    return null;
  },
});
