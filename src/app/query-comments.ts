// The query comments of a run (execution/query-comment.ts), rendered with the loaded project: a
// node's comment in that node's context (its package's macros, `target`, `var`, `env_var`) with
// `node` set; the comment of statements for no node in the root project's context, `node` none.
// The comment renders in an execute phase of its own whose `ref()` and `source()` refuse: dbt
// renders it in its query-header context (the project's macros and config, no node's refs).
import { DEFAULT_QUERY_COMMENT, queryCommentSettings } from '../config/query-comment.js';
import { DBT_VERSION, tsdbtVersion } from '../artifacts/metadata.js';
import type { RefRelations } from '../compile/execute-phase.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { QueryComments } from '../execution/query-comment.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { ManifestNode } from '../manifest/types.js';
import type { StatementEvent } from '../adapters/adapter.js';
import type { LoadedProject } from './project-loader.js';

/** The unique_id a node's default comment is rendered with once for its package (query-comments below). */
const STAND_IN_ID = 'tsdbt.query_comment.stand_in_node_id';

/**
 * dbt's query-comment context (QueryHeaderContext, a ManifestContext) has no `ref` or `source`:
 * a comment that calls them fails, as `'ref' is undefined` does in dbt.
 */
const NO_RELATIONS: RefRelations = {
  resolveRef: (call) => refused(`ref('${call.name}')`),
  resolveSource: (sourceName, tableName) => refused(`source('${sourceName}', '${tableName}')`),
};

function refused(call: string): never {
  throw new TsdbtError(`${call} is not available in a query comment: dbt renders \`query-comment\` with the project's macros, target, var and env_var, not a node's refs or sources`, {
    code: 'query-comment-invalid',
    hint: "name the node through `node` instead (node.unique_id, node.name, node.schema)",
  });
}

export function queryComments(project: LoadedProject): QueryComments {
  const settings = queryCommentSettings(project.config);
  const phase = project.session.executePhase(NO_RELATIONS);
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
  const render = (template: string, node: ManifestNode | undefined, connectionName: string): string => {
    const extra = { node: node ?? null, connection_name: connectionName, dbt_version: DBT_VERSION, tsdbt_version: tsdbtVersion() };
    // One path for every node: the template is the same text, compiled once for the run.
    const path = settings.location.file;
    return phase.render(node ?? connectionNode(), { refs: [], sources: [], configCalls: [], extra }, template, path).sql.trim();
  };
  // The default comment reads nothing of a node but its unique_id: rendered once per package with
  // a stand-in id, each node's comment is that text with its own id (JSON-encoded as `tojson`
  // encodes it). Not where a project replaces `tojson`, or where the stand-in is not found once.
  const shared = new Map<string, string | null>();
  const sharedFor = (template: string, node: ManifestNode): string | null => {
    let text = shared.get(node.package_name);
    if (text === undefined) {
      text = null;
      if (project.session.scope.overrideOf(node.package_name, 'tojson') === null) {
        const rendered = render(template, { ...node, unique_id: STAND_IN_ID }, node.unique_id);
        if (rendered.split(JSON.stringify(STAND_IN_ID)).length === 2) text = rendered;
      }
      shared.set(node.package_name, text);
    }
    return text;
  };
  return new QueryComments(settings, (template, nodeId, connectionName) => {
    const node = nodeId ? project.parsed.manifest.nodes[nodeId] : undefined;
    const text = node && settings.comment === DEFAULT_QUERY_COMMENT ? sharedFor(template, node) : null;
    if (node && text !== null) return text.replace(JSON.stringify(STAND_IN_ID), () => JSON.stringify(node.unique_id));
    return render(template, node, connectionName);
  });
}

/**
 * A node's statements for its target/run file: without the query comment, as dbt writes them
 * before adding it (dbt.log keeps them as sent). For NodeExecutor's `statementsFor`.
 */
export function runFileStatements(statements: Map<string, StatementEvent[]>, comments: QueryComments | null): (id: string) => StatementEvent[] {
  return (id) => (statements.get(id) ?? []).map((e) => (comments ? Object.assign({}, e, { sql: comments.strip(e.sql, id) }) : e));
}
