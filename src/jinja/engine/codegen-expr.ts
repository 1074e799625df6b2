// Template compiler, expressions: turns nunjucks expression nodes into JavaScript that calls
// the Python-semantics runtime (truthiness, operators, member lookup, calls, filters, tests).
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { type Arg, type ArithOp, type Caller, type Capture, type Compare, type Dict, type Expr, type Filter, type FunCall, type Literal, type Macro, type NodeList, type Pair, type Pos, type Test, isArithmetic } from './ast.js';
import { FnContext, type Scope } from './codegen-scope.js';
import { nullProto } from './values.js';

const CONSTANTS: Record<string, string> = nullProto({
  True: 'true', true: 'true', False: 'false', false: 'false', None: 'null', none: 'null',
});
const BINOPS: Record<ArithOp['typename'], string> = {
  Add: 'ADD', Sub: 'SUB', Mul: 'MUL', Div: 'DIV', FloorDiv: 'FDIV', Mod: 'MOD', Pow: 'POW', Concat: 'CC',
};
const OBJECT_PROTO_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** What the compiler needs from the environment: which filters and tests exist. */
export interface CompileEnv {
  hasFilter(name: string): boolean;
  hasTest(name: string): boolean;
}

/** Expression compilation; statement compilation (codegen.ts) extends it. */
export abstract class ExprCompiler {
  protected nextId = 0;
  /**
   * The template's constants (its text, string and number literals, names, line numbers), which
   * the code reads as `K[i]`: templates that differ only in them compile to the same code, and
   * share one JavaScript function (environment.ts), which V8 compiles once and optimizes as it
   * gets hot, instead of compiling a function per template.
   */
  readonly constants: (string | number)[] = [];
  constructor(
    protected readonly path: string,
    protected readonly env: CompileEnv,
    protected readonly library: boolean,
  ) {}

  protected abstract macroExpr(node: Macro | Caller, scope: Scope, name: string): string;
  protected abstract nestedMacroExpr(node: Macro | Caller, scope: Scope, name: string): string;
  protected abstract captureExpr(body: NodeList, scope: Scope): string;

  protected fail(message: string, node: Pos | null | undefined): never {
    throw new TsdbtError(message, {
      code: 'jinja-syntax',
      category: 'user',
      location: { file: this.path, line: (node?.lineno ?? 0) + 1 },
    });
  }

  /**
   * The code reading constant `value`: a slot per occurrence, never shared between equal values,
   * so the code depends on the template's structure only (a line number equal to a literal
   * elsewhere would otherwise change which slots the code reads).
   */
  protected k(value: string | number): string {
    return `K[${this.constants.push(value) - 1}]`;
  }

  protected id(base: string): string {
    return `${base}${++this.nextId}`;
  }

  protected temp(scope: Scope): string {
    const t = this.id('t');
    scope.fn.temps.push(t);
    return t;
  }

  protected newFn(): FnContext {
    return new FnContext();
  }

  /** JavaScript reading Jinja name `name` in `scope`. */
  protected resolve(name: string, scope: Scope | null): string {
    for (let s = scope; s; s = s.parent) {
      const v = s.vars.get(name);
      if (!v) continue;
      if (v.libraryMacro) return `LM(ctx, ${this.k(name)}, ${v.js})`;
      if (v.always) return v.js;
      return `(${v.js} !== NS ? ${v.js} : ${this.resolve(name, s.parent)})`;
    }
    return `${OBJECT_PROTO_NAMES.has(name) ? 'LS' : 'L'}(ctx, ${this.k(name)})`;
  }

  /** The code reading `node`'s line number (a constant, so templates differing only in lines share code). */
  protected line(node: Pos | null | undefined): string {
    return this.k((node?.lineno ?? 0) + 1);
  }

  /** A node the parser cannot produce (the union is exhaustive): refused with its kind. */
  protected unsupported(kind: string, node: never): never {
    const unknown: Pos & { typename: string } = node;
    return this.fail(`unsupported ${kind} '${unknown.typename}'`, unknown);
  }

  protected expr(node: Expr | Capture, scope: Scope): string {
    switch (node.typename) {
      case 'Literal':
        return this.literal(node);
      case 'Symbol':
        return CONSTANTS[node.value] ?? this.resolve(node.value, scope);
      case 'Group': {
        // A group that is no tuple holds one expression (parseAggregate).
        const [only] = node.children;
        if (node.tuple || !only) return `TUP([${this.list(node.children, scope)}])`;
        return `(${this.expr(only, scope)})`;
      }
      case 'Array':
        return `[${this.list(node.children, scope)}]`;
      case 'Dict':
        return this.dict(node, scope);
      case 'LookupVal':
        return node.dot
          ? `GA(${this.expr(node.target, scope)}, ${this.k(node.val.value)})`
          : `GI(${this.expr(node.target, scope)}, ${this.expr(node.val, scope)})`;
      case 'Slice':
        return `SL(${this.expr(node.target, scope)}, ${this.optExpr(node.start, scope)}, ${this.optExpr(node.stop, scope)}, ${this.optExpr(node.step, scope)})`;
      case 'FunCall':
        return this.funCall(node, scope);
      case 'Filter':
        return this.filter(node, scope);
      case 'Test':
        return this.test(node, scope);
      case 'Compare':
        return this.compare(node, scope);
      case 'In':
        return `IN(${this.expr(node.right, scope)}, ${this.expr(node.left, scope)})`;
      case 'Not':
        return `!TR(${this.expr(node.target, scope)})`;
      case 'And':
      case 'Or': {
        const t = this.temp(scope);
        const left = this.expr(node.left, scope);
        const right = this.expr(node.right, scope);
        return node.typename === 'And' ? `(TR(${t} = ${left}) ? ${right} : ${t})` : `(TR(${t} = ${left}) ? ${t} : ${right})`;
      }
      case 'InlineIf': {
        const otherwise = node.else_ ? this.expr(node.else_, scope) : 'IFUNDEF()';
        return `(TR(${this.expr(node.cond, scope)}) ? ${this.expr(node.body, scope)} : ${otherwise})`;
      }
      case 'Neg':
        return `NEG(${this.expr(node.target, scope)})`;
      case 'Pos':
        return `POS(${this.expr(node.target, scope)})`;
      case 'Caller':
        return this.nestedMacroExpr(node, scope, 'caller');
      case 'Capture':
        return this.captureExpr(node.body, scope);
      default:
        if (isArithmetic(node)) return `${BINOPS[node.typename]}(${this.expr(node.left, scope)}, ${this.expr(node.right, scope)})`;
        return this.unsupported('expression', node);
    }
  }

  private optExpr(node: Expr | null, scope: Scope): string {
    return node ? this.expr(node, scope) : 'null';
  }

  private list(nodes: Expr[], scope: Scope): string {
    return nodes.map((n) => this.expr(n, scope)).join(', ');
  }

  private literal(node: Literal): string {
    const v = node.value;
    if (typeof v === 'string') return this.k(v);
    if (v === null) return 'null';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return node.isFloat && Number.isInteger(v) ? `new PF(${this.k(v)})` : this.k(v);
    return this.fail('regular expression literals are not supported', node);
  }

  private dict(node: Dict, scope: Scope): string {
    const pairs = node.children;
    const keys = pairs.map(({ key }) => (key.typename === 'Literal' && typeof key.value === 'string' && key.value !== '__proto__' ? key.value : null));
    // Keys other than string constants (relations, numbers, tuples) keep what they are (py-dict.ts).
    if (keys.includes(null)) return `DICT([${pairs.map((pair) => `${this.expr(pair.key, scope)}, ${this.expr(pair.value, scope)}`).join(', ')}])`;
    return `{${pairs.map((pair, i) => `${JSON.stringify(keys[i])}: ${this.expr(pair.value, scope)}`).join(', ')}}`;
  }

  /** A keyword argument's name (the parser takes only names as keywords). */
  private keyword(pair: Pair): string {
    return pair.key.typename === 'Symbol' ? pair.key.value : this.fail('a keyword argument must be a name', pair);
  }

  /** Positional args array and keyword object (or `null`) of a call. */
  protected callArgs(children: (Arg | Capture)[], scope: Scope): [string, string] {
    const pos: string[] = [];
    let kw = 'null';
    for (const a of children) {
      if (a.typename === 'KeywordArgs') {
        const parts = a.children.map((p) =>
          p.typename === 'StarKwargs' ? `...KWS(${this.expr(p.expr, scope)})` : `${JSON.stringify(this.keyword(p))}: ${this.expr(p.value, scope)}`,
        );
        kw = `{${parts.join(', ')}}`;
      } else if (a.typename === 'StarArgs') {
        pos.push(`...IT(${this.expr(a.expr, scope)})`);
      } else {
        pos.push(this.expr(a, scope));
      }
    }
    return [`[${pos.join(', ')}]`, kw];
  }

  private funCall(node: FunCall, scope: Scope): string {
    const [args, kw] = this.callArgs(node.args.children, scope);
    const callee = node.name;
    if (callee.typename === 'LookupVal' && callee.dot) {
      return `(ln = ${this.line(node)}, CM(${this.expr(callee.target, scope)}, ${this.k(callee.val.value)}, ${args}, ${kw}))`;
    }
    return `(ln = ${this.line(node)}, CALL(${this.expr(callee, scope)}, ${args}, ${kw}))`;
  }

  private filter(node: Filter, scope: Scope): string {
    const name = node.name.value;
    // Jinja2 rejects an unknown filter when it compiles the template; dbt compiles each macro
    // only when it is called, so a package macro using a filter tsdbt lacks must not stop the
    // parse: the error is raised (at this line) when the expression runs.
    if (!this.env.hasFilter(name)) return this.unknown(`no filter named '${name}'`, node);
    const [value, ...rest] = node.args.children;
    // nunjucks' parseFilter puts the filtered value first (a Capture for a filter block), never `*x` or `k=v`.
    if (!value || value.typename === 'StarArgs' || value.typename === 'KeywordArgs') return this.fail(`filter '${name}' without a value`, node);
    const [args, kw] = this.callArgs(rest, scope);
    return `F[${JSON.stringify(name)}](${this.expr(value, scope)}, ${args}, ${kw === 'null' ? 'EMPTY' : kw})`;
  }

  private test(node: Test, scope: Scope): string {
    const constant = CONSTANTS[node.name];
    const name = constant === undefined ? node.name : constant.replace('null', 'none');
    if (!this.env.hasTest(name)) return this.unknown(`no test named '${name}'`, node);
    const args = node.args
      .filter((a) => a.typename !== 'KeywordArgs')
      .map((a) => `, ${a.typename === 'StarArgs' ? this.fail("unsupported expression 'StarArgs'", a) : this.expr(a, scope)}`);
    return `TE[${JSON.stringify(name)}](${this.expr(node.value, scope)}${args.join('')})`;
  }

  /** An expression that raises `message` at its line when it runs. */
  private unknown(message: string, node: Pos): string {
    return `(ln = ${this.line(node)}, FAIL(${this.k(message)}))`;
  }

  private compare(node: Compare, scope: Scope): string {
    const ops = node.ops;
    const [op] = ops;
    if (op && ops.length === 1) {
      const [a, b] = [this.expr(node.expr, scope), this.expr(op.expr, scope)];
      if (op.type === '==') return `EQ(${a}, ${b})`;
      if (op.type === '!=') return `!EQ(${a}, ${b})`;
      return `CMP(${JSON.stringify(op.type)}, ${a}, ${b})`;
    }
    let left = this.temp(scope);
    const parts: string[] = [];
    let first = `${left} = ${this.expr(node.expr, scope)}`;
    for (const op of ops) {
      const right = this.temp(scope);
      parts.push(`(${first}, CMP(${JSON.stringify(op.type)}, ${left}, ${right} = ${this.expr(op.expr, scope)}))`);
      left = right;
      first = '0';
    }
    return `(${parts.join(' && ')})`;
  }
}
