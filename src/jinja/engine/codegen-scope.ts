// Compile-time scopes of the template compiler: which Jinja names are local JavaScript
// variables in which scope (template, for-loop body, macro), following Jinja2's rules:
// assignments inside a loop or macro stay there; `if` blocks share the enclosing scope.
import { type AstNode, type NodeList, type Stmt, fieldValues, isAstNode } from './ast.js';

/** A Jinja variable compiled to a JavaScript local. */
export interface LocalVar {
  js: string;
  /** True when always assigned before use (parameters, loop targets); else it may hold NOTSET. */
  always: boolean;
  /** A top-level macro of a library file: the render context is consulted first (dbt overrides). */
  libraryMacro?: boolean;
}

/** Per JavaScript function: temporaries to declare at its top. */
export class FnContext {
  temps: string[] = [];
}

/** One Jinja scope. */
export class Scope {
  readonly vars = new Map<string, LocalVar>();
  constructor(readonly parent: Scope | null, readonly fn: FnContext) {}

  /** Declarations for the names this scope may assign (`let v1_x = NS, ...;`). */
  declarations(): string {
    const lazy = [...this.vars.values()].filter((v) => !v.always).map((v) => `${v.js} = NS`);
    return lazy.length ? `let ${lazy.join(', ')};\n` : '';
  }
}

/** Calls `visit` on every AST node under `node`. */
export function walk(node: unknown, visit: (n: AstNode) => void): void {
  if (Array.isArray(node)) {
    const items: unknown[] = node;
    for (const n of items) walk(n, visit);
    return;
  }
  if (!isAstNode(node)) return;
  visit(node);
  for (const v of fieldValues(node)) if (v && typeof v === 'object') walk(v, visit);
}

/** Names assigned by `set` or `macro` directly in a statement list (through `if`, not loops/macros). */
export function assignedNames(body: Stmt[]): string[] {
  const names = new Set<string>();
  const visit = (stmts: Stmt[]): void => {
    for (const n of stmts) {
      switch (n.typename) {
        case 'Set':
          for (const t of n.targets) if (t.typename === 'Symbol') names.add(t.value);
          break;
        case 'Macro':
          names.add(n.name.value);
          break;
        case 'If':
          visit(n.body.children);
          if (n.else_) visit(n.else_.typename === 'If' ? [n.else_] : n.else_.children);
          break;
        case 'For':
          if (n.else_) visit(n.else_.children);
          break;
        case 'DbtBlock':
          if (n.kind === 'snapshot') visit(n.body.children);
          break;
        case 'NodeList':
          visit(n.children);
          break;
        default:
          break;
      }
    }
  };
  visit(body);
  return [...names];
}

/**
 * True when a macro body reads `name` (for `varargs`, `kwargs`, `caller`) before anything assigns
 * it, nested macros and call blocks included: Jinja2's find_undeclared "will not stop at closure
 * frames", and its UndeclaredNameVisitor decides by the first mention in field order, where a
 * `set` or `for` target, or a nested macro's parameter, comes before the value: once stored, the
 * name is a local of the macro, which then takes no extra arguments of that kind
 * (`{% set kwargs = {...} %}` in a macro, as Elementary's get_detection_end writes it).
 */
export function references(body: NodeList, name: string): boolean {
  let found: boolean | undefined;
  const store = (target: unknown): void => {
    walk(target, (n) => {
      if (found === undefined && n.typename === 'Symbol' && n.value === name) found = false;
    });
  };
  const visit = (node: unknown): void => {
    if (found !== undefined || !node || typeof node !== 'object') return;
    if (Array.isArray(node)) {
      for (const n of node as unknown[]) visit(n);
      return;
    }
    if (!isAstNode(node)) return;
    switch (node.typename) {
      case 'Symbol':
        if (node.value === name) found = true;
        return;
      case 'Set':
        store(node.targets);
        visit(node.value ?? node.body);
        return;
      case 'For':
        store(node.name);
        visit([node.arr, node.body, node.else_, node.cond]);
        return;
      case 'Macro':
      case 'Caller':
        for (const arg of node.args.children) store(arg.typename === 'KeywordArgs' ? arg.children.map((p) => (p.typename === 'Pair' ? p.key : p)) : arg);
        for (const arg of node.args.children) if (arg.typename === 'KeywordArgs') visit(arg.children.map((p) => (p.typename === 'Pair' ? p.value : null)));
        visit(node.body);
        return;
      default:
        for (const v of fieldValues(node)) visit(v);
    }
  };
  visit(body);
  return found === true;
}
