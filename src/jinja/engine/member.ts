// Attribute and item access, slicing and calls with Jinja2 semantics: `x.y` tries Python
// methods and attributes, `x['y']` items; missing members give an Undefined that raises on
// further use; calls route macros, Python methods and JavaScript functions (with `this`).
import { dictMethods, listMethods } from './py-collection-methods.js';
import { setMethods } from './py-set-methods.js';
import { raiseUndefined } from './py-ops.js';
import { strMethods } from './py-str-methods.js';
import { pythonTypeHas } from './python-type-members.js';
import { lookupKey } from './py-dict.js';
import { MACRO, invokeMacro, type MacroMeta } from './macro-runtime.js';
import { PyStrEnum } from './str-enum.js';
import { Namespace, TEMPLATE_VALUES, Undef, isPlainObject, numberOf, renderError, toJs, typeName, undefinedPolicy } from './values.js';

const OP = Object.prototype as unknown as Record<string, unknown>;
const EMPTY: Record<string, unknown> = Object.freeze({});

function objectRepr(obj: unknown): string {
  if (obj === null) return "'None'";
  return `'${typeName(obj)} object'`;
}

/**
 * A missing member, as Jinja2's `Undefined(obj=obj, name=name)`. A name Python's type has is a
 * gap in tsdbt: its Undefined raises even while parsing (see `passes`), with a note saying so.
 */
function noAttr(obj: unknown, name: string): Undef {
  const hint = `${objectRepr(obj)} has no attribute '${name}'`;
  if (!pythonTypeHas(obj, name)) return new Undef(hint);
  const type = typeName(obj);
  return new Undef(`${hint} (Python's ${type}.${name} exists, but tsdbt does not implement it yet: rewrite the expression without it, or report it)`, true);
}

/**
 * Whether using an Undefined (reading from it, calling it) gives it back: while parsing, as dbt's
 * parse-time Undefined does (dbt/clients/jinja.py `create_undefined`: `__getattr__`,
 * `__getitem__` and `__call__` return an Undefined), except for a member tsdbt lacks.
 */
function passes(u: Undef): boolean {
  return undefinedPolicy.lenient && !u.unimplemented;
}

function inheritedFromObject(name: string, v: unknown): boolean {
  return name in OP && v === OP[name];
}

function bindPy<T>(fn: (self: T, a: unknown[], k: Record<string, unknown>) => unknown, self: T): (...args: unknown[]) => unknown {
  return (...args: unknown[]) => {
    const last = args[args.length - 1] as { __keywords?: boolean } | undefined;
    if (last && typeof last === 'object' && last.__keywords === true) {
      return fn(self, args.slice(0, -1), last);
    }
    return fn(self, args, EMPTY);
  };
}

/** `obj.name`. */
export function getattr(obj: unknown, name: string): unknown {
  if (typeof obj === 'string') {
    const m = strMethods[name];
    return m ? bindPy(m, obj) : noAttr(obj, name);
  }
  if (obj === null || obj === undefined) return obj === null ? noAttr(obj, name) : raiseUndefined(new Undef(`cannot read attribute '${name}' of an undefined value`));
  if (typeof obj !== 'object' && typeof obj !== 'function') return noAttr(obj, name);
  if (obj instanceof Undef) return passes(obj) ? obj : raiseUndefined(obj);
  if (Array.isArray(obj)) {
    const m = listMethods[name];
    if (m) return bindPy(m, obj);
    return Object.prototype.hasOwnProperty.call(obj, name) && name !== 'length' ? (obj as unknown as Record<string, unknown>)[name] : noAttr(obj, name);
  }
  if (obj instanceof Set) {
    const m = setMethods[name];
    return m ? bindPy(m, obj as Set<unknown>) : noAttr(obj, name);
  }
  const v = (obj as Record<string, unknown>)[name];
  if (isPlainObject(obj)) {
    if (typeof v === 'function' && !inheritedFromObject(name, v)) return v;
    const m = dictMethods[name];
    if (m) return bindPy(m, obj);
    return v === undefined || inheritedFromObject(name, v) ? noAttr(obj, name) : v;
  }
  // A string enum's member has `value` and `name` of its own, and str's methods.
  if (obj instanceof PyStrEnum) return name === 'value' || name === 'name' ? v : getattr(obj.value, name);
  if (v === undefined || inheritedFromObject(name, v)) return noAttr(obj, name);
  if (typeof v === 'function' && !(v as unknown as Record<symbol, unknown>)[MACRO] && !(obj instanceof Namespace)) {
    return (v as (...a: unknown[]) => unknown).bind(obj);
  }
  return v;
}

/** `obj[key]`. */
export function getitem(obj: unknown, key: unknown): unknown {
  if (Array.isArray(obj) || typeof obj === 'string') {
    const n = numberOf(key);
    if (n !== undefined && typeof key !== 'boolean') {
      if (!Number.isInteger(n)) throw renderError(`list indices must be integers or slices, not float`);
      const i = n < 0 ? obj.length + n : n;
      if (i >= 0 && i < obj.length) return obj[i];
      return new Undef(`${objectRepr(obj)} has no element ${n}`);
    }
    if (typeof key === 'string') return getattr(obj, key);
    return new Undef(`${objectRepr(obj)} has no element ${String(key)}`);
  }
  if (obj instanceof Undef) return passes(obj) ? obj : raiseUndefined(obj);
  if (obj === null || obj === undefined) return getattr(obj, String(key));
  if (obj instanceof PyStrEnum) return getitem(obj.value, key);
  if (obj instanceof Map) return obj.has(key) ? obj.get(key) : new Undef(`${objectRepr(obj)} has no element ${String(key)}`);
  if (typeof obj === 'object' || typeof obj === 'function') {
    const k = lookupKey(key);
    const v = (obj as Record<string, unknown>)[k];
    if (v !== undefined && !inheritedFromObject(k, v)) return v;
    return getattr(obj, k);
  }
  return noAttr(obj, String(key));
}

function sliceIndex(n: number | undefined, len: number, dflt: number, step: number): number {
  if (n === undefined) return dflt;
  if (n < 0) return Math.max(n + len, step < 0 ? -1 : 0);
  return Math.min(n, step < 0 ? len - 1 : len);
}

/** Python slicing `obj[start:stop:step]` on lists, tuples and strings. */
export function slice(obj: unknown, start: unknown, stop: unknown, step: unknown): unknown {
  if (obj instanceof Undef) raiseUndefined(obj);
  if (obj instanceof PyStrEnum) return slice(obj.value, start, stop, step);
  const isStr = typeof obj === 'string';
  if (!isStr && !Array.isArray(obj)) throw renderError(`'${typeName(obj)}' object is not subscriptable`);
  const items: unknown[] = isStr ? Array.from(obj) : (obj as unknown[]);
  const opt = (v: unknown): number | undefined => (v === null || v === undefined || v instanceof Undef ? undefined : numberOf(v));
  const st = opt(step) ?? 1;
  if (st === 0) throw renderError('slice step cannot be zero');
  const len = items.length;
  const a = sliceIndex(opt(start), len, st < 0 ? len - 1 : 0, st);
  const b = sliceIndex(opt(stop), len, st < 0 ? -1 : len, st);
  const out: unknown[] = [];
  if (st > 0) for (let i = a; i < b; i += st) out.push(items[i]);
  else for (let i = a; i > b; i += st) out.push(items[i]);
  return isStr ? out.join('') : out;
}

/** `{% set ns.attr = value %}` (only namespace objects accept attribute assignment). */
export function setattr(obj: unknown, name: string, value: unknown): void {
  if (obj instanceof Namespace) {
    (obj as unknown as Record<string, unknown>)[name] = value;
    return;
  }
  if (obj instanceof Undef) raiseUndefined(obj);
  throw renderError('cannot assign attribute on non-namespace object');
}

function jsArgs(args: unknown[], kw: Record<string, unknown> | null, convert: (v: unknown) => unknown = toJs): unknown[] {
  const out = args.map(convert);
  if (kw !== null) {
    const o: Record<string, unknown> = {};
    let any = false;
    for (const k in kw) {
      o[k] = convert(kw[k]);
      any = true;
    }
    if (any) {
      o.__keywords = true;
      out.push(o);
    }
  }
  return out;
}

/** Calls `f(*args, **kw)`: macros get Jinja2 binding; JS functions get a trailing keywords object. */
export function call(f: unknown, args: unknown[], kw: Record<string, unknown> | null, thisArg?: unknown): unknown {
  if (typeof f === 'function') {
    const meta = (f as unknown as Record<symbol, MacroMeta | undefined>)[MACRO];
    if (meta) return invokeMacro(meta, args, kw);
    const asIs = (f as unknown as Record<symbol, unknown>)[TEMPLATE_VALUES] === true;
    return (f as (...a: unknown[]) => unknown).apply(thisArg, asIs ? jsArgs(args, kw, (v) => v) : jsArgs(args, kw));
  }
  if (f instanceof Undef) return passes(f) ? f : raiseUndefined(f);
  // An object with Python's `__call__` (a recursive `loop`) is callable.
  const dunder = f !== null && typeof f === 'object' ? (f as { __call__?: unknown }).__call__ : undefined;
  if (typeof dunder === 'function') return (dunder as (...a: unknown[]) => unknown).apply(f, jsArgs(args, kw));
  throw renderError(`'${typeName(f)}' object is not callable`);
}

/** `obj.name(args)`: Python methods of str/list/dict, or the object's own function with `this`. */
export function callMethod(obj: unknown, name: string, args: unknown[], kw: Record<string, unknown> | null): unknown {
  if (typeof obj === 'string') {
    const m = strMethods[name];
    if (m) return m(obj, args, kw ?? EMPTY);
  } else if (Array.isArray(obj)) {
    const m = listMethods[name];
    if (m) return m(obj, args, kw ?? EMPTY);
  } else if (obj instanceof Set) {
    const m = setMethods[name];
    if (m) return m(obj as Set<unknown>, args, kw ?? EMPTY);
  } else if (obj instanceof PyStrEnum) {
    const m = strMethods[name];
    if (m) return m(obj.value, args, kw ?? EMPTY);
  } else if (obj !== null && (typeof obj === 'object' || typeof obj === 'function') && !(obj instanceof Undef)) {
    const v = (obj as Record<string, unknown>)[name];
    if (typeof v === 'function' && !inheritedFromObject(name, v)) return call(v, args, kw, obj);
    if (isPlainObject(obj)) {
      const m = dictMethods[name];
      if (m) return m(obj, args, kw ?? EMPTY);
    }
  }
  return call(getattr(obj, name), args, kw);
}
