// The runtime object compiled templates are bound to: short names for every helper the
// generated code calls (see RUNTIME_NAMES in codegen.ts).
import { wrapError } from './errors.js';
import { FilteredLoopInfo, LOOP_END, LoopInfo, MISSING, makeMacro } from './macro-runtime.js';
import { call, callMethod, getattr, getitem, setattr, slice } from './member.js';
import {
  add, compare, concat, contains, div, eq, floorDiv, iter, iterPairs, mod, mul, neg, pos, pow, sub, truthy, unpack,
} from './py-ops.js';
import { pyStr } from './py-repr.js';
import { dictLiteral } from './py-dict.js';
import { PyFloat, Undef, isPlainObject, renderError, tuple } from './values.js';

/** Not-yet-assigned marker of template locals. */
export const NOTSET: unique symbol = Symbol('jinja.notset');

function str(v: unknown): string {
  return typeof v === 'string' ? v : pyStr(v);
}

function kwSpread(v: unknown): Record<string, unknown> {
  if (v instanceof Undef || v === undefined || v === null) return {};
  if (!isPlainObject(v)) throw renderError('argument after ** must be a mapping');
  const { __keywords: _k, ...rest } = v;
  return rest;
}

/** Helpers bound into every compiled template. */
export const runtime = {
  S: str,
  TR: truthy,
  EQ: eq,
  CMP: compare,
  IN: contains,
  ADD: add,
  SUB: sub,
  MUL: mul,
  DIV: div,
  FDIV: floorDiv,
  MOD: mod,
  POW: pow,
  NEG: neg,
  POS: pos,
  CC: concat,
  GA: getattr,
  GI: getitem,
  SL: slice,
  SA: setattr,
  CALL: call,
  CM: callMethod,
  IT: iter,
  ITP: iterPairs,
  UNPACK: unpack,
  KWS: kwSpread,
  DICT: dictLiteral,
  FAIL: (message: string): never => {
    throw renderError(message);
  },
  TUP: tuple,
  PF: PyFloat,
  NS: NOTSET,
  MISSING,
  MK: makeMacro,
  LOOP: LoopInfo,
  FLOOP: FilteredLoopInfo,
  LOOP_END,
  WRAP: wrapError,
  IFUNDEF: () => new Undef('the inline if-expression evaluated to false and no else section was defined'),
  NOTPASSED: (name: string) => new Undef(`parameter '${name}' was not provided`),
  EMPTY: Object.freeze({}),
};
