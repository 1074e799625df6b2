// dbt-style macro library: macro files registered per namespace (package), callable by name
// from any render. A macro always sees the context of the node being rendered: each file is
// instantiated lazily once per context object, so binding a macro is a cache lookup.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { type Compiled, type JinjaEnvironment, type TemplateSource, runRoot } from './environment.js';
import type { MacroInfo } from './scan.js';

interface Entry {
  file: Compiled;
  info: MacroInfo;
}

const CALLABLE = new Set(['macro', 'test', 'materialization']);

/** Macro files by namespace. */
export class MacroLibrary {
  private readonly byNamespace = new Map<string, Map<string, Entry>>();
  private readonly instances = new WeakMap<object, Map<Compiled, Record<string, unknown>>>();

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
    for (const info of file.blocks) {
      if (!CALLABLE.has(info.kind)) continue;
      const prev = names.get(info.name);
      if (prev && prev.file.path !== src.path) {
        throw new TsdbtError(`macro '${info.name}' is defined twice in '${namespace}': ${prev.file.path}:${prev.info.line} and ${src.path}:${info.line}`, {
          code: 'macro-duplicate',
          category: 'user',
          location: { file: src.path, line: info.line },
          hint: 'Rename or delete one of the two macros.',
        });
      }
      names.set(info.name, { file, info });
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

  /** The macros of the file defining `name`, instantiated for `context` (cached per context). */
  instance(namespace: string, name: string, context: Record<string, unknown>): Record<string, unknown> {
    const entry = this.byNamespace.get(namespace)?.get(name);
    if (!entry) {
      throw new TsdbtError(`macro '${name}' not found in '${namespace}'`, { code: 'macro-not-found', category: 'user' });
    }
    let perCtx = this.instances.get(context);
    if (!perCtx) {
      perCtx = new Map();
      this.instances.set(context, perCtx);
    }
    let exports = perCtx.get(entry.file);
    if (!exports) {
      exports = Object.create(null) as Record<string, unknown>;
      perCtx.set(entry.file, exports);
      runRoot(entry.file, context, exports);
    }
    return exports;
  }
}

/**
 * The macro `name` of `namespace` as a function whose templates see `context` (the calling
 * node's context: `this`, `model`, `config`, `ref`...). Cheap: one cache lookup after the first
 * call per (file, context). Call with positional args and an optional trailing keywords object,
 * or through `callMacro`.
 */
export function bindMacro(library: MacroLibrary, namespace: string, name: string, context: Record<string, unknown>): (...args: unknown[]) => unknown {
  const fn = library.instance(namespace, name, context)[name];
  if (typeof fn !== 'function') {
    throw new TsdbtError(`macro '${name}' of '${namespace}' could not be instantiated`, { code: 'macro-not-found', category: 'internal' });
  }
  return fn as (...args: unknown[]) => unknown;
}
