// `--inline "select ... {{ ref('m') }}"`: the query as a node of the root project, as dbt's
// `inline_query` SQL operation: parsed (ref / source / config calls recorded), its refs linked into
// depends_on (so ephemeral parents become CTEs), named in the target's schema. Never added to the
// manifest.
import { dialectFor } from '../adapters/index.js';
import { parseSqlNode } from '../graph/parse-sql-nodes.js';
import type { ManifestNode } from '../manifest/types.js';
import { TsdbtErrorList, isTsdbtError } from '../errors/tsdbt-error.js';
import type { LoadedProject } from './project-loader.js';

/** What errors in the inline query are located at. */
export const INLINE_FILE = '--inline';

/**
 * The inline query as a node. A mistake in it (a syntax error, a ref to a node the project has not)
 * reads `Error parsing inline query: ...`, as dbt reports it.
 */
export function inlineQueryNode(project: LoadedProject, sql: string): ManifestNode {
  try {
    return parseInline(project, sql);
  } catch (err) {
    const errors = err instanceof TsdbtErrorList ? err.errors : isTsdbtError(err) ? [err] : [];
    for (const e of errors) if (e.category === 'user') e.message = `Error parsing inline query: ${e.message}`;
    throw err;
  }
}

function parseInline(project: LoadedProject, sql: string): ManifestNode {
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
