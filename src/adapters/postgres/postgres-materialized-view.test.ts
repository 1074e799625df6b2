// dbt-postgres's configuration changes of a materialized view: indexes compared by their set of
// columns, uniqueness and method (btree unless `type` says otherwise), never by name.
import { describe, expect, it } from 'vitest';
import { Relation } from '../relation.js';
import { postgresSql as sql } from './postgres-sql.js';

const mv = new Relation({ database: 'analytics', schema: 'dbt_dev', identifier: 'mv', type: 'materialized_view' }, sql);
const builders = sql.materializedViews;
const row = (name: string, columnNames: string, unique = false, method = 'btree') => ({ name, column_names: columnNames, unique, method });

describe('postgres materialized view builders', () => {
  it('create and refresh', () => {
    expect(builders.create(mv, ' select 1 as id\n')).toBe('create materialized view "analytics"."dbt_dev"."mv" as (\nselect 1 as id\n)');
    expect(builders.refresh(mv)).toBe('refresh materialized view "analytics"."dbt_dev"."mv"');
  });

  it('sees no change when the indexes match in another column order, method case or name', () => {
    const config = { indexes: [{ columns: ['b', 'a'], unique: true }, { columns: ['c'], type: 'HASH' }] };
    expect(builders.indexChanges(mv, [row('x1', 'a,b', true), row('x2', 'c', false, 'hash')], config)).toBeNull();
    expect(builders.indexChanges(mv, [], {})).toBeNull();
  });

  it('drops indexes the config lost and creates the ones it gained, each once', () => {
    const config = { indexes: [{ columns: ['a'] }, { columns: ['a'], unique: true }, { columns: ['a'], unique: true }] };
    expect(builders.indexChanges(mv, [row('mv_a', 'a'), row('mv_b', 'b')], config)).toEqual({
      drop: ['drop index if exists "dbt_dev"."mv_b"'],
      create: [{ columns: ['a'], unique: true }],
    });
    expect(builders.indexChanges(mv, [row('mv_a', 'a', false, 'hash')], {})).toEqual({ drop: ['drop index if exists "dbt_dev"."mv_a"'], create: [] });
  });
});
