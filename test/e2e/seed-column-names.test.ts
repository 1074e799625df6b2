// Seed column names come from a CSV header, which is data, not SQL: every name reaches the warehouse
// quoted (dbt-adapters' quote_seed_column quotes unless `quote_columns: false`), so keywords, blanks,
// quotes, mixed case and SQL text are all just names, on the PostgreSQL server, PGlite and chDB.
// With `quote_columns: false` names fold as unquoted SQL names do, and a header that is no SQL name
// at all is an error naming the file and the column (dbt would paste it into its DDL), unless it is
// one double-quoted name, which names what is inside.
import { rmSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runAsCli } from '../support/cli-outcome.js';
import { WAREHOUSES, warehouseProject, type RunOutcome, type WarehouseProject } from '../support/warehouse-project.js';

const KINDS = [...WAREHOUSES, 'chdb'] as const;

describe.each(KINDS)('seed column names on %s', (kind) => {
  const sqlQuote = kind === 'chdb' ? '`' : '"';
  const q = (name: string) => `${sqlQuote}${name.replaceAll(sqlQuote, sqlQuote + sqlQuote)}${sqlQuote}`;
  let p: WarehouseProject;
  let first: RunOutcome;
  let second: RunOutcome;
  // The SQL a header would run if it were pasted into `create table ... (<name> <type>)`.
  let injection: string;
  const header = () => ['id', 'select', 'a b', 'we"ird', 'UserName', injection, 'from'];

  beforeAll(async () => {
    p = warehouseProject(kind, {
      'dbt_project.yml': `name: demo\nprofile: demo\nmodels:\n  demo:\n    +materialized: table\n`,
      'models/canary.sql': 'select 1 as alive\n',
    });
    injection = kind === 'chdb' ? `x Int64) engine = Memory; drop table ${p.schema}.canary; --` : `x int); drop table ${p.schema}.canary; --`;
    const csvHeader = header()
      .map((h) => (/[",]/.test(h) ? `"${h.replaceAll('"', '""')}"` : h))
      .join(',');
    p.write('seeds/odd.csv', `${csvHeader}\n1,s1,ab1,w1,u1,i1,f1\n2,,"x, y","q""q",u2,i2,f2\n`);
    first = await p.run('build');
    second = await p.run('seed');
  }, 300_000);
  afterAll(() => p?.cleanup());

  it('creates the columns exactly as the header names them, and the canary table survives', async () => {
    expect(first.code, first.output).toBe(0);
    expect(second.code, second.output).toBe(0);
    const columns =
      kind === 'chdb'
        ? await p.sql(`select name as column_name from system.columns where database = '${p.schema}' and table = 'odd' order by position`)
        : await p.sql(`select column_name from information_schema.columns where table_schema = '${p.schema}' and table_name = 'odd' order by ordinal_position`);
    expect(columns.map((c) => c.column_name)).toEqual(header());
    expect(await p.sql(`select alive from ${p.schema}.canary`)).toEqual([{ alive: 1 }]);
  });

  it('loads the values under those names (twice: the second seed refills the same table)', async () => {
    const rows = await p.sql(`select ${header().map(q).join(', ')} from ${q(p.schema)}.odd order by id`);
    expect(rows.map((r) => header().map((h) => r[h]))).toEqual([
      [1, 's1', 'ab1', 'w1', 'u1', 'i1', 'f1'],
      // ClickHouse stores an empty field as the type's default, as dbt-clickhouse's seeds do.
      [2, kind === 'chdb' ? '' : null, 'x, y', 'q"q', 'u2', 'i2', 'f2'],
    ]);
  });
});

describe.each(KINDS)('seeds with quote_columns: false on %s', (kind) => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {
      'dbt_project.yml': `name: demo\nprofile: demo\nseeds:\n  demo:\n    +quote_columns: false\n    typed:\n      +column_types: {Amount: varchar(12)}\n`,
      'seeds/plain.csv': 'Event_ID,value,select\nA,1,x\n',
      'seeds/typed.csv': 'Id,Amount\n1,007\n',
      // fivetran's seeds: a header that is one quoted name, pasted by dbt into its DDL as it is.
      'seeds/funky.csv': 'id,"""property_all-funky syntax"""\n1,2\n',
    });
  });
  afterAll(() => p?.cleanup());

  it('folds plain names as unquoted SQL names are folded (keywords included), and column_types still apply by header name', async () => {
    const out = await runAsCli(p, 'seed');
    expect(out.code, out.output).toBe(0);
    const folded = kind === 'chdb' ? ['Event_ID', 'value', 'select'] : ['event_id', 'value', 'select'];
    const columns = async (table: string) =>
      kind === 'chdb'
        ? (await p.sql(`select name, type from system.columns where database = '${p.schema}' and table = '${table}' order by position`)).map((c) => [c.name, c.type])
        : (await p.sql(`select column_name as name, data_type as type from information_schema.columns where table_schema = '${p.schema}' and table_name = '${table}' order by ordinal_position`)).map((c) => [c.name, c.type]);
    expect((await columns('plain')).map((c) => c[0])).toEqual(folded);
    const typed = await columns('typed');
    expect(typed[1]).toEqual(kind === 'chdb' ? ['Amount', 'String'] : ['amount', 'character varying']);
    expect((await columns('funky')).map((c) => c[0])).toEqual(['id', 'property_all-funky syntax']);
  });

  it("refuses a header that is not a SQL name, naming the file, the column and the fix: that seed fails (exit 1), nothing is sent for it", async () => {
    p.write('seeds/bad.csv', 'id,"a b; drop table x"\n1,2\n');
    const out = await runAsCli(p, 'seed');
    expect(out.code).toBe(1);
    expect(out.results.find((r) => r.unique_id === 'seed.demo.bad')?.status).toBe('error');
    expect(out.output).toContain("seeds/bad.csv:1: column 2 of the header ('a b; drop table x') is not a plain SQL name, and this seed sets quote_columns: false: written bare into the seed's create table, as dbt writes it, it would be a syntax error (or other SQL), so nothing is sent");
    expect(out.output).toContain('remove `quote_columns: false`');
    expect(out.output).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('refuses two headers that fold to one name', async () => {
    p.write('seeds/bad.csv', 'id,ID\n1,2\n');
    const out = await runAsCli(p, 'seed');
    if (kind === 'chdb') {
      expect(out.code, out.output).toBe(0);
      return;
    }
    expect(out.code).toBe(1);
    expect(out.output).toContain("seeds/bad.csv:1: columns 'id' and 'ID' of the header are both named 'id' once unquoted (quote_columns: false)");
  });
});

describe('seed headers the warehouse cannot take (PGlite)', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', { 'dbt_project.yml': 'name: demo\nprofile: demo\n' });
  });
  afterAll(() => p?.cleanup());

  // (An empty header name is no error: dbt's agate names the column by its letter, seed-csv.test.ts.)
  it('names equal in their first 63 bytes and a non-boolean quote_columns fail their seeds (exit 1) with file:line', async () => {
    p.write('seeds/b.csv', `id,${'x'.repeat(63)}1,${'x'.repeat(63)}2\n1,2,3\n`);
    p.write('seeds/c.csv', 'id\n1\n');
    p.write('seeds/c.yml', 'version: 2\nseeds:\n  - name: c\n    config: {quote_columns: "yes"}\n');
    const out = await runAsCli(p, 'seed');
    expect(out.code).toBe(1);
    expect(out.results.filter((r) => r.status === 'error').map((r) => r.unique_id).sort()).toEqual(['seed.demo.b', 'seed.demo.c']);
    expect(out.output).toContain(`seeds/b.csv:1: columns '${'x'.repeat(63)}1' and '${'x'.repeat(63)}2' of the header are both named '${'x'.repeat(63)}' once the warehouse shortens them`);
    expect(out.output).toContain('seeds/c.csv: seed c: quote_columns must be true or false, not "yes"');
  });

  it('a name over 63 bytes loads as PostgreSQL stores it (its first 63 bytes, cut at a character), with a warning', async () => {
    for (const f of ['b.csv', 'c.csv', 'c.yml']) rmSync(path.join(p.dir, 'seeds', f), { force: true });
    p.write('seeds/long.csv', `id,${'é'.repeat(32)}\n1,2\n`);
    const out = await runAsCli(p, 'seed');
    expect(out.code, out.output).toBe(0);
    expect(out.output).toContain(`seeds/long.csv:1: column 2 of the header ('${'é'.repeat(32)}') is 64 bytes long; the warehouse stores it as '${'é'.repeat(31)}'`);
    expect(await p.sql(`select "${'é'.repeat(31)}" as v from "${p.schema}".long`)).toEqual([{ v: 2 }]);
  });
});
