// dbt-clickhouse's `adapter.*` methods that need no server (impl.py): the version comparison its
// is_before_version uses (part by part over the parts both versions have, numbers only),
// validate_incremental_strategy (its strategies and what each needs) and format_columns.
import { describe, expect, it } from 'vitest';
import { clickhouseTemplateMembers, compareVersions } from './clickhouse-template-members.js';

const members = clickhouseTemplateMembers({});
const validate = (args: Record<string, unknown>) => members.validate_incremental_strategy?.call({ predicates: null, unique_key: null, partition_by: null, ...args });

describe('compareVersions', () => {
  it('compares part by part, over the parts both versions have', () => {
    expect(compareVersions('22.7.1.2484', '24.3.1')).toBe(-1);
    expect(compareVersions('24.10', '24.9.2')).toBe(1);
    expect(compareVersions('24.3', '24.3.5.1')).toBe(0);
  });

  it('refuses a part that is not a number', () => {
    expect(() => compareVersions('v22.1', '24.3')).toThrow("Version must consist of only numbers separated by '.'");
  });
});

describe('validate_incremental_strategy', () => {
  it("accepts dbt-clickhouse's strategies with what they need", () => {
    expect(validate({ strategy: 'append' })).toBe('');
    expect(validate({ strategy: 'delete_insert', unique_key: 'id', predicates: ['x > 1'] })).toBe('');
    expect(validate({ strategy: 'insert_overwrite', partition_by: 'toYYYYMM(d)' })).toBe('');
  });

  it('refuses what dbt-clickhouse refuses', () => {
    expect(() => validate({ strategy: 'merge' })).toThrow("The incremental strategy 'merge' is not valid for ClickHouse.");
    expect(() => validate({ strategy: 'delete_insert' })).toThrow("'delete_insert' strategy requires a non-empty 'unique_key'.");
    expect(() => validate({ strategy: 'append', predicates: ['x > 1'] })).toThrow("Cannot apply incremental predicates with 'append' strategy.");
    expect(() => validate({ strategy: 'insert_overwrite' })).toThrow("'insert_overwrite' strategy requires non-empty 'partition_by'. Current partition_by is None.");
    expect(() => validate({ strategy: 'insert_overwrite', partition_by: 'd', unique_key: 'id' })).toThrow("'insert_overwrite' strategy does not support unique_key.");
  });
});

describe('format_columns', () => {
  it('gives each column its name and data type', () => {
    expect(members.format_columns?.call({ columns: [{ name: 'id', data_type: 'UInt32', quoted: '`id`' }, { name: 'label', data_type: 'String' }] })).toEqual([
      { name: 'id', data_type: 'UInt32' },
      { name: 'label', data_type: 'String' },
    ]);
  });
});

describe('server members while parsing', () => {
  it('answer as dbt-clickhouse does with no connection', () => {
    expect(members.is_before_version?.call({ version: '22.1' })).toBe(false);
    expect(members.supports_atomic_exchange?.call({})).toBeNull();
    expect(members.can_exchange?.call({ schema: 'db', rel_type: 'table' })).toBeNull();
  });
});

describe('server version, once per connection', () => {
  it('is_before_version and is_at_or_after_version ask select version() once per connection memo', async () => {
    let asked = 0;
    const run = (sql: string) => {
      if (/version\(\)/.test(sql)) asked++;
      return Promise.resolve([{ version: '24.3.1.1' }]);
    };
    const answers = new Map<string, Promise<unknown>>();
    const once = <T>(key: string, make: () => Promise<T>): Promise<T> => {
      if (!answers.has(key)) answers.set(key, make());
      return answers.get(key) as Promise<T>;
    };
    expect(await members.is_before_version?.query?.({ version: '25.1' }, run, once)).toBe(true);
    expect(await members.is_before_version?.query?.({ version: '23.1' }, run, once)).toBe(false);
    expect(await members.is_at_or_after_version?.query?.({ version: '24.3' }, run, once)).toBe(true);
    expect(asked).toBe(1);
  });
});
