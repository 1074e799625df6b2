// JinjaEnvironment: compiles templates once (cached by path and text) to JavaScript functions
// with Jinja2 semantics, and renders them synchronously against a context object (which may
// use getters or be a Proxy: names are read as `context[name]` at the moment they are used).
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { CodeGen } from './codegen.js';
import { collectionFilters } from './filters-collections.js';
import { type FilterFn, textFilters } from './filters-text.js';
import { formatFilters } from './filters-format.js';
import { builtinGlobals } from './globals.js';
import { type TestFn, builtinTests } from './jinja-tests.js';
import { isKeywordArgs, keywordObject } from './macro-runtime.js';
import type { Root } from './ast.js';
import { parseTemplate } from './parse-template.js';
import { runtime } from './runtime.js';
import { type MacroInfo, scanAst } from './scan.js';
import { MacroReturn, Undef, nullProto, toJs, undefinedPolicy } from './values.js';
import { PyStrEnum } from './str-enum.js';
import { TemplateCodeCache, type CompiledCode, type SharedCodeCache } from './code-cache.js';
import { MacroScanCache, type MacroFileScan } from './macro-file-scan.js';
import path from 'node:path';

/** A template file: `path` is project-relative and appears in error messages. */
export interface TemplateSource {
  path: string;
  source: string;
}

/** A compiled template (opaque). */
export interface CompiledTemplate {
  readonly path: string;
}

/** What a library file's root sets when one instance of it can serve every context (codegen.ts). */
export interface SharedInstance {
  /** Makes `context` the one the file's macros read names from; returns the previous one. */
  swap?: (context: Record<string, unknown>) => Record<string, unknown>;
}

type RootFn = (ctx: Record<string, unknown>, exports: Record<string, unknown> | null, share?: SharedInstance) => string;
/** A template's compiled code with its constants left out: given them (`K`), the template's root function. */
type RootFactory = (constants: (string | number)[]) => RootFn;

/** Internal representation of a compiled template. */
export class Compiled implements CompiledTemplate {
  private made: RootFn | undefined;
  /** `root` is the template's function, or what makes it on first use (a macro file: see compileLibrary). */
  constructor(
    readonly path: string,
    root: RootFn | { lazy: () => RootFn },
    readonly blocks: MacroInfo[],
  ) {
    if (typeof root === 'function') this.made = root;
    else this.make = root.lazy;
  }

  private make: (() => RootFn) | undefined;

  get root(): RootFn {
    if (this.made === undefined) {
      this.made = (this.make as () => RootFn)();
      this.make = undefined;
    }
    return this.made;
  }
}

const OP = Object.prototype as unknown as Record<string, unknown>;

/** Compiles and renders templates with Jinja2 semantics. */
/**
 * Filters and tests see a string enum's member (dbt's `result.status`) as the `str` it is:
 * `status | upper`, `status | string`, `status is string`. Not `default` / `d` (which give the
 * member back), `attr` (which reads its `.value`), `pprint` (its repr) and `sameas` (identity).
 */
function takeEnumsAsStrings(filters: Record<string, FilterFn>, tests: Record<string, TestFn>): void {
  const keep = new Set(['default', 'd', 'attr', 'pprint', 'sameas']);
  for (const name of Object.keys(filters)) {
    const f = filters[name] as FilterFn;
    if (!keep.has(name)) filters[name] = (value, args, kw) => f(value instanceof PyStrEnum ? value.value : value, args, kw);
  }
  for (const name of Object.keys(tests)) {
    const t = tests[name] as TestFn;
    if (!keep.has(name)) tests[name] = (value, ...args) => t(value instanceof PyStrEnum ? value.value : value, ...args);
  }
}

export class JinjaEnvironment {
  /**
   * Compiled templates by kind and path, then by source text: a lookup hashes the source string
   * (V8 keeps a string's hash, so the same text object costs nothing the second time) instead of a
   * new `kind path source` string made, flattened and hashed for every render.
   */
  private readonly cache = { T: new Map<string, Map<string, Compiled>>(), L: new Map<string, Map<string, Compiled>>() };

  private cached(kind: 'T' | 'L', src: TemplateSource): Compiled | undefined {
    return this.cache[kind].get(src.path)?.get(src.source);
  }

  private store(kind: 'T' | 'L', src: TemplateSource, compiled: Compiled): void {
    let bySource = this.cache[kind].get(src.path);
    if (!bySource) this.cache[kind].set(src.path, (bySource = new Map<string, Compiled>()));
    bySource.set(src.source, compiled);
  }
  /**
   * One JavaScript function per distinct compiled code: templates that differ only in their
   * constants (text, literals, names, lines; codegen-expr.ts) share it, so 10,000 models of a
   * few shapes are a few functions for V8 to compile and optimize, not 10,000.
   */
  private readonly shapes = new Map<string, RootFactory>();
  private readonly filters = nullProto<Record<string, FilterFn>>({});
  private readonly tests = nullProto<Record<string, TestFn>>({});
  private readonly globals = nullProto<Record<string, unknown>>({});
  private readonly lookup: (ctx: Record<string, unknown>, name: string) => unknown;
  private readonly lookupSafe: (ctx: Record<string, unknown>, name: string) => unknown;

  constructor() {
    Object.assign(this.filters, textFilters);
    Object.assign(
      this.filters,
      collectionFilters({
        filter: (name) => this.filters[name] ?? this.missing(`no filter named '${name}'`),
        test: (name) => this.tests[name] ?? this.missing(`no test named '${name}'`),
      }),
    );
    Object.assign(this.filters, formatFilters);
    Object.assign(this.tests, builtinTests);
    // Jinja2 3.1's `is filter` / `is test`: whether a filter or test of that name exists.
    this.tests.filter = (v) => typeof v === 'string' && v in this.filters;
    this.tests.test = (v) => typeof v === 'string' && v in this.tests;
    takeEnumsAsStrings(this.filters, this.tests);
    Object.assign(this.globals, builtinGlobals());
    const globals = this.globals;
    this.lookup = (ctx, name) => {
      const v = ctx[name];
      if (v !== undefined) return v;
      const g = globals[name];
      return g !== undefined ? g : new Undef(`'${name}' is undefined`);
    };
    this.lookupSafe = (ctx, name) => {
      const v = ctx[name];
      if (v !== undefined && v !== OP[name]) return v;
      const g = globals[name];
      return g !== undefined ? g : new Undef(`'${name}' is undefined`);
    };
  }

  private missing(message: string): never {
    throw new TsdbtError(message, { code: 'jinja-render', category: 'user' });
  }

  /** Adds a filter called as `fn(value, ...args, kwargs?)` (keyword args as a trailing `__keywords` object). */
  addFilter(name: string, fn: (value: unknown, ...args: unknown[]) => unknown): this {
    this.filters[name] = (value, args, kw) => {
      const jsArgs = args.map(toJs);
      if (Object.keys(kw).length) jsArgs.push(keywordObject(kw));
      return fn(toJs(value), ...jsArgs);
    };
    return this;
  }

  /** Adds a test (`x is name(args)`). */
  addTest(name: string, fn: (value: unknown, ...args: unknown[]) => boolean): this {
    this.tests[name] = fn;
    return this;
  }

  /** Adds a global visible to every template when the render context has no such name. */
  addGlobal(name: string, value: unknown): this {
    this.globals[name] = value;
    return this;
  }

  private codeCache: TemplateCodeCache | null = null;

  /**
   * Keeps the code templates compile to in `file` (code-cache.ts), so another process skips
   * parsing and code generation for templates it has seen; `saveCode()` writes what was added.
   */
  useCodeCache(file: string, shared?: SharedCodeCache): void {
    if (this.codeCache) return;
    // A template's code depends on which filters and tests exist (an unknown one compiles to an error).
    this.codeCache = new TemplateCodeCache(file, `${Object.keys(this.filters).sort().join(',')}\0${Object.keys(this.tests).sort().join(',')}`, shared);
    this.macroScans = new MacroScanCache(path.join(path.dirname(file), 'macro_scan.bin'), shared);
  }

  private macroScans = new MacroScanCache(null);

  /** A macro file as a render session reads it (macro-file-scan.ts): kept beside the code cache, if one is used. */
  scanMacroFile(src: TemplateSource): MacroFileScan {
    return this.macroScans.scan(src.path, src.source);
  }

  /** Writes the code cache (if one is used and gained entries). */
  saveCode(): void {
    this.codeCache?.save();
    this.macroScans.save();
  }

  /** A template's code and blocks: from the code cache, else parsed and generated (and cached). */
  private generate(src: TemplateSource, library: boolean, tree?: () => Root): CompiledCode {
    const key = this.codeCache?.key(library ? 'L' : 'T', src.path, src.source);
    const cached = key === undefined ? undefined : this.codeCache?.get(key, src.path);
    if (cached) return cached;
    const ast: Root = tree ? tree() : parseTemplate(src.source, src.path);
    const gen = new CodeGen(src.path, { hasFilter: (n) => n in this.filters, hasTest: (n) => n in this.tests }, library);
    const code = gen.compileRoot(ast);
    const generated = { code, constants: gen.constants, blocks: scanAst(ast) };
    if (key !== undefined) this.codeCache?.set(key, generated, src.path);
    return generated;
  }

  /** Compiles a template; the same (path, source) is compiled only once. */
  compile(src: TemplateSource): CompiledTemplate {
    return this.compileInternal(src, false);
  }

  /** Compiles a macro-library file (top-level macro names resolve through the render context first). */
  compileLibrary(src: TemplateSource): Compiled {
    return this.compileInternal(src, true);
  }

  /**
   * Compiles many templates at once (one JavaScript compilation for the batch instead of one per
   * template, which is where most compile time goes); later `compile` calls hit the cache.
   * Templates with syntax errors are skipped here and reported by their own `compile`.
   */
  compileMany(sources: TemplateSource[]): void {
    this.compileTrees(sources.map((src) => ({ src, tree: () => parseTemplate(src.source, src.path) })));
  }

  /** How many distinct JavaScript functions the templates compiled so far share (tests). */
  get sharedFunctionCount(): number {
    return this.shapes.size;
  }

  /**
   * Generate code from the trees the parse's static parser reads (codeAhead) rather than let them
   * go: set by a command that compiles every node after its parse (docs generate), which would
   * otherwise parse each of those templates a second time (a tenth of its CPU on 5,000 models).
   */
  keepCodeAhead = false;
  /** Code generated by codeAhead, until compileTrees takes it. */
  private readonly ahead = new Map<string, CompiledCode>();

  /** Generates `src`'s code from its `tree` now (when keepCodeAhead), for its later compile. */
  codeAhead(src: TemplateSource, tree: Root): void {
    const key = `T\0${src.path}\0${src.source}`;
    if (!this.keepCodeAhead || this.cached('T', src) || this.ahead.has(key)) return;
    try {
      this.ahead.set(key, this.generate(src, false, () => tree));
    } catch {
      // reported with its location when the template is compiled on its own
    }
  }

  /** Whether `src` is compiled already (compileTrees skips it). */
  isCompiled(src: TemplateSource): boolean {
    return this.cached('T', src) !== undefined;
  }

  /** compileMany for templates whose syntax trees the caller has (or makes on demand); a tree that throws is skipped. */
  compileTrees(items: { src: TemplateSource; tree: () => Root }[]): void {
    // Each template's blocks are taken from its tree at once: 10,000 trees held until the batch
    // compiles were the largest thing alive in a big project's parse.
    const pending: { src: TemplateSource; generated: CompiledCode }[] = [];
    for (const { src, tree } of items) {
      if (this.cached('T', src)) continue;
      try {
        let ahead: CompiledCode | undefined;
        if (this.ahead.size > 0) {
          const key = `T\0${src.path}\0${src.source}`;
          ahead = this.ahead.get(key);
          this.ahead.delete(key);
        }
        pending.push({ src, generated: ahead ?? this.generate(src, false, tree) });
      } catch {
        // reported with its location when the template is compiled on its own
      }
    }
    if (pending.length === 0) return;
    const shapes = [...new Set(pending.map((p) => p.generated.code))].filter((code) => !this.shapes.has(code));
    if (shapes.length > 0) {
      try {
        const factories = this.compileShapes(shapes);
        shapes.forEach((code, i) => this.shapes.set(code, factories[i] as RootFactory));
      } catch {
        return; // fall back to compiling one by one
      }
    }
    for (const { src, generated } of pending) {
      const root = (this.shapes.get(generated.code) as RootFactory)(generated.constants);
      this.store('T', src, new Compiled(src.path, root, generated.blocks));
    }
  }

  /** The root factories of generated codes, made by one Function (a batch is one call to V8's compiler). */
  private compileShapes(codes: string[]): RootFactory[] {
    const body = `return [${codes.map((code) => `function(K){${code}\n}`).join(',\n')}];`;
    // The function `body` makes returns the root factories, one per code.
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- a template compiles to a JavaScript function (nunjucks' design); the code is the compiler's output, never input text
    const factories = new Function('rt', 'F', 'TE', 'L', 'LS', 'LM', body) as (...bound: unknown[]) => RootFactory[];
    return factories(runtime, this.filters, this.tests, this.lookup, this.lookupSafe, lookupMacro);
  }

  private compileInternal(src: TemplateSource, library: boolean): Compiled {
    const kind = library ? 'L' : 'T';
    const hit = this.cached(kind, src);
    if (hit) return hit;
    const { code, constants, blocks } = this.generate(src, library);
    const makeRoot = (): RootFn => {
      try {
        let factory = this.shapes.get(code);
        if (!factory) {
          const made = this.compileShapes([code])[0] as RootFactory;
          this.shapes.set(code, made);
          factory = made;
        }
        return factory(constants);
      } catch (e) {
        throw new TsdbtError(`internal error compiling template: ${(e as Error).message}`, {
          code: 'jinja-syntax', category: 'internal', location: { file: src.path }, cause: e,
        });
      }
    };
    // A macro file's JavaScript is compiled when one of its macros is first called: a render
    // session registers every macro file of the project, its packages and dbt's global project
    // (their names and blocks are known from the code), but a run of plain views and tables calls
    // a tenth of them (V8's compiling of the rest was the largest single cost of `tsdbt run`'s
    // start-up, issue 18). Templates are compiled at once, as they are rendered next.
    const compiled = new Compiled(src.path, library ? { lazy: makeRoot } : makeRoot(), blocks);
    this.store(kind, src, compiled);
    return compiled;
  }

  /**
   * Renders a compiled template with `context` as its variables. `lenientUndefined` gives dbt's
   * parse-time Undefined (attribute, item and call of an Undefined give it back; values.ts
   * `undefinedPolicy`); unsaid, a render inside another (dbt's `render()`) keeps the outer one's.
   */
  render(tpl: CompiledTemplate, context: Record<string, unknown>, options: { lenientUndefined?: boolean } = {}): string {
    const previous = undefinedPolicy.lenient;
    undefinedPolicy.lenient = options.lenientUndefined ?? previous;
    try {
      return runRoot(tpl as Compiled, context, null);
    } finally {
      undefinedPolicy.lenient = previous;
    }
  }

  /** Compiles (cached) and renders template text. */
  renderString(source: string, context: Record<string, unknown>, path = '<string>'): string {
    return this.render(this.compile({ path, source }), context);
  }

  /** Whether `name` is a filter / test of this environment (a template using an unknown one fails where it does). */
  hasFilter(name: string): boolean {
    return name in this.filters;
  }
  hasTest(name: string): boolean {
    return name in this.tests;
  }

  /** The top-level macro/test/materialization/docs/snapshot blocks of a file. */
  scanBlocks(src: TemplateSource): MacroInfo[] {
    return this.compileInternal(src, false).blocks;
  }
}

function lookupMacro(ctx: Record<string, unknown>, name: string, local: unknown): unknown {
  const v = ctx[name];
  return v !== undefined ? v : local;
}

/**
 * Runs a compiled template's top level; `exports` receives its top-level macros, and `share` the
 * swap of the context they read, where the file allows one instance for every context.
 */
export function runRoot(tpl: Compiled, context: Record<string, unknown>, exports: Record<string, unknown> | null, share?: SharedInstance): string {
  try {
    return tpl.root(context, exports, share);
  } catch (e) {
    if (e instanceof MacroReturn) {
      throw new TsdbtError('return() was called outside of a macro', {
        code: 'jinja-render', category: 'user', location: { file: tpl.path },
      });
    }
    throw e;
  }
}

/** True when `v` is a keyword-arguments object passed by templates to JavaScript functions. */
export const isKeywords = isKeywordArgs;
