// The walk of a template's syntax tree behind the static parser (static-parser.ts): each statement
// and expression either recorded (a ref, source or config call in the file's unconditional code),
// proven to have no parse-time effect, or refused with NotStatic, whose message says what and where.
import { type Arg, type AstNode, type Capture, type Expr, type FunCall, type If, type NodeList, type Pair, type Pos, type Stmt, isArithmetic } from '../engine/ast.js';
import { keywordObject } from '../engine/macro-runtime.js';
import { refCallFromArgs } from './node-calls.js';
import { CONSTANTS, isPlainRecord, literalValue, NOT_LITERAL, pyTruthy, rootSymbol, targetNames, UNKNOWN } from './static-values.js';
import { constantValue } from './static-constant.js';
import type { MacroCallArgs, StaticParseResult, StaticParseScope } from './static-parse-scope.js';
import { SECRET_ENV_PREFIX } from './secret-env-vars.js';


/** Raised inside the walk when something cannot be proven (its message says what, and where); caught by the entry points. */
export class NotStatic extends Error {}

const notStatic = (reason: string, node?: Pos): never => {
  throw new NotStatic(node && typeof node.lineno === 'number' ? `line ${node.lineno + 1}: ${reason}` : reason);
};

/**
 * Context functions without parse-time effects (their values are never needed here). Not `log`
 * and `print`: they print while parsing, as dbt's parse render does, so a file calling them renders.
 */
const PURE_CALLS = new Set([
  'range', 'dict', 'list', 'zip', 'zip_strict', 'tojson', 'fromjson', 'toyaml', 'fromyaml', 'set', 'set_strict', 'len', 'local_md5',
  'diff_of_two_dicts', 'lipsum', 'cycler', 'joiner', 'namespace', 'is_incremental', 'var', 'env_var', 'debug',
]);
/** Members of `adapter` that only read. */
const PURE_ADAPTER = new Set(['quote', 'quote_as_configured', 'quote_seed_column', 'type']);
/** Members of `config` that only read. */
const PURE_CONFIG = new Set(['get', 'require', 'meta_get', 'meta_require', 'persist_relation_docs', 'persist_column_docs']);
/** Names whose members raise, run SQL or reach any macro by a computed name. */
const OPAQUE_ROOTS = new Set(['exceptions', 'builtins', 'context', 'caller']);

/** `collect`: unconditional code of the file itself, where ref/source/config are recorded; `pure`: code that must have no effect. */
type Mode = 'collect' | 'pure';

export class Walker {
  readonly result: StaticParseResult = { refs: [], sources: [], configCalls: [] };
  /**
   * Names assigned by `set`, `for` or macro parameters, with their value where it is certain
   * (UNKNOWN otherwise): calling one is not followed; a condition on a known one is decided.
   */
  private readonly locals = new Map<string, unknown>();
  /** Inside a branch or loop that may or may not run: an assignment there makes its name UNKNOWN. */
  private uncertain = 0;

  constructor(
    private readonly scope: StaticParseScope,
    /** Inside a macro body, `return(...)` is allowed. */
    private readonly inMacro: boolean,
  ) {}

  bind(names: string[], value: unknown = UNKNOWN): void {
    for (const name of names) this.locals.set(name, this.uncertain > 0 ? UNKNOWN : value);
  }

  /** Walks what may or may not run (an undecided branch, a loop body): it must have no effect. */
  private maybe<T>(walk: () => T): T {
    this.uncertain++;
    try {
      return walk();
    } finally {
      this.uncertain--;
    }
  }

  /** Walks statements in order; true when one of them certainly ran `return(...)` (what follows never runs). */
  statements(nodes: Stmt[], mode: Mode): boolean {
    for (const node of nodes) if (this.statement(node, mode)) return true;
    return false;
  }

  private statement(node: Stmt, mode: Mode): boolean {
    switch (node.typename) {
      case 'NodeList':
        return this.statements(node.children, mode);
      case 'Output': {
        let returned = false;
        for (const child of node.children) {
          if (child.typename === 'TemplateData') continue;
          this.expr(child, mode);
          if (this.inMacro && child.typename === 'FunCall' && child.name.typename === 'Symbol' && child.name.value === 'return' && !this.locals.has('return')) returned = true;
          if (returned) return true;
        }
        return false;
      }
      case 'If': {
        const decided = this.decide(node.cond);
        if (decided === null) {
          this.expr(node.cond, mode);
          const body = this.maybe(() => this.statements(node.body.children, 'pure'));
          const else_ = node.else_;
          const otherwise = else_ ? this.maybe(() => this.branch(else_, 'pure')) : false;
          return body && otherwise;
        }
        if (decided) return this.statements(node.body.children, mode);
        return node.else_ ? this.branch(node.else_, mode) : false;
      }
      case 'For': {
        this.expr(node.arr, mode);
        this.maybe(() => {
          this.bind(targetNames(node.name));
          if (node.cond) this.expr(node.cond, 'pure');
          this.statements(node.body.children, 'pure');
          if (node.else_) this.statements(node.else_.children, 'pure');
        });
        return false;
      }
      case 'Set': {
        // A captured block's text is never output: a return() inside it ends the macro only there.
        if (node.value) this.expr(node.value, mode);
        else this.statements(node.body.body.children, mode);
        const targets = node.targets;
        const value = targets.length === 1 && node.value ? this.constant(node.value) : UNKNOWN;
        for (const t of targets) {
          if (t.typename === 'Symbol') this.bind([t.value], value);
          else if (t.typename === 'LookupVal') this.expr(t.target, mode);
          else notStatic(`assigns to something other than a name`, t);
        }
        return false;
      }
      case 'Do':
        this.expr(node.expr, mode);
        return false;
      case 'With':
        for (const v of node.values) this.expr(v, mode);
        this.bind(node.targets.map((t) => t.value));
        return this.statements(node.body.children, mode);
      case 'LoopControl':
        return false;
      default:
        // Macros, call blocks, filter blocks, dbt blocks: rendered.
        return notStatic(`{% ${node.typename === 'Macro' ? 'macro' : node.typename.toLowerCase()} %} block`, node);
    }
  }

  /** An `else` part: a NodeList, or the If of an `elif`. */
  private branch(node: NodeList | If, mode: Mode): boolean {
    return node.typename === 'If' ? this.statement(node, mode) : this.statements(node.children, mode);
  }

  /**
   * The truth of a condition while parsing, where it is known: `is_incremental()` and `execute`
   * are false; `var(...)`, `target.<x>`, `env_var(...)` and constants compared with `==`, `!=`,
   * `in`, combined with `not`, `and`, `or`. Null when it is not known.
   */
  private decide(cond: Expr): boolean | null {
    const value = this.constant(cond);
    return value === UNKNOWN ? null : pyTruthy(value);
  }

  /** The value of an expression while parsing, where it is certain and a plain value; UNKNOWN otherwise. */
  private constant(node: AstNode): unknown {
    return constantValue(node, this.locals, this.scope);
  }

  private exprs(nodes: (Expr | Arg | Capture)[], mode: Mode): void {
    for (const node of nodes) this.expr(node, mode);
  }

  private expr(node: Expr | Arg | Capture, mode: Mode): void {
    switch (node.typename) {
      case 'Literal':
      case 'Symbol':
        return;
      case 'Group':
      case 'Array':
        return this.exprs(node.children, mode);
      case 'Dict':
        for (const pair of node.children) {
          this.expr(pair.key, mode);
          this.expr(pair.value, mode);
        }
        return;
      case 'LookupVal':
        if (node.target.typename === 'Symbol' && OPAQUE_ROOTS.has(node.target.value) && !this.locals.has(node.target.value)) notStatic(`uses ${node.target.value}`, node);
        this.expr(node.target, mode);
        return this.expr(node.val, mode);
      case 'Slice':
        this.expr(node.target, mode);
        for (const part of [node.start, node.stop, node.step]) if (part) this.expr(part, mode);
        return;
      case 'Compare':
        this.expr(node.expr, mode);
        for (const op of node.ops) this.expr(op.expr, mode);
        return;
      case 'In':
        this.expr(node.left, mode);
        return this.expr(node.right, mode);
      case 'Not':
      case 'Neg':
      case 'Pos':
        return this.expr(node.target, mode);
      case 'And':
      case 'Or':
        this.expr(node.left, mode);
        return this.maybe(() => this.expr(node.right, 'pure')); // evaluated only sometimes
      case 'InlineIf':
        this.expr(node.cond, mode);
        return this.maybe(() => {
          this.expr(node.body, 'pure');
          if (node.else_) this.expr(node.else_, 'pure');
        });
      case 'Filter': {
        if (!this.scope.hasFilter(node.name.value)) notStatic(`unknown filter '${node.name.value}'`, node); // the render reports it
        return this.exprs(node.args.children, mode);
      }
      case 'Test': {
        const name = node.name;
        if (!this.scope.hasTest(name) && !(name in CONSTANTS)) notStatic(`unknown test '${name}'`, node);
        this.expr(node.value, mode);
        return this.exprs(node.args, mode);
      }
      case 'FunCall':
        return this.call(node, mode);
      default:
        if (!isArithmetic(node)) return notStatic(`${node.typename} expression`, node);
        this.expr(node.left, mode);
        return this.expr(node.right, mode);
    }
  }

  /** The arguments of a call, walked (they are evaluated before it) and, where all are literals, their values. */
  private args(node: FunCall, mode: Mode): { positional: unknown[]; keywords: Record<string, unknown> | null; literal: boolean; call: MacroCallArgs } {
    const positional: unknown[] = [];
    let keywords: Record<string, unknown> | null = null;
    let literal = true;
    // For a macro call: each argument's value where certain (constants, known locals).
    const call: MacroCallArgs | null = { positional: [], keywords: {} };
    let spread = false;
    for (const arg of node.args.children) {
      if (arg.typename === 'KeywordArgs') {
        for (const pair of arg.children) {
          if (pair.typename === 'StarKwargs') {
            this.expr(pair.expr, mode);
            literal = false;
            spread = true;
            continue;
          }
          this.expr(pair.value, mode);
          const key = keywordName(pair);
          call.keywords[key] = this.constant(pair.value);
          const value = literalValue(pair.value);
          if (value === NOT_LITERAL) literal = false;
          else (keywords ??= {})[key] = value;
        }
      } else if (arg.typename === 'StarArgs') {
        this.expr(arg.expr, mode);
        literal = false;
        spread = true;
      } else {
        this.expr(arg, mode);
        call.positional.push(this.constant(arg));
        const value = literalValue(arg);
        if (value === NOT_LITERAL) literal = false;
        else positional.push(value);
      }
    }
    // `*args` / `**kwargs`: which parameter gets what is not known.
    return { positional, keywords, literal, call: spread ? SPREAD_CALL : call };
  }

  private call(node: FunCall, mode: Mode): void {
    try {
      this.callAt(node, mode);
    } catch (err) {
      if (err instanceof NotStatic && !err.message.startsWith('line ')) notStatic(err.message, node);
      throw err;
    }
  }

  private callAt(node: FunCall, mode: Mode): void {
    const callee = node.name;
    const { positional, keywords, literal, call } = this.args(node, mode);
    this.callArgs = call;
    if (callee.typename === 'Symbol') return this.namedCall(callee.value, positional, keywords, literal, mode);
    if (callee.typename === 'LookupVal' && callee.dot && callee.target.typename === 'Symbol' && !this.locals.has(callee.target.value)) {
      return this.memberCall(callee.target.value, callee.val.value, positional, keywords, literal, mode);
    }
    if (callee.typename === 'FunCall') return this.dispatchedCall(callee, mode, call);
    // A method of a value (`'a,b'.split(',')`, `modules.datetime.date.today()`): reads only,
    // unless its chain starts at something that can act.
    const root = rootSymbol(callee);
    if (root !== null && !this.locals.has(root) && (OPAQUE_ROOTS.has(root) || root === 'adapter' || root === 'config')) notStatic(`calls a member of ${root}`, callee);
    this.expr(callee, mode);
  }

  private namedCall(name: string, positional: unknown[], keywords: Record<string, unknown> | null, literal: boolean, mode: Mode): void {
    if (this.locals.has(name)) return notStatic(`calls '${name}', a value set in the template`);
    const builtin = !this.scope.overridden.has(name);
    if (builtin && (name === 'ref' || name === 'source' || name === 'config')) {
      if (mode !== 'collect' || !literal) return notStatic(`${name}() ${mode === 'collect' ? 'with arguments that are not constants' : 'inside a condition or loop'}`);
      this.record(name, positional, keywords);
      return;
    }
    if (builtin && name === 'var') return this.readVar(positional, literal);
    if (builtin && name === 'env_var') return this.readEnv(positional, keywords, literal);
    // The context's own is_incremental (false while parsing) shadows dbt's macro of that name.
    if (builtin && name === 'is_incremental') return;
    if (name === 'return') return this.inMacro ? undefined : notStatic(`return() outside a macro`);
    const ns = this.scope.macroNamespace(name);
    if (ns !== undefined) return this.macro(ns, name);
    if (PURE_CALLS.has(name)) return;
    // Something else the context defines may act (run_query, store_result...); an undefined name
    // called while parsing gives back an Undefined.
    if (this.scope.inContext(name)) notStatic(`calls '${name}'`);
  }

  private memberCall(root: string, member: string, positional: unknown[], keywords: Record<string, unknown> | null, literal: boolean, mode: Mode): void {
    if (OPAQUE_ROOTS.has(root)) return notStatic(`uses ${root}`);
    if (root === 'adapter') return PURE_ADAPTER.has(member) ? undefined : notStatic(`calls adapter.${member}`);
    if (root === 'config' && !this.scope.overridden.has('config')) {
      if (PURE_CONFIG.has(member)) return;
      if (member !== 'set' || mode !== 'collect' || !literal || positional.length !== 2 || keywords !== null) return notStatic(`config.${member}(...)`);
      this.result.configCalls.push({ [String(positional[0])]: positional[1] });
      return;
    }
    if (root === 'var' && member === 'has_var') return;
    if (this.scope.isNamespace(root)) {
      if (!this.scope.hasMacro(root, member)) return; // an Undefined while parsing
      return this.macro(root, member);
    }
    // A method of a value the context holds (`this.render()`, `model.config.get(...)`, `modules...`).
    if (root === 'api' || root === 'modules' || root === 'this' || root === 'model' || root === 'target' || root === 'graph' || root === 'flags') return;
    if (this.scope.macroNamespace(root) !== undefined || this.scope.inContext(root)) notStatic(`calls ${root}.${member}`);
  }

  /** The arguments of the call being judged (namedCall and memberCall pass them on to a macro). */
  private callArgs: MacroCallArgs = SPREAD_CALL;

  /** `adapter.dispatch('name', ...)(args)`: every implementation it may reach must be inert. */
  private dispatchedCall(inner: FunCall, mode: Mode, outer: MacroCallArgs): void {
    const name = inner.name;
    if (name.typename !== 'LookupVal' || !name.dot || name.target.typename !== 'Symbol' || name.target.value !== 'adapter' || name.val.value !== 'dispatch') return notStatic(`calls the result of a call`, inner);
    const { positional, keywords, literal } = this.args(inner, mode);
    const macroName = positional[0] ?? keywords?.macro_name;
    const macroNamespace = positional[1] ?? keywords?.macro_namespace ?? null;
    if (!literal || typeof macroName !== 'string' || (macroNamespace !== null && typeof macroNamespace !== 'string')) return notStatic(`adapter.dispatch of a name that is not a constant`, inner);
    const targets = this.scope.dispatchTargets(macroName, macroNamespace);
    if (targets.length === 0) notStatic(`adapter.dispatch('${macroName}') finds no implementation`, inner);
    for (const [ns, macro] of targets) this.macro(ns, macro, outer);
  }

  /** A call of macro `ns.name`: allowed when it provably does nothing while parsing. */
  private macro(ns: string, name: string, args: MacroCallArgs = this.callArgs): void {
    const effect = this.scope.macroEffect(ns, name, args);
    if (effect !== null) notStatic(`calls macro ${ns}.${name}, which ${effect}`);
  }

  private record(name: string, positional: unknown[], keywords: Record<string, unknown> | null): void {
    const args = keywords ? [...positional, keywordObject(keywords)] : positional;
    if (name === 'ref') {
      try {
        this.result.refs.push(refCallFromArgs(args));
      } catch {
        notStatic(`ref() with arguments it does not take`); // the render reports the bad call
      }
    } else if (name === 'source') {
      if (keywords !== null || positional.length !== 2 || !positional.every((p) => typeof p === 'string')) notStatic(`source() with arguments it does not take`);
      this.result.sources.push([positional[0] as string, positional[1] as string]);
    } else {
      const dict = keywords ?? (positional.length === 1 && isPlainRecord(positional[0]) ? positional[0] : null);
      if (dict === null || (keywords !== null && positional.length > 0)) return notStatic(`config() with arguments it does not take`);
      this.result.configCalls.push({ ...dict });
    }
  }

  /** `var('x')`: a var whose value holds Jinja renders in the node's context, so only plain values pass. */
  private readVar(positional: unknown[], literal: boolean): void {
    if (this.scope.templatedVar(literal && typeof positional[0] === 'string' ? positional[0] : null)) notStatic(`reads a var whose value holds Jinja`);
  }

  /** `env_var('X', default)`: read (so partial parsing records it); missing without a default raises. */
  private readEnv(positional: unknown[], keywords: Record<string, unknown> | null, literal: boolean): void {
    if (!literal || typeof positional[0] !== 'string') return notStatic(`env_var() of a name that is not a constant`);
    if (positional[0].startsWith(SECRET_ENV_PREFIX)) return notStatic(`env_var() of a secret (${positional[0]}), which the render refuses`);
    const value = this.scope.env[positional[0]];
    if (value === undefined && positional.length < 2 && !(keywords && 'default' in keywords)) notStatic(`env_var('${String(positional[0])}') is not set and has no default`);
  }
}

/** The arguments of a call with `*args` or `**kwargs`: nothing is known of any parameter. */
export const SPREAD_CALL: MacroCallArgs = Object.freeze({ positional: [], keywords: Object.freeze({}) });

/** A keyword argument's name (the parser takes only names as keywords). */
function keywordName(pair: Pair): string {
  return pair.key.typename === 'Symbol' ? pair.key.value : notStatic('a keyword argument that is not a name', pair);
}
