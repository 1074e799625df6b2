// `materialized='materialized_view'` on ClickHouse (chDB), as dbt-clickhouse builds it: the model's
// table `<name>` (with its engine and order_by) filled by the SELECT, and `<name>_mv` writing every
// later insert into the source TO it. A second run keeps the rows and gives the view the new
// SELECT; `--full-refresh` rebuilds the table; `catchup=False` starts it empty; `--mv1:begin`
// blocks make several views into one table; `refreshable` makes a refreshable view; a failed run
// leaves the table and its view working; `ref()` of the model reads the table; a model becoming a
// view drops its `<name>_mv`; `materialization_target_table(ref(...))` makes the model a view into
// a table another model builds (catchup on creation, the new SELECT in place, a new target only
// with --full-refresh).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

function model(select: string, config = ''): string {
  return `{{ config(materialized='materialized_view', engine='MergeTree()', order_by='id'${config ? `, ${config}` : ''}) }}\n${select}\n`;
}

const ENGINEERS = "select id, name from {{ source('raw', 'people') }} where dept = 'eng'";

describe('materialized views on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  const raw = () => `${p.schema}_raw`;
  const rows = async (table = 'hackers') => (await p.sql(`select id, name from \`${p.schema}\`.${table} order by id, name`)).map((r) => `${String(r.id)}|${String(r.name)}`);
  const tables = async () => (await p.sql(`select name, engine from system.tables where database = '${p.schema}' and name like 'hackers%' order by name`)).map((r) => `${String(r.name)}:${String(r.engine)}`);
  const insert = (values: string) => p.sql(`insert into ${raw()}.people values ${values}`);

  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/hackers.sql': model(ENGINEERS),
      'models/hacker_count.sql': "{{ config(materialized='table') }}\nselect count() as n from {{ ref('hackers') }}\n",
    });
    p.write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: people\n`);
    await p.sql(`create database ${raw()}`);
    await p.sql(`create table ${raw()}.people (id Int32, name String, dept String) engine = MergeTree order by id`);
    await insert("(1, 'dade', 'eng'), (2, 'kate', 'eng'), (3, 'eugene', 'sales')");
  }, 120_000);
  afterAll(() => p.cleanup());

  it('builds the table from the SELECT and the view TO it; ref() reads the table', async () => {
    const out = await p.run('run');
    expect(out.code, out.output).toBe(0);
    expect(await tables()).toEqual(['hackers:MergeTree', 'hackers_mv:MaterializedView']);
    expect(await p.sql(`select sorting_key from system.tables where database = '${p.schema}' and name = 'hackers'`)).toEqual([{ sorting_key: 'id' }]);
    expect(await rows()).toEqual(['1|dade', '2|kate']);
    expect(await p.sql(`select n from \`${p.schema}\`.hacker_count`)).toEqual([{ n: 2 }]);
  });

  it('writes later inserts into the source through the view', async () => {
    await insert("(4, 'joey', 'eng'), (5, 'plague', 'sales')");
    expect(await rows()).toEqual(['1|dade', '2|kate', '4|joey']);
  });

  it('a second run keeps the rows and gives the view the new SELECT', async () => {
    p.write('models/hackers.sql', model("select id, upper(name) as name from {{ source('raw', 'people') }} where dept = 'eng'"));
    const out = await p.run('run', { select: ['hackers'] });
    expect(out.code, out.output).toBe(0);
    expect(await rows()).toEqual(['1|dade', '2|kate', '4|joey']);
    await insert("(6, 'nikon', 'eng')");
    expect(await rows()).toEqual(['1|dade', '2|kate', '4|joey', '6|NIKON']);
  });

  it('a failed run leaves the table and its view working', async () => {
    p.write('models/hackers.sql', model("select id, no_such_column as name from {{ source('raw', 'people') }}"));
    for (const fullRefresh of [false, true]) {
      const out = await p.run('run', { select: ['hackers'], fullRefresh });
      expect(out.code).toBe(1);
      expect(out.results.map((r) => r.status)).toEqual(['error']);
    }
    await insert("(7, 'cereal', 'eng')");
    expect(await rows()).toEqual(['1|dade', '2|kate', '4|joey', '6|NIKON', '7|CEREAL']);
    expect(await tables()).toEqual(['hackers:MergeTree', 'hackers_mv:MaterializedView']);
  });

  it('--full-refresh rebuilds the table from the SELECT', async () => {
    p.write('models/hackers.sql', model("select id, upper(name) as name from {{ source('raw', 'people') }} where dept = 'eng'"));
    const out = await p.run('run', { select: ['hackers'], fullRefresh: true });
    expect(out.code, out.output).toBe(0);
    expect(await rows()).toEqual(['1|DADE', '2|KATE', '4|JOEY', '6|NIKON', '7|CEREAL']);
    await insert("(8, 'razor', 'eng')");
    expect(await rows()).toEqual(['1|DADE', '2|KATE', '4|JOEY', '6|NIKON', '7|CEREAL', '8|RAZOR']);
    expect(await tables()).toEqual(['hackers:MergeTree', 'hackers_mv:MaterializedView']);
  });

  it('on_schema_change=append_new_columns adds the new column to the kept table', async () => {
    p.write('models/hackers.sql', model("select id, name, dept from {{ source('raw', 'people') }} where dept = 'eng'", "on_schema_change='append_new_columns'"));
    const out = await p.run('run', { select: ['hackers'] });
    expect(out.code, out.output).toBe(0);
    await insert("(9, 'blade', 'eng')");
    expect(await p.sql(`select id, name, dept from \`${p.schema}\`.hackers where id >= 8 order by id`)).toEqual([
      { id: 8, name: 'RAZOR', dept: '' },
      { id: 9, name: 'blade', dept: 'eng' },
    ]);
  });

  it('becoming a view drops its view into the table, so inserts into the source still work', async () => {
    p.write('models/hackers.sql', `{{ config(materialized='view') }}\n${ENGINEERS}\n`);
    const out = await p.run('run', { select: ['hackers'] });
    expect(out.code, out.output).toBe(0);
    expect(await tables()).toEqual(['hackers:View']);
    await insert("(10, 'lord nikon', 'eng')");
    expect(await rows()).toContain('10|lord nikon');
  });
});

describe('materialized view variants on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  const rows = async (table: string) => (await p.sql(`select id, name from \`${p.schema}\`.${table} order by id, name`)).map((r) => `${String(r.id)}|${String(r.name)}`);

  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'models/lazy.sql': model("select id, name from {{ ref('people') }}", 'catchup=False'),
      'models/both.sql': model(`--mv1:begin
select id, name from {{ ref('people') }} where id < 10
--mv1:end
union all
--mv2:begin
select id, 'big' as name from {{ ref('people') }} where id >= 10
--mv2:end`),
      'models/hourly.sql': model("select id, name from {{ ref('people') }}", "refreshable={'interval': 'EVERY 1 HOUR'}"),
      'seeds/people.csv': 'id,name\n1,a\n20,b\n',
      'seeds/properties.yml': 'version: 2\nseeds:\n  - name: people\n    config:\n      column_types: {id: Int32, name: String}\n',
    });
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('catchup=False starts the table empty; inserts still arrive', async () => {
    expect(await rows('lazy')).toEqual([]);
    await p.sql(`insert into \`${p.schema}\`.people values (3, 'c')`);
    expect(await rows('lazy')).toEqual(['3|c']);
  });

  it('--name:begin / --name:end blocks make one view each into the table', async () => {
    expect(await p.sql(`select name from system.tables where database = '${p.schema}' and name like 'both%' order by name`)).toEqual([{ name: 'both' }, { name: 'both_mv1' }, { name: 'both_mv2' }]);
    await p.sql(`insert into \`${p.schema}\`.people values (4, 'd'), (40, 'e')`);
    expect(await rows('both')).toEqual(['1|a', '3|c', '4|d', '20|big', '40|big']);
  });

  it('refreshable makes a refreshable view, which cannot become a plain one without --full-refresh', async () => {
    const [definition] = await p.sql(`select create_table_query as q from system.tables where database = '${p.schema}' and name = 'hourly_mv'`);
    expect(String(definition?.q)).toMatch(/REFRESH EVERY 1 HOUR/);
    p.write('models/hourly.sql', model("select id, name from {{ ref('people') }}"));
    const out = await p.run('run', { select: ['hourly'] });
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/models\/hourly\.sql: Materialized view "hourly_mv" is refreshable, but the model does not define a "refreshable" config/);
    expect(out.output).toMatch(/hint: run with --full-refresh/);
    const rebuilt = await p.run('run', { select: ['hourly'], fullRefresh: true });
    expect(rebuilt.code, rebuilt.output).toBe(0);
    const [plain] = await p.sql(`select create_table_query as q from system.tables where database = '${p.schema}' and name = 'hourly_mv'`);
    expect(String(plain?.q)).not.toMatch(/REFRESH/);
  });
});

describe('materialized views into a table another model builds (chDB)', () => {
  let p: WarehouseProject;
  const into = (model: string) => `{{ materialization_target_table(ref('${model}')) }}\n{{ config(materialized='materialized_view') }}\n`;
  const rows = async () => (await p.sql(`select id, source from \`${p.schema}\`.events order by id, source`)).map((r) => `${String(r.id)}|${String(r.source)}`);

  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/a.csv': 'id\n1\n',
      'seeds/b.csv': 'id\n2\n',
      'seeds/properties.yml': 'version: 2\nseeds:\n  - name: a\n    config:\n      column_types: {id: Int32}\n  - name: b\n    config:\n      column_types: {id: Int32}\n',
      'models/events.sql': "{{ config(materialized='table', engine='MergeTree()', order_by='id') }}\nselect toInt32(0) as id, 'seed' as source\n",
      'models/from_a.sql': `${into('events')}select id, 'a' as source from {{ ref('a') }}\n`,
      'models/from_b.sql': `${into('events')}select id, 'b' as source from {{ ref('b') }}\n`,
    });
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('each model is a view into the one table, which received their rows (catchup) and gets later inserts', async () => {
    expect(await p.sql(`select name, engine from system.tables where database = '${p.schema}' and name in ('events', 'from_a', 'from_b') order by name`)).toEqual([
      { name: 'events', engine: 'MergeTree' },
      { name: 'from_a', engine: 'MaterializedView' },
      { name: 'from_b', engine: 'MaterializedView' },
    ]);
    expect(await rows()).toEqual(['0|seed', '1|a', '2|b']);
    await p.sql(`insert into \`${p.schema}\`.a values (3)`);
    await p.sql(`insert into \`${p.schema}\`.b values (4)`);
    expect(await rows()).toEqual(['0|seed', '1|a', '2|b', '3|a', '4|b']);
  });

  it('a re-run gives the view its new SELECT and inserts nothing again', async () => {
    p.write('models/from_a.sql', `${into('events')}select id, 'A' as source from {{ ref('a') }}\n`);
    const out = await p.run('run', { select: ['from_a'] });
    expect(out.code, out.output).toBe(0);
    await p.sql(`insert into \`${p.schema}\`.a values (5)`);
    expect(await rows()).toEqual(['0|seed', '1|a', '2|b', '3|a', '4|b', '5|A']);
  });

  it('another target needs --full-refresh', async () => {
    p.write('models/other.sql', "{{ config(materialized='table') }}\nselect toInt32(0) as id, 'x' as source\n");
    expect((await p.run('run', { select: ['other'] })).code).toBe(0);
    p.write('models/from_a.sql', `${into('other')}select id, 'a' as source from {{ ref('a') }}\n`);
    const out = await p.run('run', { select: ['from_a'] });
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/models\/from_a\.sql: Target table mismatch for MV "from_a": Current target is ".*\.events", but model references ".*\.other"/);
    expect(out.output).toMatch(/Use --full-refresh to recreate the MV with the new target table/);
    const refreshed = await p.run('run', { select: ['from_a'], fullRefresh: true });
    expect(refreshed.code, refreshed.output).toBe(0);
    expect((await p.sql(`select id, source from \`${p.schema}\`.other order by id`)).map((r) => `${String(r.id)}|${String(r.source)}`)).toEqual(['0|x', '1|a', '3|a', '5|a']);
  });

  it('replaces a materialized_view model of its own table only with --full-refresh, dropping its view too', async () => {
    p.write('models/from_b.sql', "{{ config(materialized='materialized_view', engine='MergeTree()', order_by='id') }}\nselect id, 'b' as source from {{ ref('b') }}\n");
    expect((await p.run('run', { select: ['from_b'] })).code).toBe(0);
    p.write('models/from_b.sql', `${into('events')}select id, 'B' as source from {{ ref('b') }}\n`);
    const out = await p.run('run', { select: ['from_b'] });
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/models\/from_b\.sql: .*from_b` is a table, which a view into .*events would replace/);
    const refreshed = await p.run('run', { select: ['from_b'], fullRefresh: true });
    expect(refreshed.code, refreshed.output).toBe(0);
    expect(await p.sql(`select name, engine from system.tables where database = '${p.schema}' and name like 'from_b%' order by name`)).toEqual([{ name: 'from_b', engine: 'MaterializedView' }]);
    await p.sql(`insert into \`${p.schema}\`.b values (6)`);
    expect(await rows()).toContain('6|B');
  });
});
