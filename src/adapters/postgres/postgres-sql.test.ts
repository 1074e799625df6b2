// Golden SQL for PostgreSQL's builders: a change in generated SQL shows here in review.
import { describe, expect, it } from 'vitest';
import { Relation } from '../relation.js';
import { copyCsvSql, postgresSql as sql } from './postgres-sql.js';

const rel = (identifier: string, type: 'table' | 'view' | 'materialized_view' | null = null) =>
  new Relation({ database: 'analytics', schema: 'dbt_dev', identifier, type }, sql);

describe('postgres SQL builders', () => {
  it('quotes identifiers and strings', () => {
    expect(sql.quoteIdentifier('my "odd" name')).toBe('"my ""odd"" name"');
    expect(sql.quoteString("it's")).toBe("'it''s'");
    expect(sql.quoteString('back\\slash')).toBe("'back\\slash'");
    expect(rel('orders').render()).toBe('"analytics"."dbt_dev"."orders"');
  });

  it('creates views and tables', () => {
    expect(sql.createView(rel('v'), '  select 1 as a\n')).toBe('create view "analytics"."dbt_dev"."v" as (\nselect 1 as a\n)');
    expect(sql.createTableAs(rel('t'), 'select 1 as a -- trailing comment', {})).toBe(
      'create table "analytics"."dbt_dev"."t" as (\nselect 1 as a -- trailing comment\n)',
    );
    expect(sql.createTableAs(rel('t'), 'select 1', { unlogged: true })).toBe(
      'create unlogged table "analytics"."dbt_dev"."t" as (\nselect 1\n)',
    );
    expect(
      sql.createTable(
        rel('seed'),
        [
          { name: 'id', dataType: 'integer' },
          { name: 'Name', dataType: 'text' },
        ],
        {},
      ),
    ).toBe('create table "analytics"."dbt_dev"."seed" (\n    "id" integer,\n    "Name" text\n)');
  });

  it('drops, renames, truncates', () => {
    expect(sql.dropRelation(rel('t'), 'table')).toBe('drop table if exists "analytics"."dbt_dev"."t" cascade');
    expect(sql.dropRelation(rel('v'), 'view')).toBe('drop view if exists "analytics"."dbt_dev"."v" cascade');
    expect(sql.dropRelation(rel('m'), 'materialized_view')).toBe(
      'drop materialized view if exists "analytics"."dbt_dev"."m" cascade',
    );
    expect(sql.renameRelation(rel('t__dbt_tmp', 'table'), 't')).toBe(
      'alter table "analytics"."dbt_dev"."t__dbt_tmp" rename to "t"',
    );
    expect(sql.renameRelation(rel('v__dbt_tmp', 'view'), 'v')).toBe(
      'alter view "analytics"."dbt_dev"."v__dbt_tmp" rename to "v"',
    );
    expect(sql.truncate(rel('t'))).toBe('truncate table "analytics"."dbt_dev"."t"');
    expect(sql.createSchema('analytics', 'dbt_dev')).toBe('create schema if not exists "dbt_dev"');
  });

  it('maps logical types the way dbt-postgres seeds do', () => {
    expect(
      (['integer', 'bigint', 'float', 'numeric', 'boolean', 'date', 'timestamp', 'text'] as const).map((t) => sql.typeFor(t)),
    ).toEqual(['integer', 'bigint', 'float8', 'numeric', 'boolean', 'date', 'timestamp without time zone', 'text']);
    expect(sql.dispatchPrefixes).toEqual(['postgres', 'default']);
  });

  it('limits and copies', () => {
    expect(sql.limit('select * from t\n', 5)).toBe('select * from (\nselect * from t\n) as model_limit_subq\nlimit 5');
    expect(copyCsvSql(rel('t'), [{ name: 'a' }, { name: 'b"c' }], 'stdin')).toBe(
      'copy "analytics"."dbt_dev"."t" ("a", "b""c") from stdin with (format csv)',
    );
    expect(copyCsvSql(rel('t'), [{ name: 'a' }], 'blob')).toBe(
      `copy "analytics"."dbt_dev"."t" ("a") from '/dev/blob' with (format csv)`,
    );
  });

  it('spells contract types canonically, ignoring length and precision', () => {
    expect(['INT', 'int4', 'varchar(20)', 'character varying', 'numeric(10, 2)', 'decimal', 'timestamp(3)', 'timestamptz', 'bool', 'float', 'int[]'].map((t) => sql.canonicalType(t))).toEqual([
      'integer', 'integer', 'character varying', 'character varying', 'numeric', 'numeric', 'timestamp without time zone', 'timestamp with time zone', 'boolean', 'double precision', 'integer[]',
    ]);
  });

  it('builds fixture rows, their multiset diff, and contracted tables', () => {
    expect(sql.valuesQuery([{ name: 'a', dataType: 'integer' }, { name: 'b', dataType: null }], [[1, "it's"], [null, true]])).toBe(
      `select cast(1 as integer) as "a", 'it''s' as "b"\nunion all\nselect cast(null as integer) as "a", true as "b"`,
    );
    expect(sql.valuesQuery([{ name: 'a', dataType: 'text' }], [])).toBe('select cast(null as text) as "a" where false');
    expect(sql.rowsDiff('select 1 as a', 'select 2 as a', ['a'])).toContain('except all');
    expect(
      sql.createContractTable(
        rel('t'),
        [{ name: 'id', dataType: 'int', constraints: [{ type: 'not_null' }, { type: 'primary_key' }] }, { name: 'p', dataType: 'int', constraints: [{ type: 'foreign_key', references: { relation: '"s"."parent"', columns: ['id'] } }] }],
        [{ type: 'check', name: 'positive', expression: 'id > 0', columns: [] }],
        { table: 't', salt: 'x' },
      ),
    ).toBe('create table "analytics"."dbt_dev"."t" (\n    id int not null primary key,\n    p int references "s"."parent" (id),\n    constraint positive check (id > 0)\n)');
  });

  // dbt-adapters' render_raw_columns_constraints / render_model_constraint / get_column_names write
  // a YAML name as it is unless `quote: true`: PostgreSQL folds a bare `Id` to `id`, and reads
  // column-name keywords (`time`) bare as columns. A reserved word, bare, would be a syntax error,
  // and a name that is no identifier would be SQL: those are quoted (folded, or as written).
  it("writes a contracted table's YAML names bare as dbt-postgres does, quoting only what bare text cannot be", () => {
    const columns = [
      { name: 'Id', dataType: 'integer', constraints: [{ type: 'primary_key' as const }] },
      { name: 'time', dataType: 'text', constraints: [] },
      { name: 'From', dataType: 'text', constraints: [] },
      { name: 'my col', dataType: 'text', constraints: [] },
      { name: 'Quoted', dataType: 'text', constraints: [], quote: true },
    ];
    const constraints = [{ type: 'unique' as const, name: 'Uq', columns: ['time', 'order'] }];
    expect(sql.createContractTable(rel('t'), columns, constraints, { table: 't', salt: 'x' })).toBe(
      [
        'create table "analytics"."dbt_dev"."t" (',
        '    Id integer primary key,',
        '    time text,',
        '    "from" text,',
        '    "my col" text,',
        '    "Quoted" text,',
        '    constraint Uq unique (time, "order")',
        ')',
      ].join('\n'),
    );
    expect(sql.contractInsert(rel('t'), columns, 'select 1').replace(/\s+/g, ' ')).toBe(
      'insert into "analytics"."dbt_dev"."t" ( Id, time, "from", "my col", "Quoted" ) ( select Id, time, "from", "my col", "Quoted" from ( select 1 ) as model_subq )',
    );
  });
});

describe("dbt-postgres's adapter.verify_database", () => {
  const verify = sql.templateMembers().verify_database;
  const target = { database: 'Analytics' };
  it("is '' for the target's database, ignoring case and double quotes", () => {
    expect(verify?.call({ database: 'analytics' }, target)).toBe('');
    expect(verify?.call({ database: '"Analytics"' }, target)).toBe('');
  });
  it('refuses another database with dbt-postgres\'s words', () => {
    expect(() => verify?.call({ database: 'other' }, target)).toThrow('Cross-db references not allowed in postgres (other vs Analytics)');
  });
});
