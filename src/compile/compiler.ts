// Execute-phase compilation: renders a node with refs resolved to real relations, calls generic
// test macros with their arguments, and inlines ephemeral models as CTEs (`__dbt__cte__<identifier>`, the alias as dbt names it).
// Each Compiler has its own execute phase (execute-phase.ts: `phase`), which resolves refs as this
// Compiler does; the command's other execute-phase renders (hooks, a materialization written in
// Jinja, run-operation's macro) go through it too.
import type { Connection, SqlBuilders } from '../adapters/adapter.js';
import type { WarehouseRenders } from '../jinja/dbt/render-replay.js';
import { Relation, sourceRelation, type RelationParts } from '../adapters/relation.js';
import { asTsdbtError, TsdbtError } from '../errors/tsdbt-error.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import { callMacro, RenderSuspended } from '../jinja/engine/index.js';
import { renderNative, renderTestArguments } from './test-arguments.js';
import { GenericTestShapes } from './generic-test-shapes.js';
import type { RenderSession } from './render-session.js';
import type { ExecutePhase } from './execute-phase.js';
import type { Manifest, ManifestNode, RefCall, SourceTable, UnitTestInput } from '../manifest/types.js';
import { dropShadowedAliases, EmptyInputRelation } from './empty-inputs.js';
import { dbtRenderedText } from './rendered-text.js';
import { EventTimeFilteredRelation, type EventTimeWindow } from './event-time-filter.js';

export interface CompileOptions {
  /** `this` for the render (defaults to the node's own relation). */
  thisRelation?: Relation | null;
  incremental?: boolean;
  /** Microbatch: inputs with `event_time` are filtered to this window. */
  eventTimeWindow?: EventTimeWindow;
}

export interface CompiledNode {
  sql: string;
  /** Ephemeral nodes inlined, in order. */
  ephemerals: string[];
}

/** A node's compiled SQL before it is recorded on the node. */
interface RenderedNode extends CompiledNode {
  ctes: { id: string; name: string; sql: string }[];
}

/** A node's render made ahead of its turn (Compiler.speculate). */
export interface SpeculativeCompile {
  readonly node: ManifestNode;
  /** The `incremental` it rendered with. */
  readonly incremental: boolean | undefined;
  readonly rendered: RenderedNode;
  /** WarehouseRenders.epoch when it was made. */
  readonly epoch: number;
}

/** How the compiler resolves `ref` and `source` (graph/ref-index.ts's RefIndex, built when the manifest is linked). */
export interface RefResolution {
  /** The node `call` refers to from `from`, or a TsdbtError saying why not. */
  resolveRef(call: RefCall, from: ManifestNode): ManifestNode;
  resolveSource(sourceName: string, tableName: string, from: ManifestNode): SourceTable;
  /** The user-defined function `function(...)` names from `from` (`[name]` or `[package, name]`). */
  resolveFunction?(call: string[], from: ManifestNode): ManifestNode;
}

export class Compiler {
  /** This Compiler's execute phase: every execute-phase render of its command goes through it. */
  readonly phase: ExecutePhase;
  private readonly manifest: Manifest;
  private readonly dialect: SqlBuilders;
  private readonly nodeRelation: (parts: RelationParts) => Relation;
  private readonly ephemeralCache = new Map<string, CompiledNode>();
  /** dbt's not_null and unique tests, rendered once per shape (generic-test-shapes.ts). */
  private readonly testShapes: GenericTestShapes;
  private readonly refs: RefResolution;
  /** Unit tests: parents replaced by fixture CTEs while one renders (renders are synchronous). */
  private fixtures: Map<string, Relation> | null = null;
  /** The unit test whose model renders while `fixtures` is set. */
  private fixturesOf: ManifestNode | null = null;

  /** Set when the command is connected: renders may then reach the warehouse (run_query...). */
  private readonly renders: WarehouseRenders | null;

  constructor(session: RenderSession, manifest: Manifest, refs: RefResolution, dialect: SqlBuilders, renders: WarehouseRenders | null = null) {
    this.renders = renders;
    this.manifest = manifest;
    this.dialect = dialect;
    // A node's relation (ref, `this`, a deferred ref) takes the project's `quoting:`; a source's does not.
    this.nodeRelation = session.services.relation;
    this.refs = refs;
    this.testShapes = new GenericTestShapes(session.scope);
    this.phase = session.executePhase({
      resolveRef: (call: RefCall, from: ManifestNode) => {
        const parent = refs.resolveRef(call, from);
        const fixture = this.fixtures?.get(parent.unique_id);
        if (fixture) return fixture;
        if (this.fixtures) throw this.missingInput(`node named '${call.name}' ${call.version != null ? `with version '${String(call.version)}' ` : ''}`, `ref('${call.name}')`);
        return this.limited(this.filtered(this.refRelationOf(parent), parent.config.event_time));
      },
      resolveSource: (s: string, t: string, from: ManifestNode) => {
        const src = refs.resolveSource(s, t, from);
        const fixture = this.fixtures?.get(src.unique_id);
        if (fixture) return fixture;
        if (this.fixtures) throw this.missingInput(`source named '${s}.${t}' `, `source('${s}', '${t}')`);
        const relation = sourceRelation(src, dialect);
        return this.limited(this.filtered(relation, (src.config as { event_time?: unknown }).event_time ?? (src.meta as { event_time?: unknown }).event_time));
      },
      // A function is no input to limit or filter: its relation, as --defer gives it.
      resolveFunction: (call: string[], from: ManifestNode) => {
        if (!refs.resolveFunction) throw new TsdbtError('function() cannot be resolved here', { code: 'function-not-found' });
        // dbt's function() ignores the project's `quoting:`, as a source() does (SourceQuotingBaseConfig).
        const fn = refs.resolveFunction(call, from);
        const parts = this.deferral?.relationFor(fn) ?? { database: fn.database, schema: fn.schema, identifier: fn.alias };
        return new Relation({ ...parts, type: 'function' }, this.dialect);
      },
    });
  }

  /**
   * Runs a synchronous render (`compile`, `compileUnitTest`, a hook) so that the warehouse calls
   * its templates make run on `conn`, the node's connection (see render-replay.ts).
   */
  withWarehouse<T>(conn: Connection, nodeId: string, render: () => T): Promise<T> {
    return this.renders ? this.renders.render(conn, render, nodeId) : Promise.resolve().then(render);
  }

  /**
   * Calls the macro `name` as the node's templates see it (its package, the root project, dbt's
   * global project) in the node's execute-phase context, on the node's connection: what a
   * built-in materialization does when a project overrides one of its building blocks. Returns
   * the macro's `return()` value, or its output as text.
   */
  callMacro(
    conn: Connection,
    node: ManifestNode,
    name: string,
    args: unknown[],
    options: { kwargs?: Record<string, unknown>; incremental?: boolean; thisRelation?: Relation | null; extra?: Record<string, unknown>; namespace?: string } = {},
  ): Promise<unknown> {
    return this.withWarehouse(conn, node.unique_id, () => {
      const context = this.phase.contextFor(node, {
        thisRelation: options.thisRelation === undefined ? this.thisOf(node) : options.thisRelation,
        incremental: options.incremental ?? false,
        ...(options.extra ? { extra: options.extra } : {}),
      });
      // A package's macro the node does not see by name is reached through its namespace (`pkg.name`).
      const macro = options.namespace === undefined ? context[name] : (context[options.namespace] as Record<string, unknown> | undefined)?.[name];
      if (typeof macro !== 'function') {
        throw new TsdbtError(`no macro named '${name}' is visible from ${node.package_name}`, { code: 'macro-not-found', location: { file: node.original_file_path } });
      }
      return callMacro(macro as (...args: unknown[]) => unknown, args, options.kwargs ?? {});
    });
  }

  /** The window the node being compiled reads its inputs in (renders are synchronous, so one at a time). */
  private window: EventTimeWindow | null = null;

  /** `--sample`'s window (sample-window.ts), or null. */
  private sample: EventTimeWindow | null = null;

  /** Makes models and snapshots this Compiler renders read inputs that have an event_time only within `window`, as `--sample` asks. */
  sampleInputs(window: EventTimeWindow): void {
    this.sample = window;
  }

  /**
   * What a node's inputs with an event_time are filtered to, as dbt's resolve_event_time_filter: a
   * microbatch batch's window (narrowed to --sample's), else --sample's for a model or snapshot
   * (not tests, which check what was built), else nothing.
   */
  private windowFor(node: ManifestNode, batch: EventTimeWindow | undefined): EventTimeWindow | null {
    const sample = this.sample;
    if (batch) {
      if (!sample) return batch;
      return { start: new Date(Math.max(batch.start.getTime(), sample.start.getTime())), end: new Date(Math.min(batch.end.getTime(), sample.end.getTime())) };
    }
    return sample && (node.resource_type === 'model' || node.resource_type === 'snapshot') ? sample : null;
  }

  private filtered(relation: Relation, eventTime: unknown): Relation {
    if (!this.window || typeof eventTime !== 'string' || relation.type === 'cte') return relation;
    return new EventTimeFilteredRelation(relation, eventTime, this.window, (at) => this.dialect.eventTimeBound(at));
  }

  /** Set while a foreign key's `to:` renders: it names its relation, which `--empty` leaves as it is. */
  private namingRelation = false;

  /** `--empty`: refs and sources read no rows (empty-inputs.ts). */
  private emptyInputs = false;
  private injectEphemerals = true;

  /** Makes every ref and source this Compiler renders read no rows, as `--empty` asks. */
  readNoRows(): void {
    this.emptyInputs = true;
  }

  /** `compile --no-inject-ephemeral-ctes`: ephemeral inputs are not prepended as CTEs (their `__dbt__cte__` names stay unresolved). */
  leaveEphemeralCtesOut(): void {
    this.injectEphemerals = false;
  }

  private limited(relation: Relation): Relation {
    return this.emptyInputs && !this.namingRelation ? new EmptyInputRelation(relation) : relation;
  }

  /** `--defer`: where refs to nodes not built in this target point instead (state/deferral.ts). */
  private deferral: { relationFor(node: ManifestNode): RelationParts | null } | null = null;

  /** Makes refs (in models, tests and hooks alike) defer to the state's relations, as `--defer` asks. */
  deferTo(deferral: { relationFor(node: ManifestNode): RelationParts | null }): void {
    this.deferral = deferral;
  }

  /** What `ref()` to `node` renders: its relation, or under --defer the state's relation for it. */
  private refRelationOf(node: ManifestNode): Relation {
    const deferred = this.deferral?.relationFor(node);
    return deferred ? this.nodeRelation(deferred) : this.relationOf(node);
  }

  /**
   * What a node's own templates see as `this`: the relation it builds; for an ephemeral model, which
   * builds none, its database, schema and alias all the same (dbt's Relation.create_from), so
   * `{{ this.schema }}` names the schema its refs' CTE reads from.
   */
  private thisOf(node: ManifestNode): Relation {
    if (node.config.materialized !== 'ephemeral') return this.relationOf(node);
    return this.nodeRelation({ database: node.database, schema: node.schema, identifier: node.alias, type: null });
  }

  /** The relation a node builds; ephemeral nodes are CTE names. */
  relationOf(node: ManifestNode): Relation {
    if (node.config.materialized === 'ephemeral') {
      return new Relation({ identifier: `__dbt__cte__${node.alias}`, type: 'cte' }, this.dialect, {
        include: { database: false, schema: false, identifier: true },
        quote: { database: false, schema: false, identifier: false },
      });
    }
    const type = node.config.materialized === 'view' ? 'view' : node.resource_type === 'function' ? 'function' : 'table';
    return this.nodeRelation({ database: node.database, schema: node.schema, identifier: node.alias, type });
  }

  /** Compiles the templates of many nodes in one batch (much faster than one by one). */
  prepare(nodes: Iterable<ManifestNode>): void {
    const sources = [];
    for (const node of nodes) if (!node.test_metadata && node.raw_code) sources.push({ path: node.original_file_path, source: node.raw_code });
    this.phase.session.jinja.compileMany(sources);
  }

  /**
   * Compiles the node, or takes `speculated` (this Compiler's `speculate` of it with the same
   * options, still holding: `speculationHolds`) as its render.
   */
  compile(node: ManifestNode, options: CompileOptions = {}, speculated?: SpeculativeCompile): CompiledNode {
    const { sql, ephemerals, ctes } = speculated?.node === node ? speculated.rendered : this.renderCompiled(node, options);
    if (node.test_metadata) this.recordWhereSubquery(node);
    node.compiled_code = sql;
    node.compiled = true;
    // dbt's InjectedCTE list: each ephemeral ancestor's id and the text injectCtes wrote for it.
    node.extra_ctes = ctes.length === 0 ? NO_CTES : ctes.map((c) => ({ id: c.id, sql: cteText(c) }));
    if (node.resource_type === 'model') this.compileForeignKeys(node);
    return { sql, ephemerals };
  }

  /** The node's compiled SQL with its ephemeral CTEs, changing nothing of the node. */
  private renderCompiled(node: ManifestNode, options: CompileOptions): RenderedNode {
    this.window = this.windowFor(node, options.eventTimeWindow);
    let body: string;
    try {
      body = node.test_metadata ? this.compileGenericTest(node) : this.renderExecute(node, options);
    } finally {
      this.window = null;
    }
    const ephemerals = this.ephemeralAncestors(node);
    const ctes = this.injectEphemerals
      ? ephemerals.map((id) => {
          const eph = this.manifest.nodes[id] as ManifestNode;
          return { id, name: `__dbt__cte__${eph.alias}`, sql: this.compiledEphemeral(eph) };
        })
      : [];
    return { sql: injectCtes(body, ctes), ephemerals, ctes };
  }

  /**
   * The node's render done ahead of its turn (WarehouseRenders.speculate), while the run waits on
   * the warehouse: null when it needed anything that must wait for the node's turn (a warehouse
   * question, a log line, the clock, an ephemeral model, `graph`) or failed. `compile` takes it
   * in the node's turn if `speculationHolds` (no render since); the node is not changed before.
   */
  speculate(node: ManifestNode, options: CompileOptions = {}): SpeculativeCompile | null {
    if (!this.renders || node.resource_type === 'unit_test' || options.eventTimeWindow) return null;
    const epoch = this.renders.epoch;
    const rendered = this.renders.speculate(() => this.renderCompiled(node, options), node.unique_id);
    return rendered ? { node, incremental: options.incremental, rendered, epoch } : null;
  }

  /** Whether `speculated` is still what the node's render would give now: no other render began since it was made. */
  speculationHolds(speculated: SpeculativeCompile): boolean {
    return this.renders?.epoch === speculated.epoch;
  }

  private renderExecute(node: ManifestNode, options: CompileOptions): string {
    const { sql } = this.phase.render(node, {
      refs: [],
      sources: [],
      configCalls: [],
      thisRelation: options.thisRelation === undefined ? this.thisOf(node) : options.thisRelation,
      // Undecided (compile, show, docs): the render asks the warehouse, as dbt's is_incremental() does.
      ...(options.incremental === undefined ? {} : { incremental: options.incremental }),
    });
    // Python (a function's body) keeps its indentation and line ends as rendered, as dbt's does.
    if (node.language === 'python') return sql;
    // dbt's text, whitespace and all (rendered-text.ts): what compiled_code and target/ files hold.
    const text = dbtRenderedText(node.raw_code, sql, node.line, readStripped(node));
    return this.emptyInputs || this.window ? dropShadowedAliases(text) : text;
  }

  private compiledEphemeral(node: ManifestNode): string {
    try {
      if (this.window) return this.renderExecute(node, {}); // filtered per batch: never cached
      // Within one render that stops to ask the warehouse, each attempt must ask the same questions:
      // whether this CTE came from the cache is decided by the first attempt (another ephemeral's
      // render, or another thread's, may fill the cache before the next one).
      const replay = this.renders?.current;
      const lookUp = () => this.ephemeralCache.get(node.unique_id);
      let compiled = replay ? replay.stable(lookUp) : lookUp();
      if (!compiled) {
        compiled = { sql: this.renderExecute(node, {}), ephemerals: [] };
        this.ephemeralCache.set(node.unique_id, compiled);
      }
      return compiled.sql;
    } catch (err) {
      // A render waiting for the warehouse (`adapter.get_columns_in_relation` in the ephemeral model)
      // is no failure: the render that includes this CTE resumes it (render-replay.ts).
      if (err instanceof RenderSuspended) throw err;
      const error = asTsdbtError(err).inNode(nodeRefOf(node));
      error.ephemeralId ??= node.unique_id;
      throw error;
    }
  }

  /** Every ephemeral ancestor reachable through ephemeral nodes, parents first. */
  private ephemeralAncestors(node: ManifestNode): string[] {
    // Most nodes read no ephemeral model: no walk (and nothing allocated) for them.
    if (!node.depends_on.nodes.some((id) => this.manifest.nodes[id]?.config.materialized === 'ephemeral')) return [];
    const order: string[] = [];
    const seen = new Set<string>();
    const visit = (id: string) => {
      const parent = this.manifest.nodes[id];
      if (!parent || parent.config.materialized !== 'ephemeral' || seen.has(id)) return;
      seen.add(id);
      for (const grand of parent.depends_on.nodes) visit(grand);
      order.push(id);
    };
    for (const id of node.depends_on.nodes) visit(id);
    return order;
  }

  /**
   * A parent of a unit test's model that no `given` input replaces: dbt compiles the model against
   * a manifest of the test's inputs alone, where the ref finds nothing (TargetNotFoundError), and
   * fails the test, not the parse.
   */
  private missingInput(target: string, input: string): TsdbtError {
    const test = this.fixturesOf;
    return new TsdbtError(`Unit_Test '${test?.unique_id ?? ''}' (${test?.original_file_path ?? ''}) depends on a ${target}which was not found`, {
      code: 'unit-test-input-missing',
      ...(test ? { location: { file: test.original_file_path, ...(test.line !== undefined ? { line: test.line } : {}) } } : {}),
      hint: `add \`- input: ${input}\` with the rows the test needs (\`rows: []\` for none) under the unit test's given:`,
    });
  }

  /** The model a unit test tests. */
  unitTestModel(node: ManifestNode): ManifestNode {
    const model = this.manifest.nodes[node.depends_on.nodes[0] ?? ''];
    if (!model || !node.unit_test) throw new TsdbtError(`unit test ${node.name} has no model`, { code: 'internal', category: 'internal' });
    return model;
  }

  /**
   * Each `given` input of a unit test with the relation it replaces (null for an ephemeral parent,
   * which has none) and the CTE name its fixture gets.
   */
  unitTestInputs(node: ManifestNode): { id: string; name: string; relation: Relation | null; cte: string }[] {
    const model = this.unitTestModel(node);
    return (node.unit_test?.given ?? []).map((input) => {
      if (input.isThis) return { id: 'this', name: model.name, relation: this.relationOf(model), cte: '__dbt__cte__this' };
      if (input.ref) {
        const parent = this.inputNode(node, input, () => this.refs.resolveRef(input.ref as RefCall, model));
        // The relation whose columns type the fixture: under --defer, the state's where this target lacks it (dbt's get_fixture_sql).
        return { id: parent.unique_id, name: parent.name, relation: parent.config.materialized === 'ephemeral' ? null : this.refRelationOf(parent), cte: `__dbt__cte__${parent.name}` };
      }
      const [s, t] = input.source ?? ['', ''];
      const src = this.inputNode(node, input, () => this.refs.resolveSource(s, t, model));
      return { id: src.unique_id, name: src.name, relation: sourceRelation(src, this.dialect), cte: `__dbt__cte__${s}_${t}` };
    });
  }

  /** A unit test input's node, or dbt's error for one the project lacks (raised when the test runs, as dbt 1.8+ does). */
  private inputNode<T>(node: ManifestNode, input: UnitTestInput, resolve: () => T): T {
    try {
      return resolve();
    } catch (err) {
      if (!(err instanceof TsdbtError) || err.category !== 'user') throw err;
      throw new TsdbtError(`Unit test '${node.name}' had an input (${input.input}) which was not found in the manifest.`, {
        code: 'unit-test-input',
        location: { file: node.original_file_path, ...(node.line !== undefined ? { line: node.line } : {}) },
        hint: `${err.message}; name a model, seed, snapshot or source of the project`,
      });
    }
  }

  /**
   * A unit test's model SQL: its inputs read fixture CTEs (`fixtureSql`, in `given` order), with
   * the test's var / env var / macro overrides; `is_incremental()` is false unless overridden.
   */
  compileUnitTest(node: ManifestNode, fixtureSql: string[], options: { incremental?: boolean } = {}): string {
    const model = this.unitTestModel(node);
    const spec = node.unit_test as NonNullable<ManifestNode['unit_test']>;
    const inputs = this.unitTestInputs(node);
    const cte = (name: string) =>
      new Relation({ identifier: name, type: 'cte' }, this.dialect, { include: { database: false, schema: false, identifier: true }, quote: { database: false, schema: false, identifier: false } });
    this.fixtures = new Map(inputs.map((i) => [i.id, cte(i.cte)]));
    this.fixturesOf = node;
    let body: string;
    try {
      const { sql } = this.phase.render(model, {
        refs: [],
        sources: [],
        configCalls: [],
        thisRelation: this.fixtures.get('this') ?? this.relationOf(model),
        incremental: options.incremental ?? spec.overrides.macros.is_incremental === true,
        overrides: options.incremental === undefined ? spec.overrides : { ...spec.overrides, macros: { ...spec.overrides.macros, is_incremental: options.incremental } },
      });
      body = dbtRenderedText(model.raw_code, sql, model.line, readStripped(model));
    } finally {
      this.fixtures = null;
      this.fixturesOf = null;
    }
    const ctes = inputs.map((input, i) => ({ name: input.cte, sql: fixtureSql[i] ?? '' }));
    return injectCtes(body, ctes);
  }

  /**
   * A `format: sql` fixture of a unit test, rendered in the test's context with its overrides (dbt
   * compiles such fixtures as nodes: `{{ target.type }}`, macros and vars work in them).
   */
  renderUnitTestSql(node: ManifestNode, sql: string): string {
    const spec = node.unit_test as NonNullable<ManifestNode['unit_test']>;
    return this.phase.render(node, { refs: [], sources: [], configCalls: [], overrides: spec.overrides }, sql).sql;
  }

  private compileGenericTest(node: ManifestNode): string {
    const meta = node.test_metadata as NonNullable<ManifestNode['test_metadata']>;
    // Most tests (dbt's not_null and unique on a ref) need no context of their own: their shape's text with their relation put in.
    const direct = this.testShapes.direct(node, meta.kwargs, (fn, args) => this.relationCall(fn, args, node));
    if (direct !== undefined) return direct;
    const state = { refs: [], sources: [], configCalls: [] };
    // One context for the arguments and the macro, as dbt renders them (and one context per test
    // instead of two: 20,000 tests make 20,000 fewer contexts and macro-file instances).
    const context = this.phase.contextFor(node, state);
    // dbt renders every argument natively, `model` (`{{ get_where_subquery(ref('x')) }}`, a macro
    // projects may override) included: `compare_model: ref('x')` arrives as a relation, not text.
    const kwargs = renderTestArguments(this.phase, node, meta.kwargs, state, context);
    const render = (args: Record<string, unknown>) => callMacro(this.testMacro(node, context), [], args);
    // dbt's not_null and unique print their arguments: their text is rendered once per shape.
    const text = this.testShapes.text(node, kwargs, render);
    return text ?? String(render(kwargs));
  }

  /**
   * A compiled generic test depends on the get_where_subquery its `model` argument called. dbt
   * records every macro a render calls at the top (MacroGenerator.track_call); dbt's own not_null
   * and unique, parsed without a render, gain it here, as in dbt's manifest after compile. A new
   * list: the parse shares one list among many tests.
   */
  private recordWhereSubquery(node: ManifestNode): void {
    const id = this.phase.session.scope.macroId(node.package_name, 'get_where_subquery');
    if (id !== undefined && !node.depends_on.macros.includes(id)) node.depends_on.macros = [...node.depends_on.macros, id];
  }

  /** What `ref(...)` / `source(...)` with these literal arguments gives in `node`'s execute-phase render. */
  private relationCall(fn: 'ref' | 'source', args: string[], node: ManifestNode): unknown {
    const { services } = this.phase;
    if (fn === 'source') {
      if (args.length !== 2) throw new TsdbtError('source() takes two strings: source(source_name, table_name)', { code: 'source-args' });
      return services.resolveSource(args[0] as string, args[1] as string, node);
    }
    const call = args.length === 2 ? { package: args[0] as string, name: args[1] as string, version: null } : { name: args[0] as string, package: null, version: null };
    return services.resolveRef(call, node);
  }

  /** The generic test's macro (`[namespace.]test_<name>`) in the test's context. */
  private testMacro(node: ManifestNode, context: Record<string, unknown>): (...args: unknown[]) => unknown {
    const meta = node.test_metadata as NonNullable<ManifestNode['test_metadata']>;
    const macroName = `test_${meta.name}`;
    const holder = meta.namespace ? (context[meta.namespace] as Record<string, unknown> | undefined) : context;
    const macro = holder?.[macroName];
    if (typeof macro !== 'function') {
      throw new TsdbtError(`no generic test named '${meta.namespace ? `${meta.namespace}.` : ''}${meta.name}'`, {
        code: 'test-macro-not-found',
        location: { file: node.original_file_path, line: node.line },
        hint: `define it with {% test ${meta.name}(model, column_name) %} in a macros/ or tests/generic/ file, or install the package that provides it`,
      });
    }
    return macro as (...args: unknown[]) => unknown;
  }

  /**
   * Renders `ref('x')` / `source('s', 't')` (with or without braces) in the node's context: the
   * relation it names (under `--defer` the state's where dbt defers; never `--empty`'s subquery).
   */
  renderExpression(node: ManifestNode, value: string): string {
    const expression = value.replace(/^\s*\{\{|\}\}\s*$/g, '');
    this.namingRelation = true;
    try {
      return String(renderNative(this.phase, node, `{{ ${expression} }}`, { refs: [], sources: [], configCalls: [] })).trim();
    } finally {
      this.namingRelation = false;
    }
  }

  /** A compiled model's foreign keys: each `to:` with the relation it names, which manifest.json writes as dbt's compile does. */
  private compileForeignKeys(node: ManifestNode): void {
    const constraints = [...(node.constraints ?? []), ...Object.values(node.columns).flatMap((c) => c.constraints ?? [])];
    const targets = constraints.flatMap((c) => (c.type === 'foreign_key' && typeof c.to === 'string' && c.to !== '' ? [c.to] : []));
    if (targets.length === 0) return;
    node.compiled_foreign_keys = Object.fromEntries(targets.map((to) => [to, this.renderExpression(node, to)]));
  }
}

/**
 * Puts CTEs in front of a query, laid out as dbt-core's inject_ctes_into_sql lays them (with
 * sqlparse): each CTE is ` name as (\n<sql>\n)`, joined by `, `; a query with its own `with`
 * (after leading comments; `with recursive` too) gets them after the keyword and the whitespace
 * that follows it, then `, ` and its own CTEs; any other gets `with` and the CTEs in front of its
 * first token, then one space (`) select`).
 */
export function injectCtes(sql: string, ctes: { name: string; sql: string }[]): string {
  if (ctes.length === 0) return sql;
  const text = ctes.map(cteText).join(', ');
  const leading = /^(?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*with(?:\s+recursive)?\b\s*/i.exec(sql);
  if (leading) return `${leading[0]}${text}, ${sql.slice(leading[0].length)}`;
  const start = /^\s*/.exec(sql)![0].length;
  return `${sql.slice(0, start)}with${text} ${sql.slice(start)}`;
}

/** Whether dbt reads the node's text stripped: a whole file (load_file_contents), not a snapshot's block body nor an inline query. */
const readStripped = (node: ManifestNode): boolean => node.resource_type !== 'snapshot' && !node.unique_id.startsWith('sql_operation.');

/** A compiled node's `extra_ctes` when it reads no ephemeral (shared: most nodes). */
const NO_CTES: readonly { id: string; sql: string }[] = Object.freeze([]);

/** One ephemeral's CTE as dbt's _recursively_prepend_ctes writes it: ` name as (\n<sql>\n)`. */
const cteText = (c: { name: string; sql: string }): string => ` ${c.name} as (\n${c.sql}\n)`;
