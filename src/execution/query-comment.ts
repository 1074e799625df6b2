// dbt's query comments (dbt-adapters' MacroQueryStringSetter and _QueryComment): the
// `query-comment` template renders once per node, as a macro `query_comment_macro(connection_name,
// node)` with the project's macros, `target`, `var`, `env_var` and `dbt_version`, and goes on every
// statement run for that node: `/* comment */` before it, or after it with `append: true`.
// Statements for no node (schema creation, project hooks) get the comment with `node` none and the
// connection's name.
import type { QueryCommenter } from '../adapters/adapter.js';
import { DEFAULT_QUERY_COMMENT, type QueryCommentSettings } from '../config/query-comment.js';
import { TsdbtError } from '../errors/tsdbt-error.js';

/** Renders the comment template for a node (undefined: none) and the connection's name. */
export type QueryCommentRenderer = (template: string, nodeId: string | undefined, connectionName: string) => string;

/** What dbt names a statement's connection when no node runs it. */
const DEFAULT_CONNECTION = 'master';

/** dbt's _QueryComment.add: the comment before the statement, or after it (before a final `;`). */
export function withQueryComment(sql: string, comment: string, append: boolean): string {
  const text = comment.trim();
  if (!text) return sql;
  if (!append) return `/* ${text} */\n${sql}`;
  const body = sql.trimEnd();
  return body.endsWith(';') ? `${body.slice(0, -1)}\n/* ${text} */;` : `${body}\n/* ${text} */`;
}

export class QueryComments implements QueryCommenter {
  private readonly rendered = new Map<string, string>();

  constructor(
    private readonly settings: QueryCommentSettings,
    private readonly render: QueryCommentRenderer,
  ) {}

  /**
   * Renders, ahead of the first statements, the comments of statements for no node and for
   * `nodeIds`, so that the run renders them while it waits on the warehouse (opening the connection)
   * rather than just before its first statements. Only dbt's default comment, which reads nothing
   * that changes during the run and logs nothing; a comment that fails to render fails later, where
   * it is used, as before.
   */
  prepare(nodeIds: string[]): void {
    if (this.settings.comment !== DEFAULT_QUERY_COMMENT) return;
    for (const nodeId of [undefined, ...nodeIds]) {
      try {
        this.commentFor(nodeId);
      } catch {
        // Reported where the statement needs it.
      }
    }
  }

  add(sql: string, nodeId: string | undefined): string {
    if (!this.settings.comment) return sql;
    return withQueryComment(sql, this.commentFor(nodeId), this.settings.append);
  }

  /**
   * The statement as the node's materialization wrote it, without the comment `add` put on it:
   * dbt writes target/run before its connection adds the comment (the `statement` macro's
   * `write(compiled_code)`, then adapter.execute).
   */
  strip(sql: string, nodeId: string | undefined): string {
    const comment = this.settings.comment ? this.rendered.get(nodeId ?? '')?.trim() : undefined;
    if (!comment) return sql;
    const marked = `/* ${comment} */`;
    if (!this.settings.append) return sql.startsWith(`${marked}\n`) ? sql.slice(marked.length + 1) : sql;
    if (sql.endsWith(`\n${marked};`)) return `${sql.slice(0, -(marked.length + 2))};`;
    return sql.endsWith(`\n${marked}`) ? sql.slice(0, -(marked.length + 1)) : sql;
  }

  /** The node's comment, rendered once (as dbt sets it once per node's connection). */
  private commentFor(nodeId: string | undefined): string {
    const key = nodeId ?? '';
    const hit = this.rendered.get(key);
    if (hit !== undefined) return hit;
    const macro = `{%- macro query_comment_macro(connection_name, node) -%}\n${this.settings.comment}\n{%- endmacro -%}\n{{ query_comment_macro(connection_name, node) }}`;
    let comment: string;
    try {
      comment = this.render(macro, nodeId, nodeId ?? DEFAULT_CONNECTION);
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      throw new TsdbtError(`the query comment did not render${nodeId ? ` for ${nodeId}` : ''}: ${reason}`, {
        code: 'query-comment-invalid',
        location: this.settings.location,
        hint: 'fix `query-comment` in dbt_project.yml, or set `query-comment: null` to send statements without a comment',
        cause: err,
      });
    }
    if (comment.includes('*/')) {
      throw new TsdbtError(`the query comment contains '*/', which would end the comment early: ${comment}`, {
        code: 'query-comment-invalid',
        location: this.settings.location,
        hint: 'remove */ from the comment',
      });
    }
    this.rendered.set(key, comment);
    return comment;
  }
}
