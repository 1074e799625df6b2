// Runtime value types that give templates Python semantics on top of JavaScript values:
// Jinja2's Undefined, Python floats with an integral value, tuples, namespace(), and the
// signal dbt's `return()` uses to stop a macro with a value.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PyStrEnum } from './str-enum.js';

/** Jinja2's default `Undefined`: renders empty, is falsy, raises on attribute access or call. */
export class Undef {
  /**
   * `hint` is the message raised when the value is used (e.g. `'dict object' has no attribute 'x'`).
   * `unimplemented`: a member Python's type has and tsdbt lacks, which raises even while parsing.
   */
  constructor(
    readonly hint: string,
    readonly unimplemented = false,
  ) {}
  toString(): string {
    return '';
  }
}

/**
 * dbt's parse-time Undefined (dbt/clients/jinja.py `create_undefined`): while a render made with
 * `lenientUndefined` runs, reading an attribute or item of an Undefined, or calling it, gives the
 * Undefined back instead of raising, so `graph.nodes['x'].config` or `some_macro().x` survive
 * the parse render as in dbt; the execute render raises as Jinja2 does. Renders are synchronous:
 * the flag is set and restored around one render (environment.ts).
 */
export const undefinedPolicy = { lenient: false };

/** An Undefined for a missing variable. */
export function undefinedName(name: string): Undef {
  return new Undef(`'${name}' is undefined`);
}

/**
 * How many Python values of a class (an integral float, a datetime.date...) this process has made:
 * while none, a manifest holds none, and partial_parse.bin writes its nodes without looking for
 * them (app/parse-cache-values.ts).
 */
export const pythonValuesMade = { count: 0 };

/** A Python float whose value is integral (`1.0`), so it renders as `1.0`, not `1`. */
export class PyFloat extends Number {
  constructor(value?: unknown) {
    super(value);
    pythonValuesMade.count++;
  }
}

/** Marks arrays created from Python tuple syntax `(a, b)`. */
export const TUPLE: unique symbol = Symbol('jinja.tuple');

/**
 * Marks a JavaScript function that takes its arguments as template values: Undefined (with what
 * it says went missing), floats and string enums kept, as dbt's `return(value)` hands its value on
 * untouched. Other JavaScript callees get toJs's plain values.
 */
export const TEMPLATE_VALUES: unique symbol = Symbol('jinja.templateValues');

/** `fn`, marked TEMPLATE_VALUES: it takes template values as they are. */
export function takingTemplateValues<F extends (...args: never[]) => unknown>(fn: F): F {
  return Object.assign(fn, { [TEMPLATE_VALUES]: true });
}

/** Builds a tuple (an array tagged as tuple: repr `(1, 2)`, unpacked by `%` formatting). */
export function tuple(items: unknown[]): unknown[] {
  (items as unknown as Record<symbol, boolean>)[TUPLE] = true;
  return items;
}

export function isTuple(v: unknown): boolean {
  return Array.isArray(v) && (v as unknown as Record<symbol, unknown>)[TUPLE] === true;
}

/** Jinja2's `namespace()`: an object whose attributes can be assigned with `{% set ns.x = ... %}`. */
export class Namespace {
  constructor(init: Record<string, unknown>) {
    Object.assign(this, init);
  }
}

/** Thrown by dbt's `return(value)` and caught by the enclosing macro, which then returns `value`. */
export class MacroReturn {
  constructor(public value: unknown) {}
}

/**
 * Thrown by a context function that needs an asynchronous answer (a database query) while a
 * template renders synchronously. It passes through templates untouched; whoever started the
 * render awaits `work`, remembers the answer, and renders again (see jinja/dbt/render-replay.ts).
 */
export class RenderSuspended {
  constructor(
    readonly description: string,
    readonly work: () => Promise<unknown>,
  ) {}
}

/** A runtime template error (location is added by the template that catches it). */
export function renderError(message: string): TsdbtError {
  return new TsdbtError(message, { code: 'jinja-render', category: 'user' });
}

/** True for `{...}` literals and `Object.create(null)` objects (Python dicts). */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Number value of an int/float, or undefined when `v` is not numeric (bool counts as int). */
export function numberOf(v: unknown): number | undefined {
  if (typeof v === 'number') return v;
  if (v instanceof PyFloat) return v.valueOf();
  if (typeof v === 'boolean') return v ? 1 : 0;
  return undefined;
}

/** True when `v` is a Python float (a non-integral number or a PyFloat). */
export function isFloat(v: unknown): boolean {
  return v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v));
}

/** Wraps a number so integral floats stay floats. */
export function makeFloat(n: number): number | PyFloat {
  return Number.isInteger(n) ? new PyFloat(n) : n;
}

/** Python type name used in error messages (`str`, `int`, `dict`, `NoneType`...). */
export function typeName(v: unknown): string {
  if (v === null) return 'NoneType';
  if (v === undefined || v instanceof Undef) return 'Undefined';
  if (typeof v === 'string') return 'str';
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float';
  if (v instanceof PyFloat) return 'float';
  if (Array.isArray(v)) return isTuple(v) ? 'tuple' : 'list';
  if (typeof v === 'function') return 'function';
  if (isPlainObject(v)) return 'dict';
  if (v instanceof Namespace) return 'Namespace';
  const ctor = (v as { constructor?: { name?: string } }).constructor;
  return ctor?.name || 'object';
}

/** Converts template values for JavaScript callees: Undefined becomes `undefined`, PyFloat a number, a string enum's member its string. */
export function toJs(v: unknown): unknown {
  if (v instanceof Undef) return undefined;
  if (v instanceof PyStrEnum) return v.value;
  if (v instanceof PyFloat) return v.valueOf();
  return v;
}

/** Gives a lookup table no prototype, so names like `constructor` or `toString` are not found in it. */
export function nullProto<T extends object>(table: T): T {
  return Object.setPrototypeOf(table, null) as T;
}
