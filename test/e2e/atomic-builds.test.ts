// Nothing is lost: a failing or killed rebuild leaves the previous table (and the views on it)
// exactly as they were; a successful rebuild keeps dependent views alive. Run on the PostgreSQL
// server and on PGlite, through the CLI in a child process, checking the data left behind.
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgs, REPO_ROOT, runTsdbt } from '../support/run-cli.js';
import { dropTestSchema, pgServer, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

interface Kind {
  name: string;
  /** Writes the project's profile (if any) and returns a query function for after the CLI exits. */
  setUp(dir: string): { schema: string; query: Query; close(): Promise<void> };
}

const KINDS: Kind[] = [
  {
    name: 'postgres-server',
    setUp(dir) {
      const target = serverTarget(uniqueSchema('atomic'), 2);
      writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('demo', target));
      const s = pgServer();
      const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
      const connected = client.connect();
      return {
        schema: target.schema,
        query: async (sql) => {
          await connected;
          return (await client.query(sql)).rows as Record<string, unknown>[];
        },
        close: async () => {
          await connected;
          await client.end();
          await dropTestSchema(target);
        },
      };
    },
  },
  {
    name: 'pglite',
    setUp(dir) {
      let db: PGlite | null = null;
      return {
        schema: 'analytics',
        query: async (sql) => {
          db ??= new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
          return (await db.query<Record<string, unknown>>(sql)).rows;
        },
        close: async () => {
          await db?.close();
          db = null;
        },
      };
    },
  },
];

const TABLE_V1 = "{{ config(materialized='table') }}\nselect 1 as id, 'first' as label\nunion all select 2, 'second'\n";
const VIEW_ON_TABLE = "select id, label from {{ ref('orders') }}\n";

describe.each(KINDS)('table rebuilds on $name', (kind) => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('a failing rebuild leaves the old table and its dependent view intact', async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/orders.sql': TABLE_V1, 'models/orders_view.sql': VIEW_ON_TABLE });
    dirs.push(dir);
    const db = kind.setUp(dir);
    try {
      const first = await runTsdbt(['run', '--project-dir', dir]);
      expect(first.code, first.stdout + first.stderr).toBe(0);
      // The new version fails in the database half-way (division by zero on the second row).
      writeFileSync(path.join(dir, 'models/orders.sql'), "{{ config(materialized='table') }}\nselect id, label, 10 / (2 - id) as ratio from (select 1 as id, 'a' as label union all select 2, 'b') s\n");
      const second = await runTsdbt(['run', '--project-dir', dir, '--select', 'orders']);
      expect(second.code).toBe(1);
      expect(second.stdout).toMatch(/division by zero/);
      expect(await db.query(`select id, label from ${db.schema}.orders order by id`)).toEqual([{ id: 1, label: 'first' }, { id: 2, label: 'second' }]);
      expect(await db.query(`select count(*)::int as n from ${db.schema}.orders_view`)).toEqual([{ n: 2 }]);
      const leftovers = await db.query(`select table_name from information_schema.tables where table_schema = '${db.schema}' and table_name like '%tsdbt_tmp%'`);
      expect(leftovers).toEqual([]);
    } finally {
      await db.close();
    }
  });

  it('a successful rebuild keeps views on the table alive and serving the new data', async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/orders.sql': TABLE_V1, 'models/orders_view.sql': VIEW_ON_TABLE });
    dirs.push(dir);
    const db = kind.setUp(dir);
    try {
      expect((await runTsdbt(['run', '--project-dir', dir])).code).toBe(0);
      writeFileSync(path.join(dir, 'models/orders.sql'), "{{ config(materialized='table') }}\nselect 3 as id, 'third' as label, true as extra\n");
      const rebuilt = await runTsdbt(['run', '--project-dir', dir, '--select', 'orders']);
      expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
      expect(await db.query(`select id, label from ${db.schema}.orders_view`)).toEqual([{ id: 3, label: 'third' }]);
    } finally {
      await db.close();
    }
  });
});

describe('a killed build (SIGKILL during the CREATE TABLE) on the PostgreSQL server', () => {
  it('leaves the previous table and its rows in place', async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/orders.sql': TABLE_V1 });
    const db = KINDS[0]!.setUp(dir);
    try {
      expect((await runTsdbt(['run', '--project-dir', dir])).code).toBe(0);
      writeFileSync(path.join(dir, 'models/orders.sql'), "{{ config(materialized='table') }}\nselect 9 as id, 'new' as label from (select pg_sleep(30)) s\n");
      const child = spawn(process.execPath, cliArgs(['run', '--project-dir', dir]), { cwd: REPO_ROOT, stdio: 'ignore' });
      // Wait until the slow CREATE TABLE is running in the server (after its query comment), then kill the process.
      const deadline = Date.now() + 30_000;
      let running = false;
      while (!running && Date.now() < deadline) {
        const rows = await db.query("select 1 from pg_stat_activity where query like '%pg_sleep(30)%' and query like '%create table%' and state = 'active' and pid <> pg_backend_pid()");
        running = rows.length > 0;
        if (!running) await new Promise((r) => setTimeout(r, 100));
      }
      expect(running, 'the rebuild never reached the server').toBe(true);
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      // The server aborts the dead session's transaction; wait for that, then check.
      const settle = Date.now() + 20_000;
      while (Date.now() < settle && (await db.query("select 1 from pg_stat_activity where query like '%pg_sleep(30)%' and query like '%create table%' and state = 'active' and pid <> pg_backend_pid()")).length > 0) {
        await db.query("select pg_terminate_backend(pid) from pg_stat_activity where query like '%pg_sleep(30)%' and query like '%create table%' and pid <> pg_backend_pid()");
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await db.query(`select id, label from ${db.schema}.orders order by id`)).toEqual([{ id: 1, label: 'first' }, { id: 2, label: 'second' }]);
      expect(await db.query(`select table_name from information_schema.tables where table_schema = '${db.schema}' order by 1`)).toEqual([{ table_name: 'orders' }]);
    } finally {
      await db.close();
      removeDir(dir);
    }
  }, 300_000);
});

describe('a killed build on embedded PGlite', () => {
  it('reopens with the previous table and its rows (the data directory is not corrupted)', async () => {
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/orders.sql': TABLE_V1 });
    const db = KINDS[1]!.setUp(dir);
    try {
      expect((await runTsdbt(['run', '--project-dir', dir])).code).toBe(0);
      // A rebuild that takes seconds inside the embedded engine. Its pre-hook is the last statement
      // sent on its own before the build: the staging table's drop and the CREATE TABLE travel
      // together, and the swap with them, so no statement ends between them.
      writeFileSync(
        path.join(dir, 'models/orders.sql'),
        "{{ config(materialized='table', pre_hook='select 1 as before_the_build') }}\nselect g as id, md5(g::text) as label from generate_series(1, 3000000) g\n",
      );
      const child = spawn(process.execPath, cliArgs(['run', '--project-dir', dir, '--debug']), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'ignore'] });
      // --debug prints each statement when it ends: once the pre-hook has ended, the next round trip
      // holds the multi-second CREATE TABLE, so the kill lands while PGlite writes it.
      await new Promise<void>((resolve) => {
        let out = '';
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          if (/select 1 as before_the_build\s*\n[^\n]*\(SELECT 1 in/.test(out)) resolve();
        });
      });
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
      expect(await db.query('select id, label from analytics.orders order by id')).toEqual([{ id: 1, label: 'first' }, { id: 2, label: 'second' }]);
      // And tsdbt can open it again (the dead process's lock is taken over) and build.
      await db.close();
      writeFileSync(path.join(dir, 'models/orders.sql'), "{{ config(materialized='table') }}\nselect 7 as id, 'after' as label\n");
      const again = await runTsdbt(['run', '--project-dir', dir]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      expect(await db.query('select id, label from analytics.orders')).toEqual([{ id: 7, label: 'after' }]);
    } finally {
      await db.close();
      removeDir(dir);
    }
  }, 300_000);
});
