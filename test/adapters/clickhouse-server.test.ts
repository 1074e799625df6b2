// The HTTP transport against a real ClickHouse server (Debian's 18.16, started by the test set-up):
// connection and version, a bad password, bulk CSV inserts with NULLs, quotes and commas, selects
// with column types, introspection of a table, a missing table reported as a database error, and
// the profile's database as the connection's default one.
// SQL features newer than 18.16 (window functions, EXCHANGE TABLES) are tested on chDB.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Adapter } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { uniqueSchema } from '../support/postgres-targets.js';

const url = new URL(inject('clickhouseUrl'));
const database = uniqueSchema('chs');
const target = (extra: Record<string, unknown> = {}) => ({ type: 'clickhouse', name: 'smoke', host: url.hostname, port: Number(url.port), schema: database, threads: 2, ...extra });
const context = { projectDir: '/tmp', targetDir: '/tmp/target' };

describe('ClickHouse server over HTTP (18.16 smoke test)', () => {
  let adapter: Adapter;
  beforeAll(async () => {
    adapter = await createAdapter(target(), context);
  });
  afterAll(async () => {
    await adapter.withConnection((c) => c.execute(`drop database if exists \`${database}\``));
    await adapter.close();
  });

  it('connects and reports the server version', async () => {
    const info = await adapter.info();
    expect(info.version).toMatch(/^ClickHouse 18\.16/);
    expect(info.location).toBe(`${url.origin}, database ${database}`);
  });

  it("makes the profile's database the default one, created on connecting, as dbt-clickhouse does; a dropped one stops being named", async () => {
    const own = uniqueSchema('chd');
    const other = await createAdapter(target({ schema: own }), context);
    try {
      await other.withConnection(async (conn) => {
        expect((await conn.execute('select currentDatabase() as d')).rows).toEqual([{ d: own }]);
        await conn.execute('create table unqualified (id Int32) engine = Memory');
        expect((await conn.execute(`select database from system.tables where name = 'unqualified' and database = '${own}'`)).rows).toEqual([{ database: own }]);
        await conn.execute(`drop database if exists \`${own}\``);
        // Requests no longer name the dropped database: qualified statements still run.
        expect((await conn.execute('select 1 as one')).rows).toEqual([{ one: 1 }]);
        await conn.execute(`create database if not exists \`${own}\``);
        expect((await conn.execute('select currentDatabase() as d')).rows).toEqual([{ d: own }]);
        await conn.execute(`drop database if exists \`${own}\``);
      });
    } finally {
      await other.close();
    }
  });

  it('rejects a wrong password as a profile mistake', async () => {
    const bad = await createAdapter(target({ password: 'not-the-password' }), context);
    try {
      const error = await bad.info().catch((err: unknown) => err);
      expect(error).toBeInstanceOf(TsdbtError);
      expect((error as TsdbtError).code).toBe('clickhouse-auth');
      expect((error as TsdbtError).format()).toMatch(/^ClickHouse rejected user 'default': .*Wrong password.*\n  hint: check user and password in the profile target$/);
    } finally {
      await bad.close();
    }
  });

  it('bulk-loads CSV rows and reads them back typed', async () => {
    await adapter.withConnection(async (conn) => {
      await adapter.createSchemaIfMissing(conn, null, database);
      expect(await adapter.schemaExists(conn, null, database)).toBe(true);
      await conn.execute(`create table \`${database}\`.t (id Int64, s Nullable(String), x Float64) engine = MergeTree() order by id`);
      const relation = adapter.relation({ schema: database, identifier: 't', type: 'table' });
      const loaded = await conn.bulkLoad(relation, [{ name: 'id', dataType: 'Int64' }, { name: 's', dataType: 'Nullable(String)' }, { name: 'x', dataType: 'Float64' }], [
        ['1', 'plain', '1.5'],
        ['2', null, '0'],
        ['3', 'has, comma and "quotes"', '-2'],
        ['4', '', '3'],
      ]);
      expect(loaded).toBe(4);
      const result = await conn.execute(`select id, s, x from \`${database}\`.t order by id`);
      expect(result.columns).toEqual([{ name: 'id', dataType: 'Int64' }, { name: 's', dataType: 'Nullable(String)' }, { name: 'x', dataType: 'Float64' }]);
      expect(result.rows).toEqual([
        { id: '1', s: 'plain', x: 1.5 },
        { id: '2', s: null, x: 0 },
        { id: '3', s: 'has, comma and "quotes"', x: -2 },
        { id: '4', s: '', x: 3 },
      ]);
      expect(await adapter.getRelation(conn, { schema: database, identifier: 't' })).toMatchObject({ schema: database, identifier: 't', type: 'table' });
      expect(await adapter.getRelation(conn, { schema: database, identifier: 'absent' })).toBeNull();
    });
  });

  it('reports a missing table as a database error with ClickHouse\'s code', async () => {
    const error = await adapter.withConnection((c) => c.execute(`select * from \`${database}\`.nope`)).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TsdbtError);
    expect((error as TsdbtError).code).toBe('clickhouse-60');
    expect((error as TsdbtError).category).toBe('database');
    expect((error as TsdbtError).message).toMatch(/Table .*nope doesn't exist/);
  });

  it('cancels a running statement (Ctrl-C) with KILL QUERY', async () => {
    const started = Date.now();
    const running = adapter.withConnection((c) => c.execute('select count() from numbers(100000000000)')).catch((err: unknown) => err);
    await new Promise((r) => setTimeout(r, 300));
    await adapter.cancelRunning();
    const error = await running;
    expect(error).toBeInstanceOf(TsdbtError);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
