// Building in place (Adapter.buildInPlace) on both connection kinds: where the run's relation cache
// says nothing is at a relation's name, it is created there (no staging relation, no rename), and a
// view is replaced by a view with `create or replace view`, so the views built on it stay as they
// are. When the guess no longer holds (another session created something at the name, a view's
// columns cannot be replaced so), the server refuses it and the transaction is done again beside the
// target with the careful swap: no relation and no view that still fits is lost.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter, type AdapterResponse, type StatementEvent } from '../../src/adapters/adapter.js';
import type { Relation } from '../../src/adapters/relation.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, TARGET_KINDS, testContext } from '../support/postgres-targets.js';

/** A statement's first words, without its query comment. */
const words = (e: StatementEvent, n = 3) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split(/\s+/).slice(0, n).join(' ');
const codeOf = (e: StatementEvent) => (e.error as { code?: string } | undefined)?.code;

describe.each(TARGET_KINDS)('in-place builds on $name', (kind) => {
  const target = kind.make();
  const events: StatementEvent[] = [];
  let adapter: Adapter;
  const rel = (identifier: string, type: 'table' | 'view' = 'table') => adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier, type });
  /** Runs a statement on a connection of its own, as another session would (the run's cache does not see it). */
  const elsewhere = (sql: string) => adapter.withConnection((conn) => conn.execute(sql));
  const rows = async (sql: string) => (await elsewhere(sql)).rows;

  /** What buildAndSwap does for a built-in table or view: in place where the adapter can, else beside the target and swapped. */
  async function build(relation: Relation, select: string): Promise<AdapterResponse> {
    const type = relation.type === 'view' ? 'view' : 'table';
    const create = (r: Relation) => (type === 'view' ? adapter.sql.createView(r, select) : adapter.sql.createTableAs(r, select, {}));
    const staging = relation.with({ identifier: `${relation.identifier}__dbt_tmp` });
    return adapter.withConnection(async (conn) => {
      const built = await conn.transaction(async (tx) => {
        const inPlace = await adapter.buildInPlace?.(tx, relation, { type, viewSql: select, inPlace: { create: [create(relation)], extras: [] }, staging, beside: { create: [create(staging)], extras: [] } });
        if (inPlace) return inPlace;
        await queueStatement(tx, adapter.sql.dropRelation(staging, type));
        const created = await queueStatement(tx, create(staging));
        await adapter.replaceRelation(tx, staging, relation, null);
        return created;
      });
      return (await built.result()).response;
    });
  }

  beforeAll(async () => {
    adapter = await createAdapter(target, testContext(undefined, (e) => events.push(e)));
    // A view with a comment of its own, there before the run lists the schema.
    await elsewhere(`create schema if not exists "${target.schema}"`);
    await elsewhere(`create view ${rel('noted', 'view')} as select 1 as id`);
    await elsewhere(`comment on view ${rel('noted', 'view')} is 'old'`);
    // As a run does before its nodes: makes sure of the schema, which lists its relations.
    await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, target.schema));
  });

  afterAll(async () => {
    await adapter?.close();
    await dropTestSchema(target);
  });

  it('creates a table and a view where nothing is, in one round trip, with no staging relation', async () => {
    events.length = 0;
    expect((await build(rel('fresh'), 'select g as id from generate_series(1, 3) g')).rowsAffected).toBe(3);
    expect(events.map((e) => words(e, 2))).toEqual(['begin', 'create table', 'commit']);
    expect(events.filter((e) => !e.sentWithNext).map((e) => words(e))).toEqual(['commit']);
    expect(events.some((e) => e.sql.includes('__dbt_tmp'))).toBe(false);
    expect(await rows(`select count(*)::int as n from ${rel('fresh')}`)).toEqual([{ n: 3 }]);

    events.length = 0;
    await build(rel('fresh_v', 'view'), 'select 7 as id');
    expect(events.map((e) => words(e, 2))).toEqual(['begin', 'create view', 'commit']);
    expect(await rows(`select id from ${rel('fresh_v', 'view')}`)).toEqual([{ id: 7 }]);
  });

  it('replaces a view by a view in place: a view built on it stays (not re-created) and reads the new definition', async () => {
    await build(rel('base_v', 'view'), 'select 1 as id');
    await elsewhere(`create view ${rel('on_base_v', 'view')} as select id from ${rel('base_v', 'view')}`);
    const oid = async () => (await rows(`select to_regclass('"${target.schema}"."on_base_v"')::oid::int as oid`))[0]?.oid;
    const before = await oid();
    events.length = 0;
    await build(rel('base_v', 'view'), 'select g as id from generate_series(1, 2) g');
    expect(events.map((e) => words(e, 4))).toEqual(['begin', 'create or replace view', 'commit']);
    expect(await rows(`select id from ${rel('on_base_v', 'view')} order by id`)).toEqual([{ id: 1 }, { id: 2 }]);
    expect(await oid()).toBe(before);
  });

  it('a table another session created at the name since the listing: built beside and swapped, the view on it kept', async () => {
    await elsewhere(`create table ${rel('taken')} as select 'old' as label`);
    await elsewhere(`create view ${rel('on_taken', 'view')} as select label from ${rel('taken')}`);
    events.length = 0;
    const response = await build(rel('taken'), "select 'new' as label union all select 'newer'");
    // The in-place create was refused (a table is there), and the build done beside it.
    expect(events.some((e) => codeOf(e) === 'sqlstate-42P07' && e.sql.includes(`create table ${rel('taken')} as`))).toBe(true);
    expect(response.rowsAffected).toBe(2);
    expect(await rows(`select label from ${rel('on_taken', 'view')} order by label`)).toEqual([{ label: 'new' }, { label: 'newer' }]);
    expect(await adapter.withConnection((conn) => adapter.getRelation(conn, rel('taken__dbt_tmp')))).toBeNull();
  });

  it('a view whose columns cannot be replaced in place is built beside and swapped: views on it that still fit are re-created', async () => {
    await build(rel('shape', 'view'), 'select 1 as id, 2 as n');
    await elsewhere(`create view ${rel('keeps', 'view')} as select id from ${rel('shape', 'view')}`);
    await elsewhere(`create view ${rel('loses', 'view')} as select n from ${rel('shape', 'view')}`);
    events.length = 0;
    // `n` is gone: create or replace view refuses (a column dropped), the careful swap does it.
    await build(rel('shape', 'view'), 'select 5 as id');
    expect(events.some((e) => codeOf(e) === 'sqlstate-42P16')).toBe(true);
    expect(await rows(`select * from ${rel('shape', 'view')}`)).toEqual([{ id: 5 }]);
    expect(await rows(`select id from ${rel('keeps', 'view')}`)).toEqual([{ id: 5 }]);
    expect(await adapter.withConnection((conn) => adapter.getRelation(conn, rel('loses', 'view')))).toBeNull();
    // A column's type changed: refused too, and done beside the target.
    events.length = 0;
    await build(rel('shape', 'view'), "select 'five'::text as id");
    expect(events.some((e) => codeOf(e) === 'sqlstate-42P16' || codeOf(e) === 'sqlstate-42804')).toBe(true);
    expect(await rows(`select id from ${rel('keeps', 'view')}`)).toEqual([{ id: 'five' }]);
  });

  it('a view with a comment of its own is built beside and swapped, so the rebuilt view has no stale comment', async () => {
    events.length = 0;
    await build(rel('noted', 'view'), 'select 2 as id');
    expect(events.some((e) => e.sql.includes('"noted__dbt_tmp"'))).toBe(true);
    expect(events.some((e) => e.sql.includes('create or replace view'))).toBe(false);
    expect(await rows(`select id, obj_description(to_regclass('"${target.schema}"."noted"'), 'pg_class') as comment from ${rel('noted', 'view')}`)).toEqual([{ id: 2, comment: null }]);
  });
});
