import { describe, expect, it } from 'vitest';
import { clickhouseDictionaries, dictionaryCredentials } from './clickhouse-dictionary.js';
import { clickhouseSql, quoteString } from './clickhouse-sql.js';
import { Relation } from '../relation.js';

const relation = new Relation({ database: null, schema: 'db', identifier: 'names', type: 'dictionary' }, clickhouseSql());
const profile = { user: 'dbt', password: "p'w", database: 'db', host: 'ch1', port: 8123 };
const builders = clickhouseDictionaries('', profile, quoteString);

describe('dictionaryCredentials (adapter.get_credentials)', () => {
  it('puts the overrides over the profile; a falsy override removes its key', () => {
    expect(dictionaryCredentials(profile, { host: 'localhost', password: '' })).toEqual({ user: 'dbt', database: 'db', host: 'localhost', port: 8123 });
    expect(dictionaryCredentials(profile, undefined)).toEqual(profile);
  });
});

describe('the dictionary statement (clickhouse__get_create_dictionary_as_sql)', () => {
  it('with a ClickHouse query source, the profile credentials, lifetime and range', () => {
    const config = { fields: [['id', 'UInt64'], ['name', 'String']], primary_key: 'id', layout: 'HASHED()', lifetime: 'MIN 0 MAX 10', range: 'MIN a MAX b', update_field: 'ts', update_lag: 5 };
    expect(builders.create(relation, "select id, name from t where name != 'x'\n", config)).toBe(
      [
        'create or replace dictionary `db`.`names` (id UInt64, name String)',
        'primary key id',
        "source(CLICKHOUSE(user 'dbt' password 'p\\'w' db 'db' query 'select id, name from t where name != \\'x\\'' update_field 'ts' update_lag 5))",
        'layout(HASHED())',
        'lifetime(MIN 0 MAX 10)',
        'range(MIN a MAX b)',
      ].join('\n'),
    );
  });

  it('with a table or an HTTP source', () => {
    const base = { fields: [['id', 'UInt64']], layout: 'FLAT()' };
    expect(builders.create(relation, 'select 1', { ...base, table: 'people', connection_overrides: { password: '' } })).toBe(
      "create or replace dictionary `db`.`names` (id UInt64)\nsource(CLICKHOUSE(user 'dbt' db 'db' table 'people'))\nlayout(FLAT())",
    );
    expect(builders.create(relation, 'select 1', { ...base, source_type: 'http', url: 'https://x/y.csv', format: 'CSVWithNames' })).toBe(
      "create or replace dictionary `db`.`names` (id UInt64)\nsource(HTTP(URL 'https://x/y.csv' FORMAT 'CSVWithNames'))\nlayout(FLAT())",
    );
  });

  it('refuses a config without fields or layout', () => {
    expect(() => builders.create(relation, 'select 1', { layout: 'FLAT()' })).toThrow(/needs `fields`/);
    expect(() => builders.create(relation, 'select 1', { fields: [['id']], layout: 'FLAT()' })).toThrow(/needs `fields`/);
    expect(() => builders.create(relation, 'select 1', { fields: [['id', 'UInt64']] })).toThrow(/needs `layout`/);
  });
});
