import { describe, expect, it } from 'vitest';
import type { Adapter, Connection } from '../adapters/adapter.js';
import type { ManifestNode } from '../manifest/types.js';
import { DbtLeftovers } from './dbt-leftovers.js';

const node = { resource_type: 'model', unique_id: 'model.p.orders', alias: 'orders', database: 'db', schema: 's', config: { materialized: 'table' } } as unknown as ManifestNode;

function fakes(failFirst: boolean) {
  const sent: string[] = [];
  let calls = 0;
  const adapter = {
    knownRelations: () => new Map([['orders__dbt_tmp', { type: 'table' }]]),
    relation: (r: { identifier: string }) => r,
    sql: { dropRelation: (r: { identifier: string }) => `drop table ${r.identifier}` },
  } as unknown as Adapter;
  const conn = {
    execute: (sql: string) => {
      calls++;
      sent.push(sql);
      return calls === 1 && failFirst ? Promise.reject(new Error('lock timeout')) : Promise.resolve({ rows: [] });
    },
  } as unknown as Connection;
  return { adapter, conn, sent };
}

describe('DbtLeftovers', () => {
  it("drops dbt's __dbt_tmp leftover once", async () => {
    const { adapter, conn, sent } = fakes(false);
    const leftovers = new DbtLeftovers(adapter);
    await leftovers.dropFor(conn, node);
    await leftovers.dropFor(conn, node);
    expect(sent).toEqual(['drop table orders__dbt_tmp']);
  });

  it('sends a drop that failed again the next time (marked dropped only after success)', async () => {
    const { adapter, conn, sent } = fakes(true);
    const leftovers = new DbtLeftovers(adapter);
    await expect(leftovers.dropFor(conn, node)).rejects.toThrow('lock timeout');
    await leftovers.dropFor(conn, node);
    expect(sent).toEqual(['drop table orders__dbt_tmp', 'drop table orders__dbt_tmp']);
  });
});
