// The syntax tree tsdbt's Jinja parser builds: nunjucks' node classes (node_modules/nunjucks/src/
// nodes.js, each with `lineno`, `colno` and the fields its class lists), the fields parser.ts and
// expression-parser.ts add to them (`tuple`, `dot`, `isFloat`, `cond`, `unpack`, `dbtKind`...),
// and tsdbt's own plain nodes (Slice, Test, StarArgs, StarKwargs, Do, With, LoopControl,
// DbtBlock). One discriminated union on `typename`, of the kinds the parser can produce: the
// statements nunjucks knows but tsdbt refuses (block, include, switch...) never reach a tree.

/** Where a node starts: 0-based line and column of its first token. */
export interface Pos {
  lineno: number;
  colno: number;
}

// Expressions.
export interface Literal extends Pos {
  typename: 'Literal';
  /** A TOKEN_REGEX (`r/x/`, nunjucks only) gives a RegExp, which the compiler refuses. */
  value: string | number | boolean | null | RegExp;
  /** Written with a decimal point (`1.0`): a Python float even when integral. */
  isFloat?: boolean;
}
export interface SymbolNode extends Pos {
  typename: 'Symbol';
  value: string;
}
export interface Group<T extends Expr = Expr> extends Pos {
  typename: 'Group';
  children: T[];
  /** `(a, b)`, `(a,)`, `()`, `a, b`: a tuple; else `(a)`, one parenthesised expression. */
  tuple?: boolean;
}
export interface ArrayNode<T extends Expr = Expr> extends Pos {
  typename: 'Array';
  children: T[];
}
export interface Pair extends Pos {
  typename: 'Pair';
  key: Expr;
  value: Expr;
}
export interface Dict extends Pos {
  typename: 'Dict';
  children: Pair[];
}
/** `x.name` (dot: the key is a name, a string Literal) or `x[key]` / `x.0`. */
export type LookupVal = DotLookup | IndexLookup;
export interface DotLookup extends Pos {
  typename: 'LookupVal';
  target: Expr;
  val: Literal & { value: string };
  dot: true;
}
export interface IndexLookup extends Pos {
  typename: 'LookupVal';
  target: Expr;
  val: Expr;
  dot?: false;
}
export interface Slice extends Pos {
  typename: 'Slice';
  target: Expr;
  start: Expr | null;
  stop: Expr | null;
  step: Expr | null;
}
export interface StarArgs extends Pos {
  typename: 'StarArgs';
  expr: Expr;
}
export interface StarKwargs extends Pos {
  typename: 'StarKwargs';
  expr: Expr;
}
/** The keyword arguments of a call or signature, last of its argument list. */
export interface KeywordArgs extends Pos {
  typename: 'KeywordArgs';
  children: (Pair | StarKwargs)[];
}
/** One element of a call's or signature's argument list. */
export type Arg = Expr | StarArgs | KeywordArgs;
export interface NodeList<T = Stmt> extends Pos {
  typename: 'NodeList';
  children: T[];
}
export interface FunCall extends Pos {
  typename: 'FunCall';
  name: Expr;
  args: NodeList<Arg>;
}
/** `value | name(args)`: args' first child is the value (a Capture for a `{% filter %}` block). */
export interface Filter extends Pos {
  typename: 'Filter';
  name: SymbolNode;
  args: NodeList<Arg | Capture>;
}
/** `value is name args` (a dotted name, a comparison operator, or true/false/none as written). */
export interface Test extends Pos {
  typename: 'Test';
  name: string;
  value: Expr;
  args: Arg[];
}
export interface CompareOperand extends Pos {
  typename: 'CompareOperand';
  expr: Expr;
  type: string;
}
export interface Compare extends Pos {
  typename: 'Compare';
  expr: Expr;
  ops: CompareOperand[];
}
/** nunjucks' BinOp subclasses: `left in right`, `and`, `or`, and the arithmetic ones (ArithOp). */
export interface BinOp extends Pos {
  typename: 'In' | 'And' | 'Or';
  left: Expr;
  right: Expr;
}
const ARITHMETIC = ['Add', 'Sub', 'Mul', 'Div', 'FloorDiv', 'Mod', 'Pow', 'Concat'] as const;
/** `+ - * / // % **` and `~`. */
export interface ArithOp extends Pos {
  typename: (typeof ARITHMETIC)[number];
  left: Expr;
  right: Expr;
}
const ARITHMETIC_NAMES: ReadonlySet<string> = new Set(ARITHMETIC);
/** Whether `node` is an arithmetic operator (the code generator and the static parser treat them alike). */
export function isArithmetic(node: { typename: string }): node is ArithOp {
  return ARITHMETIC_NAMES.has(node.typename);
}
export interface UnaryOp extends Pos {
  typename: 'Not' | 'Neg' | 'Pos';
  target: Expr;
}
export interface InlineIf extends Pos {
  typename: 'InlineIf';
  cond: Expr;
  body: Expr;
  else_: Expr | null;
}
/** The `caller` a `{% call %}` block passes (a macro without a name of its own). */
export interface Caller extends Pos {
  typename: 'Caller';
  name: SymbolNode;
  args: NodeList<Arg>;
  body: NodeList;
}
/** A block's output as a string (`{% set x %}...{% endset %}`, `{% filter %}`). */
export interface Capture extends Pos {
  typename: 'Capture';
  body: NodeList;
}
export type Expr = Literal | SymbolNode | Group | ArrayNode | Dict | LookupVal | Slice | FunCall | Filter | Test | Compare | BinOp | ArithOp | UnaryOp | InlineIf | Caller;

// Statements.
export interface TemplateData extends Pos {
  typename: 'TemplateData';
  value: string;
}
/** Template text and `{{ expr }}`s (and the FunCall of a `{% call %}` / Filter of a `{% filter %}` block). */
export interface Output extends Pos {
  typename: 'Output';
  children: (TemplateData | Expr)[];
}
export interface If extends Pos {
  typename: 'If';
  cond: Expr;
  body: NodeList;
  /** `else` part: its statements, or the If of an `elif`. */
  else_: NodeList | If | null;
}
/** A loop's targets: a name, or names to unpack (`k, v` an Array; `(k, v)` a Group). */
export type ForTarget = SymbolNode | ArrayNode<SymbolNode> | Group<SymbolNode>;
export interface For extends Pos {
  typename: 'For';
  arr: Expr;
  name: ForTarget;
  body: NodeList;
  else_: NodeList | null;
  /** `for x in y if cond`. */
  cond?: Expr;
  /** `for x in y recursive`: `loop(children)` renders the body again, one level deeper. */
  recursive?: boolean;
}
/** `{% set t = v %}` (value) or `{% set t %}...{% endset %}` (value null, body). */
export type SetNode = SetValue | SetBlock;
interface SetBase extends Pos {
  typename: 'Set';
  targets: Expr[];
  /** `{% set a, b = ... %}` or `{% set (a,) = ... %}`: unpack even one target. */
  unpack?: boolean;
}
export interface SetValue extends SetBase {
  value: Expr;
  body?: undefined;
}
export interface SetBlock extends SetBase {
  value: null;
  body: Capture;
}
export interface Macro extends Pos {
  typename: 'Macro';
  name: SymbolNode;
  args: NodeList<Arg>;
  body: NodeList;
  /** dbt's `{% test %}` and `{% materialization %}` blocks, compiled as macros. */
  dbtKind?: 'test' | 'materialization';
  adapter?: string;
  blockName?: string;
  /** A materialization's `supported_languages` (dbt's default: `['sql']`). */
  supportedLanguages?: string[];
}
export interface Do extends Pos {
  typename: 'Do';
  expr: Expr;
}
export interface With extends Pos {
  typename: 'With';
  targets: SymbolNode[];
  values: Expr[];
  body: NodeList;
}
export interface LoopControl extends Pos {
  typename: 'LoopControl';
  kind: 'break' | 'continue';
}
/** dbt's `{% docs %}` and `{% snapshot %}` blocks, with their raw text. */
export interface DbtBlock extends Pos {
  typename: 'DbtBlock';
  kind: 'docs' | 'snapshot';
  name: string;
  body: NodeList;
  raw: string;
}
export type Stmt = Output | If | For | SetNode | Macro | Do | With | LoopControl | DbtBlock | NodeList;
export interface Root extends Pos {
  typename: 'Root';
  children: Stmt[];
}

/** Any node of a tree. */
export type AstNode = Root | Stmt | Expr | TemplateData | Pair | KeywordArgs | StarArgs | StarKwargs | CompareOperand | Capture | NodeList<Arg> | NodeList<Arg | Capture>;

/** Whether `value` is a syntax-tree node: in a tree, every object with a string `typename` is one. */
export function isAstNode(value: unknown): value is AstNode {
  return typeof value === 'object' && value !== null && 'typename' in value && typeof value.typename === 'string';
}

/** The values of a node's fields (its children among them, in arrays or alone), for walks over a whole tree. */
export function fieldValues(node: AstNode): unknown[] {
  return Object.keys(node).filter((key) => key !== 'lineno' && key !== 'colno').map((key): unknown => Reflect.get(node, key));
}
