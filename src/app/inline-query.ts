// `--inline "select ... {{ ref('m') }}"`: the query as a node of the root project, as dbt's
// `inline_query` SQL operation: parsed (ref / source / config calls recorded), its refs linked into
// depends_on (so ephemeral parents become CTEs), named in the target's schema. Never added to the
// manifest.
import { dialectFor } from '../adapters/index.js';
import { parseSqlNode } from '../graph/parse-sql-nodes.js';
import type { ManifestNode } from '../manifest/types.js';
import type { LoadedProject } from './project-loader.js';

/** What errors in the inline query are located at. */
export const INLINE_FILE = '--inline';

export function inlineQueryNode(project: LoadedProject, sql: string): ManifestNode {
  const { refs } = project.parsed;
  const node = parseSqlNode(project.session.parsePhase, project.config, {
    resourceType: 'analysis',
    path: INLINE_FILE,
    absPath: INLINE_FILE,
    content: sql,
    resourceDir: '',
    packageName: project.config.name,
    name: 'inline_query',
  }, undefined);
  project.session.parsePhase.throwIfErrors();
  if (!node) throw new Error('inline query did not parse'); // throwIfErrors reported why
  node.unique_id = `sql_operation.${project.config.name}.inline_query`;
  node.schema = String(project.target.schema);
  node.database = project.target.database ?? (dialectFor(project.target).defaultDatabase || null);
  const parents = new Set<string>();
  for (const call of node.refs) parents.add(refs.resolveRef(call, node).unique_id);
  for (const [s, t] of node.sources) parents.add(refs.resolveSource(s, t, node).unique_id);
  node.depends_on.nodes = [...parents];
  return node;
}
