// The default (ANSI) builders: a dialect that overrides only its quoting gets ANSI statements, its
// quoting reaches every one of them (also when a builder is used unbound), and the statements are
// real SQL: run on PGlite (whose grammar reads ANSI's MERGE, FETCH FIRST, EXCEPT ALL, correlated
// DELETE, SET DATA TYPE), they leave the rows the builders promise.
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AnsiSqlBuilders } from './default-sql.js';
import { Relation } from './relation.js';

/** A dialect whose only difference is its identifier quoting (PostgreSQL's `U&"..."` form). */
class UnicodeQuoted extends AnsiSqlBuilders {
  override quoteIdentifier(name: string): string {
    return `U&"${name.replace(/"/g, '""')}"`;
  }
}

const ansi = new AnsiSqlBuilders();
const sql = new UnicodeQuoted();
const rel = (identifier: string, builders: AnsiSqlBuilders = sql) => new Relation({ schema: 's', identifier }, builders, { include: { database: false } });

describe('the default (ANSI) SQL builders', () => {
  it('writes ANSI statements, with the subclass quoting every name', () => {
    expect(ansi.createView(rel('v', ansi), '  select 1 as a\n')).toBe('create view "s"."v" as (\nselect 1 as a\n)');
    expect(sql.createView(rel('v'), 'select 1 as a')).toBe('create view U&"s".U&"v" as (\nselect 1 as a\n)');
    expect(sql.createTableAs(rel('t'), 'select 1 as a', {})).toBe('create table U&"s".U&"t" as (\nselect 1 as a\n)');
    expect(sql.createTable(rel('t'), [{ name: 'id', dataType: sql.typeFor('integer') }, { name: 'n', dataType: sql.typeFor('text') }], {})).toBe(
      'create table U&"s".U&"t" (\n    U&"id" integer,\n    U&"n" varchar\n)',
    );
    expect(sql.dropRelation(rel('v'), 'view')).toBe('drop view if exists U&"s".U&"v" cascade');
    expect(sql.renameRelation(rel('t').with({ type: 'table' }), 'u')).toBe('alter table U&"s".U&"t" rename to U&"u"');
    expect(sql.truncate(rel('t'))).toBe('truncate table U&"s".U&"t"');
    expect(sql.createSchema(null, 's')).toBe('create schema if not exists U&"s"');
    expect(sql.addColumn(rel('t'), 'c', 'integer')).toBe('alter table U&"s".U&"t" add column U&"c" integer');
    expect(sql.alterColumnType(rel('t'), 'c', 'bigint')).toBe('alter table U&"s".U&"t" alter column U&"c" set data type bigint');
    expect(sql.commentOn(rel('t'), 'c', "it's")).toBe(`comment on column U&"s".U&"t".U&"c" is 'it''s'`);
    expect(sql.deleteMatching(rel('t'), rel('b'), ['id'], ['dbt_internal_dest.d > 1'])).toBe(
      'delete from U&"s".U&"t" as dbt_internal_dest\nwhere exists (select 1 from U&"s".U&"b" as dbt_internal_source where dbt_internal_dest.U&"id" = dbt_internal_source.U&"id")\n  and dbt_internal_dest.d > 1',
    );
    expect(sql.merge(rel('t'), rel('b'), ['id'], ['id', 'v'], [])).toBe(
      [
        'merge into U&"s".U&"t" as dbt_internal_dest',
        'using U&"s".U&"b" as dbt_internal_source',
        'on (dbt_internal_dest.U&"id" = dbt_internal_source.U&"id")',
        'when matched then update set U&"v" = dbt_internal_source.U&"v"',
        'when not matched then insert (U&"id", U&"v") values (dbt_internal_source.U&"id", dbt_internal_source.U&"v")',
      ].join('\n'),
    );
    expect(sql.upsert(rel('t'), rel('b'), ['id'], ['id', 'v'])).toBe(sql.merge(rel('t'), rel('b'), ['id'], ['id', 'v'], []));
    expect(sql.limit('select 1 ', 3)).toBe('select * from (\nselect 1\n) as model_limit_subq\nfetch first 3 rows only');
    expect(sql.valuesQuery([{ name: 'a', dataType: 'integer' }], [])).toBe('select cast(null as integer) as U&"a" where false');
    expect(sql.timestamp(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)))).toBe("cast('2024-01-02 03:04:05.000' as timestamp)");
    // dbt-adapters' _render_event_time_filtered writes str(datetime) of a UTC datetime.
    expect(sql.eventTimeBound(new Date(Date.UTC(2025, 0, 1, 2, 3, 0)))).toBe("'2025-01-01 02:03:00+00:00'");
    expect(sql.eventTimeBound(new Date(Date.UTC(2025, 0, 1, 2, 3, 0, 5)))).toBe("'2025-01-01 02:03:00.005000+00:00'");
  });

  it('names what the standard says about bare names and stored names', () => {
    expect(sql.bareIdentifierName('Orders')).toBe('ORDERS');
    expect(sql.bareIdentifierName('order total')).toBeNull();
    expect(sql.columnNameProblem('a\u0000b')).toBe('contains a NUL character, which this warehouse names cannot hold');
    expect(sql.canonicalType(' VARCHAR(10) ')).toBe('varchar');
    expect(sql.dispatchPrefixes).toEqual(['default']);
  });

  it('binds every builder, so an unbound one still uses the subclass', () => {
    // eslint-disable-next-line @typescript-eslint/unbound-method -- what the test shows: they are bound
    const { quoteIdentifier, createView } = sql;
    // eslint-disable-next-line @typescript-eslint/unbound-method -- as above
    expect(['a', 'b'].map(sql.quoteIdentifier)).toEqual(['U&"a"', 'U&"b"']);
    expect(quoteIdentifier('x')).toBe('U&"x"');
    expect(createView(rel('v'), 'select 1')).toBe('create view U&"s".U&"v" as (\nselect 1\n)');
  });
});

describe('the default builders on a real database (PGlite)', () => {
  let db: PGlite;
  const run = async (statement: string) => (await db.query<Record<string, unknown>>(statement)).rows;
  beforeAll(async () => {
    db = new PGlite();
    await db.exec('create schema s');
  });
  afterAll(() => db.close());

  it('creates, merges, deletes by key, upserts literal rows and inserts only new keys', async () => {
    await run(sql.createTableAs(rel('t'), "select 1 as id, 'a' as v union all select 2, 'b'", {}));
    await run(sql.createTableAs(rel('b'), "select 2 as id, 'b2' as v union all select 3, 'c'", {}));
    await run(sql.merge(rel('t'), rel('b'), ['id'], ['id', 'v'], []));
    expect(await run(`${sql.limit('select id, v from s.t order by id', 10)}`)).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'b2' },
      { id: 3, v: 'c' },
    ]);
    await run(sql.deleteMatching(rel('t'), rel('b'), ['id'], ['dbt_internal_dest.id > 2']));
    expect(await run('select id from s.t order by id')).toEqual([{ id: 1 }, { id: 2 }]);
    await run(sql.upsertValues(rel('t'), ['id', 'v'], ['id'], [[2, 'two'], [4, 'four']]));
    expect(await run('select id, v from s.t order by id')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'two' },
      { id: 4, v: 'four' },
    ]);
    await run(sql.createTableAs(rel('batch'), "select 4 as id, 'dup' as v union all select 5, 'first' union all select 5, 'second'", {}));
    await run(sql.insertNewRows(rel('t'), rel('batch'), ['id', 'v'], ['id'], ['v']));
    expect(await run('select id, v from s.t order by id')).toEqual([
      { id: 1, v: 'a' },
      { id: 2, v: 'two' },
      { id: 4, v: 'four' },
      { id: 5, v: 'first' },
    ]);
    expect(await run(sql.duplicateKeys(rel('batch'), ['id'], 5))).toEqual([{ id: 5, n: 2 }]);
  });

  it('alters columns, compares multisets of rows and reads freshness', async () => {
    await run(sql.createTable(rel('c'), [{ name: 'n', dataType: 'integer' }, { name: 'at', dataType: sql.typeFor('timestamp') }], {}));
    await run(sql.addColumn(rel('c'), 'extra', 'integer'));
    await run(sql.alterColumnType(rel('c'), 'extra', 'bigint'));
    await run(sql.commentOn(rel('c'), null, 'the table'));
    await run(`insert into s.c values (1, ${sql.timestamp(new Date(Date.UTC(2024, 0, 1)))}, 7)`);
    expect(await run("select data_type from information_schema.columns where table_schema = 's' and table_name = 'c' and column_name = 'extra'")).toEqual([{ data_type: 'bigint' }]);
    expect(await run(sql.freshnessQuery({ relation: rel('c'), field: 'at', filter: null }))).toEqual([{ max_loaded_at_epoch: Date.UTC(2024, 0, 1) / 1000 }]);
    const expected = sql.valuesQuery([{ name: 'n', dataType: 'integer' }], [[1], [1], [2]]);
    const actual = sql.valuesQuery([{ name: 'n', dataType: 'integer' }], [[1], [3]]);
    const diff = await run(`${sql.rowsDiff(expected, actual, ['n'])} order by 1, 2`);
    expect(diff.map((r) => `${String(r.dbt_side)} ${String(r.n)}`)).toEqual(['actual 3', 'expected 1', 'expected 2']);
  });
});

describe("bindParameters (adapter.add_query's bindings, psycopg2's %s)", () => {
  const sql = new AnsiSqlBuilders();
  it('puts each binding in its %s as a literal, and %% as a percent sign', () => {
    expect(sql.bindParameters("insert into t values (%s, %s, %s, %s) -- 100%%", [1, "o'neil", null, true])).toBe("insert into t values (1, 'o''neil', null, true) -- 100%");
  });
  it('refuses a count of bindings that differs from the placeholders', () => {
    expect(() => sql.bindParameters('values (%s, %s)', [1])).toThrow('not enough arguments for format string');
    expect(() => sql.bindParameters('values (%s)', [1, 2])).toThrow('not all arguments converted during string formatting');
  });
});
