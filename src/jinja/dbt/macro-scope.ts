// Makes macros callable from templates the way dbt does: unprefixed names resolve in the node's
// package, then the root project, then dbt's global project; `pkg.macro(...)` reaches any package;
// `adapter.dispatch` searches adapter-prefixed implementations in the configured order.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PerObjectCache, bindMacro, type MacroLibrary } from '../engine/index.js';
import { ADAPTER_EXECUTED_MACROS } from './adapter-executed-macros.js';

/** The namespace of dbt's global project macros (`dbt.current_timestamp()`). */
export const GLOBAL_NAMESPACE = 'dbt';

export interface DispatchConfig {
  macroNamespace: string;
  searchOrder: string[];
}

export interface MacroScopeOptions {
  library: MacroLibrary;
  rootProject: string;
  /** Every package with macros (root project and installed packages), not the global one. */
  packages: string[];
  dispatch: DispatchConfig[];
  /** The adapter's dispatch prefixes, most specific first, ending in `default`. */
  dispatchPrefixes: string[];
}


export class MacroScope {
  private readonly options: MacroScopeOptions;
  /** Per package: unprefixed macro name -> namespace that provides it. */
  private readonly lookupCache = new Map<string, Map<string, string>>();
  private readonly namespaceCache = new PerObjectCache<Map<string, Record<string, unknown>>>('package namespaces');

  constructor(options: MacroScopeOptions) {
    this.options = options;
  }

  /** The target dialect's dispatch prefixes, most specific first (`['postgres', 'default']`). */
  get dispatchPrefixes(): readonly string[] {
    return this.options.dispatchPrefixes;
  }

  /** The namespaces searched for an unprefixed name in `packageName`, in order. */
  searchPath(packageName: string): string[] {
    return [...new Set([packageName, this.options.rootProject, GLOBAL_NAMESPACE])];
  }

  /** Unprefixed macro names visible from a package, each mapped to the namespace that wins. */
  visibleMacros(packageName: string): Map<string, string> {
    let visible = this.lookupCache.get(packageName);
    if (!visible) {
      visible = new Map();
      for (const ns of this.searchPath(packageName).reverse()) {
        for (const name of this.options.library.names(ns)) visible.set(name, ns);
      }
      this.lookupCache.set(packageName, visible);
    }
    return visible;
  }

  /** The unique_id of the macro an unprefixed call of `name` in `packageName` reaches (`macro.dbt.get_where_subquery`), if any. */
  macroId(packageName: string, name: string): string | undefined {
    const ns = this.visibleMacros(packageName).get(name);
    return ns === undefined ? undefined : `macro.${ns}.${name}`;
  }

  /**
   * dbt's `name in context` for a node of `packageName` (its own package's, the root project's and
   * dbt's macros), or with `namespace` `context[namespace][name]` (a package's or `dbt`'s macro):
   * how dbt finds a macro a config names (a custom incremental or snapshot strategy).
   */
  inContext(packageName: string, name: string, namespace?: string): boolean {
    if (namespace === undefined) return this.visibleMacros(packageName).has(name);
    return this.isNamespace(namespace) && this.options.library.has(namespace, name);
  }

  /** True when `namespace` is a package's (or dbt's) namespace in a node's context. */
  isNamespace(namespace: string): boolean {
    return namespace === GLOBAL_NAMESPACE || this.options.packages.includes(namespace);
  }

  private readonly overrideCache = new Map<string, Set<string>>();

  /**
   * Macro names a package's nodes see from the package itself or the root project (not dbt's
   * global project): dbt puts macros over the context, so these replace a builtin of that name.
   */
  projectMacroNames(packageName: string): ReadonlySet<string> {
    let names = this.overrideCache.get(packageName);
    if (!names) {
      names = new Set();
      for (const [name, ns] of this.visibleMacros(packageName)) if (ns !== GLOBAL_NAMESPACE) names.add(name);
      this.overrideCache.set(packageName, names);
    }
    return names;
  }

  private readonly protoCache = new Map<string, WeakMap<object, object>>();

  /**
   * A prototype for node contexts of `packageName`: a getter per visible macro and per package
   * namespace, each binding the macro to the context it is read from (`this`). Contexts are
   * created with `Object.create(proto)`, so no per-render work is spent on macros not used.
   */
  prototypeFor(packageName: string, base: object): object {
    let perBase = this.protoCache.get(packageName);
    if (!perBase) {
      perBase = new WeakMap();
      this.protoCache.set(packageName, perBase);
    }
    let proto = perBase.get(base);
    if (proto) return proto;
    proto = Object.create(base) as object;
    const { library } = this.options;
    for (const [name, ns] of this.visibleMacros(packageName)) {
      Object.defineProperty(proto, name, {
        enumerable: true,
        configurable: true,
        get(this: Record<string, unknown>) {
          return bindMacro(library, ns, name, this);
        },
      });
    }
    const namespaceObject = (context: Record<string, unknown>, ns: string) => this.namespaceObject(context, ns);
    for (const ns of [...this.options.packages, GLOBAL_NAMESPACE]) {
      Object.defineProperty(proto, ns, {
        enumerable: true,
        configurable: true,
        get(this: Record<string, unknown>) {
          return namespaceObject(this, ns);
        },
      });
    }
    perBase.set(base, proto);
    return proto;
  }

  /** Which macro each `dispatch(name, namespace)` from a package finds ([namespace, macro]; the library is complete when the scope is made). */
  private readonly dispatchCache = new Map<string, [string, string]>();

  /** `adapter.dispatch(name, namespace)`: the first `<prefix>__name` found in the search order. */
  dispatch(context: Record<string, unknown>, macroName: string, macroNamespace: string | null, packageName: string): unknown {
    const key = `${macroName}\0${macroNamespace ?? ''}\0${macroNamespace === null ? 0 : 1}\0${packageName}`;
    let found = this.dispatchCache.get(key);
    if (!found) {
      found = this.dispatchTarget(macroName, macroNamespace, packageName);
      this.dispatchCache.set(key, found);
    }
    return bindMacro(this.options.library, found[0], found[1], context);
  }

  private dispatchTarget(macroName: string, macroNamespace: string | null, packageName: string): [string, string] {
    const { library, dispatchPrefixes } = this.options;
    const packages = this.dispatchSearchOrder(macroNamespace, packageName);
    for (const ns of packages) {
      for (const prefix of dispatchPrefixes) {
        const candidate = `${prefix}__${macroName}`;
        if (library.has(ns, candidate)) return [ns, candidate];
      }
    }
    // dbt searches only `<prefix>__name` (an un-prefixed macro of the same name is not an
    // implementation: it is usually the dispatching macro itself), and says so in these words.
    const tried = packages.flatMap((ns) => dispatchPrefixes.map((p) => `${ns}.${p}__${macroName}`));
    throw new TsdbtError(`In dispatch: No macro named '${macroName}' found within namespace: '${macroNamespace ?? 'None'}'`, {
      code: 'dispatch-not-found',
      hint: `define one of: ${tried.join(', ')}`,
    });
  }

  /**
   * Every macro `adapter.dispatch(macroName, macroNamespace)` may reach from any package's node:
   * each `<prefix>__name` in the namespaces it may search. Empty when it finds nothing (and raises).
   */
  dispatchCandidates(macroName: string, macroNamespace: string | null): [string, string][] {
    const { library, dispatchPrefixes, packages, rootProject } = this.options;
    // With a namespace the search order is the same from every package; without one it is
    // the calling package, the root project and dbt's: every namespace may be searched.
    const anyPackage = [...new Set([rootProject, ...packages, GLOBAL_NAMESPACE])];
    const implementations = (searched: string[]) => {
      const found: [string, string][] = [];
      for (const ns of searched) for (const prefix of dispatchPrefixes) if (library.has(ns, `${prefix}__${macroName}`)) found.push([ns, `${prefix}__${macroName}`]);
      return found;
    };
    if (macroNamespace === null) return implementations(anyPackage);
    // A namespace that is no package searches the calling node's package first: when what it finds
    // depends on the caller, nothing is proven (empty: the static parser renders instead).
    const perCaller = anyPackage.map((pkg) => JSON.stringify(implementations(this.dispatchSearchOrder(macroNamespace, pkg))[0] ?? null));
    if (new Set(perCaller).size > 1) return [];
    return implementations([...new Set(anyPackage.flatMap((pkg) => this.dispatchSearchOrder(macroNamespace, pkg)))]);
  }

  private readonly overrideOfCache = new Map<string, { namespace: string; macro: string } | null>();

  /**
   * Where a project or package replaces dbt's global macro `name` for nodes of `packageName`: a
   * macro of that name visible from the package (its own or the root project's), for the macros
   * dbt's adapter runs by name one in any installed package (ADAPTER_EXECUTED_MACROS), or the first
   * `<prefix>__name` that `adapter.dispatch(name, 'dbt')` finds outside dbt's global project (the
   * `dispatch:` search order of the `dbt` namespace applies). Null when dbt's own implementation
   * wins, so built-in materializations keep their TypeScript fast path. Cached per package.
   */
  overrideOf(packageName: string, name: string): { namespace: string; macro: string } | null {
    const key = `${packageName}\u0000${name}`;
    const cached = this.overrideOfCache.get(key);
    if (cached !== undefined) return cached;
    let found: { namespace: string; macro: string } | null = null;
    const visible = this.visibleMacros(packageName).get(name);
    const anyPackage = ADAPTER_EXECUTED_MACROS.has(name) ? this.options.packages.find((ns) => this.options.library.has(ns, name)) : undefined;
    if (visible !== undefined && visible !== GLOBAL_NAMESPACE) found = { namespace: visible, macro: name };
    else if (anyPackage !== undefined) found = { namespace: anyPackage, macro: name };
    else {
      search: for (const ns of this.dispatchSearchOrder(GLOBAL_NAMESPACE, packageName)) {
        for (const prefix of this.options.dispatchPrefixes) {
          const candidate = `${prefix}__${name}`;
          if (!this.options.library.has(ns, candidate)) continue;
          if (ns !== GLOBAL_NAMESPACE) found = { namespace: ns, macro: candidate };
          break search;
        }
      }
    }
    this.overrideOfCache.set(key, found);
    return found;
  }

  /**
   * The macro dbt's `adapter.<name>(...)` runs for a node of `packageName` (`execute_macro(name)`:
   * the root project's, then an installed package's, then dbt's own, which dispatches), bound to
   * `context`; null when dbt's own would run only dbt's own implementations, so the caller runs
   * its builtin instead.
   */
  adapterExecutedMacro(context: Record<string, unknown>, packageName: string, name: string): ((...args: unknown[]) => unknown) | null {
    const found = this.overrideOf(packageName, name);
    if (!found) return null;
    // A `<prefix>__name` implementation is reached through dbt's `name`, which dispatches to it.
    return bindMacro(this.options.library, found.macro === name ? found.namespace : GLOBAL_NAMESPACE, name, context);
  }

  private dispatchSearchOrder(macroNamespace: string | null, packageName: string): string[] {
    const { rootProject, dispatch } = this.options;
    if (macroNamespace === null) return this.searchPath(packageName);
    const configured = dispatch.find((d) => d.macroNamespace === macroNamespace);
    if (configured) return configured.searchOrder;
    // dbt (BaseDatabaseWrapper._get_search_packages): an installed package (or dbt's own) is
    // searched after the root project, so the project can override a package's implementation;
    // a namespace that is no package looks the name up as a bare macro name is (MacroNamespace.get):
    // the calling node's package, the root project, then dbt's own macros. Other packages' macros
    // are not found by name, so `dispatch('x', 'misnamed')` raises rather than reach into them.
    if (macroNamespace === GLOBAL_NAMESPACE || this.options.packages.includes(macroNamespace)) return [...new Set([rootProject, macroNamespace])];
    return [...new Set([packageName, rootProject, GLOBAL_NAMESPACE])];
  }

  private namespaceObject(context: Record<string, unknown>, ns: string): Record<string, unknown> {
    let perContext = this.namespaceCache.get(context);
    if (!perContext) {
      perContext = new Map();
      this.namespaceCache.set(context, perContext);
    }
    let object = perContext.get(ns);
    if (!object) {
      const { library } = this.options;
      object = {};
      for (const name of library.names(ns)) {
        let bound: unknown;
        Object.defineProperty(object, name, {
          enumerable: true,
          get: () => (bound ??= bindMacro(library, ns, name, context)),
        });
      }
      perContext.set(ns, object);
    }
    return object;
  }
}
