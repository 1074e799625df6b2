// Which nodes take part in issue 18's pipelining (NodeExecutor.follow): a leader, whose last round
// trip decides its result, and a follower, which may be started before its turn because nothing it
// does before its first round trip shows (no log line, no warehouse question answered, no file).
import type { ManifestNode } from '../manifest/types.js';
import type { Materialization } from '../materializations/materialization.js';
import type { NodeMaterializations } from '../materializations/node-materialization.js';
import { materializeTable } from '../materializations/table.js';
import { materializeView } from '../materializations/view.js';

/** tsdbt's own view or table materialization: one transaction, its COMMIT the last round trip. */
const builtIn = (materialize: Materialization) => materialize === materializeView || materialize === materializeTable;

/**
 * A model whose last round trip (its build transaction's COMMIT) decides its result: nothing runs
 * after it that can fail it. A contracted one too: its contract check's describe transaction comes
 * first, and only the build's transaction is marked final (MaterializationContext.beforeFinalTransaction).
 */
export function leads(node: ManifestNode, materialize: Materialization): boolean {
  return node.resource_type === 'model' && builtIn(materialize) && !node.config.post_hook.some((hook) => !hook.transaction);
}

/**
 * A model whose work before its first round trip shows nothing: built by the built-in view or
 * table materialization (a project's own, written in Jinja, may log or ask), with no hooks (which
 * render, and may log, as they run). Its render must also have been made ahead (the caller checks).
 */
export function followable(node: ManifestNode, materializations: NodeMaterializations): boolean {
  if (node.resource_type !== 'model' || (node.config.materialized !== 'view' && node.config.materialized !== 'table')) return false;
  if (node.config.pre_hook.length > 0 || node.config.post_hook.length > 0) return false;
  try {
    return builtIn(materializations.for(node));
  } catch {
    return false;
  }
}
