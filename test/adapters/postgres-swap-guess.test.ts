// The swap a run guesses from its relation cache, on both connection kinds: a node's build and its
// swap travel in one round trip, and when the guess no longer holds (another session built a view
// on the target, or replaced it, since the schema was listed) the server refuses it and the
// transaction is done again the careful way: no relation and no view is lost, the build's result
// is the one reported, and a build that fails on its own is not run twice.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter, type AdapterResponse, type StatementEvent } from '../../src/adapters/adapter.js';
import type { Relation } from '../../src/adapters/relation.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

/** A statement's first words, without its query comment. */
const words = (e: StatementEvent, n = 3) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split(/\s+/).slice(0, n).join(' ');

describe.each(TARGET_KINDS)('guessed swaps on $name', (kind) => {
  const target = kind.make();
  const events: StatementEvent[] = [];
  let adapter: Adapter;
  const rel = (identifier: string, type: 'table' | 'view' = 'table') => adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier, type });
  /** Runs a statement on a connection of its own, as another session would (the run's cache does not see it). */
  const elsewhere = (sql: string) => adapter.withConnection((conn) => conn.execute(sql));

  /** What a built-in materialization does: the staging relation's build queued, then the swap, in one transaction. */
  async function build(relation: Relation, select: string): Promise<AdapterResponse> {
    const staging = relation.with({ identifier: `${relation.identifier}__dbt_tmp` });
    return adapter.withConnection(async (conn) => {
      const built = await conn.transaction(async (tx) => {
        await queueStatement(tx, adapter.sql.dropRelation(staging, relation.type ?? 'table'));
        const create = relation.type === 'view' ? adapter.sql.createView(staging, select) : adapter.sql.createTableAs(staging, select, {});
        const created = await queueStatement(tx, create, { several: true });
        await adapter.replaceRelation(tx, staging, relation, null);
        return created;
      });
      return (await built.result()).response;
    });
  }

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext(undefined, (e) => events.push(e)));
    // As a run does before its nodes: makes sure of the schema, which lists its relations.
    await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, target.schema));
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('sends a build and its swap in one round trip, first build and rebuild', async () => {
    events.length = 0;
    expect((await build(rel('one'), 'select g as id from generate_series(1, 3) g')).rowsAffected).toBe(3);
    // Every statement travelled with the commit.
    expect(events.filter((e) => !e.sentWithNext).map((e) => words(e))).toEqual(['commit']);
    expect(events.map((e) => words(e, 2))).toEqual(['begin', 'drop table', 'create table', 'alter table', 'commit']);

    events.length = 0;
    expect((await build(rel('one'), 'select g as id from generate_series(1, 4) g')).rowsAffected).toBe(4);
    expect(events.filter((e) => !e.sentWithNext).map((e) => words(e))).toEqual(['commit']);
    // The old table is dropped without CASCADE: nothing depends on it, as far as the run knows.
    expect(events.map((e) => e.sql).filter((sql) => /drop table if exists \S*"one"/.test(sql))).toEqual([expect.not.stringMatching(/cascade/)]);
    const { rows } = await elsewhere(`select count(*)::int as n from ${rel('one')}`);
    expect(rows).toEqual([{ n: 4 }]);
  });

  it('keeps a view another session built on the target since the schema was listed', async () => {
    await build(rel('base'), 'select 1 as id');
    await elsewhere(`create view ${rel('on_base')} as select id from ${rel('base')}`);
    events.length = 0;
    const response = await build(rel('base'), 'select g as id from generate_series(1, 2) g');
    // The guessed drop was refused (a view depends on the table), and the swap done again.
    expect(events.some((e) => (e.error as { code?: string } | undefined)?.code === 'sqlstate-2BP01')).toBe(true);
    expect(response.rowsAffected).toBe(2);
    expect((await elsewhere(`select id from ${rel('on_base')} order by id`)).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await adapter.withConnection((conn) => adapter.getRelation(conn, rel('base__dbt_tmp')))).toBeNull();
  });

  it('replaces a target the run did not know of, and one of another kind than it knew', async () => {
    await elsewhere(`create table ${rel('unknown')} as select 'old' as label`);
    await build(rel('unknown', 'view'), "select 'new' as label");
    expect((await elsewhere(`select label from ${rel('unknown')}`)).rows).toEqual([{ label: 'new' }]);
    expect((await adapter.withConnection((conn) => adapter.getRelation(conn, rel('unknown'))))?.type).toBe('view');

    await build(rel('kind', 'view'), 'select 1 as id');
    await elsewhere(`drop view ${rel('kind')}`);
    await elsewhere(`create table ${rel('kind')} as select 2 as id`);
    await build(rel('kind', 'view'), 'select 3 as id');
    expect((await elsewhere(`select id from ${rel('kind')}`)).rows).toEqual([{ id: 3 }]);
    expect((await adapter.withConnection((conn) => adapter.getRelation(conn, rel('kind'))))?.type).toBe('view');
  });

  it('runs a build that fails on its own once, leaving the previous relation', async () => {
    await build(rel('bad'), 'select 1 as id');
    events.length = 0;
    await expect(build(rel('bad'), 'select 1 / 0 as id')).rejects.toThrow(/division by zero/);
    expect(events.filter((e) => e.sql.includes('create table') && e.sql.includes('"bad__dbt_tmp"'))).toHaveLength(1);
    expect((await elsewhere(`select id from ${rel('bad')}`)).rows).toEqual([{ id: 1 }]);
  });
});
