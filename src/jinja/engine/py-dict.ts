// Python dicts are plain JavaScript objects (fast, and what every JavaScript callee expects), so
// their keys are strings. A key that is not a string (a relation, a number, a tuple) is stored
// under its hash string, and the dict remembers the original key in a side table, so
// `{ref('a'): 1}.keys()` gives back the relation, as Python does.
import { Undef, isTuple, numberOf, renderError } from './values.js';

/** The key every Undefined is stored under: Jinja2's Undefined hashes by its type and equals any Undefined (not '', nor any string). */
const UNDEFINED_KEY = '\u0000Undefined';

/** The side table of a dict whose keys are not all strings: hash string -> original key. */
const KEY_OBJECTS: unique symbol = Symbol('jinja.dictKeyObjects');

type Dict = Record<string, unknown>;
type Keyed = Dict & { [KEY_OBJECTS]?: Map<string, unknown> };

/** The string a key is stored under (Python's hash, for the keys templates use). */
export function dictKey(k: unknown): string {
  if (typeof k === 'string') return k;
  const n = numberOf(k);
  if (n !== undefined) return String(n);
  if (k === null) return 'None';
  if (k instanceof Undef) {
    if (k.unimplemented) throw renderError(k.hint);
    return UNDEFINED_KEY;
  }
  if (isTuple(k)) return `(${(k as unknown[]).map((item) => (typeof item === 'string' ? JSON.stringify(item) : dictKey(item))).join(', ')})`;
  // Hashable objects (dbt relations) say how they are keyed.
  if (typeof k === 'object' && typeof (k as { __hash__?: unknown }).__hash__ === 'function') return String((k as { __hash__(): unknown }).__hash__());
  throw renderError(`unhashable type: '${Array.isArray(k) ? 'list' : typeof k === 'object' ? 'dict' : typeof k}'`);
}

/** `dictKey` for lookups, where an unhashable key simply finds nothing. */
export function lookupKey(k: unknown): string {
  try {
    return dictKey(k);
  } catch {
    return String(k);
  }
}

/** `d[k] = v` with Python's keys. */
export function setItem(d: Dict, k: unknown, v: unknown): void {
  const s = dictKey(k);
  d[s] = v;
  const table = (d as Keyed)[KEY_OBJECTS];
  if (typeof k === 'string') {
    table?.delete(s);
    return;
  }
  if (table) table.set(s, k);
  else Object.defineProperty(d, KEY_OBJECTS, { value: new Map([[s, k]]), enumerable: false, configurable: true });
}

/** Deletes a key (by its stored string) and its original. */
export function deleteItem(d: Dict, s: string): void {
  delete d[s];
  (d as Keyed)[KEY_OBJECTS]?.delete(s);
}

/** The original key stored under `s`. */
export function keyOf(d: object, s: string): unknown {
  const table = (d as Keyed)[KEY_OBJECTS];
  return table && table.has(s) ? table.get(s) : s;
}

/** The stored (string) keys of a dict-like object, without the `__keywords` marker of keyword arguments. */
export function storedKeys(d: object): string[] {
  return Object.keys(d).filter((k) => k !== '__keywords');
}

/** A dict's keys as Python sees them (relations, numbers and tuples come back as they went in). */
export function dictKeys(d: object): unknown[] {
  const keys = storedKeys(d);
  const table = (d as Keyed)[KEY_OBJECTS];
  return table ? keys.map((s) => (table.has(s) ? table.get(s) : s)) : keys;
}

/** A dict's (key, value) pairs, keys as Python sees them. */
export function dictEntries(d: object): [unknown, unknown][] {
  const table = (d as Keyed)[KEY_OBJECTS];
  return storedKeys(d).map((s) => [table && table.has(s) ? table.get(s) : s, (d as Dict)[s]]);
}

/** A dict literal with at least one key that is not a string constant: `[k1, v1, k2, v2, ...]`. */
export function dictLiteral(flat: unknown[]): Dict {
  const d: Dict = {};
  for (let i = 0; i < flat.length; i += 2) setItem(d, flat[i], flat[i + 1]);
  return d;
}

/** A shallow copy keeping the original keys. */
export function copyDict(d: object): Dict {
  const out: Dict = {};
  for (const s of storedKeys(d)) out[s] = (d as Dict)[s];
  const table = (d as Keyed)[KEY_OBJECTS];
  if (table) Object.defineProperty(out, KEY_OBJECTS, { value: new Map(table), enumerable: false, configurable: true });
  return out;
}
