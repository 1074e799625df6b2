// The parse phase of a render session (ARCHITECTURE.md "Rendering"): what graph/'s parsers render
// through. A node's SQL is parseCalls (the static parser's answer where it has one, else a parse
// render recording its ref, source and config calls); beside it graph/ asks for an expression's
// calls (a unit test's input, a contract foreign key's `to`), a naming macro called for a node and
// the `{% snapshot %}` blocks of a file. graph/ decides what to parse and keeps what it records;
// the rendering is here. The errors found while parsing are collected here and reported together
// at the end (DESIGN.md rule 6).
import { TsdbtErrorList, throwCollected, asTsdbtError, type NodeRef, type SourceLocation, type TsdbtError } from '../errors/tsdbt-error.js';
import type { MacroInfo, TemplateSource } from '../jinja/engine/index.js';
import type { NodeRenderState, TemplateServices } from '../jinja/dbt/node-context.js';
import { renderYamlText, renderYamlValue } from '../jinja/dbt/yaml-values.js';
import { macroCallKey, macroTextEffect, staticParse, type MacroCallArgs, type StaticParseOutcome, type StaticParseScope } from '../jinja/dbt/static-parser.js';
import type { Root } from '../jinja/engine/ast.js';
import { parseTemplate } from '../jinja/engine/parse-template.js';
import { GLOBAL_NAMESPACE } from '../jinja/dbt/macro-scope.js';
import type { ManifestNode, Warning } from '../manifest/types.js';
import { progressCount } from '../time/slow-step.js';
import type { NodeRenderer, RenderCore, RenderState } from './render-phase.js';

export class ParsePhase implements NodeRenderer {
  readonly phase = 'parse' as const;
  readonly errors: TsdbtError[] = [];
  /** Warnings a node's parse found (a model's config() keys dbt does not know), for the manifest's warnings. */
  readonly warnings: Warning[] = [];
  /**
   * Whether a model's config() keys are checked against dbt's schema (config-call-keys.ts). Off
   * where nothing would show what the check finds (parse-jinja-edit.ts on an adapter dbt does not
   * validate on): the check loads dbt's compiled schemas, ~20 ms of a one-file parse.
   */
  checkConfigKeys = true;

  constructor(readonly session: RenderCore) {}

  /** The session's services (`ref` and `source` are recorded, never resolved, at parse time). */
  get services(): TemplateServices {
    return this.session.services;
  }

  get jinja(): RenderCore['jinja'] {
    return this.session.jinja;
  }

  get library(): RenderCore['library'] {
    return this.session.library;
  }

  get scope(): RenderCore['scope'] {
    return this.session.scope;
  }

  /** Every macro found, as manifest entries. */
  get macros(): RenderCore['macros'] {
    return this.session.macros;
  }

  /** The adapter's dispatch prefixes, most specific first, ending in `default`. */
  get dispatchPrefixes(): string[] {
    return this.session.dispatchPrefixes;
  }

  /** Renders a node's template at parse time, recording its ref, source and config calls in the state. */
  render(node: ManifestNode, state: RenderState, source?: string, path?: string): { sql: string; state: NodeRenderState } {
    return this.session.render(this, node, state, source, path);
  }

  /** A parse-time context for calling macros from TypeScript on behalf of a node. */
  contextFor(node: ManifestNode, state: Partial<RenderState> = {}): Record<string, unknown> {
    return this.session.contextFor(this, node, state);
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

  /** A property file's log() and print() write where the templates' do (dbt's SchemaYamlContext is a BaseContext). */
  private readonly yamlOutput = (message: string, level: 'info' | 'debug' | 'print'): void => this.services.log(message, level);

  /**
   * A property-file value with Jinja (`schema: "{{ target.schema }}_raw"`), rendered as dbt does:
   * with `target`, `var` (the package's vars) and `env_var`.
   */
  renderPropertyValue(value: string, location: SourceLocation, packageName: string, globals?: Record<string, unknown>): string {
    return renderYamlText(value, { ...(globals ? { globals } : {}), output: this.yamlOutput, env: this.services.env, vars: this.services.varsFor(packageName), location, target: this.services.targetContext, startedAt: this.services.runStartedAt, invocationId: this.services.invocationId, projectName: this.services.projectName, projectVars: true, refuseSecrets: true });
  }

  /** The same, rendered natively (`enabled: "{{ target.name == 'ci' }}"` is a boolean), as dbt renders property files. */
  renderPropertyNative(value: string, location: SourceLocation, packageName: string): unknown {
    return renderYamlValue(value, { output: this.yamlOutput, env: this.services.env, vars: this.services.varsFor(packageName), location, target: this.services.targetContext, startedAt: this.services.runStartedAt, invocationId: this.services.invocationId, projectName: this.services.projectName, projectVars: true, refuseSecrets: true });
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
      this.staticResults.set(src.path, { source: src.source, outcome });
      if ('rendered' in outcome) rendered.push({ src, tree: () => tree });
      else this.jinja.codeAhead(src, tree);
    }
    this.progress(`${packageName}: compiling ${rendered.length} templates`);
    this.jinja.compileTrees(rendered);
  }

  /** Tells the parse's progress line what it is doing now (reported only when a line is due). */
  progress(status: string | (() => string)): void {
    this.session.progress(status);
  }

  /** dbt's STATIC_PARSER flag (on unless `--no-static-parser`, DBT_STATIC_PARSER=false or `flags: static_parser: false`). */
  get staticParserEnabled(): boolean {
    return this.services.flags.STATIC_PARSER !== false;
  }

  /** How many SQL nodes parseCalls answered from the syntax tree, and how many it rendered. */
  readonly staticParserCounts = { read: 0, rendered: 0 };

  /** The files the static parser left to their render, and why (for --debug). */
  readonly staticParserRendered: { path: string; reason: string }[] = [];

  /**
   * The static parser's answer per file path, for the text it read; parseSqlFiles fills it, and
   * parseCalls takes each answer out as it uses it (10,000 answers were kept all parse long, under
   * keys of the path and the whole text joined).
   */
  private readonly staticResults = new Map<string, { source: string; outcome: StaticParseOutcome }>();

  /**
   * What parsing a SQL node records (its ref, source and config calls): the static parser's
   * answer for its text where it has one, else its parse-phase render's.
   */
  parseCalls(node: ManifestNode, source: string, path: string = node.original_file_path): Pick<NodeRenderState, 'refs' | 'sources' | 'configCalls' | 'functions' | 'metrics'> {
    const stored = this.staticResults.get(path);
    let outcome: StaticParseOutcome | undefined;
    if (stored !== undefined && stored.source === source) {
      outcome = stored.outcome;
      this.staticResults.delete(path);
    } else if (this.staticParserEnabled && !this.jinja.isCompiled({ path, source })) {
      try {
        outcome = staticParse(parseTemplate(source, path), this.staticScope(node.package_name));
      } catch {
        // a syntax error: the render reports it
      }
    }
    // Each use gets its own arrays (callers keep them on the node), copied to their size: the
    // walker's grew by push, with room for more.
    if (outcome && 'calls' in outcome) {
      this.staticParserCounts.read++;
      const found = outcome.calls;
      return { refs: [...found.refs], sources: [...found.sources], configCalls: [...found.configCalls] };
    }
    this.staticParserCounts.rendered++;
    if (outcome) this.staticParserRendered.push({ path, reason: outcome.rendered });
    return this.render(node, { refs: [], sources: [], configCalls: [] }, source, path).state;
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
    const namespaces = new Set([...this.session.packages, GLOBAL_NAMESPACE]);
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
        const sets = role === 'macro' ? this.session.packages.map(varsOf) : [varsOf(packageName)];
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
}

/** The ref and source calls the parse render of `{{ expression }}` records for `node`. */
export function expressionCalls(session: ParsePhase, node: ManifestNode, expression: string): Pick<NodeRenderState, 'refs' | 'sources'> {
  const { state } = session.render(node, { refs: [], sources: [], configCalls: [] }, `{{ ${expression} }}`);
  return state;
}

/** Calls the macro `name` as `node`'s templates see it at parse time; its output, trimmed. */
export function callParseMacro(session: ParsePhase, node: ManifestNode, name: string, args: unknown[]): string {
  // dbt renders the naming macros with a strict var(): a missing var fails the parse.
  const context = session.contextFor(node, { strictVars: true });
  const fn = context[name] as (...a: unknown[]) => unknown;
  return String(fn(...args)).trim();
}

/** The `{% snapshot name %} ... {% endsnapshot %}` blocks of a file (throws on a syntax error). */
export function snapshotBlocks(session: ParsePhase, file: { path: string; content?: string }): MacroInfo[] {
  return session.jinja.scanBlocks({ path: file.path, source: file.content ?? '' }).filter((b) => b.kind === 'snapshot');
}
