// Python's character-table methods on template strings: `s.maketrans(x, y, z)` builds the table
// (a dict from code points to code points, strings or None) and `s.translate(table)` applies it,
// as dbt packages use to drop punctuation: `s.translate(s.maketrans('', '', '()'))`.
import { dictEntries, setItem } from './py-dict.js';
import { isPlainObject, numberOf, renderError, typeName, Undef } from './values.js';

const codePoint = (ch: string): number => ch.codePointAt(0) as number;

/** `str.maketrans(x[, y[, z]])`: the translation table `translate` reads. */
export function maketrans(args: unknown[]): Record<string, unknown> {
  const given = args.filter((a) => !(a instanceof Undef));
  if (given.length === 0 || given.length > 3) throw renderError(`maketrans() takes from 1 to 3 arguments (${given.length} given)`);
  const [x, y, z] = given;
  const table: Record<string, unknown> = {};
  if (given.length === 1) {
    if (!isPlainObject(x)) throw renderError('if you give only one argument to maketrans it must be a dict');
    for (const [key, value] of dictEntries(x)) {
      if (typeof key === 'string') {
        if (Array.from(key).length !== 1) throw renderError('string keys in translate table must be of length 1');
        setItem(table, codePoint(key), value);
      } else {
        const n = numberOf(key);
        if (n === undefined) throw renderError('keys in translate table must be strings or integers');
        setItem(table, n, value);
      }
    }
    return table;
  }
  if (typeof x !== 'string' || typeof y !== 'string') throw renderError(`maketrans() argument must be str, not ${typeName(typeof x === 'string' ? y : x)}`);
  const from = Array.from(x);
  const to = Array.from(y);
  if (from.length !== to.length) throw renderError('the first two maketrans arguments must have equal length');
  from.forEach((ch, i) => setItem(table, codePoint(ch), codePoint(to[i] as string)));
  if (z !== undefined) {
    if (typeof z !== 'string') throw renderError(`maketrans() argument 3 must be str, not ${typeName(z)}`);
    for (const ch of z) setItem(table, codePoint(ch), null);
  }
  return table;
}

/** What the table holds for a code point: undefined when it has no entry (the character stays). */
function lookup(table: unknown, cp: number): unknown {
  if (Array.isArray(table)) return cp < table.length ? (table[cp] as unknown) : undefined;
  if (isPlainObject(table)) return Object.hasOwn(table, String(cp)) ? table[String(cp)] : undefined;
  throw renderError(`'${typeName(table)}' object is not subscriptable`);
}

/** `str.translate(table)`: each character mapped through the table; None deletes it. */
export function translate(s: string, table: unknown): string {
  let out = '';
  for (const ch of s) {
    const to = lookup(table, codePoint(ch));
    if (to === undefined || to instanceof Undef) out += ch;
    else if (to === null) continue;
    else if (typeof to === 'string') out += to;
    else {
      const n = numberOf(to);
      if (n === undefined) throw renderError('character mapping must return integer, None or str');
      out += String.fromCodePoint(n);
    }
  }
  return out;
}
