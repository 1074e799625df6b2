// The careful swap (a table with views on it, as the run's relation cache knows) on both connection
// kinds: the node's build, the swap and the commit reach the server in one round trip (the views'
// definitions are read and the views re-created by the server, in one call of the session's swap function), and the views come
// back whole: options, comments, column comments, grants, and a materialized view on a view.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter, type StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

/** A statement's first words, without its query comment. */
const words = (e: StatementEvent, n = 2) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split(/\s+/).slice(0, n).join(' ');

describe.each(TARGET_KINDS)('the careful swap on $name', (kind) => {
  const target = kind.make();
  const events: StatementEvent[] = [];
  let adapter: Adapter;
  const rel = (identifier: string, type: 'table' | 'view' = 'table') => adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier, type });
  const query = async (sql: string) => (await adapter.withConnection((conn) => conn.execute(sql))).rows;

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext(undefined, (e) => events.push(e)));
    // Built before the run's cache lists the schema: the cache knows views are on `base`.
    const base = rel('base');
    const v1 = rel('v1', 'view');
    await adapter.withConnection(async (conn) => {
      await conn.execute(`create schema if not exists ${adapter.sql.quoteIdentifier(target.schema)}`);
      await conn.execute(adapter.sql.createTableAs(base, 'select 1 as id', {}));
      await conn.execute(`create view ${v1} with (security_barrier = true) as select id, id * 10 as id10 from ${base}`);
      await conn.execute(`comment on view ${v1} is 'it''s the first view'`);
      await conn.execute(`comment on column ${v1}.id10 is 'times ten'`);
      await conn.execute(`grant select on ${v1} to public`);
      await conn.execute(`create materialized view ${rel('mv')} as select sum(id10) as total from ${v1}`);
      await adapter.createSchemaIfMissing(conn, null, target.schema);
    });
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('sends the build, the swap and the commit in one round trip and keeps the views whole', async () => {
    const base = rel('base');
    const staging = base.with({ identifier: 'base__dbt_tmp' });
    events.length = 0;
    const created = await adapter.withConnection((conn) =>
      conn.transaction(async (tx) => {
        await queueStatement(tx, adapter.sql.dropRelation(staging, 'table'));
        const create = await queueStatement(tx, adapter.sql.createTableAs(staging, 'select g as id from generate_series(1, 3) g', {}), { several: true });
        await adapter.replaceRelation(tx, staging, base, null);
        return create;
      }),
    );
    expect((await created.result()).response.rowsAffected).toBe(3);
    expect(events.filter((e) => !e.sentWithNext).map((e) => words(e))).toEqual(['commit']);
    // The session's first swap creates its swap function (postgres-swap-function.test.ts).
    expect(events.map((e) => words(e))).toEqual(['begin', 'drop table', 'create table', 'create or', expect.stringMatching(/^select pg_temp\.tsdbt_swap\(/), 'commit']);

    expect(await query(`select id, id10 from ${rel('v1')} order by id`)).toEqual([
      { id: 1, id10: 10 },
      { id: 2, id10: 20 },
      { id: 3, id10: 30 },
    ]);
    const [v1] = await query(
      [
        "select c.reloptions::text as options, obj_description(c.oid, 'pg_class') as comment,",
        "  col_description(c.oid, 2) as column_comment, has_table_privilege('public', c.oid, 'select') as public_select",
        `from pg_class c where c.oid = to_regclass('"${target.schema}"."v1"')`,
      ].join('\n'),
    );
    expect(v1).toEqual({ options: '{security_barrier=true}', comment: "it's the first view", column_comment: 'times ten', public_select: true });
    // The materialized view on v1 is re-created (with data) against the new table.
    expect(await query(`select total::int as total from ${rel('mv')}`)).toEqual([{ total: 60 }]);
    expect(await query(`select to_regclass('"${target.schema}"."base__dbt_tmp"') is null as gone`)).toEqual([{ gone: true }]);
  });
});
