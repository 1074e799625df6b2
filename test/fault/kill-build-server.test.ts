// kill -9 of `tsdbt build` on the PostgreSQL server (see kill-harness.ts). The v1 build goes into a
// database of its own; each point gets an exact copy of it (`create database ... template`), so
// every point starts from the same v1 state, indexes and catalogs included.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { pgServer, profilesYaml, serverTarget } from '../support/postgres-targets.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { VERSIONS } from './fault-project.js';
import { buildInProcess, defineKillSuite, SCHEMA, type FaultWarehouse } from './kill-harness.js';

async function withClient<T>(database: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const s = pgServer();
  const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/**
 * Drops a test database. A plain DROP waits (up to 5 s) for sessions to end and stops autovacuum
 * workers; `with (force)` also ends a session of ours the server has not yet seen die, but fails
 * when an autovacuum worker is in the database (not ours to terminate): try one, then the other.
 */
async function dropDatabase(database: string): Promise<void> {
  let last: unknown;
  for (let attempt = 0; attempt < 6; attempt++) {
    try {
      await withClient(pgServer().database, (c) => c.query(`drop database if exists "${database}"${attempt % 2 === 1 ? ' with (force)' : ''}`));
      return;
    } catch (err) {
      last = err;
    }
  }
  throw last;
}

function serverWarehouse(): FaultWarehouse {
  const prefix = `tsdbt_fault_${randomBytes(4).toString('hex')}`;
  const template = `${prefix}_v1`;
  const databases: string[] = [];
  const dirs: string[] = [];
  const admin = <T>(fn: (client: pg.Client) => Promise<T>) => withClient(pgServer().database, fn);
  const project = (database: string) => testdir({ ...VERSIONS.v1, 'profiles.yml': profilesYaml('fault', { ...serverTarget(SCHEMA, 1), dbname: database }) }, 'tsdbt-fault-server-');
  return {
    coverage: 'thorough',
    name: 'the PostgreSQL server',
    async setUp(build) {
      await admin((c) => c.query(`create database "${template}"`));
      databases.push(template);
      const dir = project(template);
      dirs.push(dir);
      await build(dir);
    },
    async copyOfV1(label) {
      const database = `${prefix}_${label}`;
      // The server waits (up to 5 s) for the template's last sessions, the v1 build's, to end.
      await admin((c) => c.query(`create database "${database}" template "${template}"`));
      databases.push(database);
      const dir = project(database);
      writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('fault', { ...serverTarget(SCHEMA, 1), dbname: database }));
      return {
        dir,
        inspect: (fn) => withClient(database, (client) => fn(async (sql) => (await client.query(sql)).rows as Record<string, unknown>[])),
        async cleanup() {
          removeDir(dir);
          await dropDatabase(database);
          databases.splice(databases.indexOf(database), 1);
        },
      };
    },
    async tearDown() {
      dirs.forEach(removeDir);
      for (const database of databases) await dropDatabase(database);
    },
  };
}

defineKillSuite(serverWarehouse());

/** Polls `check` until it holds (a condition, not a duration); false when `limitMs` passes first. */
async function until(check: () => Promise<boolean>, limitMs: number): Promise<boolean> {
  const deadline = Date.now() + limitMs;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('kill -9 of build while the server runs one of its statements', () => {
  const database = `tsdbt_fault_${randomBytes(4).toString('hex')}_mid`;
  const dirs: string[] = [];
  const admin = <T>(fn: (client: pg.Client) => Promise<T>) => withClient(pgServer().database, fn);
  afterAll(async () => {
    dirs.forEach(removeDir);
    await dropDatabase(database);
  });

  it('the server ends the orphaned statement itself, so a rerun is not blocked by it', async () => {
    await admin((c) => c.query(`create database "${database}"`));
    const table = (body: string) => `{{ config(materialized='table') }}\n${body}\n`;
    const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'profiles.yml': profilesYaml('demo', { ...serverTarget(SCHEMA, 1), dbname: database }), 'models/orders.sql': table("select 1 as id, 'old' as label") });
    dirs.push(dir);
    expect((await buildInProcess(dir)).code).toBe(0);
    // The new version's CREATE TABLE runs for ten minutes; the build is killed while it runs.
    writeFileSync(path.join(dir, 'models/orders.sql'), table("select 2 as id, 'slow' as label from (select pg_sleep(600)) s"));
    const child = spawn(process.execPath, cliArgs(['build', '--project-dir', dir]), { cwd: REPO_ROOT, stdio: 'ignore', env: { ...process.env, HOME: dir, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '' } });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    let orphan: number | null = null;
    const sleeping = await withClient(database, (c) =>
      until(async () => {
        const { rows } = await c.query<{ pid: number }>("select pid from pg_stat_activity where datname = current_database() and state = 'active' and query like '%pg_sleep(600)%' and pid <> pg_backend_pid()");
        orphan = rows[0]?.pid ?? null;
        return orphan !== null;
      }, 50_000),
    );
    child.kill('SIGKILL');
    await exited;
    expect(sleeping, 'the slow CREATE TABLE never started').toBe(true);

    // The rerun creates the same staging table: it would wait for the orphan (ten minutes) if the
    // server did not notice its client is gone. Nothing here cancels or terminates it.
    writeFileSync(path.join(dir, 'models/orders.sql'), table("select 3 as id, 'new' as label"));
    const rerun = await buildInProcess(dir);
    expect(rerun.code, rerun.lines.join('\n')).toBe(0);
    const after = await withClient(database, async (c) => ({
      rows: (await c.query(`select id, label from "${SCHEMA}".orders`)).rows,
      orphan: (await c.query('select pid from pg_stat_activity where pid = $1', [orphan])).rows,
      relations: (await c.query(`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = '${SCHEMA}' and relkind in ('r', 'v') order by 1`)).rows,
    }));
    expect(after).toEqual({ rows: [{ id: 3, label: 'new' }], orphan: [], relations: [{ relname: 'orders' }] });
  }, 300_000);
});
