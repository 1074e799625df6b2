// dbt's auto_begin / adapter.commit() / rollback-on-error on the connection a Jinja
// materialization runs on, over a connection that records what it is sent (its transaction() is
// the PostgreSQL adapter's: begin ... commit, or rollback when the callback throws).
import { describe, expect, it } from 'vitest';
import type { Connection, QueryResult } from '../adapters/adapter.js';
import { TemplateTransactionConnection } from './template-transaction.js';

function recording(): { conn: Connection; sent: string[] } {
  const sent: string[] = [];
  const result: QueryResult = { columns: [], rows: [], response: { message: 'OK', code: 'OK' } };
  let depth = 0;
  const conn: Connection = {
    execute: (sql) => {
      sent.push(sql);
      return Promise.resolve(result);
    },
    transaction: async (fn) => {
      sent.push(depth > 0 ? 'savepoint' : 'begin');
      depth++;
      try {
        const value = await fn(conn);
        depth--;
        sent.push(depth > 0 ? 'release' : 'commit');
        return value;
      } catch (err) {
        depth--;
        sent.push(depth > 0 ? 'rollback to savepoint' : 'rollback');
        throw err;
      }
    },
    commit: () => {
      sent.push('commit (connection)');
      return Promise.resolve();
    },
    bulkLoad: () => Promise.resolve(0),
  };
  return { conn, sent };
}

describe('TemplateTransactionConnection', () => {
  it('begin opens one transaction however often it is asked; commit ends it; the next begin opens another', async () => {
    const { conn, sent } = recording();
    const t = new TemplateTransactionConnection(conn);
    await t.begin();
    await t.execute('create table a');
    await t.begin();
    await t.execute('insert into a');
    expect(t.inTemplateTransaction).toBe(true);
    await t.commit();
    expect(t.inTemplateTransaction).toBe(false);
    await t.begin();
    await t.execute('insert into b');
    await t.commit();
    expect(sent).toEqual(['begin', 'create table a', 'insert into a', 'commit', 'begin', 'insert into b', 'commit']);
  });

  it('rollback undoes the open transaction; a transaction() inside it is a savepoint; commit with none open is the connection’s', async () => {
    const { conn, sent } = recording();
    const t = new TemplateTransactionConnection(conn);
    await t.begin();
    await t.transaction((tx) => tx.execute('swap'));
    await t.rollback();
    await t.rollback();
    await t.commit();
    expect(sent).toEqual(['begin', 'savepoint', 'swap', 'release', 'rollback', 'commit (connection)']);
  });

  it('a begin the warehouse refuses fails, and leaves nothing open', async () => {
    const { conn } = recording();
    const refusing: Connection = { ...conn, transaction: () => Promise.reject(new Error('connection lost')) };
    const t = new TemplateTransactionConnection(refusing);
    await expect(t.begin()).rejects.toThrow('connection lost');
    expect(t.inTemplateTransaction).toBe(false);
  });
});
