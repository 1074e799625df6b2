// Seeds as dbt loads them: inferred column types, +column_types overrides, quote_columns (default: quoted), a custom
// +schema through generate_schema_name, empty fields as NULL, and quoted CSV values.
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runTsdbt, type CliResult } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

describe('seeds', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}seeds:\n  demo:\n    +schema: raw\n    quoted:\n      +quote_columns: true\n    folded:\n      +quote_columns: false\n    typed:\n      +column_types: {code: varchar(10)}\n`,
    'seeds/typed.csv': 'id,amount,flag,day,at,code,note\n1,2.5,true,2024-01-02,2024-01-02 03:04:05,007,"hello, ""world"""\n2,,false,2024-01-03,2024-01-03 00:00:00,010,\n3000000000,1e3,,,,x,line\n',
    'seeds/quoted/quoted.csv': 'Event_ID,Mixed Case\nA,1\n',
    'seeds/plain.csv': 'Event_ID,Value\nB,2\n',
    'seeds/folded/folded.csv': 'Event_ID,Value\nC,3\n',
  });
  let result: CliResult;
  let db: PGlite;
  beforeAll(async () => {
    result = await runTsdbt(['seed', '--project-dir', dir]);
    db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
  });
  afterAll(async () => {
    await db?.close();
    removeDir(dir);
  });

  it('loads every seed into <target schema>_raw', () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toMatch(/OK loaded seed file analytics_raw\.typed .*\[INSERT 3 in/);
  });

  it('infers types like dbt and applies column_types', async () => {
    const { rows } = await db.query<{ column_name: string; data_type: string }>(
      "select column_name, data_type from information_schema.columns where table_schema = 'analytics_raw' and table_name = 'typed' order by ordinal_position",
    );
    expect(rows.map((r) => [r.column_name, r.data_type])).toEqual([
      ['id', 'bigint'],
      ['amount', 'double precision'],
      ['flag', 'boolean'],
      ['day', 'date'],
      ['at', 'timestamp without time zone'],
      ['code', 'character varying'],
      ['note', 'text'],
    ]);
    const data = await db.query('select id::text, amount, flag, day::text, at::text, code, note from analytics_raw.typed order by id');
    expect(data.rows).toEqual([
      { id: '1', amount: 2.5, flag: true, day: '2024-01-02', at: '2024-01-02 03:04:05', code: '007', note: 'hello, "world"' },
      { id: '2', amount: null, flag: false, day: '2024-01-03', at: '2024-01-03 00:00:00', code: '010', note: null },
      { id: '3000000000', amount: 1000, flag: null, day: null, at: null, code: 'x', note: 'line' },
    ]);
  });

  it("keeps the header's names by default and with quote_columns: true (dbt-postgres quotes seed columns); false folds them", async () => {
    const names = async (table: string) =>
      (await db.query<{ column_name: string }>(`select column_name from information_schema.columns where table_name = '${table}' order by ordinal_position`)).rows.map((r) => r.column_name);
    expect(await names('quoted')).toEqual(['Event_ID', 'Mixed Case']);
    expect(await names('plain')).toEqual(['Event_ID', 'Value']);
    expect(await names('folded')).toEqual(['event_id', 'value']);
  });
});

// dbt's inference (dbt_common agate_helper.build_type_tester: Integer, Number, Date, DateTime,
// Boolean, Text, with null values '' and 'null'): a column with no value is an integer column, and
// a `+column_types` set on a folder of seeds applies to the seeds that have the column and is
// ignored by the others (agate only warns about a forced name the table lacks).
describe('seeds: all-null columns and folder-level column_types', () => {
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}seeds:\n  demo:\n    lookups:\n      +column_types: {code: varchar(12), valid_from: date}\n`,
    'seeds/lookups/countries.csv': 'code,name,retired_at,comment\nDE,Germany,,\nFR,France,,null\nXX,Nowhere,, NULL \n',
    'seeds/lookups/currencies.csv': 'code,symbol\nEUR,€\n',
    'seeds/lookups/no_code.csv': 'id,label\n1,one\n',
  });
  let result: CliResult;
  let db: PGlite;
  beforeAll(async () => {
    result = await runTsdbt(['seed', '--project-dir', dir]);
    db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
  });
  afterAll(async () => {
    await db?.close();
    removeDir(dir);
  });

  const columnTypes = async (table: string) =>
    (await db.query<{ column_name: string; data_type: string }>(`select column_name, data_type from information_schema.columns where table_schema = 'analytics' and table_name = '${table}' order by ordinal_position`)).rows.map((r) => [r.column_name, r.data_type]);

  it('loads every seed of the folder, ignoring column_types entries a CSV does not have', async () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(await columnTypes('currencies')).toEqual([
      ['code', 'character varying'],
      ['symbol', 'text'],
    ]);
    expect(await columnTypes('no_code')).toEqual([
      ['id', 'integer'],
      ['label', 'text'],
    ]);
  });

  it("types a column with only empty values (or 'null') as integer, and loads them as NULL", async () => {
    expect(await columnTypes('countries')).toEqual([
      ['code', 'character varying'],
      ['name', 'text'],
      ['retired_at', 'integer'],
      ['comment', 'integer'],
    ]);
    const { rows } = await db.query('select code, retired_at, comment from analytics.countries order by code');
    expect(rows).toEqual([
      { code: 'DE', retired_at: null, comment: null },
      { code: 'FR', retired_at: null, comment: null },
      { code: 'XX', retired_at: null, comment: null },
    ]);
  });
});

// dbt reads seeds with Python's csv module (through agate), which is not strict: a quote inside a field that does not
// start with one is kept as an ordinary character. Fivetran's seeds hold JSON this way (dbt_shopify's
// shopify_transaction_data.csv: `...,{ "charges": { "data": [...] }}`). agate's Table pads a row shorter than the
// header with NULLs (a longer one is an error, see project-errors.test.ts).
describe('seeds: quotes inside an unquoted field, short rows', () => {
  const dir = testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'seeds/payloads.csv': 'id,receipt,note\n1,{ "charges": { "rate": null } },say "hi" there\n2,"a ""b""",\n',
    'seeds/short_rows.csv': 'id,name,note\n1,ann\n2,bo,x\n3\n',
  });
  let result: CliResult;
  let db: PGlite;
  beforeAll(async () => {
    result = await runTsdbt(['seed', '--project-dir', dir]);
    db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
  });
  afterAll(async () => {
    await db?.close();
    removeDir(dir);
  });

  it('are loaded verbatim, as dbt loads them', async () => {
    expect(result.code, result.stdout + result.stderr).toBe(0);
    const { rows } = await db.query('select id, receipt, note from analytics.payloads order by id');
    expect(rows).toEqual([
      { id: 1, receipt: '{ "charges": { "rate": null } }', note: 'say "hi" there' },
      { id: 2, receipt: 'a "b"', note: null },
    ]);
  });

  it('a row with fewer fields than the header has NULLs for the missing ones, as in dbt', async () => {
    const { rows } = await db.query('select id, name, note from analytics.short_rows order by id');
    expect(rows).toEqual([
      { id: 1, name: 'ann', note: null },
      { id: 2, name: 'bo', note: 'x' },
      { id: 3, name: null, note: null },
    ]);
  });
});
