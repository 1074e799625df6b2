import { describe, expect, it } from 'vitest';
import { injectCtes } from './cte-injection.js';

// Expected texts are what dbt-core's inject_ctes_into_sql (sqlparse 0.4.4) returns for the same input.
describe('injectCtes, laid out as dbt-core lays injected CTEs', () => {
  const cte = [{ name: '__dbt__cte__eph', sql: 'select 1 as id' }];
  const two = [...cte, { name: '__dbt__cte__eph2', sql: 'select * from __dbt__cte__eph' }];

  it('prefixes a query without its own with: `with`, the CTEs joined by ", ", one space, the query', () => {
    expect(injectCtes('select * from __dbt__cte__eph', cte)).toBe('with __dbt__cte__eph as (\nselect 1 as id\n) select * from __dbt__cte__eph');
    expect(injectCtes('select * from __dbt__cte__eph2', two)).toBe(
      'with __dbt__cte__eph as (\nselect 1 as id\n),  __dbt__cte__eph2 as (\nselect * from __dbt__cte__eph\n) select * from __dbt__cte__eph2',
    );
  });

  it('puts `with` before a leading comment when the query has no with of its own', () => {
    expect(injectCtes('-- hi\nselect 1', cte)).toBe('with __dbt__cte__eph as (\nselect 1 as id\n) -- hi\nselect 1');
  });

  it("merges into the query's own with, after leading comments, keeping the keyword's spelling", () => {
    const sql = '-- sessions\nwith a as (select * from __dbt__cte__eph)\nselect * from a';
    expect(injectCtes(sql, cte)).toBe('-- sessions\nwith  __dbt__cte__eph as (\nselect 1 as id\n), a as (select * from __dbt__cte__eph)\nselect * from a');
    expect(injectCtes('/* c */ WITH a as (select 1) select * from a', two)).toBe(
      '/* c */ WITH  __dbt__cte__eph as (\nselect 1 as id\n),  __dbt__cte__eph2 as (\nselect * from __dbt__cte__eph\n), a as (select 1) select * from a',
    );
  });

  it('keeps with recursive in front (dbt-core functional test_with_recursive_cte)', () => {
    expect(injectCtes('WITH RECURSIVE r as (select 1) select * from r', cte)).toBe('WITH RECURSIVE  __dbt__cte__eph as (\nselect 1 as id\n), r as (select 1) select * from r');
    const sql = 'with recursive t(n) as (\n    select * from __dbt__cte__eph\n  union all\n    select n+1 from t where n < 100\n)\nselect sum(n) from t;';
    expect(injectCtes(sql, [{ name: '__dbt__cte__eph', sql: 'select 1 as fun' }]).split('\n')).toEqual([
      'with recursive  __dbt__cte__eph as (',
      'select 1 as fun',
      '), t(n) as (',
      '    select * from __dbt__cte__eph',
      '  union all',
      '    select n+1 from t where n < 100',
      ')',
      'select sum(n) from t;',
    ]);
  });

  it('does not take a name that starts with "with" for the keyword', () => {
    expect(injectCtes('select withdrawn from __dbt__cte__eph', cte)).toBe('with __dbt__cte__eph as (\nselect 1 as id\n) select withdrawn from __dbt__cte__eph');
    expect(injectCtes('withdrawals', cte)).toBe('with __dbt__cte__eph as (\nselect 1 as id\n) withdrawals');
  });

  it('returns the query unchanged without ephemerals', () => {
    expect(injectCtes('select 1', [])).toBe('select 1');
  });
});
