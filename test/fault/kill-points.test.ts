import { describe, expect, it } from 'vitest';
import { commits, type Statement } from './kill-points.js';

function statements(rows: [string, string][]): Statement[] {
  return rows.map(([node, text], i) => ({ index: i + 1, node, text, sentWithNext: false }));
}

describe('commits', () => {
  it('gives a relation the COMMIT of a transaction holding its statements, not that of the connection-only transaction after it', () => {
    const sequence = statements([
      ['connection', 'begin'],
      ['model.fault.stg_orders', 'create view "fault"."stg_orders__dbt_tmp" as (select 1)'],
      ['connection', 'commit'],
      // A describe of the next node's query in a transaction of its own, before that node's first statement.
      ['connection', 'begin'],
      ['connection', 'create temporary view "tsdbt_describe_1" as select 1'],
      ['connection', 'drop view if exists "tsdbt_describe_1"'],
      ['connection', 'commit'],
      ['connection', 'begin'],
      ['snapshot.fault.customers_snap', 'insert into "fault"."customers_snap" select 1'],
      ['connection', 'commit'],
    ]);
    expect(commits(sequence)).toEqual([
      { relation: 'stg_orders', index: 3 },
      { relation: 'customers_snap', index: 10 },
    ]);
  });

  it('takes a node statement that opens its own transaction (begin; create ...) as that node\'s', () => {
    const sequence = statements([
      ['model.fault.stg_orders', 'begin ; create or replace view "fault"."stg_orders" as (select 1)'],
      ['connection', 'commit'],
    ]);
    expect(commits(sequence)).toEqual([{ relation: 'stg_orders', index: 2 }]);
  });
});
