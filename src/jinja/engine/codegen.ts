// Template compiler, statements: compiles a parsed template to a JavaScript module function.
// Jinja scopes become JavaScript block scopes (loop bodies and macros are scopes; `if` is not),
// each function tracks the current template line in `ln` and wraps errors with file:line.
import type { Caller, Expr, For, ForTarget, Macro, NodeList, Root, SetNode, Stmt } from './ast.js';
import { ExprCompiler, type CompileEnv } from './codegen-expr.js';
import { Scope, assignedNames, references } from './codegen-scope.js';

/** Names of runtime helpers the generated code uses (bound once per compiled module). */
export const RUNTIME_NAMES = [
  'S', 'TR', 'EQ', 'CMP', 'IN', 'ADD', 'SUB', 'MUL', 'DIV', 'FDIV', 'MOD', 'POW', 'NEG', 'POS', 'CC',
  'GA', 'GI', 'SL', 'SA', 'CALL', 'CM', 'IT', 'ITP', 'UNPACK', 'KWS', 'DICT', 'FAIL', 'TUP', 'PF', 'NS', 'MISSING',
  'MK', 'LOOP', 'FLOOP', 'LOOP_END', 'WRAP', 'IFUNDEF', 'NOTPASSED', 'EMPTY',
] as const;

/** Compiles template ASTs to JavaScript source. */
export class CodeGen extends ExprCompiler {
  private out = 'o';
  /** Enclosing `for` loops in the current JavaScript function (for `break`/`continue`). */
  private loopDepth = 0;

  constructor(path: string, env: CompileEnv, library: boolean) {
    super(path, env, library);
  }

  /**
   * Source of a function body `(rt, F, TE, L, LS, LM, K) => root`, where `root(ctx, exports, share)`
   * renders the template and fills `exports` with its top-level macros, and `K` is the template's
   * `constants` (read after this call). A macro-library file whose top level only defines macros
   * (`sharesInstance`) also sets `share.swap(context)`, which makes `context` the one its macros
   * read names from and returns the previous one: one instance of the file then serves every
   * render, each call swapping in its caller's context (macro-library.ts).
   */
  compileRoot(root: Root): string {
    const scope = new Scope(null, this.newFn());
    for (const name of assignedNames(root.children)) {
      const isMacro = root.children.some((n) => n.typename === 'Macro' && n.name.value === name);
      scope.vars.set(name, { js: this.id(`v_${name}_`), always: false, libraryMacro: this.library && isMacro });
    }
    const body = this.stmts(root.children, scope, true);
    const swap = this.library && sharesInstance(root.children) ? 'if (sh) sh.swap = (c) => { const p = ctx; ctx = c; return p; };\n' : '';
    const used = RUNTIME_NAMES.filter((n) => n === 'WRAP' || n === 'NS' || new RegExp(`\\b${n}\\b`).test(body));
    const head = used.map((n) => `${n} = rt.${n}`).join(', ');
    return [
      `const ${head};`,
      `const P = ${this.k(this.path)};`,
      'return function root(ctx, exp, sh) {',
      'let ln = 1, o = "";',
      swap + scope.declarations() + this.tempDecl(scope),
      'try {',
      body,
      '} catch (e) { throw WRAP(e, P, ln); }',
      'return o;',
      '};',
    ].join('\n');
  }

  private tempDecl(scope: Scope): string {
    const temps = scope.fn.temps;
    return temps.length ? `let ${temps.join(', ')};\n` : '';
  }

  private stmts(nodes: Stmt[], scope: Scope, top = false): string {
    return nodes.map((n) => this.stmt(n, scope, top)).join('');
  }

  private stmt(node: Stmt, scope: Scope, top: boolean): string {
    const ln = `ln = ${this.line(node)};\n`;
    switch (node.typename) {
      case 'Output':
        return node.children
          .map((c) => {
            if (c.typename === 'TemplateData') return c.value ? `${this.out} += ${this.k(c.value)};\n` : '';
            return `ln = ${this.line(c)}; ${this.out} += S(${this.expr(c, scope)});\n`;
          })
          .join('');
      case 'NodeList':
        return this.stmts(node.children, scope, top);
      case 'If': {
        const otherwise = node.else_
          ? ` else {\n${node.else_.typename === 'If' ? this.stmt(node.else_, scope, top) : this.stmts(node.else_.children, scope, top)}}`
          : '';
        return `${ln}if (TR(${this.expr(node.cond, scope)})) {\n${this.stmts(node.body.children, scope, top)}}${otherwise}\n`;
      }
      case 'For':
        return ln + this.forLoop(node, scope);
      case 'Set':
        return ln + this.set(node, scope);
      case 'Do':
        return `${ln}${this.expr(node.expr, scope)};\n`;
      case 'Macro': {
        const name = node.name.value;
        const v = scope.vars.get(name) ?? this.declare(scope, name);
        // Unlike Jinja2's modules, dbt makes every macro callable, `_private` ones included.
        const exportLine = top ? `if (exp) exp[${this.k(name)}] = ${v.js};\n` : '';
        return `${ln}${v.js} = ${top ? this.macroExpr(node, scope, name) : this.nestedMacroExpr(node, scope, name)};\n${exportLine}`;
      }
      case 'With': {
        const inner = new Scope(scope, scope.fn);
        const values = node.values.map((v) => this.expr(v, scope));
        const binds = node.targets.map((t, i) => {
          const js = this.id(`v_${t.value}_`);
          inner.vars.set(t.value, { js, always: true });
          return `const ${js} = ${values[i]};\n`;
        });
        for (const name of assignedNames(node.body.children)) this.declare(inner, name);
        const body = this.stmts(node.body.children, inner);
        return `${ln}{\n${binds.join('')}${inner.declarations()}${body}}\n`;
      }
      case 'LoopControl':
        if (this.loopDepth === 0) this.fail(`'${node.kind}' outside of a loop`, node);
        return `${node.kind};\n`;
      case 'DbtBlock':
        return node.kind === 'snapshot' ? this.stmts(node.body.children, scope, top) : '';
      default:
        return this.unsupported('statement', node);
    }
  }

  private declare(scope: Scope, name: string): { js: string; always: boolean } {
    const v = { js: this.id(`v_${name}_`), always: false };
    scope.vars.set(name, v);
    return v;
  }

  /** A local in `scope` itself for an assignment target (Jinja: `set` never writes outer scopes). */
  private target(scope: Scope, name: string): string {
    return (scope.vars.get(name) ?? this.declare(scope, name)).js;
  }

  private set(node: SetNode, scope: Scope): string {
    const value = node.value ? this.expr(node.value, scope) : this.captureExpr(node.body.body, scope);
    const targets = node.targets;
    const assign = (t: Expr, v: string): string => {
      if (t.typename === 'Symbol') return `${this.target(scope, t.value)} = ${v};\n`;
      if (t.typename === 'LookupVal' && t.dot) return `SA(${this.expr(t.target, scope)}, ${this.k(t.val.value)}, ${v});\n`;
      return this.fail('can only assign to names and namespace attributes', t);
    };
    const [only] = targets;
    if (only && targets.length === 1 && !node.unpack) return assign(only, value);
    const tmp = this.id('u');
    return `{ const ${tmp} = UNPACK(${value}, ${targets.length});\n${targets.map((t, i) => assign(t, `${tmp}[${i}]`)).join('')}}\n`;
  }

  private bindTargets(nameNode: ForTarget, scope: Scope, item: string): string {
    if (nameNode.typename === 'Symbol') {
      const js = this.id(`v_${nameNode.value}_`);
      scope.vars.set(nameNode.value, { js, always: true });
      // `let`: Jinja lets a loop body `set` its own loop variable.
      return `let ${js} = ${item};\n`;
    }
    const names = nameNode.children;
    const tmp = this.id('u');
    let code = `const ${tmp} = UNPACK(${item}, ${names.length});\n`;
    names.forEach((n, i) => {
      const js = this.id(`v_${n.value}_`);
      scope.vars.set(n.value, { js, always: true });
      code += `let ${js} = ${tmp}[${i}];\n`;
    });
    return code;
  }

  private forLoop(node: For, scope: Scope): string {
    if (!node.recursive) return `{\n${this.loopOver(node, scope, this.expr(node.arr, scope), '')}}\n`;
    // `{% for x in xs recursive %}`: the loop is a function of its items and depth, which
    // `loop(children)` calls to render the body (and `else`) once more, returning the text.
    const rec = this.id('rec');
    const items = this.id('it');
    const depth = this.id('d');
    const saved = this.out;
    const buf = this.id('o');
    this.out = buf;
    const inner = this.loopOver(node, scope, items, `, ${depth}, ${rec}`);
    this.out = saved;
    return `{\nconst ${rec} = (${items}, ${depth}) => {\nlet ${buf} = "";\n${inner}return ${buf};\n};\n${this.out} += ${rec}(${this.expr(node.arr, scope)}, 0);\n}\n`;
  }

  /** The statements of one `for` over `items` (a JavaScript expression); `loopArgs` follow the items in `new LOOP(...)`. */
  private loopOver(node: For, scope: Scope, items: string, loopArgs: string): string {
    const arr = this.id('a');
    // `for k, v in ...` (an Array of names) pairs items up; a Group `(k, v)` unpacks each as it binds.
    const arity = node.name.typename === 'Array' ? node.name.children.length : null;
    let code = `const ${arr} = ${arity !== null ? `ITP(${items}, ${arity})` : `IT(${items})`};\n`;
    const loop = this.id('lp');
    const body = new Scope(scope, scope.fn);
    body.vars.set('loop', { js: loop, always: true });
    const item = this.id('e');
    const binds = this.bindTargets(node.name, body, item);
    for (const name of assignedNames(node.body.children)) if (!body.vars.has(name)) this.declare(body, name);
    this.loopDepth++;
    const inner = this.stmts(node.body.children, body);
    this.loopDepth--;
    if (node.cond) {
      // `for x in xs if cond`: tested item by item as the loop reaches it (FilteredLoopInfo).
      const filterScope = new Scope(scope, scope.fn);
      const e = this.id('e');
      const keep = `(${e}) => {\n${this.bindTargets(node.name, filterScope, e)}return TR(${this.expr(node.cond, filterScope)});\n}`;
      code += `const ${loop} = new FLOOP(${arr}, ${keep}${loopArgs});\nfor (let ${item}; (${item} = ${loop}.advance()) !== LOOP_END; ) {\n${binds}${body.declarations()}${inner}}\n`;
      if (node.else_) code += `if (${loop}.count === 0) {\n${this.stmts(node.else_.children, scope)}}\n`;
      return code;
    }
    const i = this.id('i');
    code += `const ${loop} = new LOOP(${arr}${loopArgs});\nfor (let ${i} = 0; ${i} < ${arr}.length; ${i}++) {\n${loop}.index0 = ${i};\nconst ${item} = ${arr}[${i}];\n${binds}${body.declarations()}${inner}}\n`;
    if (node.else_) code += `if (${arr}.length === 0) {\n${this.stmts(node.else_.children, scope)}}\n`;
    return code;
  }

  protected captureExpr(body: NodeList, scope: Scope): string {
    const saved = this.out;
    const savedDepth = this.loopDepth;
    const buf = this.id('o');
    this.out = buf;
    this.loopDepth = 0;
    const inner = this.stmts(body.children, scope);
    this.out = saved;
    this.loopDepth = savedDepth;
    return `(() => {\nlet ${buf} = "";\n${inner}return ${buf};\n})()`;
  }

  /**
   * A macro defined inside another macro, or a `caller` block: in a library file its names are
   * read from the context current where it is defined (bound here), not from whichever context a
   * shared instance of the file has swapped in when it is called, as a closure over its module's
   * context behaves in Jinja2.
   */
  protected nestedMacroExpr(node: Macro | Caller, scope: Scope, name: string): string {
    const made = this.macroExpr(node, scope, name);
    return this.library ? `((ctx) => ${made})(ctx)` : made;
  }

  /** A macro (or `caller` block) as an expression creating the macro function. */
  protected macroExpr(node: Macro | Caller, scope: Scope, name: string): string {
    const fnScope = new Scope(scope, this.newFn());
    const params: string[] = [];
    const defaults: [string, Expr | null][] = [];
    for (const arg of node.args.children) {
      if (arg.typename === 'KeywordArgs') {
        for (const pair of arg.children) {
          if (pair.typename !== 'Pair' || pair.key.typename !== 'Symbol') this.fail('invalid macro parameter', pair);
          params.push(pair.key.value);
          defaults.push([pair.key.value, pair.value]);
        }
      } else if (arg.typename === 'Symbol') {
        params.push(arg.value);
        defaults.push([arg.value, null]);
      } else {
        this.fail('macro parameters must be names', arg);
      }
    }
    const binds: string[] = [];
    params.forEach((p, i) => {
      const js = this.id(`v_${p}_`);
      fnScope.vars.set(p, { js, always: true });
      binds.push(`let ${js} = argv[${i}];\n`);
    });
    const special = (n: string, src: string): boolean => {
      const used = !params.includes(n) && references(node.body, n);
      if (used) {
        const js = this.id(`v_${n}_`);
        fnScope.vars.set(n, { js, always: true });
        binds.push(`let ${js} = ${src};\n`);
      }
      return used;
    };
    const catchVarargs = special('varargs', 'va');
    const catchKwargs = special('kwargs', 'kw');
    const catchCaller = special('caller', 'cl');
    for (const n of assignedNames(node.body.children)) if (!fnScope.vars.has(n)) this.declare(fnScope, n);
    const fillDefaults = defaults
      .map(([p, d]) => {
        const js = (fnScope.vars.get(p) as { js: string }).js;
        const dflt = d ? this.expr(d, fnScope) : `NOTPASSED(${this.k(p)})`;
        return `if (${js} === MISSING) ${js} = ${dflt};\n`;
      })
      .join('');
    const savedOut = this.out;
    const savedDepth = this.loopDepth;
    this.out = 'o';
    this.loopDepth = 0;
    const body = this.stmts(node.body.children, fnScope);
    this.out = savedOut;
    this.loopDepth = savedDepth;
    const impl = [
      'function (argv, va, kw, cl) {',
      `let ln = ${this.line(node)}, o = "";`,
      binds.join('') + fnScope.declarations() + (fnScope.fn.temps.length ? `let ${fnScope.fn.temps.join(', ')};\n` : ''),
      `try {\n${fillDefaults}${body}} catch (e) { throw WRAP(e, P, ln); }`,
      'return o;\n}',
    ].join('\n');
    const meta = `name: ${this.k(name)}, params: ${JSON.stringify(params)}, catchVarargs: ${catchVarargs}, catchKwargs: ${catchKwargs}, catchCaller: ${catchCaller}`;
    return `MK({${meta}, impl: ${impl}})`;
  }
}

/**
 * Whether a library file's top level only defines macros (and holds text and docs blocks, whose
 * output a library instance drops): running it then reads no context, so one instance of it can
 * serve every context. A top-level `set`, `do`, `if` or expression runs per context instead.
 */
function sharesInstance(nodes: Stmt[]): boolean {
  return nodes.every((n) => {
    switch (n.typename) {
      case 'Macro':
        return true;
      case 'Output':
        return n.children.every((c) => c.typename === 'TemplateData');
      case 'DbtBlock':
        return n.kind === 'docs';
      case 'NodeList':
        return sharesInstance(n.children);
      default:
        return false;
    }
  });
}
