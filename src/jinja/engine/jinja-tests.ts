// Jinja2's built-in tests (`x is defined`, `is none`, `is mapping`, `is divisibleby(3)`, `is in`...).
import { MACRO } from './macro-runtime.js';
import { contains, eq, pyCompare } from './py-ops.js';
import { Namespace, PyFloat, Undef, isPlainObject, numberOf } from './values.js';

/** A test: value and arguments, returns a boolean. */
export type TestFn = (value: unknown, ...args: unknown[]) => boolean;

const isNumber = (v: unknown): boolean => typeof v === 'number' || v instanceof PyFloat;

/** The built-in tests by name. */
export const builtinTests: Record<string, TestFn> = {
  defined: (v) => !(v instanceof Undef) && v !== undefined,
  undefined: (v) => v instanceof Undef || v === undefined,
  none: (v) => v === null,
  string: (v) => typeof v === 'string',
  number: isNumber,
  integer: (v) => typeof v === 'number' && Number.isInteger(v),
  float: (v) => v instanceof PyFloat || (typeof v === 'number' && !Number.isInteger(v)),
  boolean: (v) => typeof v === 'boolean',
  true: (v) => v === true,
  false: (v) => v === false,
  // Python's Mapping: dicts, and objects that behave as one (dbt's relations: `.get()`, `.keys()`).
  mapping: (v) =>
    isPlainObject(v) || v instanceof Map || v instanceof Namespace
    || (typeof v === 'object' && v !== null && 'get' in v && typeof v.get === 'function' && 'keys' in v && typeof v.keys === 'function'),
  // Jinja2's Undefined iterates as empty, has a length (0) and `__getitem__` / `__call__` (which
  // raise when used), so `iterable`, `sequence` and `callable` hold for it, as in Jinja2: a macro
  // argument not given passes a package's "is a list" check and loops zero times.
  iterable: (v) =>
    typeof v === 'string' || Array.isArray(v) || v instanceof Map || v instanceof Set || isPlainObject(v) || v instanceof Undef
    || (typeof v === 'object' && v !== null && Symbol.iterator in v && typeof v[Symbol.iterator] === 'function'),
  sequence: (v) => typeof v === 'string' || Array.isArray(v) || isPlainObject(v) || v instanceof Undef,
  callable: (v) => typeof v === 'function' || v instanceof Undef || (typeof v === 'object' && v !== null && MACRO in v && v[MACRO] !== undefined),
  divisibleby: (v, n) => (numberOf(v) ?? NaN) % (numberOf(n) ?? NaN) === 0,
  even: (v) => (numberOf(v) ?? 1) % 2 === 0,
  odd: (v) => Math.abs((numberOf(v) ?? 0) % 2) === 1,
  lower: (v) => typeof v === 'string' && v === v.toLowerCase(),
  upper: (v) => typeof v === 'string' && v === v.toUpperCase(),
  in: (v, seq) => contains(seq, v),
  sameas: (v, other) => v === other,
  escaped: () => false,
  eq: (a, b) => eq(a, b),
  ne: (a, b) => !eq(a, b),
  lt: (a, b) => pyCompare(a, b, '<') < 0,
  le: (a, b) => pyCompare(a, b, '<=') <= 0,
  gt: (a, b) => pyCompare(a, b, '>') > 0,
  ge: (a, b) => pyCompare(a, b, '>=') >= 0,
};
Object.assign(builtinTests, {
  equalto: builtinTests.eq,
  '==': builtinTests.eq,
  '!=': builtinTests.ne,
  '<': builtinTests.lt,
  '<=': builtinTests.le,
  '>': builtinTests.gt,
  '>=': builtinTests.ge,
  greaterthan: builtinTests.gt,
  lessthan: builtinTests.lt,
});
