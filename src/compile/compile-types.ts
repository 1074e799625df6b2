// The shapes a Compiler (compiler.ts) takes and gives: how a node is compiled, what comes out,
// a render made ahead of its turn, and how refs and sources are resolved.
import type { Relation } from '../adapters/relation.js';
import type { ManifestNode, RefCall, SourceTable } from '../manifest/types.js';
import type { EventTimeWindow } from './event-time-filter.js';

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
export interface RenderedNode extends CompiledNode {
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

/** What compiling a node sets on it (Compiler.compile and compileHook; compiled_foreign_keys for models). */
export const COMPILED_FIELDS = ['compiled', 'compiled_code', 'extra_ctes', 'compiled_foreign_keys'] as const;
