// Jinja2's sequence filters: join/list/first/last/unique/sort/map/select/reject/selectattr/
// rejectattr/batch/dictsort/items/reverse/sum/min/max/attr/groupby/slice.
import { type FilterFn, opt } from './filters-text.js';
import type { TestFn } from './jinja-tests.js';
import { getattr, getitem } from './member.js';
import { dictEntries } from './py-dict.js';
import { add, eq, iter, pyCompare, truthy } from './py-ops.js';
import { pyStr } from './py-repr.js';
import { Undef, isPlainObject, numberOf, renderError, tuple } from './values.js';

/** Resolves filters and tests by name (for `map('upper')`, `select('odd')`). */
export interface FilterResolver {
  filter(name: string): FilterFn;
  test(name: string): TestFn;
}

function attrGetter(attribute: unknown, dflt?: unknown): (item: unknown) => unknown {
  if (attribute === null || attribute === undefined) return (x) => x;
  // sort(attribute='a,b'): several attributes, compared in order.
  if (typeof attribute === 'string' && attribute.includes(',')) {
    const getters = attribute.split(',').map((part) => attrGetter(part.trim(), dflt));
    return (item) => getters.map((get) => get(item));
  }
  const parts = String(attribute).split('.').map((p) => (/^\d+$/.test(p) ? Number(p) : p));
  return (item) => {
    let v = item;
    for (const p of parts) {
      v = getitem(v, p);
      if (v instanceof Undef) return dflt !== undefined ? dflt : v;
    }
    return v;
  };
}

function sortKey(caseSensitive: boolean): (v: unknown) => unknown {
  return (v) => (!caseSensitive && typeof v === 'string' ? v.toLowerCase() : v);
}

function first(v: unknown): unknown {
  for (const x of iter(v)) return x;
  return new Undef('No first item, sequence was empty.');
}

function selectOrReject(r: FilterResolver, keep: boolean, byAttr: boolean): FilterFn {
  return (value, args) => {
    let get: (x: unknown) => unknown = (x) => x;
    let rest = args;
    if (byAttr) {
      get = attrGetter(args[0]);
      rest = args.slice(1);
    }
    const test: TestFn = rest.length ? r.test(String(rest[0])) : (x) => truthy(x);
    const testArgs = rest.slice(1);
    return falsyIsEmpty(value).filter((x) => test(get(x), ...testArgs) === keep);
  };
}

/** Jinja2's map / select / reject skip a falsy sequence (`none | map('lower')` is empty). */
function falsyIsEmpty(value: unknown): unknown[] {
  return truthy(value) ? iter(value) : [];
}

function sortItems(value: unknown, reverse: boolean, caseSensitive: boolean, attribute: unknown, dflt?: unknown): unknown[] {
  const lower = sortKey(caseSensitive);
  const key = (v: unknown) => (Array.isArray(v) ? v.map(lower) : lower(v));
  const get = attrGetter(attribute, dflt);
  const items = iter(value).slice();
  items.sort((a, b) => pyCompare(key(get(a)), key(get(b))));
  if (reverse) items.reverse();
  return items;
}

/** Builds the collection filters; `r` gives access to the environment's filters and tests. */
export function collectionFilters(r: FilterResolver): Record<string, FilterFn> {
  return {
    join: (v, a, k) => {
      const get = attrGetter(opt(a, k, 1, 'attribute', null));
      return iter(v).map((x) => pyStr(get(x))).join(pyStr(opt(a, k, 0, 'd', '')));
    },
    list: (v) => iter(v).slice(),
    first: (v) => first(v),
    last: (v) => {
      const items = iter(v);
      return items.length ? items[items.length - 1] : new Undef('No last item, sequence was empty.');
    },
    reverse: (v) => (typeof v === 'string' ? Array.from(v).reverse().join('') : iter(v).slice().reverse()),
    unique: (v, a, k) => {
      const key = sortKey(truthy(opt(a, k, 0, 'case_sensitive', false)));
      const get = attrGetter(opt(a, k, 1, 'attribute', null));
      const seen: unknown[] = [];
      const out: unknown[] = [];
      for (const x of iter(v)) {
        const kx = key(get(x));
        if (!seen.some((s) => eq(s, kx))) {
          seen.push(kx);
          out.push(x);
        }
      }
      return out;
    },
    sort: (v, a, k) =>
      sortItems(v, truthy(opt(a, k, 0, 'reverse', false)), truthy(opt(a, k, 1, 'case_sensitive', false)), opt(a, k, 2, 'attribute', null)),
    dictsort: (v, a, k) => {
      // Jinja2 reads `value.items()`: an Undefined raises, dbt's parse-time one gives itself back
      // and sorts as empty.
      if (v instanceof Undef) {
        getattr(v, 'items');
        return [];
      }
      const caseSensitive = truthy(opt(a, k, 0, 'case_sensitive', false));
      const by = String(opt(a, k, 1, 'by', 'key'));
      const reverse = truthy(opt(a, k, 2, 'reverse', false));
      const items = dictEntries(v as object).map((e) => tuple(e));
      const idx = by === 'value' ? 1 : 0;
      return sortItems(items, reverse, caseSensitive, idx);
    },
    items: (v) => (v instanceof Undef ? [] : dictEntries(v as object).map((e) => tuple(e))),
    map: (v, a, k) => {
      if ('attribute' in k) return falsyIsEmpty(v).map(attrGetter(k.attribute, k.default));
      if (a.length === 0) throw renderError('map requires a filter name or attribute=');
      const f = r.filter(String(a[0]));
      const rest = a.slice(1);
      return falsyIsEmpty(v).map((x) => f(x, rest, k));
    },
    select: selectOrReject(r, true, false),
    reject: selectOrReject(r, false, false),
    selectattr: selectOrReject(r, true, true),
    rejectattr: selectOrReject(r, false, true),
    batch: (v, a, k) => {
      const size = numberOf(opt(a, k, 0, 'linecount', 1)) ?? 1;
      const fill = opt(a, k, 1, 'fill_with', null);
      const out: unknown[][] = [];
      let cur: unknown[] = [];
      for (const x of iter(v)) {
        cur.push(x);
        if (cur.length === size) {
          out.push(cur);
          cur = [];
        }
      }
      if (cur.length) {
        if (fill !== null && fill !== undefined) while (cur.length < size) cur.push(fill);
        out.push(cur);
      }
      return out;
    },
    slice: (v, a, k) => {
      const n = numberOf(opt(a, k, 0, 'slices', 1)) ?? 1;
      const fill = opt(a, k, 1, 'fill_with', null);
      const items = iter(v);
      const per = Math.floor(items.length / n);
      const extra = items.length % n;
      const out: unknown[][] = [];
      let offset = 0;
      for (let i = 0; i < n; i++) {
        const size = per + (i < extra ? 1 : 0);
        const part = items.slice(offset, offset + size);
        offset += size;
        if (fill !== null && fill !== undefined && i >= extra && extra > 0) part.push(fill);
        out.push(part);
      }
      return out;
    },
    sum: (v, a, k) => {
      const get = attrGetter(opt(a, k, 0, 'attribute', null));
      return iter(v).reduce((acc, x) => add(acc, get(x)), opt(a, k, 1, 'start', 0));
    },
    min: (v, a, k) => extreme(v, a, k, -1),
    max: (v, a, k) => extreme(v, a, k, 1),
    // `attr` reads an attribute, never a dict item (Jinja2: `{'a': 1} | attr('a')` is undefined).
    attr: (v, a) => (isPlainObject(v) ? new Undef(`'dict object' has no attribute '${pyStr(a[0])}'`) : getattr(v, pyStr(a[0]))),
    groupby: (v, a, k) => {
      const get = attrGetter(opt(a, k, 0, 'attribute', null), opt(a, k, 1, 'default', undefined));
      const groups: { grouper: unknown; list: unknown[] }[] = [];
      for (const x of sortItems(v, false, truthy(opt(a, k, 2, 'case_sensitive', false)), opt(a, k, 0, 'attribute', null), opt(a, k, 1, 'default', undefined))) {
        const g = get(x);
        const last = groups[groups.length - 1];
        if (last && eq(last.grouper, g)) last.list.push(x);
        else groups.push({ grouper: g, list: [x] });
      }
      return groups.map((g) => Object.assign(tuple([g.grouper, g.list]), g));
    },
    dict: (v) => (isPlainObject(v) ? { ...v } : Object.fromEntries(iter(v).map((p) => iter(p) as [string, unknown]))),
  };
}

function extreme(v: unknown, a: unknown[], k: Record<string, unknown>, dir: number): unknown {
  const key = sortKey(truthy(opt(a, k, 0, 'case_sensitive', false)));
  const get = attrGetter(opt(a, k, 1, 'attribute', null));
  const items = iter(v);
  if (items.length === 0) return new Undef(`No aggregated item, sequence was empty.`);
  let best = items[0];
  for (const x of items.slice(1)) if (pyCompare(key(get(x)), key(get(best))) * dir > 0) best = x;
  return best;
}
