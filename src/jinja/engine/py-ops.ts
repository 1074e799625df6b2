// Python operator semantics for templates: truthiness, ==, ordering, arithmetic, `in`,
// iteration and unpacking, with Python's TypeError messages.
import { pyStr } from './py-repr.js';
import { dictEntries, dictKeys, lookupKey } from './py-dict.js';
import { percentFormat } from './py-format.js';
import { strOf } from './str-enum.js';
import {
  Namespace, PyFloat, Undef, isFloat, isPlainObject, makeFloat, numberOf, renderError, tuple, typeName,
} from './values.js';

/**
 * Python's operator protocol for objects that implement it (datetime, timedelta...): `a.__add__(b)`
 * first, then the reflected `b.__radd__(a)`; `undefined` means "not supported" (NotImplemented).
 */
function dunder(a: unknown, b: unknown, name: string, reflected: string | null): unknown {
  const forward = (a as Record<string, unknown> | null)?.[name];
  if (typeof a === 'object' && a !== null && typeof forward === 'function') {
    const r = (forward as (o: unknown) => unknown).call(a, b);
    if (r !== undefined) return r;
  }
  const back = reflected ? (b as Record<string, unknown> | null)?.[reflected] : undefined;
  if (typeof b === 'object' && b !== null && typeof back === 'function') return (back as (o: unknown) => unknown).call(b, a);
  return undefined;
}

function hasDunder(v: unknown): boolean {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !isPlainObject(v) && !(v instanceof PyFloat) && !(v instanceof Undef);
}

/** The errors raiseUndefined threw: Jinja2's UndefinedError (dbt-common's catch_jinja makes it an UndefinedMacroError). */
const undefinedErrors = new WeakSet<object>();

/** Raises the error an Undefined carries. */
export function raiseUndefined(u: Undef): never {
  const err = renderError(u.hint);
  undefinedErrors.add(err);
  throw err;
}

/** Whether `err` is Jinja2's UndefinedError: an undefined name (or attribute) called, read or used. */
export function isUndefinedError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && undefinedErrors.has(err);
}

/** Python truthiness: empty str/list/dict, 0, 0.0, None, False and Undefined are false. */
export function truthy(v: unknown): boolean {
  if (typeof v === 'boolean') return v;
  if (typeof v === 'string') return v.length > 0;
  if (typeof v === 'number') return v !== 0 && !Number.isNaN(v);
  if (v === null || v === undefined || v instanceof Undef) return false;
  if (typeof v === 'object') {
    if (Array.isArray(v)) return v.length > 0;
    if (v instanceof PyFloat) return v.valueOf() !== 0;
    if (v instanceof Map || v instanceof Set) return v.size > 0;
    if (isPlainObject(v)) {
      for (const k in v) if (k !== '__keywords') return true;
      return false;
    }
    if (typeof (v as { __bool__?: unknown }).__bool__ === 'function') return (v as { __bool__(): boolean }).__bool__() === true;
  }
  return true;
}

/** Python `==`. */
export function eq(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (hasDunder(a) || hasDunder(b)) {
    const r = dunder(a, b, '__eq__', '__eq__');
    if (r !== undefined) return r === true;
  }
  const na = numberOf(a);
  const nb = numberOf(b);
  if (na !== undefined && nb !== undefined) return na === nb;
  if (a instanceof Undef || a === undefined) return b instanceof Undef || b === undefined;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    return a.every((x, i) => eq(x, b[i]));
  }
  if (a instanceof Set) {
    // Python sets compare by members, in any order.
    if (!(b instanceof Set) || a.size !== b.size) return false;
    return [...a].every((x) => b.has(x) || [...b].some((y) => eq(x, y)));
  }
  if (isPlainObject(a) || a instanceof Namespace) {
    if (!(isPlainObject(b) || b instanceof Namespace)) return false;
    const ka = Object.keys(a);
    if (ka.length !== Object.keys(b).length) return false;
    return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && eq(Reflect.get(a, k) as unknown, Reflect.get(b, k) as unknown));
  }
  return false;
}

const OP_NAMES: Record<string, string> = { '<': '<', '>': '>', '<=': '<=', '>=': '>=' };

function orderKey(v: unknown): number | string | unknown[] | undefined {
  const n = numberOf(v);
  if (n !== undefined) return n;
  if (typeof v === 'string' || Array.isArray(v)) return v;
  return undefined;
}

/** Python ordering comparison `a < b` (raises TypeError for unorderable types). Returns -1/0/1. */
export function pyCompare(a: unknown, b: unknown, op = '<'): number {
  if (hasDunder(a) || hasDunder(b)) {
    const lt = dunder(a, b, '__lt__', '__gt__');
    const gt = dunder(a, b, '__gt__', '__lt__');
    if (lt !== undefined && gt !== undefined) return lt === true ? -1 : gt === true ? 1 : 0;
  }
  const ka = orderKey(a);
  const kb = orderKey(b);
  if (typeof ka === 'number' && typeof kb === 'number') return ka < kb ? -1 : ka > kb ? 1 : 0;
  if (typeof ka === 'string' && typeof kb === 'string') return ka < kb ? -1 : ka > kb ? 1 : 0;
  if (Array.isArray(ka) && Array.isArray(kb)) {
    for (let i = 0; i < Math.min(ka.length, kb.length); i++) {
      const c = pyCompare(ka[i], kb[i], op);
      if (c !== 0) return c;
    }
    return ka.length - kb.length < 0 ? -1 : ka.length > kb.length ? 1 : 0;
  }
  throw renderError(
    `'${OP_NAMES[op] ?? op}' not supported between instances of '${typeName(a)}' and '${typeName(b)}'`,
  );
}

/** Evaluates one comparison operator. */
export function compare(op: string, a: unknown, b: unknown): boolean {
  switch (op) {
    case '==':
    case '===':
      return eq(a, b);
    case '!=':
    case '!==':
      return !eq(a, b);
    case '<':
      return pyCompare(a, b, op) < 0;
    case '>':
      return pyCompare(a, b, op) > 0;
    case '<=':
      return pyCompare(a, b, op) <= 0;
    case '>=':
      return pyCompare(a, b, op) >= 0;
    default:
      throw renderError(`unknown comparison operator '${op}'`);
  }
}

function unsupported(op: string, a: unknown, b: unknown): never {
  if (a instanceof Undef) raiseUndefined(a);
  if (b instanceof Undef) raiseUndefined(b);
  throw renderError(`unsupported operand type(s) for ${op}: '${typeName(a)}' and '${typeName(b)}'`);
}

const DUNDERS: Record<string, [string, string]> = {
  '+': ['__add__', '__radd__'],
  '-': ['__sub__', '__rsub__'],
  '*': ['__mul__', '__rmul__'],
  '/': ['__truediv__', '__rtruediv__'],
  '//': ['__floordiv__', '__rfloordiv__'],
  '%': ['__mod__', '__rmod__'],
};

function numeric(op: string, a: unknown, b: unknown, f: (x: number, y: number) => number, forceFloat = false): unknown {
  const names = DUNDERS[op];
  if (names && (hasDunder(a) || hasDunder(b))) {
    const r = dunder(a, b, names[0], names[1]);
    if (r !== undefined) return r;
  }
  const x = numberOf(a);
  const y = numberOf(b);
  if (x === undefined || y === undefined) unsupported(op, a, b);
  const r = f(x, y);
  return forceFloat || isFloat(a) || isFloat(b) ? makeFloat(r) : r;
}

/** Python `+`. */
export function add(x: unknown, y: unknown): unknown {
  const a = strOf(x);
  const b = strOf(y);
  if (typeof a === 'string' && typeof b === 'string') return a + b;
  if (Array.isArray(a) && Array.isArray(b)) return a.concat(b);
  if (typeof a === 'string' && !(b instanceof Undef)) {
    throw renderError(`can only concatenate str (not "${typeName(b)}") to str`);
  }
  return numeric('+', a, b, (x, y) => x + y);
}

export function sub(a: unknown, b: unknown): unknown {
  // Python's set difference, `set(a) - set(b)`.
  if (a instanceof Set && b instanceof Set) return new Set([...(a as Set<unknown>)].filter((x) => !b.has(x)));
  return numeric('-', a, b, (x, y) => x - y);
}

export function mul(x: unknown, y: unknown): unknown {
  const a = strOf(x);
  const b = strOf(y);
  const nb = numberOf(b);
  const na = numberOf(a);
  if (typeof a === 'string' && nb !== undefined && Number.isInteger(nb)) return a.repeat(Math.max(0, nb));
  if (typeof b === 'string' && na !== undefined && Number.isInteger(na)) return b.repeat(Math.max(0, na));
  if (Array.isArray(a) && nb !== undefined) {
    const out: unknown[] = [];
    const items: unknown[] = a;
    for (let i = 0; i < nb; i++) out.push(...items);
    return out;
  }
  return numeric('*', a, b, (x, y) => x * y);
}

function zeroCheck(b: unknown, what: string): void {
  if (numberOf(b) === 0) throw renderError(what);
}

/** Python true division `/` (always a float). */
export function div(a: unknown, b: unknown): unknown {
  if (numberOf(a) !== undefined) zeroCheck(b, 'division by zero');
  return numeric('/', a, b, (x, y) => x / y, true);
}

export function floorDiv(a: unknown, b: unknown): unknown {
  if (numberOf(a) !== undefined) zeroCheck(b, 'integer division or modulo by zero');
  return numeric('//', a, b, (x, y) => Math.floor(x / y));
}

/** Python `%`: string formatting for strings, floored modulo for numbers. */
export function mod(x: unknown, b: unknown): unknown {
  const a = strOf(x);
  if (typeof a === 'string') return percentFormat(a, b);
  if (numberOf(a) !== undefined) zeroCheck(b, 'integer division or modulo by zero');
  return numeric('%', a, b, (x, y) => ((x % y) + y) % y);
}

export function pow(a: unknown, b: unknown): unknown {
  const y = numberOf(b);
  return numeric('**', a, b, (p, q) => p ** q, y !== undefined && y < 0);
}

export function neg(a: unknown): unknown {
  if (a instanceof PyFloat) return new PyFloat(-a.valueOf());
  if (hasDunder(a) && typeof (a as { __neg__?: unknown }).__neg__ === 'function') return (a as { __neg__(): unknown }).__neg__();
  const n = numberOf(a);
  if (n === undefined) {
    if (a instanceof Undef) raiseUndefined(a);
    throw renderError(`bad operand type for unary -: '${typeName(a)}'`);
  }
  return -n;
}

export function pos(a: unknown): unknown {
  if (numberOf(a) === undefined) {
    if (a instanceof Undef) raiseUndefined(a);
    throw renderError(`bad operand type for unary +: '${typeName(a)}'`);
  }
  return a;
}

/** `~`: concatenation of str() of both operands. */
export function concat(a: unknown, b: unknown): string {
  return pyStr(a) + pyStr(b);
}

/** Python `item in container`. */
export function contains(container: unknown, member: unknown): boolean {
  // A string enum's member is its str: `status in 'success, error'`, `status in {'success': 1}`.
  const item = strOf(member);
  if (typeof container === 'string') {
    if (typeof item !== 'string') {
      throw renderError(`'in <string>' requires string as left operand, not ${typeName(item)}`);
    }
    return container.includes(item);
  }
  if (Array.isArray(container)) return container.some((x) => eq(x, item));
  if (container instanceof Undef || container === undefined) return false;
  // Python's protocol: an object that defines __contains__ answers `in` itself.
  if (hasDunder(container) && typeof (container as { __contains__?: unknown }).__contains__ === 'function') return (container as { __contains__(x: unknown): unknown }).__contains__(item) === true;
  if (container instanceof Map || container instanceof Set) return container.has(item);
  if (container !== null && typeof container === 'object') {
    const key = lookupKey(item);
    if (Object.prototype.hasOwnProperty.call(container, key)) return true;
    return key in container && !(key in Object.prototype);
  }
  throw renderError(`argument of type '${typeName(container)}' is not iterable`);
}

/** Iterates a value the way a Python `for` does: lists, strings (chars), dicts (keys). */
export function iter(v: unknown): unknown[] {
  if (Array.isArray(v)) return v;
  if (typeof v === 'string') return Array.from(v);
  if (v instanceof Undef || v === undefined) return [];
  if (v instanceof Map) return [...v.keys()];
  if (v !== null && typeof v === 'object') {
    if (Symbol.iterator in v && typeof v[Symbol.iterator] === 'function') return Array.from(v as Iterable<unknown>);
    return dictKeys(v);
  }
  throw renderError(`'${typeName(v)}' object is not iterable`);
}

/** Python tuple unpacking `a, b = value`. */
export function unpack(v: unknown, n: number): unknown[] {
  const items = iter(v);
  if (items.length > n) throw renderError(`too many values to unpack (expected ${n})`);
  if (items.length < n) throw renderError(`not enough values to unpack (expected ${n}, got ${items.length})`);
  return items;
}

/** Iterates with `for a, b in x`: a dict iterated with two names yields its items. */
export function iterPairs(v: unknown, n: number): unknown[] {
  if (n === 2 && (isPlainObject(v) || v instanceof Namespace)) {
    return dictEntries(v).map((e) => tuple(e));
  }
  return iter(v);
}

/** Python `len()`. */
export function length(v: unknown): number {
  if (typeof v === 'string') return Array.from(v).length;
  if (Array.isArray(v)) return v.length;
  if (v instanceof Map || v instanceof Set) return v.size;
  if (v instanceof Undef || v === undefined) return 0;
  if (v !== null && typeof v === 'object') return iter(v).length;
  throw renderError(`object of type '${typeName(v)}' has no len()`);
}
