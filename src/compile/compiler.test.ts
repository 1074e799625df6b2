import { describe, expect, it } from 'vitest';
import { injectCtes } from './compiler.js';

describe('injectCtes', () => {
  const cte = [{ name: '__dbt__cte__eph', sql: 'select 1 as id' }];

  it('prefixes a plain select with a with clause', () => {
    expect(injectCtes('select * from __dbt__cte__eph', cte)).toBe('with __dbt__cte__eph as (\nselect 1 as id\n)\nselect * from __dbt__cte__eph');
  });

  it("merges into the query's own with, after leading comments", () => {
    const sql = '-- sessions\nwith a as (select * from __dbt__cte__eph)\nselect * from a';
    expect(injectCtes(sql, cte)).toBe('-- sessions\nwith __dbt__cte__eph as (\nselect 1 as id\n), a as (select * from __dbt__cte__eph)\nselect * from a');
  });

  it('keeps with recursive', () => {
    expect(injectCtes('WITH RECURSIVE r as (select 1) select * from r', cte)).toBe('with RECURSIVE __dbt__cte__eph as (\nselect 1 as id\n), r as (select 1) select * from r');
  });

  it('returns the query unchanged without ephemerals', () => {
    expect(injectCtes('select 1', [])).toBe('select 1');
  });
});
