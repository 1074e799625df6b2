// AdapterContext.beforeStatement on a PostgreSQL connection: told once a statement (or a round trip
// of queued ones) is handed to the session, before its answer: the run writes the lines it logged
// then (after the send, for the server; before the work, for PGlite, whose query awaits first).
import { describe, expect, it } from 'vitest';
import type { DriverResult, PostgresSession } from './postgres-connection.js';
import { PostgresConnection } from './postgres-connection.js';

/** A session that records each query handed to it and answers it one promise callback later. */
function recordingSession(events: string[]): PostgresSession {
  return {
    copySource: 'stdin',
    query: (sql: string) => {
      events.push(`sent: ${sql.replace(/\s+/g, ' ')}`);
      const statements = sql.split('\n;\n');
      return Promise.resolve().then(() => {
        events.push('answered');
        return statements.map((): DriverResult => ({ command: 'SELECT', rowCount: 1, fields: [], rows: [] }));
      });
    },
    copyIn: () => Promise.resolve(0),
    inTransaction: () => false,
    objects: new Map(),
  };
}

describe('beforeStatement', () => {
  it('is told after each round trip is handed over and before its answer: once for a statement, once for a transaction sent in one trip', async () => {
    const events: string[] = [];
    const conn = new PostgresConnection(recordingSession(events), { projectDir: '.', targetDir: '.', beforeStatement: () => events.push('lines written') }, { kind: 'postgres', location: 'test' });
    await conn.execute('select 1');
    // The transaction's connection is `conn` itself.
    await conn.transaction(async () => {
      await conn.queue('create table s.m__dbt_tmp as (select 1)');
      await conn.queue('alter table s.m__dbt_tmp rename to m');
    });
    expect(events).toEqual([
      'sent: select 1',
      'lines written',
      'answered',
      'sent: begin ; create table s.m__dbt_tmp as (select 1) ; alter table s.m__dbt_tmp rename to m ; commit',
      'lines written',
      'answered',
    ]);
  });
});
