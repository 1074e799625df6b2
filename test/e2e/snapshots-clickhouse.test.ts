// Snapshots on ClickHouse (chDB), where a run rebuilds the table and swaps it in: the timestamp
// strategy with each hard-delete mode, and the check strategy, against hand-computed histories.
// "Now" is the invocation's clock, so the run-time rows are checked exactly.
import { afterAll, describe, expect, it } from 'vitest';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const projects: WarehouseProject[] = [];
afterAll(async () => {
  for (const p of projects) await p.cleanup();
});

/** `updatedType`: the source's updated_at column type (its values written as that type reads them). */
async function project(snapshotConfig: string, updatedType: 'DateTime' | 'Date' = 'DateTime') {
  const day = (date: string) => (updatedType === 'Date' ? date : `${date} 00:00:00`);
  const p = warehouseProject('chdb', {
    'snapshots/users.sql': `{% snapshot users_snapshot %}\n{{ config(${snapshotConfig}) }}\nselect * from {{ source('raw', 'users') }}\n{% endsnapshot %}\n`,
  });
  projects.push(p);
  p.write('models/sources.yml', `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: users\n`);
  await p.sql(`create database ${p.schema}_raw`);
  await p.sql(`create table ${p.schema}_raw.users (id Int32, status String, updated_at ${updatedType}) engine = MergeTree order by id`);
  await p.sql(`insert into ${p.schema}_raw.users values (1, 'a', '${day('2024-01-01')}'), (2, 'b', '${day('2024-01-01')}')`);
  const snapshot = async (at: string) => {
    const outcome = await p.run('snapshot', { now: () => new Date(`${at}Z`) });
    expect(outcome.code, outcome.output).toBe(0);
  };
  // Day 2: user 1 changes, user 2 disappears, user 3 arrives.
  const change = async () => {
    await p.sql(`alter table ${p.schema}_raw.users update status = 'a2', updated_at = '${day('2024-01-02')}' where id = 1 settings mutations_sync = 2`);
    await p.sql(`alter table ${p.schema}_raw.users delete where id = 2 settings mutations_sync = 2`);
    await p.sql(`insert into ${p.schema}_raw.users values (3, 'c', '${day('2024-01-02')}')`);
  };
  const history = (columns = '') =>
    p.sql(
      `select id, status${columns}, formatDateTime(dbt_valid_from, '%m-%d %H:%i') as valid_from, if(isNull(dbt_valid_to), 'current', formatDateTime(dbt_valid_to, '%m-%d %H:%i')) as valid_to
       from \`${p.schema}_snapshots\`.users_snapshot order by id, dbt_valid_from${columns ? ', dbt_is_deleted' : ''}`,
    );
  /** Day 1's snapshot, day 2's changes, day 2's snapshot (run on the mornings after). */
  const snapshotAroundChange = async () => {
    await snapshot('2024-01-05 10:00:00');
    await change();
    await snapshot('2024-01-06 10:00:00');
  };
  return { p, snapshot, change, history, snapshotAroundChange };
}

describe('snapshots on ClickHouse', () => {
  it('timestamp strategy, hard deletes ignored', async () => {
    const s = await project("unique_key='id', strategy='timestamp', updated_at='updated_at', schema='snapshots'");
    await s.snapshotAroundChange();
    expect(await s.history()).toEqual([
      { id: 1, status: 'a', valid_from: '01-01 00:00', valid_to: '01-02 00:00' },
      { id: 1, status: 'a2', valid_from: '01-02 00:00', valid_to: 'current' },
      { id: 2, status: 'b', valid_from: '01-01 00:00', valid_to: 'current' },
      { id: 3, status: 'c', valid_from: '01-02 00:00', valid_to: 'current' },
    ]);
  });

  it('hard_deletes=invalidate closes a deleted key at the run time', async () => {
    const s = await project("unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='invalidate', schema='snapshots'");
    await s.snapshotAroundChange();
    expect(await s.history()).toEqual([
      { id: 1, status: 'a', valid_from: '01-01 00:00', valid_to: '01-02 00:00' },
      { id: 1, status: 'a2', valid_from: '01-02 00:00', valid_to: 'current' },
      { id: 2, status: 'b', valid_from: '01-01 00:00', valid_to: '01-06 10:00' },
      { id: 3, status: 'c', valid_from: '01-02 00:00', valid_to: 'current' },
    ]);
  });

  // dbt: unique_key is "a column name or expression"; the expression gives the column's history.
  it.each([["'id'"], ['"concat(\'user-\', toString(id))"']])('hard_deletes=new_record adds a deletion row, and a returning key gets a new version (unique_key=%s)', async (key) => {
    const s = await project(`unique_key=${key}, strategy='timestamp', updated_at='updated_at', hard_deletes='new_record', schema='snapshots'`);
    await s.snapshotAroundChange();
    await s.p.sql(`insert into ${s.p.schema}_raw.users values (2, 'back', '2024-01-07 00:00:00')`);
    await s.snapshot('2024-01-07 10:00:00');
    expect(await s.history(', dbt_is_deleted')).toEqual([
      { id: 1, status: 'a', dbt_is_deleted: 'False', valid_from: '01-01 00:00', valid_to: '01-02 00:00' },
      { id: 1, status: 'a2', dbt_is_deleted: 'False', valid_from: '01-02 00:00', valid_to: 'current' },
      { id: 2, status: 'b', dbt_is_deleted: 'False', valid_from: '01-01 00:00', valid_to: '01-06 10:00' },
      { id: 2, status: 'b', dbt_is_deleted: 'True', valid_from: '01-06 10:00', valid_to: '01-07 00:00' },
      { id: 2, status: 'back', dbt_is_deleted: 'False', valid_from: '01-07 00:00', valid_to: 'current' },
      { id: 3, status: 'c', dbt_is_deleted: 'False', valid_from: '01-02 00:00', valid_to: 'current' },
    ]);
  });

  it('check strategy versions only the checked columns', async () => {
    const s = await project("unique_key='id', strategy='check', check_cols=['status'], schema='snapshots'");
    await s.snapshot('2024-01-05 10:00:00');
    await s.p.sql(`alter table ${s.p.schema}_raw.users update updated_at = '2024-06-06 00:00:00' where id = 2 settings mutations_sync = 2`);
    await s.p.sql(`alter table ${s.p.schema}_raw.users update status = 'a2' where id = 1 settings mutations_sync = 2`);
    await s.snapshot('2024-01-06 10:00:00');
    expect(await s.history()).toEqual([
      { id: 1, status: 'a', valid_from: '01-05 10:00', valid_to: '01-06 10:00' },
      { id: 1, status: 'a2', valid_from: '01-06 10:00', valid_to: 'current' },
      { id: 2, status: 'b', valid_from: '01-05 10:00', valid_to: 'current' },
    ]);
  });

  // dbt-clickhouse builds the first table with dbt-adapters' build_snapshot_table, whose
  // `coalesce(nullif(updated_at, updated_at), null) as dbt_valid_to` has updated_at's type, and
  // inserts into it afterwards: over a Date updated_at the meta columns stay Date / Nullable(Date).
  it('a Date updated_at makes the meta columns dates, on the first run and after a rebuild', async () => {
    const s = await project("unique_key='id', strategy='timestamp', updated_at='updated_at', schema='snapshots'", 'Date');
    const types = () => s.p.sql(`select name, type from system.columns where database = '${s.p.schema}_snapshots' and table = 'users_snapshot' and name in ('dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to') order by name`);
    const dates = [
      { name: 'dbt_updated_at', type: 'Date' },
      { name: 'dbt_valid_from', type: 'Date' },
      { name: 'dbt_valid_to', type: 'Nullable(Date)' },
    ];
    await s.snapshot('2024-01-05 10:00:00');
    expect(await types()).toEqual(dates);
    await s.change();
    await s.snapshot('2024-01-06 10:00:00');
    expect(await types()).toEqual(dates);
    expect(await s.history()).toEqual([
      { id: 1, status: 'a', valid_from: '01-01 00:00', valid_to: '01-02 00:00' },
      { id: 1, status: 'a2', valid_from: '01-02 00:00', valid_to: 'current' },
      { id: 2, status: 'b', valid_from: '01-01 00:00', valid_to: 'current' },
      { id: 3, status: 'c', valid_from: '01-02 00:00', valid_to: 'current' },
    ]);
  });
});
