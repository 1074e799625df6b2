// Pipelining's final round trip (NodeExecutor.follow): a contracted model's contract check runs
// its describe in a transaction of its own before the build; only the build's transaction, whose
// COMMIT is the node's last trip, may be marked final (beforeFinalTransaction), never the describe's.
import { describe, expect, it } from 'vitest';
import type { Adapter, ColumnInfo, Connection } from '../adapters/adapter.js';
import { Relation } from '../adapters/relation.js';
import { postgresRules } from '../adapters/postgres/postgres-rules.js';
import { postgresSql } from '../adapters/postgres/postgres-sql.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { MaterializationContext } from './materialization.js';
import { materializeTable } from './table.js';
import { materializeView } from './view.js';

/** Stops the build where its transaction begins: what ran before it is all the test looks at. */
class BuildBegins extends Error {}

function contracted(materialized: 'table' | 'view') {
  const node = nodeSkeleton({ resourceType: 'model', packageName: 'demo', name: 'm', originalFilePath: 'models/m.sql', pathInResourceDir: 'm.sql', rawCode: 'select 1 as id', config: { ...defaultConfig('model'), materialized, contract: { enforced: true } } });
  node.columns = { id: { name: 'id', data_type: 'int', description: '', meta: {}, constraints: [], quote: null, tags: [] } };
  const events: string[] = [];
  const conn = {
    transaction: () => {
      events.push('build transaction');
      return Promise.reject(new BuildBegins());
    },
  } as unknown as Connection;
  const adapter = {
    sql: postgresSql,
    rules: postgresRules,
    describeQuery: (): Promise<ColumnInfo[]> => {
      // The describe's own transaction, committed here.
      events.push('describe transaction');
      return Promise.resolve([{ name: 'id', dataType: 'integer', position: 1 }]);
    },
  } as unknown as Adapter;
  const relation = new Relation({ database: 'db', schema: 's', identifier: 'm', type: materialized }, postgresSql);
  const ctx = {
    node,
    adapter,
    conn,
    compiledSql: 'select 1 as id',
    relation,
    existing: null,
    fullRefresh: false,
    incremental: false,
    hooks: { beforeTransaction: [], preInTransaction: [], postInTransaction: [], afterTransaction: [] },
    blocks: { replacesCreateTable: () => false, headed: (sql: string) => sql },
    warn: () => undefined,
    beforeFinalTransaction: () => events.push('marked final'),
  } as unknown as MaterializationContext;
  return { ctx, events };
}

describe('the final transaction of a contracted model', () => {
  it('is marked after the contract check, just before the build transaction (table and view)', async () => {
    for (const [kind, materialize] of [['table', materializeTable], ['view', materializeView]] as const) {
      const { ctx, events } = contracted(kind);
      await expect(materialize(ctx)).rejects.toBeInstanceOf(BuildBegins);
      expect(events).toEqual(['describe transaction', 'marked final', 'build transaction']);
    }
  });
});
