// Values the static parser (static-parser.ts) works with: the constants and markers of its walk,
// and what it can know of an expression's value without rendering (literals, Python's truth and
// `==` of plain scalars, the string filters a condition may apply).
import type { AstNode, Expr, ForTarget } from '../engine/ast.js';
import { nullProto } from '../engine/values.js';

/** Jinja constants as the code generator reads them (before any context lookup). */
export const CONSTANTS: Record<string, unknown> = nullProto({ True: true, true: true, False: false, false: false, None: null, none: null });

/** Returned by literalValue for anything that is not a constant. */
export const NOT_LITERAL: unique symbol = Symbol('not a literal');
/** Returned by Walker.constant for anything whose value while parsing is not certain. */
export const UNKNOWN: unique symbol = Symbol('unknown');

/** The string filters a condition may apply to a known value (`datepart | trim("'") | lower`). */
export function stringFilter(name: string, text: string, args: unknown[]): unknown {
  if (name === 'lower' && args.length === 0) return text.toLowerCase();
  if (name === 'upper' && args.length === 0) return text.toUpperCase();
  if (name === 'trim' && args.length <= 1) {
    const chars = args.length === 1 ? String(args[0]) : null;
    if (chars === null) return text.trim();
    let [start, end] = [0, text.length];
    while (start < end && chars.includes(text[start] as string)) start++;
    while (end > start && chars.includes(text[end - 1] as string)) end--;
    return text.slice(start, end);
  }
  return UNKNOWN;
}

/** Python's truth of a plain value; UNKNOWN never reaches here. */
export function pyTruthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v).length > 0;
  return true;
}

/** Python's `==` of two plain scalars (strings, numbers, booleans, None) of one kind; null when not such a pair. */
export function plainEquals(a: unknown, b: unknown): boolean | null {
  const scalar = (v: unknown) => v === null || typeof v === 'string' || (typeof v === 'number' && Number.isFinite(v));
  if (!scalar(a) || !scalar(b)) return null; // booleans (True == 1), lists, dicts, UNKNOWN: not judged here
  if (a === null || b === null) return a === b;
  if (typeof a !== typeof b) return false; // 'a' == 1 is False in Python
  return a === b;
}

/** A constant expression's value as the compiled template would build it, or NOT_LITERAL. */
export function literalValue(node: AstNode): unknown {
  switch (node.typename) {
    case 'Literal': {
      const v = node.value;
      if (typeof v === 'string' || typeof v === 'boolean' || v === null) return v;
      // An integral float is a PyFloat object at render: left to the render.
      if (typeof v === 'number') return node.isFloat && Number.isInteger(v) ? NOT_LITERAL : v;
      return NOT_LITERAL;
    }
    case 'Symbol':
      return node.value in CONSTANTS ? CONSTANTS[node.value] : NOT_LITERAL;
    case 'Array': {
      const out: unknown[] = [];
      for (const child of node.children) {
        const v = literalValue(child);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out.push(v);
      }
      return out;
    }
    case 'Dict': {
      const out: Record<string, unknown> = {};
      for (const pair of node.children) {
        if (pair.key.typename !== 'Literal' || typeof pair.key.value !== 'string' || pair.key.value === '__proto__') return NOT_LITERAL;
        const v = literalValue(pair.value);
        if (v === NOT_LITERAL) return NOT_LITERAL;
        out[pair.key.value] = v;
      }
      return out;
    }
    case 'Neg': {
      const v = literalValue(node.target);
      return typeof v === 'number' && node.target.typename === 'Literal' && !node.target.isFloat ? -v : NOT_LITERAL;
    }
    default:
      return NOT_LITERAL;
  }
}

export function isPlainRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The names a `for` binds (`x`, or `k, v`). */
export function targetNames(node: ForTarget): string[] {
  return node.typename === 'Symbol' ? [node.value] : node.children.map((c) => c.value);
}

/** The symbol a member chain starts from (`modules.datetime.date.today` -> `modules`), or null. */
export function rootSymbol(node: Expr): string | null {
  let current = node;
  while (current.typename === 'LookupVal' || current.typename === 'FunCall') current = current.typename === 'LookupVal' ? current.target : current.name;
  return current.typename === 'Symbol' ? current.value : null;
}
