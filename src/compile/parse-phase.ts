// The parse-phase renders graph/'s parsers ask for beside a node's own SQL (which is parseCalls):
// an expression's ref and source calls (a unit test's input, a contract foreign key's `to`), a
// naming macro called for a node, and the `{% snapshot %}` blocks of a file. graph/ decides what
// to parse and keeps what it records; the rendering is here (ARCHITECTURE.md, "Rendering").
import type { MacroInfo } from '../jinja/engine/index.js';
import type { NodeRenderState } from '../jinja/dbt/node-context.js';
import type { ManifestNode } from '../manifest/types.js';
import type { ParseSession } from './parse-session.js';

/** The ref and source calls the parse render of `{{ expression }}` records for `node`. */
export function expressionCalls(session: ParseSession, node: ManifestNode, expression: string): Pick<NodeRenderState, 'refs' | 'sources'> {
  const { state } = session.render(node, { phase: 'parse', refs: [], sources: [], configCalls: [] }, `{{ ${expression} }}`);
  return state;
}

/** Calls the macro `name` as `node`'s templates see it at parse time; its output, trimmed. */
export function callParseMacro(session: ParseSession, node: ManifestNode, name: string, args: unknown[]): string {
  const context = session.contextFor(node);
  const fn = context[name] as (...a: unknown[]) => unknown;
  return String(fn(...args)).trim();
}

/** The `{% snapshot name %} ... {% endsnapshot %}` blocks of a file (throws on a syntax error). */
export function snapshotBlocks(session: ParseSession, file: { path: string; content?: string }): MacroInfo[] {
  return session.jinja.scanBlocks({ path: file.path, source: file.content ?? '' }).filter((b) => b.kind === 'snapshot');
}
