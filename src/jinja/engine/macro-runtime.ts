// Jinja2 macro calling convention: positional and keyword arguments, defaults, `varargs`,
// `kwargs`, `caller`, and dbt's `return()`; plus the `loop` object of `for` loops.
import { MacroReturn, Undef, renderError, toJs, tuple } from './values.js';

/** Property under which a macro function carries its metadata. */
export const MACRO: unique symbol = Symbol('jinja.macro');

/** Marks a parameter that was not passed (the macro body then applies the default). */
export const MISSING: unique symbol = Symbol('jinja.missing');

/** Compiled body of a macro: receives bound parameters; returns the rendered text. */
export type MacroImpl = (argv: unknown[], varargs: unknown[], kwargs: Record<string, unknown>, caller: unknown) => unknown;

/** What the runtime knows about a macro. */
export interface MacroMeta {
  name: string;
  params: string[];
  catchVarargs: boolean;
  catchKwargs: boolean;
  catchCaller: boolean;
  impl: MacroImpl;
}

/** A macro as a JavaScript function: `fn(a, b, {k: 1, __keywords: true})`. */
export type MacroFunction = ((...args: unknown[]) => unknown) & { [MACRO]: MacroMeta };

/** True for the trailing keyword-argument object nunjucks-style callers pass. */
export function isKeywordArgs(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && (v as { __keywords?: unknown }).__keywords === true;
}

/**
 * The name Jinja2's argument errors give a macro in dbt: dbt's MacroFuzzParser defines every
 * `{% macro name %}` as `dbt_macro__name` (dbt_common's get_dbt_macro_name), so dbt says
 * "macro 'dbt_macro__some_macro' takes no keyword argument 'invalid'".
 */
function jinjaName(meta: MacroMeta): string {
  return `dbt_macro__${meta.name}`;
}

/** Calls a macro with already separated positional and keyword arguments. */
export function invokeMacro(meta: MacroMeta, args: unknown[], kw: Record<string, unknown> | null): unknown {
  const params = meta.params;
  const n = params.length;
  const argv: unknown[] = new Array(n);
  for (let i = 0; i < n; i++) argv[i] = i < args.length ? args[i] : MISSING;
  let varargs: unknown[] = tuple([]);
  if (args.length > n) {
    if (!meta.catchVarargs) {
      throw renderError(`macro '${jinjaName(meta)}' takes not more than ${n} argument(s)`);
    }
    varargs = tuple(args.slice(n));
  }
  const kwargs: Record<string, unknown> = {};
  let caller: unknown = new Undef(`'caller' is undefined`);
  if (kw !== null) {
    for (const key in kw) {
      if (key === '__keywords') continue;
      const i = params.indexOf(key);
      if (i >= 0) {
        if (i < args.length) throw renderError(`macro '${jinjaName(meta)}' got multiple values for argument '${key}'`);
        argv[i] = kw[key];
      } else if (key === 'caller' && meta.catchCaller) {
        caller = kw[key];
      } else if (meta.catchKwargs) {
        kwargs[key] = kw[key];
      } else {
        throw renderError(`macro '${jinjaName(meta)}' takes no keyword argument '${key}'`);
      }
    }
  }
  try {
    return meta.impl(argv, varargs, kwargs, caller);
  } catch (e) {
    if (e instanceof MacroReturn) return e.value;
    throw e;
  }
}

/** Wraps compiled macro metadata as a callable function. */
export function makeMacro(meta: MacroMeta): MacroFunction {
  const fn = ((...args: unknown[]) => {
    const last = args[args.length - 1];
    if (isKeywordArgs(last)) return invokeMacro(meta, args.slice(0, -1), last);
    return invokeMacro(meta, args, null);
  }) as MacroFunction;
  fn[MACRO] = meta;
  return fn;
}

/**
 * Calls a macro (or any template-callable function) from JavaScript with keyword arguments.
 * Macros receive them as Jinja2 keyword arguments; plain functions get a trailing
 * `{...kwargs, __keywords: true}` object.
 */
export function callMacro(fn: (...args: unknown[]) => unknown, args: unknown[] = [], kwargs: Record<string, unknown> = {}): unknown {
  const meta = (fn as Partial<MacroFunction>)[MACRO];
  // What a macro returns to tsdbt's own code: plain values (`return()` keeps template values for templates).
  if (meta) return toJs(invokeMacro(meta, args, kwargs));
  const hasKw = Object.keys(kwargs).length > 0;
  return hasKw ? fn(...args, keywordObject(kwargs)) : fn(...args);
}

/**
 * `{...kwargs, __keywords: true}`, the trailing object of a call with keyword arguments, made with
 * Object.assign: in Node 20 a spread copy that gains a key gets a hidden class of its own, slow to
 * make and to collect (config-hierarchy.ts), and templates make one per call with keywords.
 */
export function keywordObject(kwargs: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = Object.assign({}, kwargs);
  out.__keywords = true;
  return out;
}

/** The `loop` variable inside `{% for %}`. */
export class LoopInfo {
  index0 = 0;
  private lastChanged: unknown[] | undefined;
  /** `depth0` and, in a `recursive` loop, the loop's own function (items, depth0) => its text. */
  constructor(
    protected readonly items: unknown[],
    private readonly level = 0,
    private readonly recurse?: (items: unknown, depth0: number) => string,
  ) {}
  get index(): number {
    return this.index0 + 1;
  }
  get length(): number {
    return this.items.length;
  }
  get revindex(): number {
    return this.items.length - this.index0;
  }
  get revindex0(): number {
    return this.items.length - this.index0 - 1;
  }
  get first(): boolean {
    return this.index0 === 0;
  }
  get last(): boolean {
    return this.index0 === this.items.length - 1;
  }
  get depth(): number {
    return this.level + 1;
  }
  get depth0(): number {
    return this.level;
  }
  /** `loop(children)` in a `recursive` loop: the body rendered over `children`, one level deeper. */
  __call__(items: unknown): string {
    if (!this.recurse) throw renderError("The loop must have the 'recursive' marker to be called recursively.");
    return this.recurse(items, this.level + 1);
  }
  get previtem(): unknown {
    return this.index0 > 0 ? this.items[this.index0 - 1] : new Undef('there is no previous item');
  }
  get nextitem(): unknown {
    return this.index0 < this.items.length - 1 ? this.items[this.index0 + 1] : new Undef('there is no next item');
  }
  /** `loop.cycle('odd', 'even')`. */
  cycle(...args: unknown[]): unknown {
    if (args.length === 0) throw renderError('no items for cycling given');
    return args[this.index0 % args.length];
  }
  /** `loop.changed(value)`: true on the first call and whenever the value differs from the last call. */
  changed(...args: unknown[]): boolean {
    const same = this.lastChanged !== undefined && this.lastChanged.length === args.length
      && this.lastChanged.every((v, i) => v === args[i]);
    this.lastChanged = args;
    return !same;
  }
}

/** What `FilteredLoopInfo.advance()` returns once the items are used up. */
export const LOOP_END: unique symbol = Symbol('jinja.loop.end');

/**
 * The `loop` of `{% for x in xs if cond %}`. Jinja2 filters lazily, as a generator the loop pulls
 * from: `cond` is tested for an item only when the loop reaches it, after the body ran for the
 * items before, so a body that changes what `cond` reads stops or resumes the loop
 * (`{% for _ in range(n) if state.rest %}`). `loop.last` and `loop.nextitem` look one kept item
 * ahead, and `loop.length` and `loop.revindex` test every item left, at the moment they are read,
 * as Jinja2's LoopContext does.
 */
export class FilteredLoopInfo extends LoopInfo {
  /** Kept items looked ahead at and not yet reached; `items` holds those the loop reached. */
  private readonly ahead: unknown[] = [];
  private next = 0;

  constructor(
    private readonly source: unknown[],
    private readonly keep: (item: unknown) => boolean,
    level = 0,
    recurse?: (items: unknown, depth0: number) => string,
  ) {
    super([], level, recurse);
    this.index0 = -1;
  }

  /** The next kept item (its `loop.index0` set), or LOOP_END. */
  advance(): unknown {
    const item = this.ahead.length > 0 ? this.ahead.shift() : this.pull();
    if (item === LOOP_END) return LOOP_END;
    this.items.push(item);
    this.index0 = this.items.length - 1;
    return item;
  }

  /** How many items the loop went through (0: the `else` block renders). */
  get count(): number {
    return this.items.length;
  }

  private pull(): unknown {
    while (this.next < this.source.length) {
      const item = this.source[this.next++];
      if (this.keep(item)) return item;
    }
    return LOOP_END;
  }

  private peek(): unknown {
    if (this.ahead.length === 0) {
      const item = this.pull();
      if (item === LOOP_END) return LOOP_END;
      this.ahead.push(item);
    }
    return this.ahead[0];
  }

  override get length(): number {
    for (let item = this.pull(); item !== LOOP_END; item = this.pull()) this.ahead.push(item);
    return this.items.length + this.ahead.length;
  }
  override get revindex(): number {
    return this.length - this.index0;
  }
  override get revindex0(): number {
    return this.length - this.index0 - 1;
  }
  override get last(): boolean {
    return this.peek() === LOOP_END;
  }
  override get nextitem(): unknown {
    const item = this.peek();
    return item === LOOP_END ? new Undef('there is no next item') : item;
  }
}
