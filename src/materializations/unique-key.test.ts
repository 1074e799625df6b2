import { describe, expect, it } from 'vitest';
import { uniqueKeys } from './unique-key.js';

describe('uniqueKeys', () => {
  it('reads a comma-separated string as its columns (dbt-clickhouse TestIncrementalCompoundKey)', () => {
    expect(uniqueKeys('key1, key2')).toEqual(['key1', 'key2']);
    expect(uniqueKeys(['a', ' b '])).toEqual(['a', 'b']);
    expect(uniqueKeys('id')).toEqual(['id']);
    expect(uniqueKeys(undefined)).toEqual([]);
  });

  it('keeps commas inside parentheses and quotes in their expression', () => {
    expect(uniqueKeys("coalesce(a, b), concat(c, ',', d)")).toEqual(['coalesce(a, b)', "concat(c, ',', d)"]);
    expect(uniqueKeys('"a,b", c')).toEqual(['"a,b"', 'c']);
  });
});
