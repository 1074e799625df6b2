// replaceRelation on both connection kinds: the staged table becomes the target atomically and the
// views that depended on the old target survive (re-created against the new one).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter, Connection } from '../../src/adapters/adapter.js';
import type { Relation } from '../../src/adapters/relation.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

describe.each(TARGET_KINDS)('replaceRelation on $name', (kind) => {
  const target = kind.make();
  let adapter: Adapter;
  let schema: string;
  const rel = (identifier: string, type: 'table' | 'view' = 'table') =>
    adapter.relation({ database: adapter.defaultDatabase, schema, identifier, type });

  /** What a materialization does: build the staging relation, then replace, in one transaction. */
  async function rebuild(conn: Connection, target: Relation, createSql: (staging: Relation) => string, fail = false) {
    const staging = target.with({ identifier: `${target.identifier}__dbt_tmp` });
    const existing = await adapter.getRelation(conn, target);
    await conn.transaction(async (tx) => {
      await tx.execute(adapter.sql.dropRelation(staging, staging.type ?? 'table'));
      await tx.execute(createSql(staging));
      if (fail) throw new Error('build failed after staging');
      await adapter.replaceRelation(tx, staging, target, existing);
    });
  }

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext());
  });

  const schemas: string[] = [];
  /** Each test gets its own schema, dropped after the suite. */
  async function freshSchema(conn: Connection): Promise<void> {
    schema = `${target.schema}_${schemas.length}`;
    schemas.push(schema);
    await adapter.createSchemaIfMissing(conn, null, schema);
  }

  afterAll(async () => {
    if (adapter) {
      await adapter.withConnection(async (conn) => {
        for (const s of schemas) await conn.execute(`drop schema if exists ${adapter.sql.quoteIdentifier(s)} cascade`);
      });
      await adapter.close();
    }
    await dropTestSchema(target);
  });

  it('swaps a new table in and keeps dependent views alive', async () => {
    await adapter.withConnection(async (conn) => {
      await freshSchema(conn);
      const t = rel('t');
      await conn.execute(adapter.sql.createTableAs(t, 'select 1 as id', {}));
      await conn.execute(adapter.sql.createView(rel('v1'), `select id from ${t}`));
      await conn.execute(adapter.sql.createView(rel('v2'), `select id * 10 as id10 from ${rel('v1')}`));
      await conn.execute(`comment on view ${rel('v1')} is 'first view'`);
      await conn.execute(`comment on column ${rel('v2')}.id10 is 'times ten'`);

      await rebuild(conn, t, (staging) => adapter.sql.createTableAs(staging, 'select g as id, g * 2 as extra from generate_series(1, 3) g', {}));

      expect((await adapter.getRelation(conn, t))?.type).toBe('table');
      expect((await adapter.getColumns(conn, t)).map((c) => c.name)).toEqual(['id', 'extra']);
      expect((await conn.execute(`select id from ${rel('v1')} order by id`)).rows).toEqual([{ id: 1 }, { id: 2 }, { id: 3 }]);
      expect((await conn.execute(`select id10 from ${rel('v2')} order by id10`)).rows).toEqual([{ id10: 10 }, { id10: 20 }, { id10: 30 }]);
      const comments = await conn.execute(
        `select obj_description('${rel('v1').include({ database: false })}'::regclass, 'pg_class') as c`,
      );
      expect(comments.rows[0]?.c).toBe('first view');
      const v2Columns = await adapter.getColumns(conn, rel('v2'));
      expect(v2Columns[0]?.comment).toBe('times ten');
      expect(await adapter.getRelation(conn, rel('t__dbt_tmp'))).toBeNull();
    });
  });

  it('leaves the old table and its views untouched when the build fails', async () => {
    await adapter.withConnection(async (conn) => {
      await freshSchema(conn);
      const t = rel('t');
      await conn.execute(adapter.sql.createTableAs(t, 'select 1 as id', {}));
      await conn.execute(adapter.sql.createView(rel('v1'), `select id from ${t}`));
      await conn.execute(adapter.sql.createView(rel('v2'), `select id from ${rel('v1')}`));
      await expect(
        rebuild(conn, t, (staging) => adapter.sql.createTableAs(staging, 'select 2 as id, 3 as extra', {}), true),
      ).rejects.toThrow('build failed');
      expect((await adapter.getColumns(conn, t)).map((c) => c.name)).toEqual(['id']);
      expect((await conn.execute(`select id from ${rel('v2')}`)).rows).toEqual([{ id: 1 }]);
      expect(await adapter.getRelation(conn, rel('t__dbt_tmp'))).toBeNull();
    });
  });

  it('replaces a view with a table (and a table with a view), keeping dependents', async () => {
    await adapter.withConnection(async (conn) => {
      await freshSchema(conn);
      const m = rel('m', 'view');
      await conn.execute(adapter.sql.createView(m, 'select 1 as id'));
      await conn.execute(adapter.sql.createView(rel('downstream'), `select id from ${m}`));

      await rebuild(conn, m.with({ type: 'table' }), (s) => adapter.sql.createTableAs(s, 'select 5 as id', {}));
      expect((await adapter.getRelation(conn, m))?.type).toBe('table');
      expect((await conn.execute(`select id from ${rel('downstream')}`)).rows).toEqual([{ id: 5 }]);

      await rebuild(conn, m.with({ type: 'view' }), (s) => adapter.sql.createView(s, 'select 6 as id'));
      expect((await adapter.getRelation(conn, m))?.type).toBe('view');
      expect((await conn.execute(`select id from ${rel('downstream')}`)).rows).toEqual([{ id: 6 }]);
    });
  });

  it('creates the target when it did not exist', async () => {
    await adapter.withConnection(async (conn) => {
      await freshSchema(conn);
      await rebuild(conn, rel('fresh'), (s) => adapter.sql.createTableAs(s, 'select 1 as id', {}));
      expect((await conn.execute(`select id from ${rel('fresh')}`)).rows).toEqual([{ id: 1 }]);
    });
  });

  it('drops a dependent view that no longer fits instead of failing the build', async () => {
    await adapter.withConnection(async (conn) => {
      await freshSchema(conn);
      const t = rel('t');
      await conn.execute(adapter.sql.createTableAs(t, 'select 1 as id, 2 as gone', {}));
      await conn.execute(adapter.sql.createView(rel('uses_gone'), `select gone from ${t}`));
      await conn.execute(adapter.sql.createView(rel('uses_id'), `select id from ${t}`));
      await rebuild(conn, t, (s) => adapter.sql.createTableAs(s, 'select 7 as id', {}));
      expect(await adapter.getRelation(conn, rel('uses_gone'))).toBeNull();
      expect((await conn.execute(`select id from ${rel('uses_id')}`)).rows).toEqual([{ id: 7 }]);
    });
  });
});
