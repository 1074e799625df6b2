// The render session of a project (compile/, ARCHITECTURE.md "Rendering"): the template
// environment, the macro library and scope, and the services templates see, shared by both render
// phases. Its parse phase (parse-phase.ts, `parsePhase`) is what graph/'s parsers render through;
// each Compiler makes an execute phase of its own (execute-phase.ts, `executePhase`), which
// resolves refs its own way, so two Compilers of one session (offline, then connected) never
// resolve each other's refs. The run's state templates read at execution (`graph`,
// `selected_resources`, `thread_id`, the warehouse) is the session's.
import type { SqlBuilders } from '../adapters/adapter.js';
import type { QuotePolicy, RelationDialect, RelationParts } from '../adapters/relation.js';
import type { ColumnTypeRules } from '../adapters/adapter.js';
import { Relation } from '../adapters/relation.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { JinjaEnvironment, MacroLibrary, type SharedCodeCache, type TemplateSource } from '../jinja/engine/index.js';
import { MacroScope, type DispatchConfig } from '../jinja/dbt/macro-scope.js';
import { buildNodeContext, type NodeRenderState, type TemplateServices } from '../jinja/dbt/node-context.js';
import type { MacroNode, Manifest, ManifestNode } from '../manifest/types.js';
import { RunGraph } from './run-graph.js';
import type { FlatGraph } from '../manifest/flat-graph-kinds.js';
import { lineAligned } from './line-aligned.js';
import type { RenderReplay, RunState } from '../jinja/dbt/render-replay.js';
import { runtimeConfigObject, type RuntimeConfigFacts } from '../jinja/dbt/runtime-config.js';
import { offlineWarehouse } from '../jinja/dbt/warehouse-calls.js';
import { ParsePhase } from './parse-phase.js';
import { ExecutePhase, type RefRelations } from './execute-phase.js';
import type { PhaseServices, RenderCore, RenderState } from './render-phase.js';

export interface RenderSessionInput {
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
  /**
   * dbt_project.yml's `quoting:` (database, schema, identifier booleans), over the dialect's default
   * quote policy in every relation but a source's (dbt's Relation.create_from(config, node), api.Relation).
   */
  quoting?: Partial<QuotePolicy>;
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
  /** The install's cache of its own macro files' code, shared by every project (code-cache.ts); none: not kept. */
  sharedCodeCache?: SharedCodeCache;
  /** The dialect's `api.Column` type families (AdapterDialect.rules.columnTypes). */
  columnTypes?: ColumnTypeRules;
  /** What `ref.config` (dbt's RuntimeConfig) tells, but the command's arguments (those are `invocationArgs`). */
  runtime?: Omit<RuntimeConfigFacts, 'invocationArgs'>;
  /** `graph` of a manifest for execute-phase renders (artifacts/flat-graph.ts, built once per manifest). */
  flatGraph: (manifest: Manifest) => FlatGraph;
}

/** `ref()` and `source()` outside an execute phase: a parse render records them and never resolves them. */
function unresolved(): never {
  throw new TsdbtError('ref() or source() resolved outside an execute phase', { code: 'internal', category: 'internal' });
}

export class RenderSession implements RenderCore {
  readonly jinja: JinjaEnvironment;
  readonly library: MacroLibrary;
  readonly scope: MacroScope;
  /** The services both phases share; an execute phase's copy resolves `ref` and `source` (execute-phase.ts). */
  readonly services: TemplateServices;
  /** Every macro found, as manifest entries. */
  readonly macros: Record<string, MacroNode> = {};
  /** The parse phase: what graph/'s parsers render through (and the errors parsing collects, macro files' first). */
  readonly parsePhase: ParsePhase;
  private readonly input: RenderSessionInput;

  constructor(input: RenderSessionInput, macroFiles: { source: TemplateSource; namespace: string }[]) {
    this.input = input;
    this.parsePhase = new ParsePhase(this);
    this.jinja = input.jinja ?? new JinjaEnvironment();
    if (input.codeCacheFile) this.jinja.useCodeCache(input.codeCacheFile, input.sharedCodeCache);
    this.library = new MacroLibrary(this.jinja);
    for (const file of macroFiles) {
      try {
        // Its top-level blocks and each macro's text: found once, kept with the code cache (macro-file-scan.ts).
        const texts = this.jinja.scanMacroFile(file.source);
        const infos = this.library.addFile({ path: file.source.path, source: texts.kept }, file.namespace);
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
            macro_sql: texts.text(info.name),
            depends_on: { macros: [] },
            description: '',
            arguments: info.args.map((name) => ({ name })),
          };
        }
      } catch (err) {
        this.parsePhase.fail(err);
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
      relation: (parts: RelationParts) => new Relation(parts, dialect, { quote: input.quoting }),
      sqlBuilders: input.sql,
      quoteIdentifier: (name: string) => dialect.quoteIdentifier(name),
      bareIdentifierName: (name: string) => dialect.bareIdentifierName(name),
      columnTypes: input.columnTypes,
      macroPrototype: (packageName, base) => this.scope.prototypeFor(packageName, base),
      dispatch: (context, macroName, ns, pkg) => this.scope.dispatch(context, macroName, ns, pkg),
      adapterExecutedMacro: (context, pkg, name) => this.scope.adapterExecutedMacro(context, pkg, name),
      // A render that reached the warehouse runs again from the start: each log line prints once.
      log: (message, level, event, nodeId) => {
        const replay = this.currentReplay?.();
        if (replay && !replay.firstTimeLogged()) return;
        input.log(message, level, event, nodeId ?? replay?.nodeId);
      },
      resolveRef: unresolved,
      resolveSource: unresolved,
      renderText: (source, context, path) => this.jinja.renderString(source, context, path),
      overriddenBuiltins: (packageName) => this.scope.projectMacroNames(packageName),
      // Other renders change the run's graph (packages extend it): a render ahead of its turn stops here.
      graph: () => {
        this.currentReplay?.()?.readsRunState('graph');
        return this.runGraph.graph();
      },
      selectedResources: () => this.selected,
      renderNumber: () => this.currentReplay?.()?.renderNumber() ?? 0,
      threadId: () => {
        const nodeId = this.currentReplay?.()?.nodeId;
        return (nodeId && this.threads.get(nodeId)) || 'MainThread';
      },
      invocationArgs: () => ({ ...input.invocationArgs, which: input.flags.WHICH }),
      warehouse: (phase) => this.warehouse(phase),
    };
    if (input.runtime) this.services.runtimeConfig = runtimeConfigObject({ ...input.runtime, invocationArgs: () => this.services.invocationArgs?.() ?? {} });
  }

  /** The adapter's dispatch prefixes, most specific first, ending in `default`. */
  get dispatchPrefixes(): string[] {
    return this.input.dispatchPrefixes;
  }

  /** The packages' names (the root project's included). */
  get packages(): readonly string[] {
    return this.input.packages;
  }

  /** Tells the parse's progress line what it is doing now (reported only when a line is due). */
  progress(status: string | (() => string)): void {
    this.input.progress?.(status);
  }

  /** An execute phase with its own ref and source resolution (a Compiler's, or the query comment's). */
  executePhase(relations: RefRelations): ExecutePhase {
    return new ExecutePhase(this, relations);
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
    this.warehouse = (phase) => {
      let found = perPhase.get(phase);
      if (!found) perPhase.set(phase, (found = members(phase)));
      return found;
    };
    this.currentReplay = currentReplay;
  }

  /** The warehouse members templates of a phase get (every phase's services ask here): none until attached. */
  private warehouse: NonNullable<TemplateServices['warehouse']> = offlineWarehouse;

  /**
   * Renders a node's template in `phase`, returning the SQL and the render state. `path` names the
   * template in error messages and keys its compiled code: text shared by many nodes (the query
   * comment) passes one path so it compiles once.
   */
  render(
    phase: PhaseServices,
    node: ManifestNode,
    state: RenderState,
    source: string = lineAligned(node.raw_code, node.test_metadata ? 1 : node.line),
    path: string = node.original_file_path,
  ): { sql: string; state: NodeRenderState } {
    const full: NodeRenderState = { node, phase: phase.phase, ...state };
    const template = this.jinja.compile({ path, source });
    const context = buildNodeContext(phase.services, full);
    // dbt parses with a lenient Undefined: a template reading what only exists at execution
    // (`graph.nodes[...]`, a query's columns) renders through the parse instead of failing.
    return { sql: this.jinja.render(template, context, { lenientUndefined: full.phase === 'parse' }), state: full };
  }

  /** A context for calling macros from TypeScript on behalf of a node, in `phase`. */
  contextFor(phase: PhaseServices, node: ManifestNode, state: Partial<RenderState> = {}): Record<string, unknown> {
    return buildNodeContext(phase.services, { node, phase: phase.phase, refs: [], sources: [], configCalls: [], ...state });
  }
}
