// Helpers for the end-to-end tests of the example project (the repository root is a dbt project):
// copy it into a temporary folder, and read back what a build left in the warehouse in a shape that
// compares directly with the oracle in sessionize.ts.
import { cp, mkdtemp } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './run-cli.js';
import type { ClickEvent, SessionMetrics, UserSession } from './sessionize.js';

/** The files and folders that make up the example project (never target/ or a local profiles.yml). */
export const EXAMPLE_PROJECT_FILES = [
  'dbt_project.yml',
  'profiles.example.yml',
  'selectors.yml',
  'packages.yml',
  'models',
  'macros',
  'seeds',
  'tests',
  'snapshots',
  'analyses',
  'schemas',
] as const;

/** Copies the example project from the repository root into `destDir` (created if missing). */
export async function copyExampleProject(destDir: string, sourceDir: string = REPO_ROOT): Promise<void> {
  for (const entry of EXAMPLE_PROJECT_FILES) {
    const from = path.join(sourceDir, entry);
    if (!existsSync(from)) continue;
    await cp(from, path.join(destDir, entry), { recursive: true });
  }
}

/** A fresh temporary folder (under the OS temp dir) holding a copy of the example project. */
export async function makeExampleProjectDir(prefix = 'tsdbt-example-'): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  await copyExampleProject(dir);
  return dir;
}

/** Runs one query and returns its rows (PGlite's `query` or a pg client, adapted). */
export type QueryRows = (sql: string) => Promise<Record<string, unknown>[]>;

/** Which SQL the readers below speak (the column values they return are the same). */
export type ReaderDialect = 'postgres' | 'clickhouse';

const timeText = (col: string, separator: 'T' | ' ', dialect: ReaderDialect): string =>
  dialect === 'clickhouse' ? `formatDateTime(${col}, '%Y-%m-%d${separator}%H:%i:%S')` : `to_char(${col}, 'YYYY-MM-DD${separator === 'T' ? '"T"' : ' '}HH24:MI:SS')`;
const ts = (col: string, dialect: ReaderDialect = 'postgres'): string => `${timeText(col, 'T', dialect)} as ${col}`;

/** The columns of analytics.mart_session_metrics, in order. */
export const MART_COLUMNS = [
  'session_id',
  'user_id',
  'session_start',
  'session_end',
  'duration_seconds',
  'page_views',
  'events',
  'purchased',
  'landing_page',
  'exit_page',
] as const;

/** The columns of analytics.user_sessions, in order. */
export const USER_SESSIONS_COLUMNS = [
  'session_id',
  'user_id',
  'user_session_number',
  'username',
  'account_type',
  'country',
  'session_start',
  'session_end',
  'duration_seconds',
  'page_views',
  'events',
  'purchased',
  'landing_page',
  'exit_page',
] as const;

/** Integer columns may come back as number, bigint or string (pg returns int8 as a string). */
function toInt(v: unknown): unknown {
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return v;
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function sortBy<T>(rows: T[], key: (row: T) => unknown): T[] {
  return rows.sort((a, b) => byCodeUnit(String(key(a)), String(key(b))));
}

export async function readSessionMetrics(query: QueryRows, schema: string, dialect: ReaderDialect = 'postgres'): Promise<SessionMetrics[]> {
  const rows = await query(
    `select session_id, user_id, ${ts('session_start', dialect)}, ${ts('session_end', dialect)}, duration_seconds, page_views, events,
            purchased, landing_page, exit_page
       from ${schema}.mart_session_metrics`,
  );
  return sortBy(
    rows.map((r) => ({
      session_id: r.session_id,
      user_id: r.user_id,
      session_start: r.session_start,
      session_end: r.session_end,
      duration_seconds: toInt(r.duration_seconds),
      page_views: toInt(r.page_views),
      events: toInt(r.events),
      purchased: r.purchased,
      landing_page: r.landing_page,
      exit_page: r.exit_page,
    })) as SessionMetrics[],
    (r) => r.session_id,
  );
}

export async function readUserSessions(query: QueryRows, schema: string, dialect: ReaderDialect = 'postgres'): Promise<UserSession[]> {
  const rows = await query(
    `select session_id, user_id, user_session_number, username, account_type, country, ${ts('session_start', dialect)},
            ${ts('session_end', dialect)}, duration_seconds, page_views, events, purchased, landing_page, exit_page
       from ${schema}.user_sessions`,
  );
  return sortBy(
    rows.map((r) => ({
      session_id: r.session_id,
      user_id: r.user_id,
      session_start: r.session_start,
      session_end: r.session_end,
      duration_seconds: toInt(r.duration_seconds),
      page_views: toInt(r.page_views),
      events: toInt(r.events),
      purchased: r.purchased,
      landing_page: r.landing_page,
      exit_page: r.exit_page,
      user_session_number: toInt(r.user_session_number),
      username: r.username,
      account_type: r.account_type,
      country: r.country,
    })) as UserSession[],
    (r) => r.session_id,
  );
}

/**
 * stg_events as the oracle's ClickEvent rows (client_session_id back under its raw name). The
 * seed's empty referrer_url is NULL on PostgreSQL and '' on ClickHouse (dbt-clickhouse's seeds
 * store the type's default): read back as NULL on both.
 */
export async function readStagedEvents(query: QueryRows, schema: string, dialect: ReaderDialect = 'postgres'): Promise<ClickEvent[]> {
  const referrer = dialect === 'clickhouse' ? "nullIf(referrer_url, '') as referrer_url" : 'referrer_url';
  const rows = await query(
    `select client_session_id as session_id, user_id, event_id, event_type, page_url, ${referrer},
            ${timeText('event_ts', ' ', dialect)} as event_ts,
            ${timeText('received_at', ' ', dialect)} as received_at
       from ${schema}.stg_events`,
  );
  return sortBy(rows as unknown as ClickEvent[], (r) => r.event_id);
}

/** Column names and PostgreSQL data types of a relation, in ordinal order. */
export async function readColumnTypes(query: QueryRows, schema: string, table: string): Promise<[string, string][]> {
  const rows = await query(
    `select column_name, data_type from information_schema.columns
      where table_schema = '${schema}' and table_name = '${table}' order by ordinal_position`,
  );
  return rows.map((r) => [String(r.column_name), String(r.data_type)]);
}

/** The data types the mart's SQL produces on PostgreSQL. */
export const MART_COLUMN_TYPES: [string, string][] = [
  ['session_id', 'text'],
  ['user_id', 'text'],
  ['session_start', 'timestamp without time zone'],
  ['session_end', 'timestamp without time zone'],
  ['duration_seconds', 'integer'],
  ['page_views', 'bigint'],
  ['events', 'bigint'],
  ['purchased', 'boolean'],
  ['landing_page', 'text'],
  ['exit_page', 'text'],
  ['last_received_at', 'timestamp without time zone'], // the incremental watermark
];
