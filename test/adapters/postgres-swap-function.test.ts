// The careful swap through the session's function (pg_temp.tsdbt_swap, postgres-swap-block.ts) on
// both connection kinds: a session creates it with its first swap and calls it from then on; a
// session whose function is gone (`discard temp`, as a connection pooler handing the transaction
// another session would leave it) swaps with a `do` block instead and creates it again next time;
// a new session (a reconnect) creates its own. Every swap keeps the view built on the table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter, type StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import type { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

/** What a statement is, without its query comment: the function's creation, its call, a `do` block, its first two words, or a refused round trip's error. */
function kindOf(e: StatementEvent): string {
  if (e.error) return `failed: ${(e.error as TsdbtError).code}`; // a round trip the server refused
  const sql = e.sql.replace(/^\/\*.*?\*\/\s*/s, '');
  if (sql.startsWith('create or replace function pg_temp.tsdbt_swap(')) return 'create function';
  if (sql.startsWith('select pg_temp.tsdbt_swap(')) return 'call';
  return sql.split(/\s+/).slice(0, 2).join(' ');
}

describe.each(TARGET_KINDS)('the swap function on $name', (kind) => {
  // One thread: one pooled session on the server, so "the session" is always the same one.
  const target = kind.make({ threads: 1 });
  const events: StatementEvent[] = [];
  let adapter: Adapter;
  const rel = (identifier: string, type: 'table' | 'view' = 'table') => adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier, type });
  const query = async (sql: string) => (await adapter.withConnection((conn) => conn.execute(sql))).rows;

  /** Rebuilds `base` as `rows` rows through a staging table and the careful swap; the swap's statements (other than begin and commit) as kindOf says. */
  async function rebuild(rows: number): Promise<string[]> {
    const base = rel('base');
    const staging = base.with({ identifier: 'base__dbt_tmp' });
    events.length = 0;
    await adapter.withConnection((conn) =>
      conn.transaction(async (tx) => {
        await queueStatement(tx, adapter.sql.dropRelation(staging, 'table'));
        await queueStatement(tx, adapter.sql.createTableAs(staging, `select g as id from generate_series(1, ${rows}) g`, {}), { several: true });
        await adapter.replaceRelation(tx, staging, base, null);
      }),
    );
    return events.map(kindOf).filter((k) => !['begin', 'commit', 'drop table', 'create table', 'rollback'].includes(k));
  }

  /** The view on `base` after a rebuild: its rows' sum and count (it must read the new table). */
  const viewTotals = async () => query(`select count(*)::int as n, sum(id10)::int as total from ${rel('v')}`);

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext(undefined, (e) => events.push(e)));
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create schema if not exists ${adapter.sql.quoteIdentifier(target.schema)}`);
      await conn.execute(adapter.sql.createTableAs(rel('base'), 'select 1 as id', {}));
      await conn.execute(`create view ${rel('v', 'view')} as select id, id * 10 as id10 from ${rel('base')}`);
      // The run's cache lists the schema now: it knows a view is on `base`, so every swap of it is careful.
      await adapter.createSchemaIfMissing(conn, null, target.schema);
    });
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('is created by the session’s first swap and called by the next ones', async () => {
    expect(await rebuild(2)).toEqual(['create function', 'call']);
    expect(await viewTotals()).toEqual([{ n: 2, total: 30 }]);
    expect(await rebuild(3)).toEqual(['call']);
    expect(await viewTotals()).toEqual([{ n: 3, total: 60 }]);
    expect(await query(`select to_regclass('"${target.schema}"."base__dbt_tmp"') is null as gone`)).toEqual([{ gone: true }]);
  });

  it('swaps with a do block when the session lost it, then creates it again', async () => {
    await rebuild(1); // the function exists in this session
    await query('discard temp');
    // The call fails (no such function): the transaction is done again with the block.
    expect(await rebuild(4)).toEqual(['failed: sqlstate-42883', 'do $tsdbt$']);
    expect(await viewTotals()).toEqual([{ n: 4, total: 100 }]);
    expect(await rebuild(5)).toEqual(['create function', 'call']);
    expect(await viewTotals()).toEqual([{ n: 5, total: 150 }]);
  });

  // PGlite has one session for its life.
  it.skipIf(kind.name !== 'postgres-server')('is created again by a new session (a reconnect)', async () => {
    await rebuild(1);
    const [before] = await query('select pg_backend_pid() as pid');
    // The session ends under the pool (as when the server restarts): the pool discards its client.
    await query('select pg_terminate_backend(pg_backend_pid())').catch(() => undefined);
    const [after] = await query('select pg_backend_pid() as pid');
    expect(after?.pid).not.toEqual(before?.pid);
    expect(await rebuild(6)).toEqual(['create function', 'call']);
    expect(await viewTotals()).toEqual([{ n: 6, total: 210 }]);
  });
});
