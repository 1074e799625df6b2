// Connection.queue on both connection kinds: a statement whose result nobody reads travels with the
// next statement in one round trip (PostgreSQL's simple query protocol), is reported on its own, and
// never changes what a transaction means: a failure in it fails the transaction, a rolled-back
// transaction never sends it, and the connection is usable afterwards. One round trip is observed
// on the server through statement_timestamp(), the arrival time of the client's message: statements
// sent together share it, statements sent apart do not (PGlite's clock is too coarse to tell).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter, type StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

describe.each(TARGET_KINDS)('queued statements on $name', (kind) => {
  const target = kind.make();
  const events: StatementEvent[] = [];
  let adapter: Adapter;
  const t = (name: string) => `${adapter.sql.quoteIdentifier(target.schema)}.${adapter.sql.quoteIdentifier(name)}`;

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext(undefined, (e) => events.push(e)));
    await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, target.schema));
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('sends a queued statement with the next one, in order, each reported', async () => {
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create table ${t('arrivals')} (step int, at timestamptz)`);
      events.length = 0;
      const at = await conn.transaction(async (tx) => {
        await queueStatement(tx, `insert into ${t('arrivals')} values (1, statement_timestamp())`);
        await queueStatement(tx, `insert into ${t('arrivals')} values (2, statement_timestamp())`);
        const { rows } = await tx.execute(`select statement_timestamp()::text as at, count(*)::int as n from ${t('arrivals')}`);
        return rows[0] as { at: string; n: number };
      });
      // The select saw both inserts and arrived in the same message as they did.
      expect(at.n).toBe(2);
      const { rows } = await conn.execute(`select step, at::text as at from ${t('arrivals')} order by step`);
      expect(rows).toEqual([
        { step: 1, at: at.at },
        { step: 2, at: at.at },
      ]);
      // Each statement is reported on its own, in the order it ran.
      const sent = events.map((e) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split(/\s+/).slice(0, 3).join(' '));
      expect(sent).toEqual(['begin', 'insert into ' + t('arrivals'), 'insert into ' + t('arrivals'), 'select statement_timestamp()::text as', 'commit', `select step, at::text`]);
      if (kind.name !== 'postgres-server') return;
      // Statements sent apart arrive apart.
      await conn.execute(`insert into ${t('arrivals')} values (3, statement_timestamp())`);
      const later = await conn.execute(`select (select at from ${t('arrivals')} where step = 3) <> statement_timestamp() as apart`);
      expect(later.rows[0]?.apart).toBe(true);
    });
  });

  it('fails the statement it travels with when it fails, and rolls the transaction back', async () => {
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create table ${t('kept')} (id int)`);
      const attempt = conn.transaction(async (tx) => {
        await tx.execute(`insert into ${t('kept')} values (1)`);
        await queueStatement(tx, `insert into ${t('no_such_table')} values (1)`);
        await tx.execute(`insert into ${t('kept')} values (2)`);
      });
      await expect(attempt).rejects.toThrow(/no_such_table/);
      // Nothing of the transaction stayed, and the connection goes on.
      const { rows } = await conn.execute(`select count(*)::int as n from ${t('kept')}`);
      expect(rows[0]?.n).toBe(0);
    });
  });

  it('rolls back when a queued statement fails at commit, leaving the session usable', async () => {
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create table ${t('at_commit')} (id int primary key)`);
      const attempt = conn.transaction(async (tx) => {
        await tx.execute(`insert into ${t('at_commit')} values (1)`);
        await queueStatement(tx, `insert into ${t('at_commit')} values (1)`); // duplicate key, sent with COMMIT
      });
      await expect(attempt).rejects.toThrow(/duplicate key/);
      await conn.transaction((tx) => tx.execute(`insert into ${t('at_commit')} values (2)`));
      const { rows } = await conn.execute(`select id from ${t('at_commit')} order by id`);
      expect(rows).toEqual([{ id: 2 }]);
    });
    // The next session from the pool is not stuck in a failed transaction either.
    const { rows } = await adapter.withConnection((conn) => conn.execute('select 1 as ok'));
    expect(rows).toEqual([{ ok: 1 }]);
  });

  it('never sends what a transaction queued before it threw', async () => {
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create table ${t('survivor')} (id int)`);
      const attempt = conn.transaction(async (tx) => {
        await tx.execute(`insert into ${t('survivor')} values (1)`);
        await queueStatement(tx, `drop table ${t('survivor')}`);
        throw new Error('the build failed after queueing the drop');
      });
      await expect(attempt).rejects.toThrow(/after queueing/);
      const { rows } = await conn.execute(`select count(*)::int as n from ${t('survivor')}`);
      expect(rows[0]?.n).toBe(0);
    });
  });

  it("gives each queued statement its own result, a text of several statements the last of its own", async () => {
    await adapter.withConnection(async (conn) => {
      events.length = 0;
      const seen = await conn.transaction(async (tx) => {
        const a = await queueStatement(tx, 'select 1 as a');
        const several = await queueStatement(tx, 'select 2 as b;\nselect 3 as c', { several: true });
        const d = await queueStatement(tx, 'select 4 as d');
        const e = await queueStatement(tx, 'select 5 as e');
        const last = (await e.result()).rows; // sends the four
        return [(await a.result()).rows, (await several.result()).rows, (await d.result()).rows, last];
      });
      expect(seen).toEqual([[{ a: 1 }], [{ c: 3 }], [{ d: 4 }], [{ e: 5 }]]);
      // One round trip for the four, one for the commit.
      expect(events.filter((e) => !e.sentWithNext).map((e) => e.sql.replace(/^\/\*.*?\*\/\s*/s, ''))).toEqual(['select 5 as e', 'commit']);
    });
  });

  it('sends a second text of several statements in a trip after the first one, results still apart', async () => {
    await adapter.withConnection(async (conn) => {
      events.length = 0;
      const seen = await conn.transaction(async (tx) => {
        const first = await queueStatement(tx, 'select 1 as x;\nselect 2 as y', { several: true });
        const second = await queueStatement(tx, 'select 3 as x;\nselect 4 as z', { several: true });
        // Asked before anything carried it: sent at once.
        const early = (await second.result()).rows;
        return [(await first.result()).rows, early];
      });
      expect(seen).toEqual([[{ y: 2 }], [{ z: 4 }]]);
      expect(events.filter((e) => !e.sentWithNext).map((e) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split('\n')[0])).toEqual(['select 1 as x;', 'select 3 as x;', 'commit']);
    });
  });

  it('runs a queued statement at once outside a transaction', async () => {
    await adapter.withConnection((conn) => queueStatement(conn, `create table ${t('at_once')} (id int)`));
    const found = await adapter.withConnection((conn) => adapter.getRelation(conn, { schema: target.schema, identifier: 'at_once' }));
    expect(found?.type).toBe('table');
  });
});
