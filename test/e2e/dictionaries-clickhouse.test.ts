// `materialized='dictionary'` on ClickHouse (chDB), as dbt-clickhouse builds it: a dictionary over
// the model's SELECT (with `fields`, `primary_key`, `layout`, `lifetime`) that dictGet() and ref()
// read; a second run replaces it with the new SELECT; a table of that name is replaced by it; a
// config without `fields` fails the node with its file; on PostgreSQL there is no such
// materialization, as with dbt-postgres.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

function dictionary(select: string, config = "fields=[('id', 'UInt64'), ('name', 'String')], primary_key='id', layout='HASHED()', lifetime='1'"): string {
  return `{{ config(materialized='dictionary', ${config}) }}\n${select}\n`;
}

describe('dictionaries on ClickHouse (chDB)', () => {
  let p: WarehouseProject;
  const engine = async (name: string) => (await p.sql(`select engine from system.tables where database = '${p.schema}' and name = '${name}'`)).map((r) => String(r.engine));

  beforeAll(async () => {
    p = warehouseProject('chdb', {
      'seeds/people.csv': 'id,name\n1,ana\n2,bo\n',
      'models/names.sql': dictionary("select id, name from {{ ref('people') }}"),
      'models/named.sql': "{{ config(materialized='table') }}\nselect id, name from {{ ref('names') }} order by id\n",
    });
    const out = await p.run('build');
    expect(out.code, out.output).toBe(0);
  }, 120_000);
  afterAll(() => p.cleanup());

  it('builds a dictionary that dictGet() and ref() read', async () => {
    expect(await engine('names')).toEqual(['Dictionary']);
    expect(await p.sql(`select dictGet('${p.schema}.names', 'name', toUInt64(2)) as name`)).toEqual([{ name: 'bo' }]);
    expect(await p.sql(`select id, name from \`${p.schema}\`.named order by id`)).toEqual([
      { id: 1, name: 'ana' },
      { id: 2, name: 'bo' },
    ]);
  });

  it('a second run replaces it with the new SELECT', async () => {
    p.write('models/names.sql', dictionary("select id, upper(name) as name from {{ ref('people') }}"));
    const out = await p.run('run', { select: ['names'] });
    expect(out.code, out.output).toBe(0);
    expect(await p.sql(`select dictGet('${p.schema}.names', 'name', toUInt64(1)) as name`)).toEqual([{ name: 'ANA' }]);
  });

  it('replaces a table of that name', async () => {
    p.write('models/names.sql', "{{ config(materialized='table') }}\nselect 1 as id\n");
    let out = await p.run('run', { select: ['names'] });
    expect(out.code, out.output).toBe(0);
    expect(await engine('names')).toEqual(['MergeTree']);
    p.write('models/names.sql', dictionary("select id, name from {{ ref('people') }}"));
    out = await p.run('run', { select: ['names'] });
    expect(out.code, out.output).toBe(0);
    expect(await engine('names')).toEqual(['Dictionary']);
    expect(await p.sql(`select dictGet('${p.schema}.names', 'name', toUInt64(1)) as name`)).toEqual([{ name: 'ana' }]);
    // And back: the table replaces the dictionary.
    p.write('models/names.sql', "{{ config(materialized='table') }}\nselect 1 as id\n");
    out = await p.run('run', { select: ['names'] });
    expect(out.code, out.output).toBe(0);
    expect(await engine('names')).toEqual(['MergeTree']);
  });

  it('a config without fields fails the node with its file, leaving what was there', async () => {
    p.write('models/names.sql', dictionary("select id, name from {{ ref('people') }}", "layout='HASHED()'"));
    const out = await p.run('run', { select: ['names'] });
    expect(out.code).toBe(1);
    expect(out.output).toMatch(/models\/names\.sql: a dictionary model needs `fields`, a list of \(name, type\) pairs/);
    expect(await engine('names')).toEqual(['MergeTree']);
  });
});

describe('dictionaries on PostgreSQL (PGlite)', () => {
  it('are no materialization, as with dbt-postgres', async () => {
    const p = warehouseProject('pglite', { 'models/d.sql': dictionary('select 1 as id') });
    try {
      const out = await p.run('run');
      expect(out.code).toBe(1);
      expect(out.output).toMatch(/models\/d\.sql:1: No materialization 'dictionary' was found for adapter postgres!/);
    } finally {
      await p.cleanup();
    }
  });
});
