// The careful swap's first way (postgres-swap-block.ts rebindBody) on both connection kinds: a table
// whose dependents are all plain views is swapped by binding the views built directly on it to the
// new table in place (`create or replace view`), so they and the views built on them keep their
// oid, owner, comments and grants, and read the new table's rows. Where the new table's columns do
// not fit a view so (a column's type changed), the swap re-creates every dependent view as before.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

describe.each(TARGET_KINDS)('the careful swap rebinding views on $name', (kind) => {
  const target = kind.make({ threads: 1 });
  let adapter: Adapter;
  const rel = (identifier: string, type: 'table' | 'view' = 'table') => adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier, type });
  const query = async (sql: string) => (await adapter.withConnection((conn) => conn.execute(sql))).rows;

  /** Rebuilds `base` from `select` through a staging table and the careful swap (the cache knows views are on it). */
  async function rebuild(select: string): Promise<void> {
    const base = rel('base');
    const staging = base.with({ identifier: 'base__dbt_tmp' });
    await adapter.withConnection((conn) =>
      conn.transaction(async (tx) => {
        await queueStatement(tx, adapter.sql.dropRelation(staging, 'table'));
        await queueStatement(tx, adapter.sql.createTableAs(staging, select, {}), { several: true });
        await adapter.replaceRelation(tx, staging, base, null);
      }),
    );
  }

  /** Each view's oid, comment and whether public may read it, by name. */
  const views = async () =>
    query(
      [
        "select c.relname as name, c.oid::int as oid, obj_description(c.oid, 'pg_class') as comment, has_table_privilege('public', c.oid, 'select') as public_select",
        `from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${target.schema}' and c.relkind = 'v' order by c.relname`,
      ].join('\n'),
    );

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext());
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create schema if not exists ${adapter.sql.quoteIdentifier(target.schema)}`);
      await conn.execute(adapter.sql.createTableAs(rel('base'), 'select 1 as id', {}));
      await conn.execute(`create view ${rel('v1', 'view')} as select id, id * 10 as id10 from ${rel('base')}`);
      await conn.execute(`create view ${rel('v2', 'view')} as select id10 + 1 as id11 from ${rel('v1')}`);
      await conn.execute(`comment on view ${rel('v1')} is 'the first view'`);
      await conn.execute(`grant select on ${rel('v2')} to public`);
      // The run's cache lists the schema now: it knows views are on `base`, so every swap of it is careful.
      await adapter.createSchemaIfMissing(conn, null, target.schema);
    });
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('keeps the views (their oid, comment, grant) and they read the new table', async () => {
    const before = await views();
    await rebuild('select g as id from generate_series(1, 3) g');
    expect(await query(`select id11 from ${rel('v2')} order by id11`)).toEqual([{ id11: 11 }, { id11: 21 }, { id11: 31 }]);
    expect(await views()).toEqual(before);
    expect(before.map((v) => [v['name'], v['comment'], v['public_select']])).toEqual([
      ['v1', 'the first view', false],
      ['v2', null, true],
    ]);
    // Nothing left beside the target: no staging table, no old table under another name.
    expect(await query(`select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${target.schema}' and c.relkind = 'r'`)).toEqual([{ name: 'base' }]);
  });

  it('re-creates the views when the new table does not fit them in place (a column type changed)', async () => {
    const before = await views();
    await rebuild('select g::bigint as id from generate_series(1, 2) g');
    expect(await query(`select id11::int as id11 from ${rel('v2')} order by id11`)).toEqual([{ id11: 11 }, { id11: 21 }]);
    const after = await views();
    // Re-created: new oids, the comment and the grant carried over.
    expect(after.map((v) => [v['name'], v['comment'], v['public_select']])).toEqual([
      ['v1', 'the first view', false],
      ['v2', null, true],
    ]);
    expect(after.map((v) => v['oid'])).not.toEqual(before.map((v) => v['oid']));
    expect(await query(`select relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${target.schema}' and c.relkind = 'r'`)).toEqual([{ name: 'base' }]);
  });

  it('drops a foreign key on the old table, as CASCADE does, and keeps the views', async () => {
    await query(`alter table ${rel('base')} add primary key (id)`);
    await query(`create table ${rel('child')} (id bigint references ${rel('base')} (id))`);
    await rebuild('select g::bigint as id from generate_series(1, 4) g');
    expect(await query(`select id11::int as id11 from ${rel('v2')} order by id11`)).toEqual([{ id11: 11 }, { id11: 21 }, { id11: 31 }, { id11: 41 }]);
    expect(await query(`select count(*)::int as n from pg_constraint where conrelid = to_regclass('"${target.schema}"."child"') and contype = 'f'`)).toEqual([{ n: 0 }]);
    expect((await views()).map((v) => [v['name'], v['comment'], v['public_select']])).toEqual([
      ['v1', 'the first view', false],
      ['v2', null, true],
    ]);
    await query(`drop table ${rel('child')}`);
  });
});
