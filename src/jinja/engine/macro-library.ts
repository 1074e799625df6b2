// dbt-style macro library: macro files registered per namespace (package), callable by name
// from any render. A macro always sees the context of the node being rendered (dbt's
// MacroGenerator makes the macro's module with the calling node's context). A file whose top level
// only defines macros is instantiated once, and a macro bound to a context swaps that context in
// for the length of each call (codegen.ts); any other file is instantiated once per context.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { type Compiled, type JinjaEnvironment, type SharedInstance, type TemplateSource, runRoot } from './environment.js';
import { MACRO, type MacroFunction, type MacroImpl, makeMacro } from './macro-runtime.js';
import type { MacroInfo } from './scan.js';
import { PerObjectCache } from './per-object-cache.js';

interface Entry {
  file: Compiled;
  info: MacroInfo;
}

const CALLABLE = new Set(['macro', 'test', 'materialization']);

/** One instance of a library file serving every context: its macros, and the swap of the context they read. */
interface Shared {
  exports: Record<string, unknown>;
  swap: NonNullable<SharedInstance['swap']>;
}

/** Where no call is under way, a shared instance's macros read names from this empty context. */
const NO_CONTEXT: Record<string, unknown> = Object.freeze(Object.create(null) as Record<string, unknown>);

/** Macro files by namespace. */
export class MacroLibrary {
  private readonly byNamespace = new Map<string, Map<string, Entry>>();
  private readonly instances = new PerObjectCache<Map<Compiled, Record<string, unknown>>>('macro instances');
  /** Per file: its one instance, or null when it must be instantiated per context. */
  private readonly shared = new WeakMap<Compiled, Shared | null>();
  /** Per context: the shared instances' macros bound to it (so a macro read twice is one function). */
  private readonly bound = new PerObjectCache<Map<unknown, MacroFunction>>('bound macros');

  constructor(readonly env: JinjaEnvironment) {}

  /**
   * Compiles a macro file into `namespace` and returns its blocks. A macro name defined twice in
   * one namespace by different files is an error; re-adding the same file replaces its macros.
   */
  addFile(src: TemplateSource, namespace: string): MacroInfo[] {
    const file = this.env.compileLibrary(src);
    let names = this.byNamespace.get(namespace);
    if (!names) {
      names = new Map();
      this.byNamespace.set(namespace, names);
    }
    const inThisFile = new Set<string>();
    for (const info of file.blocks) {
      if (!CALLABLE.has(info.kind)) continue;
      const prev = names.get(info.name);
      // Another file's macro of this name, or this file's own (dbt refuses both); an earlier add of this file is replaced.
      if (prev && (prev.file.path !== src.path || inThisFile.has(info.name))) {
        throw new TsdbtError(`dbt found multiple macros named "${info.name}" in the project '${namespace}': ${prev.file.path}:${prev.info.line} and ${src.path}:${info.line}`, {
          code: 'macro-duplicate',
          category: 'user',
          location: { file: src.path, line: info.line },
          hint: 'Rename or delete one of the two macros.',
        });
      }
      names.set(info.name, { file, info });
      inThisFile.add(info.name);
    }
    return file.blocks;
  }

  has(namespace: string, name: string): boolean {
    return this.byNamespace.get(namespace)?.has(name) ?? false;
  }

  /** Callable macro names of a namespace. */
  names(namespace: string): string[] {
    return [...(this.byNamespace.get(namespace)?.keys() ?? [])];
  }

  namespaces(): string[] {
    return [...this.byNamespace.keys()];
  }

  /** Where a macro is defined. */
  info(namespace: string, name: string): (MacroInfo & { path: string }) | undefined {
    const e = this.byNamespace.get(namespace)?.get(name);
    return e ? { ...e.info, path: e.file.path } : undefined;
  }

  /**
   * The macro `name` of `namespace` bound to `context`: from the file's shared instance, a function
   * that makes `context` the one the file's macros read while it runs; else the file's instance for
   * `context` (made on first use).
   */
  bind(namespace: string, name: string, context: Record<string, unknown>): unknown {
    const entry = this.byNamespace.get(namespace)?.get(name);
    if (!entry) {
      throw new TsdbtError(`macro '${name}' not found in '${namespace}'`, { code: 'macro-not-found', category: 'user' });
    }
    const shared = this.sharedInstance(entry.file);
    if (shared === null) return this.instance(entry.file, context)[name];
    const fn = shared.exports[name];
    if (typeof fn !== 'function' || !(MACRO in fn)) return fn;
    let perContext = this.bound.get(context);
    if (!perContext) {
      perContext = new Map();
      this.bound.set(context, perContext);
    }
    let bound = perContext.get(fn);
    if (!bound) {
      bound = bindTo(fn as MacroFunction, shared.swap, context);
      perContext.set(fn, bound);
    }
    return bound;
  }

  private sharedInstance(file: Compiled): Shared | null {
    let shared = this.shared.get(file);
    if (shared === undefined) {
      const exports = Object.create(null) as Record<string, unknown>;
      const share: SharedInstance = {};
      runRoot(file, NO_CONTEXT, exports, share);
      shared = share.swap ? { exports, swap: share.swap } : null;
      this.shared.set(file, shared);
    }
    return shared;
  }

  /** The macros of `file` instantiated for `context` (cached per context). */
  private instance(file: Compiled, context: Record<string, unknown>): Record<string, unknown> {
    let perCtx = this.instances.get(context);
    if (!perCtx) {
      perCtx = new Map();
      this.instances.set(context, perCtx);
    }
    let exports = perCtx.get(file);
    if (!exports) {
      exports = Object.create(null) as Record<string, unknown>;
      perCtx.set(file, exports);
      runRoot(file, context, exports);
    }
    return exports;
  }
}

/** `fn` of a shared instance as a macro whose calls run with `context` swapped in (and the previous one back after). */
function bindTo(fn: MacroFunction, swap: Shared['swap'], context: Record<string, unknown>): MacroFunction {
  const meta = fn[MACRO];
  const inner = meta.impl;
  const impl: MacroImpl = (argv, varargs, kwargs, caller) => {
    const previous = swap(context);
    try {
      return inner(argv, varargs, kwargs, caller);
    } finally {
      swap(previous);
    }
  };
  return makeMacro({ name: meta.name, params: meta.params, catchVarargs: meta.catchVarargs, catchKwargs: meta.catchKwargs, catchCaller: meta.catchCaller, impl });
}

/**
 * The macro `name` of `namespace` as a function whose templates see `context` (the calling
 * node's context: `this`, `model`, `config`, `ref`...). Cheap: a cache lookup after the first
 * call per (macro, context). Call with positional args and an optional trailing keywords object,
 * or through `callMacro`.
 */
export function bindMacro(library: MacroLibrary, namespace: string, name: string, context: Record<string, unknown>): (...args: unknown[]) => unknown {
  const fn = library.bind(namespace, name, context);
  if (typeof fn !== 'function') {
    throw new TsdbtError(`macro '${name}' of '${namespace}' could not be instantiated`, { code: 'macro-not-found', category: 'internal' });
  }
  return fn as (...args: unknown[]) => unknown;
}
