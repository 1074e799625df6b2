// --empty's relations (empty-inputs.ts): the subquery dbt-adapters' render_limited writes for a
// limit of 0, and the model's own alias winning over it.
import { describe, expect, it } from 'vitest';
import { Relation } from '../adapters/relation.js';
import { AnsiSqlBuilders } from '../adapters/default-sql.js';
import { dropShadowedAliases, EmptyInputRelation } from './empty-inputs.js';

describe('--empty inputs', () => {
  const orders = new Relation({ database: 'db', schema: 'analytics', identifier: 'orders', type: 'table' }, new AnsiSqlBuilders());

  it('render as a subquery that reads no rows, aliased as dbt aliases it', () => {
    expect(String(new EmptyInputRelation(orders))).toBe('(select * from "db"."analytics"."orders" where false limit 0) _dbt_limit_subq_orders');
  });

  it("drop their alias where the model gives its own, and keep it where a clause follows", () => {
    const limited = '(select * from t where false limit 0) _dbt_limit_subq_orders';
    expect(dropShadowedAliases(`select * from ${limited} as o`)).toBe('select * from (select * from t where false limit 0) as o');
    expect(dropShadowedAliases(`select * from ${limited} o join x on true`)).toBe('select * from (select * from t where false limit 0) o join x on true');
    expect(dropShadowedAliases(`select * from ${limited}\nwhere id > 1`)).toBe(`select * from ${limited}\nwhere id > 1`);
    expect(dropShadowedAliases(`select * from ${limited} left join ${limited} AS b using (id)`)).toBe(`select * from ${limited} left join (select * from t where false limit 0) AS b using (id)`);
    expect(dropShadowedAliases(`select * from ${limited}`)).toBe(`select * from ${limited}`);
  });
});
