// An execute phase of a render session (ARCHITECTURE.md "Rendering"): renders that resolve `ref`
// and `source` to relations. Each Compiler makes its own (compiler.ts), with its refs resolved its
// way (--defer, unit-test fixtures, a microbatch window), and every execute-phase render of its
// command goes through it: the node's SQL, hooks, a materialization written in Jinja,
// run-operation's macro, generic test arguments. So two Compilers of one session (`compile`'s
// offline one, then its connected one) each resolve their own refs. The query comment has an
// execute phase of its own whose `ref` and `source` refuse (app/query-comments.ts): dbt's
// query-comment context has neither.
import type { NodeRenderState, TemplateServices } from '../jinja/dbt/node-context.js';
import type { ManifestNode } from '../manifest/types.js';
import type { NodeRenderer, RenderCore, RenderState } from './render-phase.js';

/** What `ref()` and `source()` render in an execute phase: the relation, as seen from `from`. */
export interface RefRelations {
  resolveRef: TemplateServices['resolveRef'];
  resolveSource: TemplateServices['resolveSource'];
  resolveFunction?: TemplateServices['resolveFunction'];
}

export class ExecutePhase implements NodeRenderer {
  readonly phase = 'execute' as const;
  /** The session's services, with this phase's ref and source resolution. */
  readonly services: TemplateServices;

  constructor(
    readonly session: RenderCore,
    relations: RefRelations,
  ) {
    // A copy whose two members are overwritten (the rest is the session's: its warehouse, graph and
    // clock are the run's); its shared context base is its own (node-context.ts caches one per services).
    this.services = { ...session.services, resolveRef: relations.resolveRef, resolveSource: relations.resolveSource, resolveFunction: relations.resolveFunction };
  }

  /** Renders a node's template with refs resolved, returning the SQL and the render state. */
  render(node: ManifestNode, state: RenderState, source?: string, path?: string): { sql: string; state: NodeRenderState } {
    return this.session.render(this, node, state, source, path);
  }

  /** An execute-phase context for calling macros from TypeScript on behalf of a node. */
  contextFor(node: ManifestNode, state: Partial<RenderState> = {}): Record<string, unknown> {
    return this.session.contextFor(this, node, state);
  }
}
