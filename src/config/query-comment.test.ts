// query-comment settings as dbt reads them, and where the comment goes on a statement.
import { describe, expect, it } from 'vitest';
import { withQueryComment } from '../execution/query-comment.js';
import { DEFAULT_QUERY_COMMENT, queryCommentSettings } from './query-comment.js';
import type { ProjectConfig } from './types.js';

const project = (queryComment: unknown) =>
  ({ queryComment, raw: queryComment === undefined ? {} : { 'query-comment': queryComment }, locate: () => ({ file: 'dbt_project.yml', line: 3 }) }) as unknown as ProjectConfig;

describe('query-comment settings', () => {
  it('defaults to the default comment; null and empty text turn it off', () => {
    expect(queryCommentSettings(project(undefined))).toMatchObject({ comment: DEFAULT_QUERY_COMMENT, append: false });
    expect(queryCommentSettings(project(null)).comment).toBe('');
    expect(queryCommentSettings(project('')).comment).toBe('');
  });

  it('reads a string, or a mapping with comment / append / job-label', () => {
    expect(queryCommentSettings(project('run by {{ target.name }}'))).toMatchObject({ comment: 'run by {{ target.name }}', append: false });
    expect(queryCommentSettings(project({ append: true }))).toMatchObject({ comment: DEFAULT_QUERY_COMMENT, append: true });
    expect(queryCommentSettings(project({ comment: 'x', append: true, 'job-label': true }))).toMatchObject({ comment: 'x', append: true });
    expect(queryCommentSettings(project({ comment: null })).comment).toBe('');
  });

  it('rejects other shapes at the line of query-comment', () => {
    expect(() => queryCommentSettings(project([1]))).toThrow(/must be text, a mapping/);
    expect(() => queryCommentSettings(project({ comment: 'x', apend: true }))).toThrow(/unknown key 'apend'/);
    expect(() => queryCommentSettings(project({ append: 'yes' }))).toThrow(/append` must be true or false/);
  });
});

describe('withQueryComment', () => {
  it("puts the comment first, or last before a final ';' (dbt's _QueryComment.add)", () => {
    expect(withQueryComment('select 1', ' hi ', false)).toBe('/* hi */\nselect 1');
    expect(withQueryComment('select 1;  \n', 'hi', true)).toBe('select 1\n/* hi */;');
    expect(withQueryComment('select 1\n', 'hi', true)).toBe('select 1\n/* hi */');
    expect(withQueryComment('select 1', '  ', false)).toBe('select 1');
  });
});
