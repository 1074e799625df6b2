// Behaviour specific to the server connection kind (`type: postgres`): login errors, the pool,
// session settings from the profile, and retriable lock errors.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Adapter } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, serverTarget, testContext } from '../support/postgres-targets.js';

describe('postgres server connections', () => {
  const target = serverTarget();
  let adapter: Adapter;

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext());
    await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, target.schema));
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('reports a bad password as a user error with a hint', async () => {
    const bad = await createAdapter({ ...target, password: 'wrong' }, testContext());
    try {
      const error = await bad.withConnection((conn) => conn.execute('select 1')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'warehouse-auth', category: 'user', retriable: false });
      expect((error as Error).message).toMatch(/password authentication failed/);
      expect((error as { hint?: string }).hint).toMatch(/password/);
    } finally {
      await bad.close();
    }
  });

  it('reports a missing database and an unreachable server', async () => {
    const noDb = await createAdapter({ ...target, dbname: 'no_such_database_tsdbt' }, testContext());
    await expect(noDb.withConnection((c) => c.execute('select 1'))).rejects.toMatchObject({
      code: 'warehouse-database-missing',
      category: 'user',
    });
    await noDb.close();
    const down = await createAdapter({ ...target, port: 1, connect_timeout: 2, retries: 0 }, testContext());
    await expect(down.withConnection((c) => c.execute('select 1'))).rejects.toMatchObject({
      code: 'warehouse-connection',
      category: 'database',
      retriable: true,
    });
    await down.close();
  });

  it('applies connect_timeout to opening a session, not to waiting for a busy one', async () => {
    // One pooled session, busy for longer than connect_timeout while a second caller waits for it:
    // the wait is not a connection attempt and must not time out (pg's pool would apply its
    // connection timeout to it). The clock is faked once the session is open, so "longer" is exact.
    const single = await createAdapter({ ...target, threads: 1, connect_timeout: 1 }, testContext());
    try {
      await single.withConnection((c) => c.execute('select 1'));
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const first = single.withConnection(async (c) => {
        await held;
        return c.execute('select 1 as n');
      });
      const second = single.withConnection((c) => c.execute('select 2 as n'));
      const outcome = second.then(
        (r) => r.rows,
        (e: unknown) => e,
      );
      await vi.advanceTimersByTimeAsync(5000);
      vi.useRealTimers();
      release();
      expect((await first).rows).toEqual([{ n: 1 }]);
      expect(await outcome).toEqual([{ n: 2 }]);
    } finally {
      vi.useRealTimers();
      await single.close();
    }
  });

  it('rejects an invalid profile before connecting', async () => {
    await expect(createAdapter({ ...target, host: undefined }, testContext())).rejects.toMatchObject({
      code: 'profile-invalid',
      category: 'user',
    });
  });

  it('applies role, search_path and application_name to each session', async () => {
    const configured = await createAdapter(
      { ...target, role: target.user, search_path: `${target.schema}, public`, application_name: 'tsdbt-test', threads: 2 },
      testContext(),
    );
    try {
      const rows = await Promise.all(
        [1, 2].map(() =>
          configured.withConnection((conn) =>
            conn.execute(
              "select current_setting('search_path') as sp, current_role as r, current_setting('application_name') as app, pg_sleep(0.1)::text as s",
            ),
          ),
        ),
      );
      for (const r of rows) {
        expect(r.rows[0]).toMatchObject({ sp: `${target.schema}, public`, r: target.user, app: 'tsdbt-test' });
      }
    } finally {
      await configured.close();
    }
  });

  // dbt-postgres hands search_path to the server as a startup option, read as postgresql.conf
  // reads it (an unquoted `$user` is the session user), and runs `set role <role>` unquoted, so the
  // name folds to lower case as any SQL identifier does.
  it("reads search_path as dbt-postgres' startup option does, and role as an unquoted name", async () => {
    const configured = await createAdapter(
      { ...target, role: String(target.user).toUpperCase(), search_path: `$user, ${target.schema}, public` },
      testContext(),
    );
    try {
      const r = await configured.withConnection(async (conn) => {
        await conn.execute(`create table ${target.schema}.sp_probe as select 7 as v`);
        return conn.execute("select current_setting('search_path') as sp, current_role as r, (select v from sp_probe) as v");
      });
      expect(r.rows[0]).toMatchObject({ sp: `$user, ${target.schema}, public`, r: target.user, v: 7 });
    } finally {
      await configured.close();
    }
  });

  it('runs up to `threads` connections in parallel', async () => {
    const started = Date.now();
    await Promise.all([1, 2, 3, 4].map(() => adapter.withConnection((conn) => conn.execute('select pg_sleep(0.4)'))));
    expect(Date.now() - started).toBeLessThan(1500);
    const backends = await Promise.all(
      [1, 2, 3, 4].map(() => adapter.withConnection((conn) => conn.execute('select pg_backend_pid() as pid, pg_sleep(0.1)::text'))),
    );
    expect(new Set(backends.map((b) => b.rows[0]?.pid)).size).toBeGreaterThan(1);
  });

  it('marks lock timeouts retriable', async () => {
    const t = `${adapter.sql.quoteIdentifier(target.schema)}.locked`;
    await adapter.withConnection((conn) => conn.execute(`create table ${t} (a int)`));
    let release!: () => void;
    const holding = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = adapter.withConnection((conn) =>
      conn.transaction(async (tx) => {
        await tx.execute(`lock table ${t} in access exclusive mode`);
        locked();
        await holding;
      }),
    );
    await isLocked;
    try {
      const error = await adapter
        .withConnection((conn) => conn.execute(`set lock_timeout = '100ms'; select * from ${t}`))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'sqlstate-55P03', category: 'database', retriable: true });
    } finally {
      release();
      await holder;
    }
  });

  it('refuses work after close', async () => {
    const closing = await createAdapter(target, testContext());
    await closing.close();
    await closing.close();
    await expect(closing.withConnection((c) => c.execute('select 1'))).rejects.toMatchObject({ code: 'adapter-closed' });
  });
});
