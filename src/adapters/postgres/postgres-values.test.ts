// Value parsing, CSV encoding, command tags and error mapping: the pure parts of the adapter.
import { describe, expect, it } from 'vitest';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { csvChunks, csvLine } from './postgres-csv.js';
import { toTsdbtError } from './postgres-errors.js';
import { lastStatement, toAdapterResponse } from './postgres-response.js';
import { extraMicroseconds } from '../../time/micro-date.js';
import { parseArray, parserFor, typeNameFor } from './postgres-values.js';

const place = { kind: 'postgres' as const, location: 'db:5432/x' };

describe('value parsers', () => {
  it('parses scalars consistently', () => {
    expect(parserFor(16)('t')).toBe(true);
    expect(parserFor(16)('f')).toBe(false);
    expect(parserFor(23)('42')).toBe(42);
    expect(parserFor(20)('9007199254740991')).toBe(9007199254740991);
    expect(parserFor(20)('9007199254740993')).toBe('9007199254740993');
    expect(parserFor(1700)('1.10')).toBe('1.10');
    expect(parserFor(701)('NaN')).toBeNaN();
    expect(parserFor(1082)('2024-02-29')).toBe('2024-02-29');
    expect(parserFor(3802)('{"a":[1]}')).toEqual({ a: [1] });
    expect(parserFor(17)('\\x00ff')).toEqual(Buffer.from([0, 255]));
    expect(parserFor(2950)('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11')).toBe('a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11');
  });

  it('reads timestamps as UTC wall clock, timestamptz with its offset', () => {
    const ts = parserFor(1114);
    expect(ts('2024-01-02 03:04:05')).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(ts('2024-01-02 03:04:05.123456')).toEqual(new Date('2024-01-02T03:04:05.123Z'));
    // The microseconds past the millisecond are kept (psycopg2's datetimes have them).
    expect(extraMicroseconds(ts('2024-01-02 03:04:05.123456') as Date)).toBe(456);
    expect(extraMicroseconds(ts('2024-01-02 03:04:05.5') as Date)).toBe(0);
    expect(ts('infinity')).toBe('infinity');
    const tz = parserFor(1184);
    expect(tz('2024-01-02 03:04:05+00')).toEqual(new Date('2024-01-02T03:04:05Z'));
    expect(tz('2024-01-02 03:04:05.5-05:30')).toEqual(new Date('2024-01-02T08:34:05.500Z'));
    expect((tz('0044-03-15 12:00:00+00 BC') as Date).getUTCFullYear()).toBe(-43);
  });

  it('parses arrays', () => {
    expect(parseArray('{}', Number)).toEqual([]);
    expect(parseArray('{1,NULL,3}', Number)).toEqual([1, null, 3]);
    expect(parseArray('{{1,2},{3,4}}', Number)).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(parseArray('{"a,b","c\\"d",NULL,"NULL",""}', (s) => s)).toEqual(['a,b', 'c"d', null, 'NULL', '']);
    expect(parseArray('[0:1]={7,8}', Number)).toEqual([7, 8]);
    expect(parserFor(1007)('{1,2}')).toEqual([1, 2]);
    expect(typeNameFor(1007)).toBe('integer[]');
    expect(typeNameFor(23)).toBe('integer');
    expect(typeNameFor(99999)).toBeUndefined();
  });
});

describe('CSV for COPY', () => {
  it('quotes every value and leaves NULL unquoted', () => {
    expect(csvLine(['a', null, '', 'x"y', 'a,b', 'l1\nl2', '\\.'])).toBe('"a",,"","x""y","a,b","l1\nl2","\\."\n');
  });

  it('chunks rows and checks their width', async () => {
    const counter = { rows: 0 };
    const chunks: string[] = [];
    for await (const c of csvChunks([['1'], ['2'], ['3']], 1, counter, 8)) chunks.push(c);
    expect(chunks).toEqual(['"1"\n"2"\n', '"3"\n']);
    expect(counter.rows).toBe(3);
    const bad = csvChunks([['1'], ['2', '3']], 1, { rows: 0 });
    await expect(async () => {
      for await (const _ of bad) void _;
    }).rejects.toMatchObject({ code: 'bulk-load-row-width' });
  });
});

describe('adapter responses', () => {
  it('rebuilds PostgreSQL command tags', () => {
    expect(toAdapterResponse({ command: 'SELECT', rowCount: 120 }, 'create table x as select 1', true)).toEqual({
      code: 'SELECT',
      message: 'SELECT 120',
      rowsAffected: 120,
    });
    expect(toAdapterResponse({ command: 'INSERT', rowCount: 5 }, 'insert ...', true)).toEqual({
      code: 'INSERT',
      message: 'INSERT 0 5',
      rowsAffected: 5,
    });
    // dbt-postgres' get_response: the tag's words as the code, psycopg2's rowcount -1 for no count.
    expect(toAdapterResponse({ command: 'CREATE', rowCount: null }, '-- c\n/* x */ create or replace view v as select 1', true)).toEqual({
      code: 'CREATE VIEW',
      message: 'CREATE VIEW',
      rowsAffected: -1,
    });
    expect(toAdapterResponse({ command: 'CREATE', rowCount: null }, 'create unlogged table t (a int)', true).message).toBe('CREATE TABLE');
    expect(toAdapterResponse({ command: 'DROP', rowCount: null }, 'drop materialized view if exists m', true).message).toBe(
      'DROP MATERIALIZED VIEW',
    );
    // Several statements: the last one's tag, as psycopg2's statusmessage (dbt-postgres' message).
    expect(toAdapterResponse({ command: 'CREATE', rowCount: null }, 'select 1; create view v as select 1', false).message).toBe('CREATE VIEW');
    expect(toAdapterResponse({ command: 'DROP', rowCount: null }, "create table t (a int);\n drop table if exists old_t cascade;\n-- done\n", false).message).toBe('DROP TABLE');
    // ...when the text's last statement is the command the driver reported last.
    expect(toAdapterResponse({ command: 'CREATE', rowCount: null }, 'create view v as select 1; drop table t', false).message).toBe('CREATE');
    expect(toAdapterResponse({ command: 'TRUNCATE', rowCount: null }, 'truncate t', true).message).toBe('TRUNCATE TABLE');
    expect(toAdapterResponse({ command: 'BEGIN', rowCount: null }, 'begin', true)).toEqual({ code: 'BEGIN', message: 'BEGIN', rowsAffected: -1 });
    expect(toAdapterResponse({ command: 'TRUNCATE', rowCount: null }, 'truncate t', true).code).toBe('TRUNCATE TABLE');
    expect(toAdapterResponse({}, '-- nothing', true)).toEqual({ code: 'OK', message: 'OK' });
  });
});

describe('the last statement of a text', () => {
  it('splits on semicolons outside quotes, dollar quotes and comments, as PostgreSQL reads them', () => {
    expect(lastStatement('select 1; drop table t;')).toBe('drop table t');
    expect(lastStatement("select ';'; create view \"a;b\" as select 'x;''y' as c")).toBe('create view "a;b" as select \'x;\'\'y\' as c');
    expect(lastStatement("select E'\\';'; drop view v")).toBe('drop view v');
    expect(lastStatement('do $body$ begin perform 1; end $body$; create table t (a int) -- x; y\n')).toBe('create table t (a int) -- x; y');
    expect(lastStatement('create function f() returns int as $$ select 1; $$ language sql')).toBe('create function f() returns int as $$ select 1; $$ language sql');
    expect(lastStatement('select $1; /* a /* nested; */ still; */ alter table t add c int')).toBe('alter table t add c int');
    expect(lastStatement('drop table a; -- trailing; comment\n  ')).toBe('drop table a');
    expect(lastStatement('  ')).toBe('');
  });
});

describe('error mapping', () => {
  const serverError = (code: string, message = 'boom', extra: object = {}) => Object.assign(new Error(message), { code, ...extra });

  it('keeps SQLSTATE, detail and hint', () => {
    const e = toTsdbtError(serverError('23505', 'duplicate key', { detail: 'Key (a)=(1) exists.', hint: 'use on conflict' }), place, 'model.p.m');
    expect(e).toBeInstanceOf(TsdbtError);
    expect(e.code).toBe('sqlstate-23505');
    expect(e.category).toBe('database');
    expect(e.message).toBe('duplicate key (SQLSTATE 23505)\nDETAIL: Key (a)=(1) exists.');
    expect(e.hint).toBe('use on conflict');
    expect(e.nodeId).toBe('model.p.m');
    expect(e.retriable).toBe(false);
  });

  it('marks transient failures retriable', () => {
    for (const code of ['40001', '40P01', '55P03', '57P01', '08006', '08003']) {
      expect(toTsdbtError(serverError(code), place).retriable, code).toBe(true);
    }
    const lost = toTsdbtError(new Error('Connection terminated unexpectedly'), place);
    expect(lost).toMatchObject({ code: 'warehouse-connection', retriable: true, category: 'database' });
    expect(toTsdbtError(serverError('ECONNREFUSED', 'connect ECONNREFUSED'), place).retriable).toBe(true);
  });

  it('reports profile mistakes as user errors', () => {
    expect(toTsdbtError(serverError('28P01', 'password authentication failed'), place)).toMatchObject({
      code: 'warehouse-auth',
      category: 'user',
    });
    expect(toTsdbtError(serverError('3D000', 'database "x" does not exist'), place)).toMatchObject({
      code: 'warehouse-database-missing',
      category: 'user',
    });
    expect(toTsdbtError(serverError('ENOTFOUND', 'getaddrinfo ENOTFOUND nohost'), place)).toMatchObject({
      code: 'warehouse-host-unknown',
      category: 'user',
    });
    const own = new TsdbtError('x', { code: 'compiler-error' });
    expect(toTsdbtError(own, place)).toBe(own);
  });
});
