// Execute-phase compilation: renders a node with refs resolved to real relations, calls generic
// test macros with their arguments, and inlines ephemeral models as CTEs (`__dbt__cte__<identifier>`, the alias as dbt names it).
// Each Compiler has its own execute phase (execute-phase.ts: `phase`), which resolves refs as this
// Compiler does; the command's other execute-phase renders (hooks, a materialization written in
// Jinja, run-operation's macro) go through it too. What the relations it names are is
// input-relations.ts's, a generic test's compile generic-test-compile.ts's, a unit test's
// unit-test-compile.ts's, the CTEs' layout cte-injection.ts's.
import type { Connection, SqlBuilders } from '../adapters/adapter.js';
import type { WarehouseRenders } from '../jinja/dbt/render-replay.js';
import type { Relation } from '../adapters/relation.js';
import { sourceRelation } from '../adapters/source-relation.js';
import { asTsdbtError, TsdbtError } from '../errors/tsdbt-error.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import { callMacro, RenderSuspended } from '../jinja/engine/index.js';
import { renderNative } from './test-arguments.js';
import { GenericTestShapes } from './generic-test-shapes.js';
import type { RenderSession } from './render-session.js';
import type { ExecutePhase } from './execute-phase.js';
import type { Manifest, ManifestNode, RefCall } from '../manifest/types.js';
import { dropShadowedAliases } from './empty-inputs.js';
import { dbtRenderedText, readStripped } from './rendered-text.js';
import type { EventTimeWindow } from './event-time-filter.js';
import type { CompiledNode, CompileOptions, RefResolution, RenderedNode, SpeculativeCompile } from './compile-types.js';
import { InputRelations, type Deferral } from './input-relations.js';
import { ephemeralAncestors, ephemeralIds, extraCtesOf, injectCtes } from './cte-injection.js';
import { compileGenericTest, recordWhereSubquery } from './generic-test-compile.js';
import { UnitTestCompile, type UnitTestInputRelation } from './unit-test-compile.js';
import { UnpinnedRefCheck } from './unpinned-ref.js';

export type { CompiledNode, CompileOptions, RefResolution, SpeculativeCompile } from './compile-types.js';

export class Compiler {
  /** This Compiler's execute phase: every execute-phase render of its command goes through it. */
  readonly phase: ExecutePhase;
  private readonly manifest: Manifest;
  private readonly ephemeralCache = new Map<string, CompiledNode>();
  /** dbt's not_null and unique tests, rendered once per shape (generic-test-shapes.ts). */
  private readonly testShapes: GenericTestShapes;
  private readonly inputs: InputRelations;
  private readonly unitTests: UnitTestCompile;
  private injectEphemerals = true;
  private projectViews: ReadonlySet<string> | undefined;
  /** The manifest's ephemeral nodes, found at the first render (the parse set every node's materialized; a command adds none). */
  private ephemeral: Set<string> | undefined;

  /** Set when the command is connected: renders may then reach the warehouse (run_query...). */
  private readonly renders: WarehouseRenders | null;

  constructor(session: RenderSession, manifest: Manifest, refs: RefResolution, dialect: SqlBuilders, renders: WarehouseRenders | null = null) {
    this.renders = renders;
    this.manifest = manifest;
    // A node's relation (ref, `this`, a deferred ref) takes the project's `quoting:`; a source's does not.
    const inputs = (this.inputs = new InputRelations(dialect, session.services.relation));
    const unitTests = (this.unitTests = new UnitTestCompile(manifest, refs, inputs, dialect, () => this.phase));
    this.testShapes = new GenericTestShapes(session.scope);
    const unpinnedRefs = new UnpinnedRefCheck(manifest);
    this.phase = session.executePhase({
      resolveRef: (call: RefCall, from: ManifestNode) => {
        const parent = refs.resolveRef(call, from);
        const unpinned = unpinnedRefs.message(call, from, parent);
        if (unpinned) session.services.log(unpinned, 'info', 'UnpinnedRefNewVersionAvailable', from.unique_id);
        const fixture = unitTests.fixture(parent.unique_id);
        if (fixture) return fixture;
        if (unitTests.rendering) throw unitTests.missingInput(`node named '${call.name}' ${call.version != null ? `with version '${String(call.version)}' ` : ''}`, `ref('${call.name}')`);
        return inputs.input(inputs.refRelationOf(parent), parent.config.event_time);
      },
      resolveSource: (s: string, t: string, from: ManifestNode) => {
        const src = refs.resolveSource(s, t, from);
        const fixture = unitTests.fixture(src.unique_id);
        if (fixture) return fixture;
        if (unitTests.rendering) throw unitTests.missingInput(`source named '${s}.${t}' `, `source('${s}', '${t}')`);
        const relation = sourceRelation(src, dialect);
        return inputs.input(relation, (src.config as { event_time?: unknown }).event_time ?? (src.meta as { event_time?: unknown }).event_time);
      },
      // A function is no input to limit or filter: its relation, as --defer gives it.
      resolveFunction: (call: string[], from: ManifestNode) => {
        if (!refs.resolveFunction) throw new TsdbtError('function() cannot be resolved here', { code: 'function-not-found' });
        // dbt's function() ignores the project's `quoting:`, as a source() does (SourceQuotingBaseConfig).
        return inputs.functionOf(refs.resolveFunction(call, from));
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
        thisRelation: options.thisRelation === undefined ? this.inputs.thisOf(node) : options.thisRelation,
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

  /** Makes models and snapshots this Compiler renders read inputs that have an event_time only within `window`, as `--sample` asks. */
  sampleInputs(window: EventTimeWindow): void {
    this.inputs.sample = window;
  }

  /** Makes every ref and source this Compiler renders read no rows, as `--empty` asks. */
  readNoRows(): void {
    this.inputs.emptyInputs = true;
  }

  /** `compile --no-inject-ephemeral-ctes`: ephemeral inputs are not prepended as CTEs (their `__dbt__cte__` names stay unresolved). */
  leaveEphemeralCtesOut(): void {
    this.injectEphemerals = false;
  }

  /** Makes refs (in models, tests and hooks alike) defer to the state's relations, as `--defer` asks. */
  deferTo(deferral: Deferral): void {
    this.inputs.deferral = deferral;
  }

  /** The relation a node builds; ephemeral nodes are CTE names. */
  relationOf(node: ManifestNode): Relation {
    return this.inputs.relationOf(node);
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
    if (node.test_metadata) recordWhereSubquery(this.phase, node);
    recordCompiled(node, sql, ctes);
    if (node.resource_type === 'model') this.compileForeignKeys(node);
    return { sql, ephemerals };
  }

  /**
   * Compiles an on-run-start / on-run-end hook's node as dbt's RunTask.get_hook_sql does
   * (Compiler.compile_node): its SQL rendered with the hook's `extra` context (on-run-end's
   * `results`, `schemas`...), the CTEs of the ephemeral models it refs put in front, recorded on the
   * node as its compiled code. Returns that code.
   */
  compileHook(node: ManifestNode, extra: Record<string, unknown>): string {
    const body = this.phase.render(node, { refs: [], sources: [], configCalls: [], extra }, node.raw_code).sql;
    const ctes = this.ephemeralCtes(node);
    const sql = injectCtes(body, ctes);
    recordCompiled(node, sql, ctes);
    return sql;
  }

  /** The node's compiled SQL with its ephemeral CTEs, changing nothing of the node. */
  private renderCompiled(node: ManifestNode, options: CompileOptions): RenderedNode {
    this.inputs.window = this.inputs.windowFor(node, options.eventTimeWindow);
    let body: string;
    try {
      body = node.test_metadata ? compileGenericTest(this.phase, this.testShapes, node) : this.renderExecute(node, options);
    } finally {
      this.inputs.window = null;
    }
    const ephemerals = ephemeralAncestors(this.manifest, node, (this.ephemeral ??= ephemeralIds(this.manifest)));
    const ctes = this.ephemeralCtes(node, ephemerals);
    return { sql: injectCtes(body, ctes), ephemerals, ctes };
  }

  /** The CTEs of the ephemeral models `node` reads (`ephemerals`: their ids, parents first), none under --no-inject-ephemeral-ctes. */
  private ephemeralCtes(node: ManifestNode, ephemerals = ephemeralAncestors(this.manifest, node, (this.ephemeral ??= ephemeralIds(this.manifest)))): { id: string; name: string; sql: string }[] {
    if (!this.injectEphemerals) return [];
    return ephemerals.map((id) => {
      const eph = this.manifest.nodes[id] as ManifestNode;
      return { id, name: `__dbt__cte__${eph.alias}`, sql: this.compiledEphemeral(eph) };
    });
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
      thisRelation: options.thisRelation === undefined ? this.inputs.thisOf(node) : options.thisRelation,
      // Undecided (compile, show, docs): the render asks the warehouse, as dbt's is_incremental() does.
      ...(options.incremental === undefined ? {} : { incremental: options.incremental }),
    });
    // Python (a function's body) keeps its indentation and line ends as rendered, as dbt's does.
    if (node.language === 'python') return sql;
    // dbt's text, whitespace and all (rendered-text.ts): what compiled_code and target/ files hold.
    const text = dbtRenderedText(node.raw_code, sql, node.line, readStripped(node));
    return this.inputs.emptyInputs || this.inputs.window ? dropShadowedAliases(text) : text;
  }

  private compiledEphemeral(node: ManifestNode): string {
    try {
      if (this.inputs.window) return this.renderExecute(node, {}); // filtered per batch: never cached
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

  /** The model a unit test tests. */
  unitTestModel(node: ManifestNode): ManifestNode {
    return this.unitTests.model(node);
  }

  /**
   * Each `given` input of a unit test with the relation it replaces (null for an ephemeral parent,
   * which has none) and the CTE name its fixture gets.
   */
  unitTestInputs(node: ManifestNode): UnitTestInputRelation[] {
    return this.unitTests.inputsOf(node);
  }

  /**
   * A unit test's model SQL: its inputs read fixture CTEs (`fixtureSql`, in `given` order), with
   * the test's var / env var / macro overrides; `is_incremental()` is false unless overridden.
   */
  compileUnitTest(node: ManifestNode, fixtureSql: string[], options: { incremental?: boolean } = {}): string {
    return this.unitTests.compile(node, fixtureSql, options);
  }

  /** A `format: sql` fixture of a unit test, rendered in the test's context with its overrides. */
  renderUnitTestSql(node: ManifestNode, sql: string): string {
    return this.unitTests.renderSql(node, sql);
  }

  /**
   * Renders `ref('x')` / `source('s', 't')` (with or without braces) in the node's context: the
   * relation it names (under `--defer` the state's where dbt defers; never `--empty`'s subquery).
   */
  renderExpression(node: ManifestNode, value: string): string {
    const expression = value.replace(/^\s*\{\{|\}\}\s*$/g, '');
    this.inputs.namingRelation = true;
    try {
      return String(renderNative(this.phase, node, `{{ ${expression} }}`, { refs: [], sources: [], configCalls: [] })).trim();
    } finally {
      this.inputs.namingRelation = false;
    }
  }

  /**
   * The `schema.alias` of each materialized_view model of the project (a materialization reads it
   * where dbt's reads `graph.nodes`: dbt-clickhouse's table, clickhouse__get_dbt_mvs_for_target,
   * counts the warehouse's views writing into it that a model of that schema and alias defines,
   * whatever table the model now names). Made once, at the first call.
   */
  materializedViews(): ReadonlySet<string> {
    this.projectViews ??= materializedViewModels(Object.values(this.manifest.nodes));
    return this.projectViews;
  }

  /** A compiled model's foreign keys: each `to:` with the relation it names, which manifest.json writes as dbt's compile does. */
  private compileForeignKeys(node: ManifestNode): void {
    if (!hasConstraints(node)) return;
    const constraints = [...(node.constraints ?? []), ...Object.values(node.columns).flatMap((c) => c.constraints ?? [])];
    const targets = constraints.flatMap((c) => (c.type === 'foreign_key' && typeof c.to === 'string' && c.to !== '' ? [c.to] : []));
    if (targets.length === 0) return;
    node.compiled_foreign_keys = Object.fromEntries(targets.map((to) => [to, this.renderExpression(node, to)]));
  }
}

const NO_VIEWS: ReadonlySet<string> = new Set();

/** Whether the node or one of its columns has a constraint (most have none: checked without making arrays). */
function hasConstraints(node: ManifestNode): boolean {
  if (node.constraints && node.constraints.length > 0) return true;
  for (const name in node.columns) if ((node.columns[name]?.constraints?.length ?? 0) > 0) return true;
  return false;
}

/** Each materialized_view model's `schema.alias`. */
function materializedViewModels(nodes: Iterable<ManifestNode>): ReadonlySet<string> {
  const views = new Set<string>();
  for (const n of nodes) if (n.resource_type === 'model' && n.config.materialized === 'materialized_view') views.add(`${n.schema}.${n.alias}`);
  return views.size === 0 ? NO_VIEWS : views;
}

/** Records a node's compiled code and the ephemeral CTEs put in front of it (COMPILED_FIELDS). */
function recordCompiled(node: ManifestNode, sql: string, ctes: Parameters<typeof extraCtesOf>[0]): void {
  node.compiled_code = sql;
  node.compiled = true;
  node.extra_ctes = extraCtesOf(ctes);
}
