// An independent oracle for the example project: computes, in plain TypeScript from the seed CSVs,
// what the models must produce (deduplicated events, sessions, session metrics, user sessions).
// It deliberately shares nothing with the SQL in models/: the e2e tests compare the warehouse
// tables built by tsdbt (or dbt) with these rows.
//
// The rules, as the project documents them:
// - events are deduplicated on event_id, keeping the earliest delivery (received_at);
// - a user's events are ordered by event_ts, ties broken by event_id;
// - a new session starts when the gap to the user's previous event is strictly greater than the
//   timeout (30 minutes: a gap of exactly 30:00 stays in the session, 30:01 starts a new one);
// - the session key is md5('<user_id>-<session number>'), sessions numbered from 1 per user;
// - landing_page / exit_page are the page_url of the first / last event in that order.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { SampleEvent } from '../../src/loader/sample-events.js';

/** A delivered click event: the fields a producer sends (event_ts as 'YYYY-MM-DD HH:MM:SS' UTC), and when it arrived. */
export interface ClickEvent extends SampleEvent {
  received_at: string;
}

export interface UserProfile {
  user_id: string;
  username: string;
  account_type: string;
  signup_date: string;
  country: string;
  updated_at: string;
}

/** One row of mart_session_metrics; timestamps as 'YYYY-MM-DDTHH:MM:SS' (UTC, no zone). */
export interface SessionMetrics {
  session_id: string;
  user_id: string;
  session_start: string;
  session_end: string;
  duration_seconds: number;
  page_views: number;
  events: number;
  purchased: boolean;
  landing_page: string;
  exit_page: string;
}

/** One row of user_sessions. */
export interface UserSession extends SessionMetrics {
  user_session_number: number;
  username: string | null;
  account_type: string | null;
  country: string | null;
}

export interface SessionizeOptions {
  /** The inactivity timeout; a gap strictly greater than this starts a new session. */
  timeoutMinutes: number;
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})$/;

/** Seconds since the epoch of a UTC 'YYYY-MM-DD HH:MM:SS' timestamp. */
export function epochSeconds(ts: string): number {
  const m = TIMESTAMP.exec(ts);
  if (!m) throw new Error(`not a 'YYYY-MM-DD HH:MM:SS' timestamp: ${JSON.stringify(ts)}`);
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, number, number, number, number, number, number];
  return Date.UTC(y, mo - 1, d, h, mi, s) / 1000;
}

/** 'YYYY-MM-DD HH:MM:SS' -> 'YYYY-MM-DDTHH:MM:SS' (validated). */
export function isoTimestamp(ts: string): string {
  return new Date(epochSeconds(ts) * 1000).toISOString().slice(0, 19);
}

function byCodeUnit(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function readCsv(text: string): Record<string, string>[] {
  return parse<Record<string, string>>(text, { columns: true, bom: true, skip_empty_lines: true });
}

function field(row: Record<string, string>, name: string): string {
  const v = row[name];
  if (v === undefined) throw new Error(`CSV row has no column '${name}'`);
  return v;
}

export function parseClickEventsCsv(text: string): ClickEvent[] {
  return readCsv(text).map((r) => ({
    session_id: field(r, 'session_id'),
    user_id: field(r, 'user_id'),
    event_id: field(r, 'event_id'),
    event_type: field(r, 'event_type'),
    page_url: field(r, 'page_url'),
    referrer_url: field(r, 'referrer_url') === '' ? null : field(r, 'referrer_url'),
    event_ts: field(r, 'event_ts'),
    received_at: field(r, 'received_at'),
  }));
}

export function parseUserProfilesCsv(text: string): UserProfile[] {
  return readCsv(text).map((r) => ({
    user_id: field(r, 'user_id'),
    username: field(r, 'username'),
    account_type: field(r, 'account_type'),
    signup_date: field(r, 'signup_date'),
    country: field(r, 'country'),
    updated_at: field(r, 'updated_at'),
  }));
}

/** One event per event_id: the earliest delivery (by received_at). */
export function dedupeEvents(rows: readonly ClickEvent[]): ClickEvent[] {
  const kept = new Map<string, ClickEvent>();
  for (const row of rows) {
    const seen = kept.get(row.event_id);
    if (!seen || epochSeconds(row.received_at) < epochSeconds(seen.received_at)) kept.set(row.event_id, row);
  }
  return [...kept.values()];
}

/** The session key: md5 of '<user_id>-<session_number>', lowercase hex. */
export function sessionKey(userId: string, sessionNumber: number): string {
  return createHash('md5').update(`${userId}-${sessionNumber}`).digest('hex');
}

/** Groups already-deduplicated events into sessions; returns the mart rows sorted by session_id. */
export function sessionize(events: readonly ClickEvent[], options: SessionizeOptions): SessionMetrics[] {
  const timeout = options.timeoutMinutes * 60;
  const byUser = new Map<string, ClickEvent[]>();
  for (const e of events) {
    const list = byUser.get(e.user_id);
    if (list) list.push(e);
    else byUser.set(e.user_id, [e]);
  }
  const sessions: SessionMetrics[] = [];
  for (const [userId, list] of byUser) {
    const ordered = [...list].sort((a, b) => epochSeconds(a.event_ts) - epochSeconds(b.event_ts) || byCodeUnit(a.event_id, b.event_id));
    let current: ClickEvent[] = [];
    let sessionNumber = 0;
    const close = (): void => {
      const first = current[0];
      const last = current[current.length - 1];
      if (!first || !last) return;
      sessionNumber += 1;
      const start = epochSeconds(first.event_ts);
      const end = epochSeconds(last.event_ts);
      sessions.push({
        session_id: sessionKey(userId, sessionNumber),
        user_id: userId,
        session_start: isoTimestamp(first.event_ts),
        session_end: isoTimestamp(last.event_ts),
        duration_seconds: end - start,
        page_views: current.filter((e) => e.event_type === 'page_view').length,
        events: current.length,
        purchased: current.some((e) => e.event_type === 'purchase'),
        landing_page: first.page_url,
        exit_page: last.page_url,
      });
    };
    let previousTs: number | null = null;
    for (const e of ordered) {
      const ts = epochSeconds(e.event_ts);
      if (previousTs !== null && ts - previousTs > timeout) {
        close();
        current = [];
      }
      current.push(e);
      previousTs = ts;
    }
    close();
  }
  return sessions.sort((a, b) => byCodeUnit(a.session_id, b.session_id));
}

/** The latest version (by updated_at) of each user's profile. */
export function latestProfiles(profiles: readonly UserProfile[]): Map<string, UserProfile> {
  const latest = new Map<string, UserProfile>();
  for (const p of profiles) {
    const seen = latest.get(p.user_id);
    if (!seen || epochSeconds(p.updated_at) > epochSeconds(seen.updated_at)) latest.set(p.user_id, p);
  }
  return latest;
}

/** user_sessions rows: sessions numbered per user by start time, joined to the latest profile. */
export function userSessions(sessions: readonly SessionMetrics[], profiles: readonly UserProfile[]): UserSession[] {
  const latest = latestProfiles(profiles);
  const byUser = new Map<string, SessionMetrics[]>();
  for (const s of sessions) byUser.set(s.user_id, [...(byUser.get(s.user_id) ?? []), s]);
  const rows: UserSession[] = [];
  for (const [userId, list] of byUser) {
    const ordered = [...list].sort((a, b) => byCodeUnit(a.session_start, b.session_start) || byCodeUnit(a.session_id, b.session_id));
    const profile = latest.get(userId);
    ordered.forEach((s, i) =>
      rows.push({
        ...s,
        user_session_number: i + 1,
        username: profile?.username ?? null,
        account_type: profile?.account_type ?? null,
        country: profile?.country ?? null,
      }),
    );
  }
  return rows.sort((a, b) => byCodeUnit(a.session_id, b.session_id));
}

export interface ExampleExpectations {
  /** Rows in seeds/raw_click_events.csv. */
  rawEvents: ClickEvent[];
  /** stg_events: one per event_id, sorted by event_id. */
  events: ClickEvent[];
  /** mart_session_metrics, sorted by session_id. */
  sessions: SessionMetrics[];
  /** user_sessions, sorted by session_id. */
  userSessions: UserSession[];
  /** stg_user_profiles: one per user, sorted by user_id. */
  profiles: UserProfile[];
}

/** Everything the example project must build, computed from the seed files in `projectDir/seeds`. */
export function expectedFromSeeds(projectDir: string, options: SessionizeOptions = { timeoutMinutes: 30 }): ExampleExpectations {
  const rawEvents = parseClickEventsCsv(readFileSync(path.join(projectDir, 'seeds/raw_click_events.csv'), 'utf8'));
  const rawProfiles = parseUserProfilesCsv(readFileSync(path.join(projectDir, 'seeds/user_profiles.csv'), 'utf8'));
  const events = dedupeEvents(rawEvents).sort((a, b) => byCodeUnit(a.event_id, b.event_id));
  const sessions = sessionize(events, options);
  return {
    rawEvents,
    events,
    sessions,
    userSessions: userSessions(sessions, rawProfiles),
    profiles: [...latestProfiles(rawProfiles).values()].sort((a, b) => byCodeUnit(a.user_id, b.user_id)),
  };
}
