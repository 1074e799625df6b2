// Unit tests for the sessionization oracle (test/support/sessionize.ts) on small hand-written inputs,
// and checks that the example project's seed data holds the cases the e2e tests rely on.
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';
import {
  dedupeEvents,
  epochSeconds,
  expectedFromSeeds,
  latestProfiles,
  parseClickEventsCsv,
  sessionKey,
  sessionize,
  userSessions,
  type ClickEvent,
} from '../support/sessionize.js';

const HEADER = 'session_id,user_id,event_id,event_type,page_url,referrer_url,event_ts,received_at';
const opts = { timeoutMinutes: 30 };

function events(lines: string[]): ClickEvent[] {
  return dedupeEvents(parseClickEventsCsv([HEADER, ...lines].join('\n') + '\n'));
}

describe('sessionize (oracle)', () => {
  it('keeps a gap of exactly 30:00 in the session', () => {
    const sessions = sessionize(
      events([
        's1,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        's1,u1,e2,page_view,/b,/a,2024-03-04 09:30:00,2024-03-04 09:30:01',
      ]),
      opts,
    );
    expect(sessions).toEqual([
      {
        session_id: sessionKey('u1', 1),
        user_id: 'u1',
        session_start: '2024-03-04T09:00:00',
        session_end: '2024-03-04T09:30:00',
        duration_seconds: 1800,
        page_views: 2,
        events: 2,
        purchased: false,
        landing_page: '/a',
        exit_page: '/b',
      },
    ]);
  });

  it('starts a new session after a gap of 30:01', () => {
    const sessions = sessionize(
      events([
        's1,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        's1,u1,e2,purchase,/checkout/complete,,2024-03-04 09:30:01,2024-03-04 09:30:02',
      ]),
      opts,
    );
    const byStart = [...sessions].sort((a, b) => a.session_start.localeCompare(b.session_start));
    expect(byStart.map((s) => [s.session_id, s.session_start, s.duration_seconds, s.events, s.page_views, s.purchased])).toEqual([
      [sessionKey('u1', 1), '2024-03-04T09:00:00', 0, 1, 1, false],
      [sessionKey('u1', 2), '2024-03-04T09:30:01', 0, 1, 0, true],
    ]);
  });

  it('measures gaps between consecutive events, not from the session start', () => {
    const sessions = sessionize(
      events([
        's,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        's,u1,e2,page_view,/b,,2024-03-04 09:29:59,2024-03-04 09:30:00',
        's,u1,e3,page_view,/c,,2024-03-04 09:59:59,2024-03-04 10:00:00',
        's,u1,e4,page_view,/d,,2024-03-04 10:30:00,2024-03-04 10:30:01',
      ]),
      opts,
    );
    const byStart = [...sessions].sort((a, b) => a.session_start.localeCompare(b.session_start));
    expect(byStart.map((s) => [s.session_start, s.session_end, s.events])).toEqual([
      ['2024-03-04T09:00:00', '2024-03-04T09:59:59', 3],
      ['2024-03-04T10:30:00', '2024-03-04T10:30:00', 1],
    ]);
  });

  it('ignores duplicate deliveries of an event (same event_id), keeping the earliest', () => {
    const deduped = events([
      's1,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 09:00:05',
      's1,u1,e2,page_view,/b,/a,2024-03-04 09:01:00,2024-03-04 09:01:02',
      's1,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 09:00:05',
      's1,u1,e2,page_view,/b,/a,2024-03-04 09:01:00,2024-03-04 11:00:00',
    ]);
    expect(deduped.map((e) => [e.event_id, e.received_at])).toEqual([
      ['e1', '2024-03-04 09:00:05'],
      ['e2', '2024-03-04 09:01:02'],
    ]);
    const [session] = sessionize(deduped, opts);
    expect(session).toMatchObject({ events: 2, page_views: 2, duration_seconds: 60 });
  });

  it('breaks ties on event_ts by event_id for landing and exit pages', () => {
    const sessions = sessionize(
      events([
        // Listed out of order on purpose: the order in the file must not matter.
        's,u1,e9,page_view,/first-by-time-but-larger-id,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        's,u1,e3,page_view,/landing,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        's,u1,e5,click,/middle,,2024-03-04 09:05:00,2024-03-04 09:05:01',
        's,u1,e8,page_view,/exit,,2024-03-04 09:10:00,2024-03-04 09:10:01',
        's,u1,e7,page_view,/not-exit,,2024-03-04 09:10:00,2024-03-04 09:10:01',
      ]),
      opts,
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ landing_page: '/landing', exit_page: '/exit', events: 5, page_views: 4, duration_seconds: 600 });
  });

  it('sessionizes each user on their own and orders by event time, not arrival', () => {
    const sessions = sessionize(
      events([
        's,u2,e4,page_view,/x,,2024-03-04 09:40:00,2024-03-04 09:40:01',
        's,u1,e2,page_view,/b,,2024-03-04 09:20:00,2024-03-04 09:20:01',
        's,u2,e3,page_view,/w,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        // u1's 09:00 event arrives last (hours late); it still opens u1's session.
        's,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 14:00:00',
      ]),
      opts,
    );
    const u1 = sessions.filter((s) => s.user_id === 'u1');
    const u2 = sessions.filter((s) => s.user_id === 'u2');
    expect(u1).toHaveLength(1);
    expect(u1[0]).toMatchObject({ landing_page: '/a', exit_page: '/b', duration_seconds: 1200 });
    expect(u2.map((s) => s.session_id).sort()).toEqual([sessionKey('u2', 1), sessionKey('u2', 2)].sort());
  });

  it('counts a session across midnight once, with its full duration', () => {
    const sessions = sessionize(
      events([
        's,u1,e1,page_view,/a,,2024-03-04 23:50:00,2024-03-04 23:50:01',
        's,u1,e2,purchase,/checkout/complete,,2024-03-05 00:10:00,2024-03-05 00:10:01',
      ]),
      opts,
    );
    expect(sessions).toHaveLength(1);
    expect(sessions[0]).toMatchObject({ duration_seconds: 1200, purchased: true, page_views: 1 });
  });

  it('uses md5 of "<user_id>-<session number>" as the session key', () => {
    // Digests computed independently (printf 'a-1' | md5sum).
    expect(sessionKey('a', 1)).toBe('737c191aed52450b9c655083c9971bdd');
    expect(sessionKey('user_001', 1)).toBe('ecd73029acc1baff59155718a8c5867c');
    expect(sessionKey('u1', 1)).not.toBe(sessionKey('u1', 2));
  });

  it('numbers user sessions by start and joins the latest profile version', () => {
    const sessions = sessionize(
      events([
        's,u1,e1,page_view,/a,,2024-03-04 09:00:00,2024-03-04 09:00:01',
        's,u1,e2,page_view,/b,,2024-03-04 12:00:00,2024-03-04 12:00:01',
        's,u9,e3,page_view,/c,,2024-03-04 12:00:00,2024-03-04 12:00:01',
      ]),
      opts,
    );
    const profiles = [
      { user_id: 'u1', username: 'old', account_type: 'free', signup_date: '2023-01-01', country: 'US', updated_at: '2023-01-01 00:00:00' },
      { user_id: 'u1', username: 'new', account_type: 'premium', signup_date: '2023-01-01', country: 'US', updated_at: '2024-01-01 00:00:00' },
    ];
    expect(latestProfiles(profiles).get('u1')?.account_type).toBe('premium');
    const rows = userSessions(sessions, profiles);
    expect(rows.filter((r) => r.user_id === 'u1').sort((a, b) => a.user_session_number - b.user_session_number).map((r) => [r.user_session_number, r.session_start, r.username, r.account_type])).toEqual([
      [1, '2024-03-04T09:00:00', 'new', 'premium'],
      [2, '2024-03-04T12:00:00', 'new', 'premium'],
    ]);
    // A user without a profile keeps their sessions (left join), with empty profile columns.
    expect(rows.find((r) => r.user_id === 'u9')).toMatchObject({ user_session_number: 1, username: null, account_type: null, country: null });
  });

  it('rejects timestamps it cannot read instead of guessing', () => {
    expect(() => epochSeconds('2024-03-04T09:00:00Z')).toThrow();
    expect(epochSeconds('2024-03-04 09:00:00')).toBe(Date.UTC(2024, 2, 4, 9) / 1000);
  });
});

describe('the example project seeds', () => {
  const expected = expectedFromSeeds(REPO_ROOT);

  function gaps(): number[] {
    const byUser = new Map<string, number[]>();
    for (const e of expected.events) byUser.set(e.user_id, [...(byUser.get(e.user_id) ?? []), epochSeconds(e.event_ts)]);
    return [...byUser.values()].flatMap((ts) => ts.sort((a, b) => a - b).slice(1).map((t, i) => t - ts[i]!));
  }

  it('has the size and shape the e2e tests rely on', () => {
    expect(expected.rawEvents.length).toBeGreaterThanOrEqual(2000);
    expect(expected.rawEvents.length).toBeLessThanOrEqual(4000);
    expect(new Set(expected.events.map((e) => e.user_id)).size).toBe(40);
    expect(expected.sessions.length).toBeGreaterThan(200);
    expect(expected.sessions.some((s) => s.purchased)).toBe(true);
    expect(expected.sessions.some((s) => s.events === 1)).toBe(true);
  });

  it('has duplicate deliveries and late events', () => {
    expect(expected.rawEvents.length - expected.events.length).toBeGreaterThanOrEqual(5);
    const late = expected.events.filter((e) => epochSeconds(e.received_at) - epochSeconds(e.event_ts) > 3600);
    expect(late.length).toBeGreaterThanOrEqual(5);
    expect(expected.rawEvents.every((e) => epochSeconds(e.received_at) > epochSeconds(e.event_ts))).toBe(true);
  });

  it('has gaps of exactly 30:00 and 30:01, and same-second ties', () => {
    const all = gaps();
    expect(all.filter((g) => g === 1800).length).toBeGreaterThanOrEqual(2);
    expect(all.filter((g) => g === 1801).length).toBeGreaterThanOrEqual(2);
    expect(all.filter((g) => g === 0).length).toBeGreaterThanOrEqual(2);
  });

  it('has a profile for every user with events', () => {
    const profiled = new Set(expected.profiles.map((p) => p.user_id));
    expect(expected.events.filter((e) => !profiled.has(e.user_id))).toEqual([]);
  });
});
