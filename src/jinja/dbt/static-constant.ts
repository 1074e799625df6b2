// The static parser's evaluator (static-parser.ts): what an expression is worth while parsing,
// where that is certain: literals, the names the walk bound, `execute` and `is_incremental()`
// (false), `target.<x>`, `var(...)` and `env_var(...)` with their parse-time values, `not`,
// `and`, `or`, `==`, `!=`, `in` and the string filters a condition may apply.
import type { AstNode } from '../engine/ast.js';
import { literalValue, NOT_LITERAL, plainEquals, pyTruthy, stringFilter, UNKNOWN } from './static-values.js';

/** What the parse render would see of the project for the values of expressions. */
export interface ParseTimeValues {
  /** Builtins (ref, source, config, var...) the package or the root project replaces with a macro. */
  overridden: ReadonlySet<string>;
  /**
   * Whether reading var `name` (null: a name not known here) may render a template: a var whose
   * value holds Jinja renders in the reading node's context, which may do anything.
   */
  templatedVar(name: string | null): boolean;
  /** The environment as the render reads it (reads are recorded for partial parsing). */
  env: NodeJS.ProcessEnv;
  /** `target` as templates see it. */
  target: Record<string, unknown>;
  /**
   * The value `var(name)` gives while parsing, where it is the same for every reader (a node's
   * own package); undefined where it is not known here (inside a macro: the caller's vars).
   */
  varValue(name: string): { value: unknown } | undefined;
}

/**
 * The value of an expression while parsing, where it is certain and a plain value; UNKNOWN
 * otherwise. `locals`: the names the walk has bound (their value, or UNKNOWN).
 */
export function constantValue(node: AstNode, locals: ReadonlyMap<string, unknown>, scope: ParseTimeValues): unknown {
  const constant = (inner: AstNode): unknown => constantValue(inner, locals, scope);
  const literal = literalValue(node);
  if (literal !== NOT_LITERAL) return literal;
  switch (node.typename) {
    case 'Symbol':
      if (locals.has(node.value)) return locals.get(node.value);
      return node.value === 'execute' ? false : UNKNOWN;
    case 'Filter': {
      const [value, ...rest] = node.args.children;
      const text = value ? constant(value) : UNKNOWN;
      const args = rest.map(literalValue);
      if (typeof text !== 'string' || args.includes(NOT_LITERAL)) return UNKNOWN;
      return stringFilter(node.name.value, text, args);
    }
    case 'Not': {
      const inner = constant(node.target);
      return inner === UNKNOWN ? UNKNOWN : !pyTruthy(inner);
    }
    case 'And':
    case 'Or': {
      const left = constant(node.left);
      if (left === UNKNOWN) return UNKNOWN;
      // Python's and/or give an operand back; only its truth is used here, where it decides.
      if (node.typename === 'And' ? !pyTruthy(left) : pyTruthy(left)) return left;
      return constant(node.right);
    }
    case 'Compare': {
      const [op] = node.ops;
      if (!op || node.ops.length !== 1 || (op.type !== '==' && op.type !== '!=')) return UNKNOWN;
      const [a, b] = [constant(node.expr), constant(op.expr)];
      const same = plainEquals(a, b);
      return same === null ? UNKNOWN : op.type === '==' ? same : !same;
    }
    case 'In': {
      const [item, list] = [constant(node.left), constant(node.right)];
      if (!Array.isArray(list)) return UNKNOWN;
      let found = false;
      for (const entry of list) {
        const same = plainEquals(item, entry);
        if (same === null) return UNKNOWN;
        found ||= same;
      }
      return found;
    }
    case 'LookupVal':
      if (node.dot && node.target.typename === 'Symbol' && node.target.value === 'target' && !locals.has('target')) {
        const value = scope.target[node.val.value];
        return value === undefined ? null : value;
      }
      return UNKNOWN;
    case 'FunCall': {
      const name = node.name.typename === 'Symbol' ? node.name.value : '';
      if (locals.has(name) || scope.overridden.has(name)) return UNKNOWN;
      if (name === 'is_incremental' && node.args.children.length === 0) return false;
      if (name !== 'var' && name !== 'env_var') return UNKNOWN;
      const args = node.args.children;
      if (args.length < 1 || args.length > 2 || args.some((a) => a.typename === 'KeywordArgs')) return UNKNOWN;
      const [key, fallback] = args.map(literalValue);
      if (typeof key !== 'string' || fallback === NOT_LITERAL) return UNKNOWN;
      if (name === 'env_var') {
        const value = scope.env[key];
        return value !== undefined ? value : args.length === 2 ? fallback : UNKNOWN;
      }
      if (scope.templatedVar(key)) return UNKNOWN;
      const known = scope.varValue(key);
      if (known === undefined) return UNKNOWN;
      // While parsing, a var nobody set is None unless a default is given.
      return known.value !== undefined ? known.value : args.length === 2 ? fallback : null;
    }
    default:
      return UNKNOWN;
  }
}
