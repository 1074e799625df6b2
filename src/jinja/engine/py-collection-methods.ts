// Python `list` and `dict` methods callable on template values: append/extend/pop/insert/...
// and items/keys/values/get/update/pop/setdefault/copy.
import { eq, iter, pyCompare } from './py-ops.js';
import { pyRepr } from './py-repr.js';
import type { PyMethod } from './py-str-methods.js';
import { Undef, nullProto, numberOf, renderError, tuple } from './values.js';
import { beforeChange } from './change-watch.js';
import { copyDict, deleteItem, dictEntries, dictKey, dictKeys, keyOf, lookupKey, setItem, storedKeys } from './py-dict.js';

function at(args: unknown[], i: number, dflt?: unknown): unknown {
  const v = args[i];
  return v === undefined || v instanceof Undef ? dflt : v;
}

function index(list: unknown[], i: unknown, what: string): number {
  const n = numberOf(i) ?? 0;
  const idx = n < 0 ? list.length + n : n;
  if (idx < 0 || idx >= list.length) throw renderError(`${what} index out of range`);
  return idx;
}

/** Python list methods. They mutate the list in place and return None, as in Python. */
export const listMethods: Record<string, PyMethod<unknown[]>> = nullProto<Record<string, PyMethod<unknown[]>>>({
  append: (l, a) => {
    beforeChange(l);
    l.push(a[0]);
    return null;
  },
  extend: (l, a) => {
    beforeChange(l);
    l.push(...iter(a[0]));
    return null;
  },
  insert: (l, a) => {
    beforeChange(l);
    const n = numberOf(a[0]) ?? 0;
    const i = n < 0 ? Math.max(0, l.length + n) : Math.min(n, l.length);
    l.splice(i, 0, a[1]);
    return null;
  },
  pop: (l, a) => {
    beforeChange(l);
    if (l.length === 0) throw renderError('pop from empty list');
    return l.splice(index(l, at(a, 0, -1), 'pop'), 1)[0];
  },
  remove: (l, a) => {
    beforeChange(l);
    const i = l.findIndex((x) => eq(x, a[0]));
    if (i < 0) throw renderError('list.remove(x): x not in list');
    l.splice(i, 1);
    return null;
  },
  index: (l, a) => {
    const i = l.findIndex((x) => eq(x, a[0]));
    if (i < 0) throw renderError(`${pyRepr(a[0])} is not in list`);
    return i;
  },
  count: (l, a) => l.filter((x) => eq(x, a[0])).length,
  reverse: (l) => {
    beforeChange(l);
    l.reverse();
    return null;
  },
  sort: (l, a, k) => {
    beforeChange(l);
    l.sort((x, y) => pyCompare(x, y));
    if (k.reverse === true || a[1] === true) l.reverse();
    return null;
  },
  copy: (l) => l.slice(),
  clear: (l) => {
    beforeChange(l);
    l.length = 0;
    return null;
  },
});

type Dict = Record<string, unknown>;

export { dictKeys } from './py-dict.js';

/** A frozen dict (shared by every render) cannot change: say so, and what to do. A watched one's watcher hears of the change first. */
function writable(d: Dict): Dict {
  if (Object.isFrozen(d)) throw renderError('this dict is read-only (shared by every render): change a copy, e.g. node.copy()');
  beforeChange(d);
  return d;
}

/** Python dict methods. `items()` returns a list of (key, value) tuples; keys keep their type (py-dict.ts). */
export const dictMethods: Record<string, PyMethod<Dict>> = nullProto<Record<string, PyMethod<Dict>>>({
  items: (d) => dictEntries(d).map((e) => tuple(e)),
  keys: (d) => dictKeys(d),
  values: (d) => storedKeys(d).map((k) => d[k]),
  get: (d, a) => {
    const key = lookupKey(a[0]);
    return Object.prototype.hasOwnProperty.call(d, key) || (key in d && !(key in Object.prototype))
      ? d[key]
      : at(a, 1, null);
  },
  update: (d, a, k) => {
    writable(d);
    const other = a[0];
    if (Array.isArray(other)) {
      for (const pair of other) {
        const [key, value] = iter(pair);
        setItem(d, key, value);
      }
    } else if (other && typeof other === 'object' && !(other instanceof Undef)) {
      for (const [key, value] of dictEntries(other)) setItem(d, key, value);
    }
    for (const key of storedKeys(k)) d[key] = k[key];
    return null;
  },
  pop: (d, a) => {
    writable(d);
    const key = lookupKey(a[0]);
    if (Object.prototype.hasOwnProperty.call(d, key)) {
      const v = d[key];
      deleteItem(d, key);
      return v;
    }
    if (a.length > 1) return a[1];
    throw renderError(`KeyError: ${pyRepr(a[0])}`);
  },
  setdefault: (d, a) => {
    writable(d);
    const key = dictKey(a[0]);
    if (!Object.prototype.hasOwnProperty.call(d, key)) setItem(d, a[0], at(a, 1, null));
    return d[key];
  },
  popitem: (d) => {
    writable(d);
    const keys = storedKeys(d);
    const last = keys[keys.length - 1];
    if (last === undefined) throw renderError("KeyError: 'popitem(): dictionary is empty'");
    const pair = tuple([keyOf(d, last), d[last]]);
    deleteItem(d, last);
    return pair;
  },
  copy: (d) => copyDict(d),
  fromkeys: (_d, a) => {
    const out: Record<string, unknown> = {};
    for (const key of iter(a[0])) setItem(out, key, at(a, 1, null));
    return out;
  },
  clear: (d) => {
    writable(d);
    for (const key of storedKeys(d)) deleteItem(d, key);
    return null;
  },
});
