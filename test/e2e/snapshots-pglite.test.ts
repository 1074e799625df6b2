// Snapshots on embedded PGlite: the same SQL as on the server (timestamp strategy with
// new_record hard deletes, and the check strategy), checked against hand-computed histories.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { removeDir, testdir } from '../support/testdir.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

function project(snapshotConfig: string) {
  const dir = testdir({
    'dbt_project.yml': 'name: demo\nprofile: demo\n',
    'models/sources.yml': 'version: 2\nsources:\n  - name: raw\n    schema: raw\n    tables:\n      - name: users\n',
    'snapshots/users.sql': `{% snapshot users_snapshot %}\n{{ config(${snapshotConfig}) }}\nselect * from {{ source('raw', 'users') }}\n{% endsnapshot %}\n`,
  });
  dirs.push(dir);
  mkdirSync(path.join(dir, 'target'), { recursive: true });
  const sql = async (statements: string[]) => {
    const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
    try {
      const out: Record<string, unknown>[][] = [];
      for (const s of statements) out.push((await db.query<Record<string, unknown>>(s)).rows);
      return out;
    } finally {
      await db.close();
    }
  };
  const snapshot = async () => {
    const lines: string[] = [];
    const inv = createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    expect(await runCommand(inv, 'snapshot'), lines.join('\n')).toBe(0);
  };
  return { sql, snapshot };
}

const SEED = [
  'create schema raw',
  'create table raw.users (id int, status text, updated_at timestamp)',
  "insert into raw.users values (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01')",
];
const CHANGE = ["update raw.users set status = 'a2', updated_at = '2024-01-02' where id = 1", 'delete from raw.users where id = 2', "insert into raw.users values (3, 'c', '2024-01-02')"];

describe('snapshots on PGlite', () => {
  it('timestamp strategy with hard_deletes=new_record', async () => {
    const p = project("unique_key='id', strategy='timestamp', updated_at='updated_at', hard_deletes='new_record'");
    await p.sql(SEED);
    await p.snapshot();
    await p.sql(CHANGE);
    await p.snapshot();
    const [rows] = await p.sql([
      "select id, status, dbt_is_deleted, case when dbt_valid_from > '2024-12-31' then 'run time' else to_char(dbt_valid_from, 'MM-DD') end as valid_from, dbt_valid_to is null as current from analytics.users_snapshot order by id, dbt_valid_from, dbt_is_deleted",
    ]);
    expect(rows).toEqual([
      { id: 1, status: 'a', dbt_is_deleted: 'False', valid_from: '01-01', current: false },
      { id: 1, status: 'a2', dbt_is_deleted: 'False', valid_from: '01-02', current: true },
      { id: 2, status: 'b', dbt_is_deleted: 'False', valid_from: '01-01', current: false },
      { id: 2, status: 'b', dbt_is_deleted: 'True', valid_from: 'run time', current: true },
      { id: 3, status: 'c', dbt_is_deleted: 'False', valid_from: '01-02', current: true },
    ]);
  });

  it('check strategy', async () => {
    const p = project("unique_key='id', strategy='check', check_cols=['status']");
    await p.sql(SEED);
    await p.snapshot();
    await p.sql(["update raw.users set updated_at = '2024-06-06' where id = 2", "update raw.users set status = 'a2' where id = 1"]);
    await p.snapshot();
    const [rows] = await p.sql(['select id, status, dbt_valid_to is null as current from analytics.users_snapshot order by id, dbt_valid_from']);
    expect(rows).toEqual([
      { id: 1, status: 'a', current: false },
      { id: 1, status: 'a2', current: true },
      { id: 2, status: 'b', current: true },
    ]);
  });

  it('a column the source gains is added to the snapshot table, as dbt adds missing columns; older versions read null', async () => {
    const p = project("unique_key='id', strategy='timestamp', updated_at='updated_at'");
    await p.sql(SEED);
    await p.snapshot();
    await p.sql(['alter table raw.users add column tier text', "update raw.users set tier = 'gold', updated_at = '2024-01-03' where id = 1", "insert into raw.users values (4, 'd', '2024-01-03', 'silver')"]);
    await p.snapshot();
    const [rows] = await p.sql(['select id, status, tier, dbt_valid_to is null as current from analytics.users_snapshot order by id, dbt_valid_from']);
    expect(rows).toEqual([
      { id: 1, status: 'a', tier: null, current: false },
      { id: 1, status: 'a', tier: 'gold', current: true },
      { id: 2, status: 'b', tier: null, current: true },
      { id: 4, status: 'd', tier: 'silver', current: true },
    ]);
  });

  // dbt-adapters' build_snapshot_table selects `updated_at as dbt_updated_at, updated_at as
  // dbt_valid_from` and get_dbt_valid_to_current's `coalesce(nullif(updated_at, updated_at), null)
  // as dbt_valid_to`: over a `date` updated_at all three columns are dates (nullif's type is its
  // argument's), and later runs keep them so.
  it('a date updated_at makes dbt_updated_at, dbt_valid_from and dbt_valid_to dates, as dbt does', async () => {
    const p = project("unique_key='id', strategy='timestamp', updated_at='updated_on', hard_deletes='invalidate'");
    const types = async () =>
      (
        await p.sql([
          "select column_name, data_type from information_schema.columns where table_schema = 'analytics' and table_name = 'users_snapshot' and column_name in ('dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to') order by column_name",
        ])
      )[0];
    const dates = ['dbt_updated_at', 'dbt_valid_from', 'dbt_valid_to'].map((column_name) => ({ column_name, data_type: 'date' }));
    await p.sql(['create schema raw', 'create table raw.users (id int, status text, updated_on date)', "insert into raw.users values (1, 'a', '2024-01-01'), (2, 'b', '2024-01-01')"]);
    await p.snapshot();
    expect(await types()).toEqual(dates);
    await p.sql(["update raw.users set status = 'a2', updated_on = '2024-01-02' where id = 1", "insert into raw.users values (3, 'c', '2024-01-02')"]);
    await p.snapshot();
    expect(await types()).toEqual(dates);
    const [rows] = await p.sql([
      "select id, status, to_char(dbt_valid_from, 'YYYY-MM-DD') as valid_from, coalesce(to_char(dbt_valid_to, 'YYYY-MM-DD'), 'current') as valid_to from analytics.users_snapshot order by id, dbt_valid_from",
    ]);
    expect(rows).toEqual([
      { id: 1, status: 'a', valid_from: '2024-01-01', valid_to: '2024-01-02' },
      { id: 1, status: 'a2', valid_from: '2024-01-02', valid_to: 'current' },
      { id: 2, status: 'b', valid_from: '2024-01-01', valid_to: 'current' },
      { id: 3, status: 'c', valid_from: '2024-01-02', valid_to: 'current' },
    ]);
  });
});
