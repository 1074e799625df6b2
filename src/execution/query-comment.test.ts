// target/run holds a node's statements as its materialization wrote them: dbt's `statement` macro
// writes the file (`write(compiled_code)`) before adapter.execute puts the query comment on it.
import { describe, expect, it } from 'vitest';
import { QueryComments } from './query-comment.js';

const comments = (append: boolean) => new QueryComments({ comment: '{"app": "dbt", "node_id": "{{ node.unique_id }}"}', append } as never, (_t, nodeId) => `{"app": "dbt", "node_id": "${nodeId ?? ''}"}`);

describe('QueryComments.strip', () => {
  it('takes off the comment add put before the statement', () => {
    const c = comments(false);
    const sent = c.add('create table t as (select 1)', 'model.p.m');
    expect(sent).toBe('/* {"app": "dbt", "node_id": "model.p.m"} */\ncreate table t as (select 1)');
    expect(c.strip(sent, 'model.p.m')).toBe('create table t as (select 1)');
  });

  it('takes off an appended comment, before a final semicolon too', () => {
    const c = comments(true);
    expect(c.strip(c.add('select 1;', 'model.p.m'), 'model.p.m')).toBe('select 1;');
    expect(c.strip(c.add('select 1', 'model.p.m'), 'model.p.m')).toBe('select 1');
  });

  it("leaves a statement without the node's comment as it is", () => {
    const c = comments(false);
    c.add('select 1', 'model.p.m');
    expect(c.strip('/* mine */\nselect 1', 'model.p.m')).toBe('/* mine */\nselect 1');
  });
});
