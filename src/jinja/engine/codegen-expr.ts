// Template compiler, expressions: turns nunjucks expression nodes into JavaScript that calls
// the Python-semantics runtime (truthiness, operators, member lookup, calls, filters, tests).
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { AstNode } from './nunjucks-internals.js';
import { FnContext, type Scope } from './codegen-scope.js';

const CONSTANTS: Record<string, string> = Object.setPrototypeOf({
  True: 'true', true: 'true', False: 'false', false: 'false', None: 'null', none: 'null',
}, null);
const BINOPS: Record<string, string> = Object.setPrototypeOf({
  Add: 'ADD', Sub: 'SUB', Mul: 'MUL', Div: 'DIV', FloorDiv: 'FDIV', Mod: 'MOD', Pow: 'POW', Concat: 'CC',
}, null);
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

  protected abstract macroExpr(node: AstNode, scope: Scope, name: string): string;
  protected abstract captureExpr(body: AstNode, scope: Scope): string;

  protected fail(message: string, node: AstNode): never {
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
  protected line(node: AstNode): string {
    return this.k((node?.lineno ?? 0) + 1);
  }

  protected expr(node: AstNode, scope: Scope): string {
    switch (node.typename) {
      case 'Literal':
        return this.literal(node);
      case 'Symbol':
        return CONSTANTS[node.value] ?? this.resolve(node.value, scope);
      case 'Group':
        if (node.tuple) return `TUP([${this.list(node.children, scope)}])`;
        return `(${this.expr(node.children[0], scope)})`;
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
        return this.macroExpr(node, scope, 'caller');
      case 'Capture':
        return this.captureExpr(node.body, scope);
      default: {
        const op = BINOPS[node.typename];
        if (op) return `${op}(${this.expr(node.left, scope)}, ${this.expr(node.right, scope)})`;
        return this.fail(`unsupported expression '${node.typename}'`, node);
      }
    }
  }

  private optExpr(node: AstNode | null, scope: Scope): string {
    return node ? this.expr(node, scope) : 'null';
  }

  private list(nodes: AstNode[], scope: Scope): string {
    return nodes.map((n) => this.expr(n, scope)).join(', ');
  }

  private literal(node: AstNode): string {
    const v = node.value;
    if (typeof v === 'string') return this.k(v);
    if (v === null) return 'null';
    if (typeof v === 'boolean') return String(v);
    if (typeof v === 'number') return node.isFloat && Number.isInteger(v) ? `new PF(${this.k(v)})` : this.k(v);
    return this.fail('regular expression literals are not supported', node);
  }

  private dict(node: AstNode, scope: Scope): string {
    const pairs: AstNode[] = node.children;
    const constantKeys = pairs.every((pair) => pair.key.typename === 'Literal' && typeof pair.key.value === 'string' && pair.key.value !== '__proto__');
    // Keys other than string constants (relations, numbers, tuples) keep what they are (py-dict.ts).
    if (!constantKeys) return `DICT([${pairs.map((pair) => `${this.expr(pair.key, scope)}, ${this.expr(pair.value, scope)}`).join(', ')}])`;
    return `{${pairs.map((pair) => `${JSON.stringify(pair.key.value)}: ${this.expr(pair.value, scope)}`).join(', ')}}`;
  }

  /** Positional args array and keyword object (or `null`) of a call. */
  protected callArgs(children: AstNode[], scope: Scope): [string, string] {
    const pos: string[] = [];
    let kw = 'null';
    for (const a of children) {
      if (a.typename === 'KeywordArgs') {
        const parts = a.children.map((p: AstNode) =>
          p.typename === 'StarKwargs' ? `...KWS(${this.expr(p.expr, scope)})` : `${JSON.stringify(p.key.value)}: ${this.expr(p.value, scope)}`,
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

  private funCall(node: AstNode, scope: Scope): string {
    const [args, kw] = this.callArgs(node.args.children, scope);
    const callee = node.name;
    if (callee.typename === 'LookupVal' && callee.dot) {
      return `(ln = ${this.line(node)}, CM(${this.expr(callee.target, scope)}, ${this.k(callee.val.value)}, ${args}, ${kw}))`;
    }
    return `(ln = ${this.line(node)}, CALL(${this.expr(callee, scope)}, ${args}, ${kw}))`;
  }

  private filter(node: AstNode, scope: Scope): string {
    const name: string = node.name.value;
    // Jinja2 rejects an unknown filter when it compiles the template; dbt compiles each macro
    // only when it is called, so a package macro using a filter tsdbt lacks must not stop the
    // parse: the error is raised (at this line) when the expression runs.
    if (!this.env.hasFilter(name)) return this.unknown(`no filter named '${name}'`, node);
    const [value, ...rest] = node.args.children as AstNode[];
    const [args, kw] = this.callArgs(rest, scope);
    return `F[${JSON.stringify(name)}](${this.expr(value, scope)}, ${args}, ${kw === 'null' ? 'EMPTY' : kw})`;
  }

  private test(node: AstNode, scope: Scope): string {
    const name: string = CONSTANTS[node.name] === undefined ? node.name : String(CONSTANTS[node.name]).replace('null', 'none');
    if (!this.env.hasTest(name)) return this.unknown(`no test named '${name}'`, node);
    const args = node.args.filter((a: AstNode) => a.typename !== 'KeywordArgs').map((a: AstNode) => `, ${this.expr(a, scope)}`);
    return `TE[${JSON.stringify(name)}](${this.expr(node.value, scope)}${args.join('')})`;
  }

  /** An expression that raises `message` at its line when it runs. */
  private unknown(message: string, node: AstNode): string {
    return `(ln = ${this.line(node)}, FAIL(${this.k(message)}))`;
  }

  private compare(node: AstNode, scope: Scope): string {
    const ops: AstNode[] = node.ops;
    if (ops.length === 1) {
      const op = ops[0];
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
