// What the two render phases share, as types (ARCHITECTURE.md "Rendering"): the render session
// (render-session.ts) holds the template environment, the macro library and the services; the
// parse phase (parse-phase.ts, one per session) and each execute phase (execute-phase.ts, one per
// Compiler, with its own ref resolution) render nodes through it. Types only, so the phases name
// their session without importing the module that makes them.
import type { JinjaEnvironment, MacroLibrary } from '../jinja/engine/index.js';
import type { MacroScope } from '../jinja/dbt/macro-scope.js';
import type { NodeRenderState, RenderPhase, TemplateServices } from '../jinja/dbt/node-context.js';
import type { MacroNode, ManifestNode } from '../manifest/types.js';

/** What a render is given beside its node: the phase object it goes through says which phase. */
export type RenderState = Omit<NodeRenderState, 'node' | 'phase'>;

/** One phase as a render needs it: its name and the services its templates see. */
export interface PhaseServices {
  readonly phase: RenderPhase;
  /** The session's services; an execute phase's resolve `ref` and `source` its own way. */
  readonly services: TemplateServices;
}

/** What a phase uses of its render session (RenderSession). */
export interface RenderCore {
  readonly jinja: JinjaEnvironment;
  readonly library: MacroLibrary;
  readonly scope: MacroScope;
  readonly services: TemplateServices;
  /** Every macro found, as manifest entries. */
  readonly macros: Record<string, MacroNode>;
  /** The packages' names (the root project's included). */
  readonly packages: readonly string[];
  /** The adapter's dispatch prefixes, most specific first, ending in `default`. */
  readonly dispatchPrefixes: string[];
  /** Renders a node's template in a phase, returning the SQL and the render state. */
  render(phase: PhaseServices, node: ManifestNode, state: RenderState, source?: string, path?: string): { sql: string; state: NodeRenderState };
  /** A context for calling macros from TypeScript on behalf of a node, in a phase. */
  contextFor(phase: PhaseServices, node: ManifestNode, state?: Partial<RenderState>): Record<string, unknown>;
  /** Tells a slow parse's progress line what it is doing now. */
  progress(status: string | (() => string)): void;
}

/** The renders of one phase (the parse phase, or a Compiler's execute phase). */
export interface NodeRenderer extends PhaseServices {
  readonly session: RenderCore;
  /**
   * Renders a node's template, returning the SQL and the render state. `path` names the template
   * in error messages and keys its compiled code: text shared by many nodes (the query comment)
   * passes one path so it compiles once.
   */
  render(node: ManifestNode, state: RenderState, source?: string, path?: string): { sql: string; state: NodeRenderState };
  /** A context for calling macros from TypeScript on behalf of a node. */
  contextFor(node: ManifestNode, state?: Partial<RenderState>): Record<string, unknown>;
}
