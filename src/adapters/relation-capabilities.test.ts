// dbt-adapters' BaseRelation.can_be_renamed / can_be_replaced: the relation's type in the adapter's
// renameable_relations / replaceable_relations (empty in BaseRelation; table and view in dbt-postgres,
// views only replaceable here).
import { describe, expect, it } from 'vitest';
import { AnsiSqlBuilders } from './default-sql.js';
import { PostgresSqlBuilders } from './postgres/postgres-sql.js';
import { Relation, type RelationType } from './relation.js';

const of = (dialect: AnsiSqlBuilders, type: RelationType | null) => new Relation({ schema: 's', identifier: 't', type }, dialect);

describe('relation.can_be_renamed / can_be_replaced', () => {
  it("PostgreSQL's tables and views, as dbt-postgres' PostgresRelation", () => {
    const pg = new PostgresSqlBuilders();
    expect([of(pg, 'table').can_be_renamed, of(pg, 'view').can_be_replaced]).toEqual([true, true]);
    expect([of(pg, 'materialized_view').can_be_renamed, of(pg, 'materialized_view').can_be_replaced, of(pg, null).can_be_renamed]).toEqual([false, false, false]);
    expect(of(pg, 'table').renameable_relations).toEqual(['view', 'table']);
    // Better than dbt-postgres, whose `create or replace table` PostgreSQL refuses: tables are not replaceable in place.
    expect([of(pg, 'table').can_be_replaced, of(pg, 'view').can_be_renamed]).toEqual([false, true]);
  });
  it("none by default, as dbt-adapters' BaseRelation", () => {
    const ansi = new AnsiSqlBuilders();
    expect([of(ansi, 'table').can_be_renamed, of(ansi, 'table').can_be_replaced]).toEqual([false, false]);
  });
});
