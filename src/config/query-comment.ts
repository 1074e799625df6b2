// `query-comment:` in dbt_project.yml, read as dbt reads it (dbt-core's _query_comment_from_cfg
// and dbt-adapters' QueryComment): absent, the default comment; `null` or '' turn it off; a
// string is the comment template; a mapping gives `comment`, `append` (at the end of the
// statement instead of its start) and `job-label` (BigQuery only, accepted and ignored). The
// template stays unrendered here: it renders per node at run time, with macros and `node`.
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import type { ProjectConfig } from './types.js';
import { isPlainObject } from './yaml-file.js';

/**
 * dbt's default comment (dbt-adapters' DEFAULT_QUERY_COMMENT), with honest values: the same keys
 * (`app`, `dbt_version`, `profile_name`, `target_name`, `node_id` or `connection_name`), `app` is
 * tsdbt, `dbt_version` the dbt version whose behaviour tsdbt follows, plus `tsdbt_version`.
 */
export const DEFAULT_QUERY_COMMENT = `{%- set comment_dict = {} -%}
{%- do comment_dict.update(app='tsdbt', dbt_version=dbt_version, tsdbt_version=tsdbt_version, profile_name=target.get('profile_name'), target_name=target.get('target_name')) -%}
{%- if node is not none -%}
  {%- do comment_dict.update(node_id=node.unique_id) -%}
{%- else -%}
  {%- do comment_dict.update(connection_name=connection_name) -%}
{%- endif -%}
{{ return(tojson(comment_dict)) }}`;

export interface QueryCommentSettings {
  /** The comment template; '' when query comments are off. */
  comment: string;
  /** After the statement (before a final `;`) instead of before it. */
  append: boolean;
  /** Where `query-comment` is written, for errors while rendering it. */
  location: SourceLocation;
}

export function queryCommentSettings(config: ProjectConfig): QueryCommentSettings {
  const location = config.raw['query-comment'] === undefined ? { file: config.file ?? 'dbt_project.yml' } : config.locate(['query-comment']);
  const value = config.queryComment;
  if (value === undefined) return { comment: DEFAULT_QUERY_COMMENT, append: false, location };
  if (value === null || value === '' || value === false) return { comment: '', append: false, location };
  if (typeof value === 'string') return { comment: value, append: false, location };
  if (isPlainObject(value)) {
    const unknown = Object.keys(value).filter((k) => !['comment', 'append', 'job-label', 'job_label'].includes(k));
    if (unknown.length) throw invalid(`unknown key${unknown.length > 1 ? 's' : ''} ${unknown.map((k) => `'${k}'`).join(', ')} under query-comment`, location);
    const comment = 'comment' in value ? value.comment : DEFAULT_QUERY_COMMENT;
    if (comment !== null && comment !== undefined && typeof comment !== 'string') throw invalid('query-comment `comment` must be text (a template) or null', location);
    if (value.append !== undefined && value.append !== null && typeof value.append !== 'boolean') throw invalid('query-comment `append` must be true or false', location);
    return { comment: comment ?? '', append: value.append === true, location };
  }
  throw invalid('`query-comment` must be text, a mapping {comment, append} or null', location);
}

function invalid(message: string, location: SourceLocation): TsdbtError {
  return new TsdbtError(message, {
    code: 'project-invalid',
    location,
    hint: "for example: query-comment: {comment: \"{{ my_comment(node) }}\", append: true}, or query-comment: null to turn comments off",
  });
}
