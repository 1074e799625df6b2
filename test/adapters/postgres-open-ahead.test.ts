// Adapter.openAhead (a run calls it before writing manifest.json): the server's first connection is
// opened and set up while the caller goes on, and the first withConnection gets that session
// (threads: 1: one backend, its set-up run once), or, when opening failed, opens its own and
// reports the failure as before.
import { describe, expect, it } from 'vitest';
import type { StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { serverTarget, testContext } from '../support/postgres-targets.js';

describe('opening the first connection ahead', () => {
  it('gives the first withConnection the session it opened, set up once', async () => {
    const events: StatementEvent[] = [];
    let setUp = () => undefined as void;
    const setUpDone = new Promise<void>((resolve) => (setUp = resolve));
    // The profile's search_path: the session's set-up statement, which tells the test the set-up ran.
    const target = { ...serverTarget(undefined, 1), application_name: `tsdbt-open-ahead-${process.pid}`, search_path: 'public' };
    const adapter = await createAdapter(
      target,
      testContext(undefined, (e) => {
        events.push(e);
        if (e.sql.includes('search_path')) setUp();
      }),
    );
    try {
      adapter.openAhead?.();
      // The session is opened and set up with nobody waiting on a connection (without openAhead: never, and the test times out).
      await setUpDone;
      const first = await adapter.withConnection((conn) => conn.execute('select pg_backend_pid() as pid'));
      const second = await adapter.withConnection((conn) => conn.execute(`select count(*)::int as n from pg_stat_activity where application_name = '${target.application_name}'`));
      // Set up before the first statement of the caller: the set-up ran first, once.
      const setups = events.filter((e) => e.sql.includes('search_path'));
      expect(setups).toHaveLength(1);
      expect(events.findIndex((e) => e.sql.includes('search_path'))).toBeLessThan(events.findIndex((e) => e.sql.includes('pg_backend_pid')));
      expect(first.rows[0]?.pid).toEqual(expect.any(Number));
      expect(second.rows[0]?.n).toBe(1);
    } finally {
      await adapter.close();
    }
  }, 20_000);

  it('leaves a failure to open for the first withConnection to report', async () => {
    const adapter = await createAdapter({ ...serverTarget(undefined, 1), password: 'wrong' }, testContext());
    try {
      adapter.openAhead?.();
      const error = await adapter.withConnection((conn) => conn.execute('select 1')).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'warehouse-auth', category: 'user' });
    } finally {
      await adapter.close();
    }
  });
});
