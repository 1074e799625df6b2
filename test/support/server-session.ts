// One pg client on the test server for a whole test file, plus clean-ups run after it: call
// `useServerSession()` at the top of a file and query with `session.q(sql)`.
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { pgServer } from './postgres-targets.js';

export interface ServerSession {
  q: (sql: string) => Promise<Record<string, unknown>[]>;
  /** Registers clean-ups (schemas, temp dirs) to run after the file's tests. */
  cleanups: (() => Promise<void> | void)[];
}

export function useServerSession(): ServerSession {
  let client: pg.Client | null = null;
  const session: ServerSession = {
    q: async (sql) => {
      if (!client) throw new Error('useServerSession: the client connects in beforeAll');
      return (await client.query(sql)).rows as Record<string, unknown>[];
    },
    cleanups: [],
  };
  beforeAll(async () => {
    const s = pgServer();
    client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    for (const c of session.cleanups) await c();
  });
  return session;
}
