// The render session of a project, both phases (compile/, ARCHITECTURE.md "Rendering"): the parse
// phase (graph/'s parsers record each node's ref, source and config calls through parseCalls and
// render) and the execute phase (compiler.ts renders with refs resolved). Holds the template
// environment, the macro library and scope, the services templates use, and the errors collected
// while parsing (all reported together at the end, DESIGN.md rule 6).
import type { SqlBuilders } from '../adapters/adapter.js';
import type { RelationDialect, RelationParts } from '../adapters/relation.js';
import type { ColumnTypeRules } from '../adapters/adapter.js';
import { Relation } from '../adapters/relation.js';
import { TsdbtError, TsdbtErrorList, throwCollected, asTsdbtError, type NodeRef, type SourceLocation } from '../errors/tsdbt-error.js';
import { JinjaEnvironment, MacroLibrary, keepTopLevelBlocks, type TemplateSource } from '../jinja/engine/index.js';
import { MacroScope, type DispatchConfig } from '../jinja/dbt/macro-scope.js';
import { buildNodeContext, type NodeRenderState, type TemplateServices } from '../jinja/dbt/node-context.js';
import { renderYamlText, renderYamlValue } from '../jinja/dbt/yaml-values.js';
import type { MacroNode, Manifest, ManifestNode, RefCall } from '../manifest/types.js';
import { RunGraph } from './run-graph.js';
import type { FlatGraph } from '../manifest/flat-graph-kinds.js';
import { lineAligned } from './line-aligned.js';
import { progressCount } from '../time/slow-step.js';
import type { RenderReplay, RunState } from '../jinja/dbt/render-replay.js';
import { macroCallKey, macroTextEffect, staticParse, type MacroCallArgs, type StaticParseOutcome, type StaticParseScope } from '../jinja/dbt/static-parser.js';
import type { Root } from '../jinja/engine/ast.js';
import { parseTemplate } from '../jinja/engine/parse-template.js';
import { GLOBAL_NAMESPACE } from '../jinja/dbt/macro-scope.js';
import { runtimeConfigObject, type RuntimeConfigFacts } from '../jinja/dbt/runtime-config.js';

export interface ParseServicesInput {
  projectName: string;
  packages: string[];
  targetContext: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  varsFor: (packageName: string) => Record<string, unknown>;
  invocationId: string;
  runStartedAt: Date;
  now: () => Date;
  flags: Record<string, unknown>;
  dialect: RelationDialect;
  /** The target's SQL builders (absent in tests that only parse). */
  sql?: SqlBuilders;
  dispatchPrefixes: string[];
  dispatch: DispatchConfig[];
  log: TemplateServices['log'];
  /** What the parse is doing now ("parsing SQL files: 4,000 of 10,000"), for a slow parse's progress line. */
  progress?: (status: string | (() => string)) => void;
  /** dbt's `invocation_args_dict` (the command's arguments). */
  invocationArgs?: Record<string, unknown>;
  /** Reuse a template environment across parses (compiled templates are cached in it). */
  jinja?: JinjaEnvironment;
  /** Where compiled template code is kept between runs (target/template_code.bin); none: not kept. */
  codeCacheFile?: string;
  /** The dialect's `api.Column` type families (AdapterDialect.rules.columnTypes). */
  columnTypes?: ColumnTypeRules;
  /** What `ref.config` (dbt's RuntimeConfig) tells, but the command's arguments (those are `invocationArgs`). */
  runtime?: Omit<RuntimeConfigFacts, 'invocationArgs'>;
  /** `graph` of a manifest for execute-phase renders (artifacts/flat-graph.ts, built once per manifest). */
  flatGraph: (manifest: Manifest) => FlatGraph;
}

/** Rewrites dbt's `{% test name(...) %}` blocks as the macros `test_name` they define. */
export function testBlocksAsMacros(source: string): string {
  return source
    .replace(/\{%(-?)\s*test\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(/g, '{%$1 macro test_$2(')
    .replace(/\{%(-?)\s*endtest\s*(-?)%\}/g, '{%$1 endmacro $2%}');
}

/** The `{% macro name(...) %} ... {% endmacro %}` text of one macro (or test block) in a file. */
function macroText(source: string, name: string): string {
  const start = new RegExp(`\\{%-?\\s*(macro|test)\\s+(test_)?${name.replace(/^test_/, '(test_)?')}\\s*\\(`).exec(source);
  if (!start) return '';
  const end = /\{%-?\s*end(macro|test)\s*-?%\}/g;
  end.lastIndex = start.index;
  const found = end.exec(source);
  return source.slice(start.index, found ? found.index + found[0].length : undefined);
}

export class ParseSession {
  readonly jinja: JinjaEnvironment;
  readonly library: MacroLibrary;
  readonly scope: MacroScope;
  readonly services: TemplateServices;
  readonly errors: TsdbtError[] = [];
  /** Every macro found, as manifest entries. */
  readonly macros: Record<string, MacroNode> = {};
  private resolvers: { ref: TemplateServices['resolveRef']; source: TemplateServices['resolveSource'] } | null = null;
  private readonly input: ParseServicesInput;

  constructor(input: ParseServicesInput, macroFiles: { source: TemplateSource; namespace: string }[]) {
    this.input = input;
    this.jinja = input.jinja ?? new JinjaEnvironment();
    if (input.codeCacheFile) this.jinja.useCodeCache(input.codeCacheFile);
    this.library = new MacroLibrary(this.jinja);
    for (const file of macroFiles) {
      try {
        const infos = this.library.addFile({ path: file.source.path, source: testBlocksAsMacros(keepTopLevelBlocks(file.source.source)) }, file.namespace);
        for (const info of infos) {
          if (info.kind !== 'macro') continue;
          const id = `macro.${file.namespace}.${info.name}`;
          this.macros[id] = {
            unique_id: id,
            resource_type: 'macro',
            package_name: file.namespace,
            name: info.name,
            path: file.source.path,
            original_file_path: file.source.path,
            line: info.line,
            macro_sql: macroText(file.source.source, info.name),
            depends_on: { macros: [] },
            description: '',
            arguments: info.args.map((name) => ({ name })),
          };
        }
      } catch (err) {
        this.fail(err);
      }
    }
    this.scope = new MacroScope({
      library: this.library,
      rootProject: input.projectName,
      packages: input.packages,
      dispatch: input.dispatch,
      dispatchPrefixes: input.dispatchPrefixes,
    });
    const dialect = input.dialect;
    this.services = {
      projectName: input.projectName,
      targetContext: input.targetContext,
      env: input.env,
      varsFor: input.varsFor,
      invocationId: input.invocationId,
      runStartedAt: input.runStartedAt,
      // A render repeated for its warehouse calls sees the same clock each time.
      now: () => {
        const replay = this.currentReplay?.();
        return replay ? replay.stable(input.now) : input.now();
      },
      flags: input.flags,
      relation: (parts: RelationParts) => new Relation(parts, dialect),
      sqlBuilders: input.sql,
      quoteIdentifier: (name: string) => dialect.quoteIdentifier(name),
      bareIdentifierName: (name: string) => dialect.bareIdentifierName(name),
      columnTypes: input.columnTypes,
      macroPrototype: (packageName, base) => this.scope.prototypeFor(packageName, base),
      dispatch: (context, macroName, ns, pkg) => this.scope.dispatch(context, macroName, ns, pkg),
      // A render that reached the warehouse runs again from the start: each log line prints once.
      log: (message, level) => {
        const replay = this.currentReplay?.();
        if (replay && !replay.firstTimeLogged()) return;
        input.log(message, level);
      },
      resolveRef: (call: RefCall, from: ManifestNode) => this.requireResolvers().ref(call, from),
      resolveSource: (s: string, t: string, from: ManifestNode) => this.requireResolvers().source(s, t, from),
      renderText: (source, context, path) => this.jinja.renderString(source, context, path),
      overriddenBuiltins: (packageName) => this.scope.projectMacroNames(packageName),
      graph: () => this.runGraph.graph(),
      selectedResources: () => this.selected,
      threadId: () => {
        const nodeId = this.currentReplay?.()?.nodeId;
        return (nodeId && this.threads.get(nodeId)) || 'MainThread';
      },
      invocationArgs: () => ({ ...input.invocationArgs, which: input.flags.WHICH }),
    };
    if (input.runtime) this.services.runtimeConfig = runtimeConfigObject({ ...input.runtime, invocationArgs: () => this.services.invocationArgs?.() ?? {} });
  }

  /** The adapter's dispatch prefixes, most specific first, ending in `default`. */
  get dispatchPrefixes(): string[] {
    return this.input.dispatchPrefixes;
  }

  private manifest: Manifest | null = null;
  private selected: string[] = [];
  private readonly threads = new Map<string, string>();

  /** The runner thread executing a node: its renders see it as `thread_id`. */
  setThread(nodeId: string, threadId: string): void {
    this.threads.set(nodeId, threadId);
  }

  /**
   * The command being run and what it selected: templates read them as `flags.WHICH`,
   * `invocation_args_dict.which` and `selected_resources` (dbt fills them after parsing).
   */
  setSelection(which: string, selected: Iterable<string>): void {
    this.input.flags.WHICH = which;
    this.selected = [...selected].sort();
  }

  /** The parsed manifest: execute-phase renders see it as `graph` (built on first use). */
  setManifest(manifest: Manifest): void {
    this.manifest = manifest;
  }

  /** `graph` as the run's state (run-graph.ts). */
  private readonly runGraph = new RunGraph(() => this.manifest, (manifest) => this.input.flatGraph(manifest));

  /** What templates added to `graph`, undone for a render attempt that stops to ask the warehouse. */
  readonly runState: RunState = this.runGraph.runState;

  private currentReplay: (() => RenderReplay | null) | null = null;

  /** The warehouse-backed render in progress (compile/compiler.ts withWarehouse), if any. */
  get replay(): RenderReplay | null {
    return this.currentReplay?.() ?? null;
  }

  /**
   * Gives templates warehouse access at execution time (`adapter.get_relation`, `run_query`...):
   * `members` per phase, and the replay of the render in progress (renders repeat: log lines
   * print once, the clock stands still).
   */
  attachWarehouse(members: NonNullable<TemplateServices['warehouse']>, currentReplay: () => RenderReplay | null): void {
    const perPhase = new Map<string, ReturnType<typeof members>>();
    this.services.warehouse = (phase) => {
      let found = perPhase.get(phase);
      if (!found) perPhase.set(phase, (found = members(phase)));
      return found;
    };
    this.currentReplay = currentReplay;
  }

  /** Installs ref/source resolution for the execute phase (after the manifest is linked). */
  setResolvers(ref: TemplateServices['resolveRef'], source: TemplateServices['resolveSource']): void {
    this.resolvers = { ref, source };
  }

  private requireResolvers() {
    if (!this.resolvers) throw new TsdbtError('ref() resolved before the project was linked', { code: 'internal', category: 'internal' });
    return this.resolvers;
  }

  /**
   * Records a problem found while parsing; errors are reported together later. `node` is the node
   * being parsed, named in the message (a macro's error also says which model called it). Anything
   * that is not a TsdbtError is a tsdbt bug, recorded as an internal error.
   */
  fail(err: unknown, nodeFile?: string, node?: NodeRef): void {
    if (err instanceof TsdbtErrorList) {
      for (const e of err.errors) this.fail(e, nodeFile, node);
      return;
    }
    const error = asTsdbtError(err);
    if (!error.location && nodeFile) error.location = { file: nodeFile };
    if (node) error.inNode(node);
    this.errors.push(error);
  }

  /** Throws every collected error at once, if there are any. */
  throwIfErrors(): void {
    throwCollected(this.errors);
  }

  /**
   * Renders a node's template for a phase, returning the SQL and the render state. `path` names the
   * template in error messages and keys its compiled code: text shared by many nodes (the query
   * comment) passes one path so it compiles once.
   */
  render(
    node: ManifestNode,
    state: Omit<NodeRenderState, 'node'>,
    source: string = lineAligned(node.raw_code, node.test_metadata ? 1 : node.line),
    path: string = node.original_file_path,
  ): { sql: string; state: NodeRenderState } {
    const full: NodeRenderState = { node, ...state };
    const template = this.jinja.compile({ path, source });
    const context = buildNodeContext(this.services, full);
    // dbt parses with a lenient Undefined: a template reading what only exists at execution
    // (`graph.nodes[...]`, a query's columns) renders through the parse instead of failing.
    return { sql: this.jinja.render(template, context, { lenientUndefined: full.phase === 'parse' }), state: full };
  }

  /**
   * A property-file value with Jinja (`schema: "{{ target.schema }}_raw"`), rendered as dbt does:
   * with `target`, `var` (the package's vars) and `env_var`.
   */
  renderPropertyValue(value: string, location: SourceLocation, packageName: string): string {
    return renderYamlText(value, { env: this.services.env, vars: this.services.varsFor(packageName), location, target: this.services.targetContext });
  }

  /** The same, rendered natively (`enabled: "{{ target.name == 'ci' }}"` is a boolean), as dbt renders property files. */
  renderPropertyNative(value: string, location: SourceLocation, packageName: string): unknown {
    return renderYamlValue(value, { env: this.services.env, vars: this.services.varsFor(packageName), location, target: this.services.targetContext });
  }

  /**
   * The parse of a batch of SQL files (models, singular tests, analyses) of one package: each file
   * whose parse render the static parser can stand for (static-parser.ts) gets what that render
   * would record, and is not compiled; the others are compiled together (one JavaScript
   * compilation) for their parse render. dbt's STATIC_PARSER flag (`--no-static-parser`) off:
   * every file is rendered. A file with a syntax error is left to its render, which reports it.
   */
  parseSqlFiles(files: TemplateSource[], packageName: string): void {
    const enabled = this.staticParserEnabled;
    const rendered: { src: TemplateSource; tree: () => Root }[] = [];
    for (const [i, src] of files.entries()) {
      this.progress(() => `${packageName}: reading the Jinja of SQL files, ${progressCount(i, files.length)}`);
      if (!enabled || this.jinja.isCompiled(src)) {
        rendered.push({ src, tree: () => parseTemplate(src.source, src.path) });
        continue;
      }
      let tree: Root;
      try {
        tree = parseTemplate(src.source, src.path);
      } catch {
        continue; // compiled (and reported) by its render
      }
      const outcome = staticParse(tree, this.staticScope(packageName));
      this.staticResults.set(`${src.path}\u0000${src.source}`, outcome);
      if ('rendered' in outcome) rendered.push({ src, tree: () => tree });
    }
    this.progress(`${packageName}: compiling ${rendered.length} templates`);
    this.jinja.compileTrees(rendered);
  }

  /** Tells the parse's progress line what it is doing now (reported only when a line is due). */
  progress(status: string | (() => string)): void {
    this.input.progress?.(status);
  }

  /** dbt's STATIC_PARSER flag (on unless `--no-static-parser`, DBT_STATIC_PARSER=false or `flags: static_parser: false`). */
  get staticParserEnabled(): boolean {
    return this.input.flags.STATIC_PARSER !== false;
  }

  /** How many SQL nodes parseCalls answered from the syntax tree, and how many it rendered. */
  readonly staticParserCounts = { read: 0, rendered: 0 };

  /** The files the static parser left to their render, and why (for --debug). */
  readonly staticParserRendered: { path: string; reason: string }[] = [];

  /** The static parser's answer per `path\0source`; parseSqlFiles fills it. */
  private readonly staticResults = new Map<string, StaticParseOutcome>();

  /**
   * What parsing a SQL node records (its ref, source and config calls): the static parser's
   * answer for its text where it has one, else its parse-phase render's.
   */
  parseCalls(node: ManifestNode, source: string, path: string = node.original_file_path): Pick<NodeRenderState, 'refs' | 'sources' | 'configCalls'> {
    const key = `${path}\u0000${source}`;
    let outcome = this.staticResults.get(key);
    if (outcome === undefined && this.staticParserEnabled && !this.jinja.isCompiled({ path, source })) {
      try {
        outcome = staticParse(parseTemplate(source, path), this.staticScope(node.package_name));
      } catch {
        // a syntax error: the render reports it
      }
    }
    // Each use gets its own arrays (callers keep them on the node).
    if (outcome && 'calls' in outcome) {
      this.staticParserCounts.read++;
      const found = outcome.calls;
      return { refs: [...found.refs], sources: [...found.sources], configCalls: [...found.configCalls] };
    }
    this.staticParserCounts.rendered++;
    if (outcome) this.staticParserRendered.push({ path, reason: outcome.rendered });
    return this.render(node, { phase: 'parse', refs: [], sources: [], configCalls: [] }, source, path).state;
  }

  private readonly staticScopes = new Map<string, StaticParseScope>();
  /** Per macro (`ns.name`): null when rendering it provably has no parse-time effect, else what it may do. */
  private readonly macroEffects = new Map<string, string | null>();

  /**
   * What the static parser needs to know, as seen from `packageName`: for a node of that package,
   * or for a macro of that namespace (which reads the vars of whichever node calls it, so any
   * package's var that holds Jinja counts).
   */
  private staticScope(packageName: string, role: 'node' | 'macro' = 'node'): StaticParseScope {
    const key = `${role}\u0000${packageName}`;
    const cached = this.staticScopes.get(key);
    if (cached) return cached;
    const visible = this.scope.visibleMacros(packageName);
    const namespaces = new Set([...this.input.packages, GLOBAL_NAMESPACE]);
    const context = this.contextFor({ package_name: packageName, config: { meta: {} }, database: null, schema: '', alias: '', original_file_path: '' } as unknown as ManifestNode);
    const templated = (v: unknown) => typeof v === 'string' && (v.includes('{{') || v.includes('{%'));
    const varsOf = (pkg: string) => this.services.varsFor(pkg);
    const scope: StaticParseScope = {
      overridden: this.scope.projectMacroNames(packageName),
      macroNamespace: (name) => visible.get(name),
      isNamespace: (name) => namespaces.has(name),
      hasMacro: (ns, name) => this.library.has(ns, name),
      macroEffect: (ns, name, args) => this.macroEffect(ns, name, args),
      dispatchTargets: (name, ns) => this.scope.dispatchCandidates(name, ns),
      inContext: (name) => name in context && !visible.has(name) && !namespaces.has(name),
      templatedVar: (name) => {
        const sets = role === 'macro' ? this.input.packages.map(varsOf) : [varsOf(packageName)];
        return sets.some((vars) => (name === null ? Object.values(vars).some(templated) : Object.prototype.hasOwnProperty.call(vars, name) && templated(vars[name])));
      },
      env: this.services.env,
      target: this.services.targetContext,
      varValue: (name) => {
        if (role === 'macro') return undefined;
        const vars = varsOf(packageName);
        return { value: Object.prototype.hasOwnProperty.call(vars, name) ? vars[name] : undefined };
      },
      hasFilter: (name) => this.jinja.hasFilter(name),
      hasTest: (name) => this.jinja.hasTest(name),
    };
    this.staticScopes.set(key, scope);
    return scope;
  }

  /** Macros being analysed (a macro reaching one of them assumes it inert, see macroEffect). */
  private readonly macrosInProgress = new Set<string>();
  /** Inert answers that assumed a macro in progress was inert: kept only if it turns out so. */
  private tentativeInert: string[] = [];
  private assumedInert = false;

  /**
   * Null when rendering macro `ns.name` provably has no parse-time effect, else what it may do.
   * Recursion (`datediff` dispatching to an implementation that calls `datediff`) assumes the
   * macro in progress inert; an effect found anywhere is real, and answers that leaned on the
   * assumption are kept only once the outermost macro is found inert.
   */
  private macroEffect(ns: string, name: string, args: MacroCallArgs): string | null {
    const key = `${ns}.${name}(${macroCallKey(args)})`;
    const known = this.macroEffects.get(key);
    if (known !== undefined) return known;
    if (this.macrosInProgress.has(key)) {
      this.assumedInert = true;
      return null;
    }
    const outermost = this.macrosInProgress.size === 0;
    this.macrosInProgress.add(key);
    const text = this.macros[`macro.${ns}.${name}`]?.macro_sql;
    let effect: string | null;
    try {
      effect = text === undefined || text === '' ? 'is not a macro tsdbt can read' : macroTextEffect(text, this.staticScope(ns, 'macro'), args);
    } finally {
      this.macrosInProgress.delete(key);
    }
    if (effect !== null || !this.assumedInert) this.macroEffects.set(key, effect);
    else this.tentativeInert.push(key);
    if (outermost) {
      if (effect === null) for (const k of this.tentativeInert) this.macroEffects.set(k, null);
      this.tentativeInert = [];
      this.assumedInert = false;
    }
    return effect;
  }

  /** A context for calling macros from TypeScript on behalf of a node. */
  contextFor(node: ManifestNode, state: Partial<Omit<NodeRenderState, 'node'>> = {}): Record<string, unknown> {
    return buildNodeContext(this.services, { node, phase: 'parse', refs: [], sources: [], configCalls: [], ...state });
  }
}
