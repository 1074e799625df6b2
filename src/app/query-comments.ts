// The query comments of a run (execution/query-comment.ts), rendered with the loaded project: a
// node's comment in that node's context (its package's macros, `target`, `var`, `env_var`) with
// `node` set; the comment of statements for no node in the root project's context, `node` none.
import { queryCommentSettings } from '../config/query-comment.js';
import { DBT_VERSION, tsdbtVersion } from '../artifacts/metadata.js';
import { QueryComments } from '../execution/query-comment.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { ManifestNode } from '../graph/types.js';
import type { LoadedProject } from './project-loader.js';

export function queryComments(project: LoadedProject): QueryComments {
  const settings = queryCommentSettings(project.config);
  let connection: ManifestNode | null = null;
  const connectionNode = (): ManifestNode => {
    connection ??= Object.assign(
      nodeSkeleton({
        resourceType: 'operation',
        packageName: project.config.name,
        name: 'query_comment',
        originalFilePath: project.config.file ?? 'dbt_project.yml',
        pathInResourceDir: 'query_comment.sql',
        rawCode: '',
        config: defaultConfig('operation'),
      }),
      { schema: project.target.schema, database: project.target.database ?? null },
    );
    return connection;
  };
  return new QueryComments(settings, (template, nodeId, connectionName) => {
    const node = nodeId ? project.parsed.manifest.nodes[nodeId] : undefined;
    const extra = { node: node ?? null, connection_name: connectionName, dbt_version: DBT_VERSION, tsdbt_version: tsdbtVersion() };
    // One path for every node: the template is the same text, compiled once for the run.
    const path = settings.location.file;
    return project.session.render(node ?? connectionNode(), { phase: 'execute', refs: [], sources: [], configCalls: [], extra }, template, path).sql.trim();
  });
}
