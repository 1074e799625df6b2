// dbt's statically_parse_unrendered_config (clients/jinja_static.py), which dbt uses when the
// project sets `flags: state_modified_compare_more_unrendered_values: true`: the keyword arguments
// of a file's first `config(...)` call, each as the text of its Jinja syntax tree (Python's
// `str()` of a jinja2 `Keyword` node: `Keyword(key='materialized', value=Call(node=Name(name=
// 'env_var', ctx='load'), ...))`), so a node's `unrendered_config` holds what was written, not
// what an env var or the target made of it. tsdbt's tree (nunjucks' nodes) is written in jinja2's
// node names and fields, so a manifest dbt wrote and one tsdbt wrote compare equal.
import type { Arg, Expr } from '../engine/ast.js';
import { isAstNode, fieldValues, type AstNode } from '../engine/ast.js';
import { parseTemplate } from '../engine/parse-template.js';
import { floatRepr, strRepr } from '../engine/py-repr.js';

/** The `config()` keyword arguments as dbt records them unrendered; null when the file has no config(...) call with keywords. */
export function unrenderedConfigCall(rawCode: string, path: string): Record<string, string> | null {
  if (!rawCode.includes('config(')) return null;
  let call: (AstNode & { typename: 'FunCall' }) | null;
  try {
    call = firstConfigCall(parseTemplate(rawCode, path));
  } catch {
    return null; // the parse render reports the template's syntax error
  }
  if (!call) return null;
  const out: Record<string, string> = {};
  for (const arg of call.args.children) {
    if (arg.typename !== 'KeywordArgs') continue;
    for (const pair of arg.children) {
      if (pair.typename !== 'Pair' || pair.key.typename !== 'Symbol') continue;
      out[pair.key.value] = keyword(pair.key.value, pair.value);
    }
  }
  return Object.keys(out).length > 0 ? out : null;
}

/** jinja2's `find_all(Call)` order: depth first, a node before its children, fields in order. */
function firstConfigCall(node: unknown): (AstNode & { typename: 'FunCall' }) | null {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = firstConfigCall(child);
      if (found) return found;
    }
    return null;
  }
  if (!isAstNode(node)) return null;
  if (node.typename === 'FunCall' && node.name.typename === 'Symbol' && node.name.value === 'config') return node;
  for (const value of fieldValues(node)) {
    const found = firstConfigCall(value);
    if (found) return found;
  }
  return null;
}

function keyword(key: string, value: Expr): string {
  return `Keyword(key=${strRepr(key)}, value=${repr(value)})`;
}

const list = (items: string[]) => `[${items.join(', ')}]`;

/** jinja2's Compare operator names. */
const COMPARE_OPS: Record<string, string> = { '==': 'eq', '!=': 'ne', '>': 'gt', '>=': 'gteq', '<': 'lt', '<=': 'lteq', in: 'in', 'not in': 'notin' };

/** A call's (or filter's, test's) arguments in jinja2's fields: args, kwargs, dyn_args, dyn_kwargs. */
function callArgs(args: (Arg | AstNode)[]): string {
  const positional: string[] = [];
  const kwargs: string[] = [];
  let dynArgs = 'None';
  let dynKwargs = 'None';
  for (const arg of args) {
    if (arg.typename === 'StarArgs') dynArgs = repr(arg.expr);
    else if (arg.typename === 'KeywordArgs') {
      for (const pair of arg.children) {
        if (pair.typename === 'StarKwargs') dynKwargs = repr(pair.expr);
        else kwargs.push(keyword(pair.key.typename === 'Symbol' ? pair.key.value : repr(pair.key), pair.value));
      }
    } else positional.push(repr(arg));
  }
  return `args=${list(positional)}, kwargs=${list(kwargs)}, dyn_args=${dynArgs}, dyn_kwargs=${dynKwargs}`;
}

function constRepr(value: unknown, isFloat: boolean | undefined): string {
  if (value === null) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return isFloat || !Number.isInteger(value) ? floatRepr(value) : String(value);
  return strRepr(String(value));
}

/** `a ~ b ~ c` is one jinja2 Concat of three nodes. */
function concatNodes(node: Expr): Expr[] {
  return node.typename === 'Concat' ? [...concatNodes(node.left), ...concatNodes(node.right)] : [node];
}

/** Python's `repr()` of the jinja2 node an expression parses to. */
function repr(node: Expr | AstNode): string {
  switch (node.typename) {
    case 'Literal':
      return `Const(value=${constRepr(node.value, node.isFloat)})`;
    case 'Symbol':
      // jinja2 reads these names as constants.
      if (CONSTANT_NAMES.has(node.value)) return `Const(value=${CONSTANT_NAMES.get(node.value)})`;
      return `Name(name=${strRepr(node.value)}, ctx='load')`;
    case 'Group':
      if (!node.tuple && node.children.length === 1) return repr(node.children[0] as Expr);
      return `Tuple(items=${list(node.children.map(repr))}, ctx='load')`;
    case 'Array':
      return `List(items=${list(node.children.map(repr))})`;
    case 'Dict':
      return `Dict(items=${list(node.children.map(repr))})`;
    case 'Pair':
      return `Pair(key=${repr((node).key)}, value=${repr((node).value)})`;
    case 'LookupVal':
      if (node.dot) return `Getattr(node=${repr(node.target)}, attr=${strRepr(node.val.value)}, ctx='load')`;
      return `Getitem(node=${repr(node.target)}, arg=${repr(node.val)}, ctx='load')`;
    case 'Slice':
      return `Getitem(node=${repr(node.target)}, arg=Slice(start=${optional(node.start)}, stop=${optional(node.stop)}, step=${optional(node.step)}), ctx='load')`;
    case 'FunCall':
      return `Call(node=${repr(node.name)}, ${callArgs(node.args.children)})`;
    case 'Filter': {
      const [value, ...rest] = node.args.children;
      return `Filter(node=${value ? repr(value) : 'None'}, name=${strRepr(node.name.value)}, ${callArgs(rest)})`;
    }
    case 'Test':
      return `Test(node=${repr(node.value)}, name=${strRepr(node.name)}, ${callArgs(node.args)})`;
    case 'Compare':
      return `Compare(expr=${repr(node.expr)}, ops=${list(node.ops.map((op) => `Operand(op=${strRepr(COMPARE_OPS[op.type] ?? op.type)}, expr=${repr(op.expr)})`))})`;
    case 'In':
      return `Compare(expr=${repr(node.left)}, ops=[Operand(op='in', expr=${repr(node.right)})])`;
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'FloorDiv':
    case 'Mod':
      return leftAssociated(node);
    case 'And':
    case 'Or':
    case 'Pow':
      return `${node.typename}(left=${repr(node.left)}, right=${repr(node.right)})`;
    case 'Concat':
      return `Concat(nodes=${list(concatNodes(node).map(repr))})`;
    case 'Not':
      // `x not in y` (the Not starts where its operand does) is jinja2's one `notin` comparison.
      if (node.target.typename === 'In' && node.target.lineno === node.lineno && node.target.colno === node.colno) {
        return `Compare(expr=${repr(node.target.left)}, ops=[Operand(op='notin', expr=${repr(node.target.right)})])`;
      }
      return `Not(node=${repr(node.target)})`;
    case 'Neg':
    case 'Pos':
      return `${node.typename}(node=${repr(node.target)})`;
    case 'InlineIf':
      return `CondExpr(test=${repr(node.cond)}, expr1=${repr(node.body)}, expr2=${optional(node.else_)})`;
    default:
      // Nothing else parses inside a call's arguments; kept distinct by its kind and position.
      return `${node.typename}(lineno=${node.lineno}, colno=${node.colno})`;
  }
}

const CONSTANT_NAMES = new Map([
  ['True', 'True'],
  ['true', 'True'],
  ['False', 'False'],
  ['false', 'False'],
  ['None', 'None'],
  ['none', 'None'],
]);

/** Operators of one precedence level: jinja2 reads `a + b - c` as `(a + b) - c`. */
const LEVELS: ReadonlyMap<string, number> = new Map([
  ['Add', 1],
  ['Sub', 1],
  ['Mul', 2],
  ['Div', 2],
  ['FloorDiv', 2],
  ['Mod', 2],
]);

type Arith = Expr & { typename: 'Add' | 'Sub' | 'Mul' | 'Div' | 'FloorDiv' | 'Mod' | 'Pow' | 'Concat'; left: Expr; right: Expr };

/**
 * A chain of one level's operators, as jinja2's parser nests it: left to right (tsdbt's parser
 * reads them so too; this keeps the text right whichever way a tree nests them). Parentheses stay
 * Group nodes, so the chain's operands are what was written between its operators.
 */
function leftAssociated(node: Arith): string {
  const level = LEVELS.get(node.typename);
  const operands: Expr[] = [];
  const operators: string[] = [];
  const walk = (n: Expr): void => {
    if (LEVELS.get(n.typename) === level) {
      const op = n as Arith;
      walk(op.left);
      operators.push(op.typename);
      walk(op.right);
    } else operands.push(n);
  };
  walk(node);
  let out = repr(operands[0] as Expr);
  operators.forEach((op, i) => {
    out = `${op}(left=${out}, right=${repr(operands[i + 1] as Expr)})`;
  });
  return out;
}

function optional(node: Expr | null): string {
  return node ? repr(node) : 'None';
}
