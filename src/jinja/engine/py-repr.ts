// Python's str() and repr() for template values: what `{{ value }}` renders
// (`True`, `None`, `[1, 'a']`, `{'a': 1}`, `1.0`).
import { Namespace, PyFloat, Undef, isPlainObject, isTuple } from './values.js';
import { dictEntries } from './py-dict.js';
import { MACRO } from './macro-runtime.js';

/** Python repr of a float. */
export function floatRepr(n: number): string {
  if (Number.isNaN(n)) return 'nan';
  if (!Number.isFinite(n)) return n > 0 ? 'inf' : '-inf';
  if (Number.isInteger(n) && Math.abs(n) < 1e16) return `${n}.0`;
  const s = String(n);
  // JS writes 1e+21 / 1e-7; Python writes 1e+21 / 1e-07.
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

function hasCustomToString(v: object): boolean {
  const ts = (v as { toString?: unknown }).toString;
  return typeof ts === 'function' && ts !== Object.prototype.toString && ts !== Array.prototype.toString;
}

/** Python `str(v)`: strings as-is, None as `None`, Undefined as empty, containers as repr. */
export function pyStr(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v instanceof Undef) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : floatRepr(v);
  // A pylib object with a repr of its own (a date: str 2024-01-31, repr datetime.date(2024, 1, 31)).
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- hasCustomToString: a toString of its own
  if (typeof v === 'object' && v !== null && '__repr__' in v && hasCustomToString(v)) return String(v);
  return pyRepr(v);
}

/** Characters strRepr writes as escapes (besides the quote). */
const NEEDS_ESCAPE = /[\x00-\x1f\x7f\\]/;

/** Python string repr: single quotes unless the text contains `'` and no `"`. */
export function strRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  // Nothing to escape (the common case): no walk through the characters.
  if (!NEEDS_ESCAPE.test(s) && !(quote === "'" && s.includes("'"))) return quote + s + quote;
  let out = '';
  for (const ch of s) {
    if (ch === '\\') out += '\\\\';
    else if (ch === quote) out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else if (ch < ' ' || ch === '\x7f') out += `\\x${ch.charCodeAt(0).toString(16).padStart(2, '0')}`;
    else out += ch;
  }
  return quote + out + quote;
}

function dictRepr(entries: [unknown, unknown][]): string {
  return `{${entries.map(([k, v]) => `${pyRepr(k)}: ${pyRepr(v)}`).join(', ')}}`;
}

/** Python `repr(v)`. */
export function pyRepr(v: unknown): string {
  if (v === null) return 'None';
  if (v === undefined || v instanceof Undef) return '';
  switch (typeof v) {
    case 'string':
      return strRepr(v);
    case 'boolean':
      return v ? 'True' : 'False';
    case 'number':
      return Number.isInteger(v) ? String(v) : floatRepr(v);
    case 'bigint':
      return String(v);
    case 'function': {
      const m = (v as unknown as Record<symbol, { name: string } | undefined>)[MACRO];
      return m ? `<Macro '${m.name}'>` : `<function ${v.name || 'anonymous'}>`;
    }
    default:
      break;
  }
  if (v instanceof PyFloat) return floatRepr(v.valueOf());
  if (Array.isArray(v)) {
    const items = v.map(pyRepr);
    if (isTuple(v)) return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
    return `[${items.join(', ')}]`;
  }
  if (v instanceof Map) return dictRepr([...v.entries()]);
  if (v instanceof Set) return v.size ? `{${[...v].map(pyRepr).join(', ')}}` : 'set()';
  if (v instanceof Namespace) return `<Namespace ${dictRepr(Object.entries(v))}>`;
  if (isPlainObject(v)) return dictRepr(dictEntries(v));
  // A Python object of pylib's (datetime.date, timedelta...) says what repr() gives, as inside a printed dict.
  if (typeof (v as { __repr__?: unknown }).__repr__ === 'function') return String((v as { __repr__: () => unknown }).__repr__());
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- hasCustomToString: a toString of its own
  if (typeof v === 'object' && hasCustomToString(v)) return String(v);
  return dictRepr(Object.entries(v));
}
