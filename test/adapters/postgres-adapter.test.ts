// The PostgreSQL adapter against both connection kinds (the real server and PGlite): statements and
// their responses, scripts, transactions, bulk loads, introspection and error mapping.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { TsdbtError } from '../../src/errors/tsdbt-error.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

describe.each(TARGET_KINDS)('postgres adapter on $name', (kind) => {
  const target = kind.make();
  const events: StatementEvent[] = [];
  let adapter: Adapter;
  const q = (name: string) => `${adapter.sql.quoteIdentifier(target.schema)}.${adapter.sql.quoteIdentifier(name)}`;
  const rel = (identifier: string) => adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier });

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext(undefined, (e) => events.push(e)));
    await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, target.schema));
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('has the PostgreSQL capabilities and a default database', () => {
    expect(adapter.capabilities).toEqual({ transactionalDdl: true, transactions: true, merge: true, updateInPlace: true, materializedViews: true, metadataByRelations: true, microbatchMergesOnUniqueKey: true });
    expect(adapter.defaultDatabase).toBe(kind.name === 'pglite' ? 'postgres' : target.dbname);
    expect(adapter.type).toBe(target.type);
  });

  it('executes statements and reports dbt-style responses', async () => {
    await adapter.withConnection(async (conn) => {
      const created = await conn.execute(`create table ${q('resp')} as select g as id from generate_series(1, 120) g`);
      expect(created.response).toEqual({ code: 'SELECT', message: 'SELECT 120', rowsAffected: 120 });
      expect((await conn.execute(`insert into ${q('resp')} values (1), (2), (3), (4), (5)`)).response).toEqual({
        code: 'INSERT',
        message: 'INSERT 0 5',
        rowsAffected: 5,
      });
      expect((await conn.execute(`update ${q('resp')} set id = id + 1 where id <= 2`)).response.message).toBe('UPDATE 4');
      expect((await conn.execute(`delete from ${q('resp')} where id > 100`)).response.message).toBe('DELETE 20');
      expect((await conn.execute(`create view ${q('resp_v')} as select * from ${q('resp')}`)).response).toEqual({
        code: 'CREATE VIEW',
        message: 'CREATE VIEW',
        rowsAffected: -1,
      });
      expect((await conn.execute(`drop view ${q('resp_v')}`)).response.message).toBe('DROP VIEW');
      expect((await conn.execute(`truncate ${q('resp')}`)).response.message).toBe('TRUNCATE TABLE');
      const select = await conn.execute(`select 1 as one, 'x'::text as two`);
      expect(select.rows).toEqual([{ one: 1, two: 'x' }]);
      expect(select.columns).toEqual([
        { name: 'one', dataType: 'integer' },
        { name: 'two', dataType: 'text' },
      ]);
      expect(select.response).toEqual({ code: 'SELECT', message: 'SELECT 1', rowsAffected: 1 });
    });
    const logged = events.find((e) => e.sql.includes('generate_series(1, 120)'));
    expect(logged?.response?.message).toBe('SELECT 120');
    expect(logged?.durationMs).toBeGreaterThanOrEqual(0);
  });

  it('runs scripts of several statements, returning the last result', async () => {
    await adapter.withConnection(async (conn) => {
      const result = await conn.execute(
        `create table ${q('script')} (a int); insert into ${q('script')} values (1), (2);\nselect count(*) as n from ${q('script')};`,
      );
      expect(result.rows).toEqual([{ n: 2 }]);
      expect(result.response.code).toBe('SELECT');
      // A failing script is one implicit transaction: nothing of it stays.
      await expect(conn.execute(`insert into ${q('script')} values (3); select 1/0`)).rejects.toMatchObject({
        code: 'sqlstate-22012',
      });
      expect((await conn.execute(`select count(*) as n from ${q('script')}`)).rows[0]).toEqual({ n: 2 });
    });
  });

  it('commits and rolls back transactions, with savepoints when nested', async () => {
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create table ${q('tx')} (a int)`);
      const value = await conn.transaction(async (tx) => {
        await tx.execute(`insert into ${q('tx')} values (1)`);
        await expect(
          tx.transaction(async (inner) => {
            await inner.execute(`insert into ${q('tx')} values (2)`);
            throw new Error('inner fails');
          }),
        ).rejects.toThrow('inner fails');
        await tx.execute(`insert into ${q('tx')} values (3)`);
        return 'done';
      });
      expect(value).toBe('done');
      await expect(
        conn.transaction(async (tx) => {
          await tx.execute(`insert into ${q('tx')} values (4)`);
          await tx.execute(`drop table ${q('tx')}`);
          throw new Error('outer fails');
        }),
      ).rejects.toThrow('outer fails');
      const rows = await conn.execute(`select a from ${q('tx')} order by a`);
      expect(rows.rows).toEqual([{ a: 1 }, { a: 3 }]);
    });
  });

  it('bulk-loads 10,000 rows that round-trip exactly', async () => {
    const specials = ['', ' ', '"', '""', ',', 'a,b', 'line1\nline2', 'crlf\r\n', '\\.', '\\N', 'NULL', 'tab\there', "it's", 'ünïcødé ✓ 🎉', '  padded  '];
    const expected: { id: number; s: string | null; n: number | null; t: string | null }[] = [];
    for (let i = 0; i < 10_000; i++) {
      expected.push({
        id: i,
        s: i % 7 === 0 ? null : (specials[i % specials.length] ?? '') + (i % 3 === 0 ? '' : String(i)),
        n: i % 5 === 0 ? null : i * 3,
        t: i % 11 === 0 ? null : `2024-01-${String((i % 28) + 1).padStart(2, '0')} 10:00:00`,
      });
    }
    // eslint-disable-next-line @typescript-eslint/require-await -- bulkLoad's async-iterable path
    async function* rows() {
      for (const r of expected) yield [String(r.id), r.s, r.n === null ? null : String(r.n), r.t];
    }
    const columns = [
      { name: 'id', dataType: 'integer' },
      { name: 's', dataType: 'text' },
      { name: 'n', dataType: 'bigint' },
      { name: 't', dataType: 'timestamp without time zone' },
    ];
    await adapter.withConnection(async (conn) => {
      const relation = rel('loaded');
      await conn.execute(adapter.sql.createTable(relation, columns, {}));
      expect(await conn.bulkLoad(relation, columns, rows())).toBe(10_000);
      const back = await conn.execute(`select id, s, n, to_char(t, 'YYYY-MM-DD HH24:MI:SS') as t from ${relation} order by id`);
      expect(back.rows).toEqual(expected);
      // Empty input loads nothing; sync iterables work too.
      expect(await conn.bulkLoad(relation, columns, [])).toBe(0);
      expect(await conn.bulkLoad(relation, columns, [['-1', 'sync', null, null]])).toBe(1);
    });
    const copy = events.filter((e) => e.sql.startsWith('copy ') && e.sql.includes('"loaded"'));
    expect(copy[0]?.response).toEqual({ code: 'COPY', message: 'COPY 10000', rowsAffected: 10_000 });
  });

  it('reports bulk-load failures and stays usable', async () => {
    const columns = [{ name: 'a', dataType: 'integer' }];
    await adapter.withConnection(async (conn) => {
      const relation = rel('bad_load');
      await conn.execute(adapter.sql.createTable(relation, columns, {}));
      await expect(conn.bulkLoad(relation, columns, [['1'], ['not a number']])).rejects.toMatchObject({
        code: 'sqlstate-22P02',
        category: 'database',
      });
      // eslint-disable-next-line @typescript-eslint/require-await -- a stream that fails after a row
      async function* failing() {
        yield ['1'];
        throw new Error('source broke');
      }
      await expect(conn.bulkLoad(relation, columns, failing())).rejects.toThrow('source broke');
      await expect(conn.bulkLoad(relation, columns, [['1', '2']])).rejects.toMatchObject({ code: 'bulk-load-row-width' });
      expect((await conn.execute(`select count(*) as n from ${relation}`)).rows).toEqual([{ n: 0 }]);
    });
  });

  it('introspects relations and columns', async () => {
    await adapter.withConnection(async (conn) => {
      await conn.execute(
        [
          `create table ${q('intro_t')} (id integer not null, name varchar(20), amount numeric(10,2), dropped int, at timestamp)`,
          `alter table ${q('intro_t')} drop column dropped`,
          `comment on column ${q('intro_t')}.name is 'the name'`,
          `create view ${q('intro_v')} as select id from ${q('intro_t')}`,
          `create materialized view ${q('intro_m')} as select id from ${q('intro_t')}`,
          `create index on ${q('intro_t')} (id)`,
          `create table ${q('Mixed Case')} (a int)`,
        ].join(';\n'),
      );
      const t = await adapter.getRelation(conn, { schema: target.schema, identifier: 'intro_t' });
      expect(t?.type).toBe('table');
      expect(t?.database).toBe(adapter.defaultDatabase);
      expect(t?.render()).toBe(`"${adapter.defaultDatabase}"."${target.schema}"."intro_t"`);
      expect((await adapter.getRelation(conn, { schema: target.schema, identifier: 'intro_v' }))?.type).toBe('view');
      expect((await adapter.getRelation(conn, { schema: target.schema, identifier: 'intro_m' }))?.type).toBe('materialized_view');
      expect((await adapter.getRelation(conn, { schema: target.schema, identifier: 'Mixed Case' }))?.identifier).toBe('Mixed Case');
      expect(await adapter.getRelation(conn, { schema: target.schema, identifier: 'mixed case' })).toBeNull();
      expect(await adapter.getRelation(conn, { schema: target.schema, identifier: 'nope' })).toBeNull();
      expect(await adapter.getRelation(conn, { schema: 'no_such_schema_x', identifier: 'intro_t' })).toBeNull();

      const listed = await adapter.listRelations(conn, null, target.schema);
      const byName = Object.fromEntries(listed.map((r) => [r.identifier, r.type]));
      expect(byName).toMatchObject({ intro_t: 'table', intro_v: 'view', intro_m: 'materialized_view', 'Mixed Case': 'table' });
      expect(listed.some((r) => r.identifier.includes('idx'))).toBe(false);
      expect(await adapter.listRelations(conn, null, 'no_such_schema_x')).toEqual([]);

      const columns = await adapter.getColumns(conn, rel('intro_t'));
      expect(columns).toEqual([
        // dbt-postgres's columns carry information_schema's precision of fixed-width numbers
        { name: 'id', dataType: 'integer', position: 1, nullable: false, comment: null, numericPrecision: 32, numericScale: 0 },
        { name: 'name', dataType: 'character varying(20)', position: 2, nullable: true, comment: 'the name' },
        { name: 'amount', dataType: 'numeric(10,2)', position: 3, nullable: true, comment: null },
        { name: 'at', dataType: 'timestamp without time zone', position: 4, nullable: true, comment: null },
      ]);
      expect(await adapter.getColumns(conn, rel('nope'))).toEqual([]);
    });
  });

  it('creates a missing schema in one round trip: the CREATE travels with its COMMIT', async () => {
    const fresh = `${target.schema}_one_trip`;
    try {
      const before = events.length;
      await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, fresh));
      const created = events.slice(before).filter((e) => e.nodeId === undefined && !/^\s*(\/\*.*?\*\/\s*)?select\b/is.test(e.sql));
      expect(created.map((e) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split(/\s+/).slice(0, 2).join(' '))).toEqual(['begin', 'create schema', 'commit']);
      expect(created.filter((e) => !e.sentWithNext).map((e) => e.sql.replace(/^\/\*.*?\*\/\s*/s, ''))).toEqual(['commit']);
      expect(await adapter.withConnection((conn) => adapter.schemaExists(conn, null, fresh))).toBe(true);
    } finally {
      await adapter.withConnection((conn) => conn.execute(`drop schema if exists ${adapter.sql.quoteIdentifier(fresh)} cascade`));
    }
  });

  it('creates schemas idempotently, also inside a transaction', async () => {
    const extra = `${target.schema}_x`;
    try {
      await adapter.withConnection(async (conn) => {
        await adapter.createSchemaIfMissing(conn, null, extra);
        await adapter.createSchemaIfMissing(conn, null, extra);
        await conn.transaction(async (tx) => {
          await adapter.createSchemaIfMissing(tx, null, extra);
          await tx.execute(`create table ${adapter.sql.quoteIdentifier(extra)}.t (a int)`);
        });
        expect(await adapter.listRelations(conn, null, extra)).toHaveLength(1);
      });
      // Concurrent creation from several connections (serialised on PGlite).
      const racing = `${target.schema}_race`;
      await Promise.all(
        [1, 2, 3, 4].map(() => adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, racing))),
      );
      await adapter.withConnection((conn) => conn.execute(`drop schema ${adapter.sql.quoteIdentifier(racing)}`));
    } finally {
      await adapter.withConnection((conn) => conn.execute(`drop schema if exists ${adapter.sql.quoteIdentifier(extra)} cascade`));
    }
  });

  it('maps SQL errors to database TsdbtErrors with the SQLSTATE', async () => {
    const before = events.length;
    const error = await adapter.withConnection((conn) => conn.execute('selec 1', { nodeId: 'model.p.broken' })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TsdbtError);
    expect(error).toMatchObject({ code: 'sqlstate-42601', category: 'database', retriable: false, nodeId: 'model.p.broken' });
    expect((error as Error).message).toMatch(/syntax error at or near "selec" \(SQLSTATE 42601\)/);
    const event = events.slice(before).find((e) => e.sql === 'selec 1');
    expect(event?.error).toBe(error);
    expect(event?.nodeId).toBe('model.p.broken');
    const missing = await adapter.withConnection((conn) => conn.execute(`select * from ${q('missing_table')}`)).catch((e: unknown) => e);
    expect(missing).toMatchObject({ code: 'sqlstate-42P01' });
    // The connection pool / PGlite session is fine afterwards.
    expect((await adapter.withConnection((conn) => conn.execute('select 1 as ok'))).rows).toEqual([{ ok: 1 }]);
  });

  it('describes itself', async () => {
    const info = await adapter.info();
    expect(info.version).toMatch(kind.name === 'pglite' ? /^PGlite [\d.]+ \(PostgreSQL \d+/ : /^PostgreSQL 1\d/);
    expect(info.location).toBe(kind.name === 'pglite' ? ':memory:' : `${String(target.host)}:${String(target.port)}/${String(target.dbname)}`);
  });
});
