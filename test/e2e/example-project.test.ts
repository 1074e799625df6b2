// End to end: `tsdbt build` on a copy of the example project (the repository root), then the tables it
// leaves are compared row by row with an independent TypeScript computation of the same sessions
// (test/support/sessionize.ts). Once on the default `dev` target (embedded PGlite under target/), once
// on a PostgreSQL server (the `server` target of profiles.example.yml, in a schema of its own).
import { randomBytes } from 'node:crypto';
import { copyFile, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runTsdbt, REPO_ROOT, type CliResult } from '../support/run-cli.js';
import {
  MART_COLUMN_TYPES,
  USER_SESSIONS_COLUMNS,
  makeExampleProjectDir,
  readColumnTypes,
  readSessionMetrics,
  readStagedEvents,
  readUserSessions,
  type QueryRows,
} from '../support/example-project.js';
import { expectedFromSeeds, type ExampleExpectations } from '../support/sessionize.js';

const BUILD_TIMEOUT_MS = 300_000;

const expected: ExampleExpectations = expectedFromSeeds(REPO_ROOT);

function expectSuccessfulBuild(result: CliResult): void {
  const output = `${result.stdout}\n${result.stderr}`;
  expect(result.code, output).toBe(0);
  expect(result.stdout).toMatch(/Completed successfully|PASS=\d+/);
  expect(result.stdout).not.toMatch(/ERROR=[1-9]/);
}

/** The checks both targets share: every table the build left equals the oracle's rows. */
function describeWarehouseContents(getQuery: () => QueryRows, getSchema: () => string): void {
  it('stg_events holds one row per distinct event_id, the earliest delivery', async () => {
    const events = await readStagedEvents(getQuery(), getSchema());
    expect(events.length).toBe(new Set(expected.rawEvents.map((e) => e.event_id)).size);
    expect(events).toEqual(expected.events);
  });

  it('mart_session_metrics has the documented columns and types', async () => {
    expect(await readColumnTypes(getQuery(), getSchema(), 'mart_session_metrics')).toEqual(MART_COLUMN_TYPES);
  });

  it('mart_session_metrics equals the oracle, row by row', async () => {
    const rows = await readSessionMetrics(getQuery(), getSchema());
    expect(rows.length).toBe(expected.sessions.length);
    for (let i = 0; i < rows.length; i++) expect(rows[i], `row ${i}`).toEqual(expected.sessions[i]);
  });

  it('user_sessions equals the oracle, row by row', async () => {
    const columns = (await readColumnTypes(getQuery(), getSchema(), 'user_sessions')).map(([name]) => name);
    expect(columns).toEqual([...USER_SESSIONS_COLUMNS]);
    const rows = await readUserSessions(getQuery(), getSchema());
    expect(rows.length).toBe(expected.userSessions.length);
    for (let i = 0; i < rows.length; i++) expect(rows[i], `row ${i}`).toEqual(expected.userSessions[i]);
  });

  it('the seeds landed in the _raw schema', async () => {
    const rows = await getQuery()(`select count(*) as n from ${getSchema()}_raw.raw_click_events`);
    expect(Number(rows[0]?.n)).toBe(expected.rawEvents.length);
  });
}

describe('example project: tsdbt build on the default target (PGlite)', () => {
  let dir = '';
  let result: CliResult | undefined;
  let db: PGlite | undefined;

  beforeAll(async () => {
    dir = await makeExampleProjectDir();
    // Run from the repository root (where tsx resolves): the project's paths, including the
    // profile's `target/tsdbt.pglite`, are relative to --project-dir, as in dbt.
    result = await runTsdbt(['build', '--project-dir', dir], { timeoutMs: BUILD_TIMEOUT_MS });
    const dataDir = path.join(dir, 'target', 'tsdbt.pglite');
    // Opened only after the CLI has exited: one process at a time owns an embedded database.
    if (result.code === 0 && existsSync(dataDir)) db = await PGlite.create(dataDir);
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    await db?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds successfully', () => {
    expectSuccessfulBuild(result!);
    expect(existsSync(path.join(dir, 'target', 'tsdbt.pglite'))).toBe(true);
  });

  describeWarehouseContents(
    () => {
      if (!db) throw new Error(`no database to read: the build failed (exit code ${result?.code}; see 'builds successfully')`);
      const conn = db;
      return async (sql) => (await conn.query<Record<string, unknown>>(sql)).rows;
    },
    () => 'analytics',
  );
});

// The global set-up (test/setup/global-setup.ts) starts PostgreSQL and provides its settings.
const pgSettings = inject('pgServer');

describe('example project: tsdbt build on a PostgreSQL server (--target server)', () => {
  const schema = `ex_${randomBytes(5).toString('hex')}`;
  let dir = '';
  let result: CliResult | undefined;
  let client: pg.Client | undefined;

  beforeAll(async () => {
    const settings = pgSettings;
    dir = await makeExampleProjectDir();
    await copyFile(path.join(dir, 'profiles.example.yml'), path.join(dir, 'profiles.yml'));
    result = await runTsdbt(['build', '--project-dir', dir, '--profiles-dir', dir, '--target', 'server'], {
      timeoutMs: BUILD_TIMEOUT_MS,
      env: {
        TSDBT_PG_HOST: settings.host,
        TSDBT_PG_PORT: String(settings.port),
        TSDBT_PG_USER: settings.user,
        TSDBT_PG_PASSWORD: settings.password,
        TSDBT_PG_DBNAME: settings.database,
        TSDBT_PG_SCHEMA: schema,
      },
    });
    client = new pg.Client({
      host: settings.host,
      port: Number(settings.port),
      user: settings.user,
      password: settings.password,
      database: settings.database,
    });
    await client.connect();
  }, BUILD_TIMEOUT_MS + 60_000);

  afterAll(async () => {
    if (client) {
      // The build's schemas: the target schema and every custom one dbt derived from it (seeds -> _raw).
      const { rows } = await client.query<{ nspname: string }>(
        `select nspname from pg_namespace where nspname = $1 or nspname like $2`,
        [schema, `${schema}\\_%`],
      );
      for (const { nspname } of rows) await client.query(`drop schema if exists "${nspname}" cascade`);
      await client.end();
    }
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('builds successfully', () => {
    expectSuccessfulBuild(result!);
  });

  describeWarehouseContents(
    () => {
      const conn = client;
      if (!conn || result?.code !== 0) throw new Error(`the build failed (exit code ${result?.code}; see 'builds successfully')`);
      return async (sql) => (await conn.query<Record<string, unknown>>(sql)).rows;
    },
    () => schema,
  );
});
