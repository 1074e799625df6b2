// What a node render is given and records: the invocation's services (TemplateServices), the render's
// phase, and the state of one render of one node (NodeRenderState). Types only, kept out of
// node-context.ts so the context's parts (config-object.ts, warehouse-calls.ts) name them without
// importing the context that assembles them from those parts; node-context.ts re-exports them.
import type { ColumnTypeRules, SqlBuilders } from '../../adapters/adapter.js';
import type { Relation, RelationParts } from '../../adapters/relation.js';
import type { ManifestNode, RefCall } from '../../manifest/types.js';

export type RenderPhase = 'parse' | 'execute';

/** Invocation-wide services templates reach (passed in; no globals — DESIGN.md rule 3). */
export interface TemplateServices {
  projectName: string;
  /** What templates see as `target` (name, schema, type, threads, database, profile_name...). */
  targetContext: Record<string, unknown>;
  env: NodeJS.ProcessEnv;
  varsFor(packageName: string): Record<string, unknown>;
  invocationId: string;
  runStartedAt: Date;
  now: () => Date;
  flags: Record<string, unknown>;
  /** Builds a relation with the target dialect's quoting and the project's `quoting:` over it. */
  relation: (parts: RelationParts) => Relation;
  /**
   * The target's SQL builders: the global project's DDL macros (`default__create_table_as`, ...)
   * are thin wrappers over them, so a template and a built-in materialization send the same SQL.
   */
  sqlBuilders?: SqlBuilders;
  quoteIdentifier: (name: string) => string;
  /** The dialect's name for a bare identifier, or null when `name` cannot be written bare (RelationDialect). */
  bareIdentifierName(name: string): string | null;
  /** The prototype giving contexts of a package their macros (macro-scope.ts), over `base`. */
  macroPrototype(packageName: string, base: object): object;
  dispatch(context: Record<string, unknown>, macroName: string, macroNamespace: string | null, packageName: string): unknown;
  /** The project's or a package's macro that dbt's `adapter.<name>()` runs instead of dbt's own (macro-scope.ts), or null. */
  adapterExecutedMacro?(context: Record<string, unknown>, packageName: string, name: string): ((...args: unknown[]) => unknown) | null;
  /** A line for the log; `event` names a warning's dbt event (default JinjaLogWarning); `nodeId`: the node whose render wrote it, when known. */
  log: (message: string, level: 'info' | 'debug' | 'debugOrError' | 'warn' | 'print', event?: string, nodeId?: string) => void;
  /** Execute phase: the relation `ref(...)` points at, as seen from `from`. */
  resolveRef(call: RefCall, from: ManifestNode): Relation;
  resolveSource(sourceName: string, tableName: string, from: ManifestNode): Relation;
  /** Execute phase: the relation of the user-defined function `function(...)` names (`[name]` or `[package, name]`). */
  resolveFunction?(call: string[], from: ManifestNode): Relation;
  /** The render's number in the invocation (RenderReplay.renderNumber; 0 without the warehouse). */
  renderNumber?: () => number;
  /** The name of the runner thread the render belongs to (`thread_id`, e.g. `Thread-2 (worker)`). */
  threadId?: () => string;
  /** The unique ids the command selected (`selected_resources`). */
  selectedResources?: () => string[];
  /** dbt's `invocation_args_dict`. */
  invocationArgs?: () => Record<string, unknown>;
  /** Execute phase: dbt's `graph` (the manifest's flat graph), built on first use. */
  graph?: () => unknown;
  /**
   * Names of context members a project or package macro replaces for a package's nodes
   * (dbt: a macro named `ref` or `source` in the project replaces the builtin; `builtins.ref` keeps it).
   */
  overriddenBuiltins?: (packageName: string) => ReadonlySet<string>;
  /**
   * Warehouse access from templates (warehouse-calls.ts): members merged into
   * `adapter` and top-level functions (`store_result`, `load_result`), per phase.
   */
  warehouse?: (phase: RenderPhase) => { adapter: Record<string, unknown>; context: Record<string, unknown> };
  /** Renders template text in a context (a var whose value is a template renders in its caller's context). */
  renderText?: (source: string, context: Record<string, unknown>, path: string) => string;
  /** The dialect's `api.Column` type families (the adapter's `rules.columnTypes`); dbt's base Column when absent. */
  columnTypes?: ColumnTypeRules;
  /** dbt's RuntimeConfig as `ref.config` gives it (runtime-config.ts). */
  runtimeConfig?: Record<string, unknown>;
}

/** What one render of one node records (parse) and knows (execute). */
export interface NodeRenderState {
  node: ManifestNode;
  phase: RenderPhase;
  refs: RefCall[];
  sources: [string, string][];
  /** `function(...)` calls (dbt 1.11 UDFs), recorded while parsing. */
  functions?: string[][];
  /** `metric(...)` calls, recorded while parsing: each [name] or [package, name]. */
  metrics?: string[][];
  /** `config(...)` calls in the file, in order. */
  configCalls: Record<string, unknown>[];
  /** Execute phase: the relation being built (`this`). */
  thisRelation?: Relation | null;
  /** Execute phase: whether `is_incremental()` is true. */
  incremental?: boolean;
  /** Extra variables (materialization `sql`, test kwargs...). */
  extra?: Record<string, unknown>;
  /**
   * Parse phase: a missing var() fails as at execution (dbt's naming macros, generate_schema_name
   * and friends, render with a strict var while parsing); other parse renders read it as None.
   */
  strictVars?: boolean;
  /** Unit tests: vars, env vars and macros replaced for this render. */
  overrides?: { vars?: Record<string, unknown>; env_vars?: Record<string, string>; macros?: Record<string, unknown> };
}
