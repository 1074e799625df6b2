// Members a render's context holds as its own, over the macro getters of its shared prototype:
// made when first read (lazyOwn), set over a getter (own), dbt's `context` dict (contextDict), and
// a unit test's `overrides.macros` (applyMacroOverrides). buildNodeContext uses them.
import { callArgs, stripKeywords } from '../pylib/args/index.js';
import { GLOBAL_NAMESPACE } from './macro-scope.js';

/**
 * dbt's `context`: the render's context as a dict (dbt sets ctx["context"] = ctx), which templates
 * read and extend (`context.get('k', {})`, `context.update({'k': v})`; dbt-unit-testing keeps its
 * state in it across the macros of one render). Written keys become members of this render's context.
 * Its items are the context's members, macros and package namespaces included (re_data finds a
 * package's macro by name with `context['re_data'].get(name)`, `context[project_name][name]`).
 */
export function contextDict(context: Record<string, unknown>): Record<string, unknown> {
  const has = (key: string) => key in context && context[key] !== undefined;
  const methods = contextMethods(context, has);
  const item = (key: string | symbol) => typeof key === 'string' && !(key in methods) && has(key);
  return new Proxy(methods, {
    get: (target, key, receiver) => (item(key) ? context[key as string] : (Reflect.get(target, key, receiver) as unknown)),
    has: (target, key) => key in target || item(key),
    getOwnPropertyDescriptor: (target, key) =>
      item(key) ? { value: context[key as string], enumerable: true, configurable: true, writable: true } : Reflect.getOwnPropertyDescriptor(target, key),
  });
}

/** The dict methods of `context` (contextDict). */
function contextMethods(context: Record<string, unknown>, has: (key: string) => boolean): Record<string, unknown> {
  return {
    get: (...args: unknown[]): unknown => {
      const { key, default: fallback = null } = callArgs(args, ['key', 'default']);
      return has(String(key)) ? context[String(key)] : fallback;
    },
    update: (...args: unknown[]): null => {
      // An own data member, so a key the shared base serves through a getter (`graph`,
      // `thread_id`) is replaced too, as in dbt's dict (Elementary's tests mock `graph` so).
      for (const arg of args) {
        for (const [k, v] of Object.entries(stripKeywords(arg as Record<string, unknown>))) {
          Object.defineProperty(context, k, { value: v, writable: true, enumerable: true, configurable: true });
        }
      }
      return null;
    },
    keys: (): string[] => Object.keys(context),
    __contains__: (key: unknown): boolean => has(String(key)),
  };
}

const accessorCache = new WeakMap<object, ReadonlySet<string>>();

/**
 * The names an assignment to an object made from `proto` would not simply create as its own
 * (getters of macros and namespaces, read-only members), anywhere on the prototype chain.
 */
export function accessorNames(proto: object): ReadonlySet<string> {
  let names = accessorCache.get(proto);
  if (!names) {
    const found = new Set<string>();
    for (let o: object | null = proto; o !== null; o = Object.getPrototypeOf(o) as object | null) {
      for (const [name, d] of Object.entries(Object.getOwnPropertyDescriptors(o))) if (d.get || d.set || d.writable === false) found.add(name);
    }
    names = found;
    accessorCache.set(proto, names);
  }
  return names;
}

/** Where a render's context keeps the makers of its lazyOwn members (not a string key: no template sees it). */
const LAZY = Symbol('lazy members');

/** The makers of one object's lazyOwn members, and that object (the one a made or assigned value is kept on). */
interface LazyMembers {
  readonly target: object;
  readonly make: Record<string, () => unknown>;
}

/** The LazyMembers holding `name`'s maker: the receiver's own, or those of an object it was made from. */
function lazyOf(receiver: object, name: string): LazyMembers {
  for (let o: object | null = receiver; o !== null; o = Object.getPrototypeOf(o) as object | null) {
    const lazy = Object.hasOwn(o, LAZY) ? (o as { [LAZY]: LazyMembers })[LAZY] : undefined;
    if (lazy && Object.hasOwn(lazy.make, name)) return lazy;
  }
  throw new Error(`no maker of the lazy member '${name}'`);
}

/**
 * The accessor of each lazy member's name, one for all objects: V8 gives objects the same shape
 * (map) only when their accessors are the same functions, so a getter made per context gave each
 * of a compile's 10,000 contexts a shape of its own, and every read of a context member by the
 * templates missed V8's inline caches (megamorphic lookups) besides the shapes' own cost.
 */
const lazyAccessors = new Map<string, PropertyDescriptor>();

function lazyAccessor(name: string): PropertyDescriptor {
  let accessor = lazyAccessors.get(name);
  if (!accessor) {
    accessor = {
      enumerable: true,
      configurable: true,
      get(this: object) {
        const lazy = lazyOf(this, name);
        const value = (lazy.make[name] as () => unknown)();
        own(lazy.target, name, value);
        return value;
      },
      set(this: object, value: unknown) {
        own(lazyOf(this, name).target, name, value);
      },
    };
    lazyAccessors.set(name, accessor);
  }
  return accessor;
}

/** An own member made by `make` when first read (and kept), or replaced by an assignment before that. */
export function lazyOwn(target: object, name: string, make: () => unknown): void {
  let lazy = Object.hasOwn(target, LAZY) ? (target as { [LAZY]: LazyMembers })[LAZY] : undefined;
  if (!lazy) {
    lazy = { target, make: Object.create(null) as Record<string, () => unknown> };
    Object.defineProperty(target, LAZY, { value: lazy, writable: false, enumerable: false, configurable: true });
  }
  lazy.make[name] = make;
  Object.defineProperty(target, name, lazyAccessor(name));
}

/** Sets an own member, even over a macro getter of the prototype. */
export function own(target: object, name: string, value: unknown): void {
  Object.defineProperty(target, name, { value, writable: true, enumerable: true, configurable: true });
}

/**
 * Unit-test `overrides.macros`, as dbt's generate_runtime_unit_test_context applies them: a
 * macro returns the given value when called; any other member of the context (`invocation_id`)
 * becomes the value itself, and a name the context lacks is ignored. `name` replaces the macro the
 * node sees (and `dbt.name` if dbt has one), `pkg.name` replaces it in that package's namespace
 * (and `name` too for `dbt.name`). Macros called by other macros see the replacement: they resolve
 * names through this context. The macros are getters on the context's prototype, so each
 * replacement is an own property defined over it.
 */
export function applyMacroOverrides(context: Record<string, unknown>, macros: Record<string, unknown>): void {
  // dbt wraps the value only where the original is a macro (UnitTestMacroGenerator); tsdbt's
  // stand-ins for dbt macros are plain functions, so any function original is called.
  const replace = (holder: Record<string, unknown>, name: string, value: unknown) => {
    if (!(name in holder)) return;
    own(holder, name, typeof holder[name] === 'function' ? () => value : value);
  };
  const namespaces = new Map<string, Record<string, unknown>>();
  const namespace = (name: string): Record<string, unknown> | null => {
    let holder = namespaces.get(name);
    if (!holder) {
      const original = context[name];
      if (typeof original !== 'object' || original === null) return null;
      holder = Object.create(original) as Record<string, unknown>;
      namespaces.set(name, holder);
      own(context, name, holder);
    }
    return holder;
  };
  for (const [key, value] of Object.entries(macros)) {
    const dot = key.indexOf('.');
    const pkg = dot < 0 ? null : key.slice(0, dot);
    const name = dot < 0 ? key : key.slice(dot + 1);
    if (pkg === null || pkg === GLOBAL_NAMESPACE) replace(context, name, value);
    const target = pkg === null ? (name in ((context[GLOBAL_NAMESPACE] as object | undefined) ?? {}) ? namespace(GLOBAL_NAMESPACE) : null) : namespace(pkg);
    if (target) replace(target, name, value);
  }
}
