// Generates the example project's seed CSVs (seeds/raw_click_events.csv, seeds/user_profiles.csv)
// from a seeded PRNG, so the output is byte-for-byte reproducible:
//
//   npx tsx scripts/generate-sample-data.ts
//
// The click stream is shaped to exercise the sessionization rule (a new session starts after a gap
// strictly greater than 30 minutes of inactivity): users with many sessions a day, gaps of exactly
// 30:00 (same session) and 30:01 (new session), several events sharing a timestamp (ties are broken by
// event_id), sessions crossing midnight, single-event sessions, events delivered twice (same
// event_id), events that arrive hours late (received_at >> event_ts) and a client-side session_id
// that is not reliable (reused across sessions, or changed mid-session).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mulberry32 } from './seeded-random.js';

const SEED = 20240304;
const OUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../seeds');
const FIRST_DAY = Date.UTC(2024, 2, 4); // 2024-03-04, a Monday
const DAYS = 5;
const USERS = 40;
const TIMEOUT = 30 * 60; // seconds

// ---------------------------------------------------------------------------------------------
// Deterministic randomness (mulberry32).
const rand = mulberry32(SEED);
const int = (lo: number, hi: number): number => lo + Math.floor(rand() * (hi - lo + 1));
const chance = (p: number): boolean => rand() < p;
function pick<T>(items: readonly T[]): T {
  const item = items[Math.floor(rand() * items.length)];
  if (item === undefined) throw new Error('pick from an empty list');
  return item;
}
function weighted<T>(items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rand() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}

const usedIds = new Set<string>();
function hexId(prefix: string, digits: number): string {
  for (;;) {
    let s = '';
    for (let i = 0; i < digits; i++) s += Math.floor(rand() * 16).toString(16);
    const id = prefix + s;
    if (!usedIds.has(id)) {
      usedIds.add(id);
      return id;
    }
  }
}

function fmt(epochSeconds: number): string {
  return new Date(epochSeconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

// ---------------------------------------------------------------------------------------------
// Users and profiles.

const ADJECTIVES = ['amber', 'brisk', 'calm', 'dusty', 'eager', 'fuzzy', 'gentle', 'hazy', 'icy', 'jolly', 'keen', 'lucky', 'mellow', 'nimble', 'odd', 'proud', 'quiet', 'rapid', 'sunny', 'tidy'];
const ANIMALS = ['fox', 'otter', 'heron', 'lynx', 'panda', 'koala', 'wren', 'bison', 'gecko', 'moose', 'orca', 'yak', 'finch', 'hare', 'newt'];
const COUNTRIES = ['US', 'US', 'US', 'GB', 'GB', 'DE', 'DE', 'FR', 'NL', 'BR', 'IN', 'JP', 'CA', 'AU', 'ES', 'SE'];

interface Profile {
  user_id: string;
  username: string;
  account_type: string;
  signup_date: string;
  country: string;
  updated_at: string;
}

const userIds = Array.from({ length: USERS }, (_, i) => `user_${String(i + 1).padStart(3, '0')}`);
const profiles: Profile[] = [];
const usernames = new Set<string>();
// Two extra users signed up but never clicked anything (profiles without sessions).
for (const userId of [...userIds, 'user_041', 'user_042']) {
  let username: string;
  do username = `${pick(ADJECTIVES)}_${pick(ANIMALS)}`;
  while (usernames.has(username));
  usernames.add(username);
  const signup = FIRST_DAY / 1000 - int(3, 800) * 86400;
  const accountType = weighted([['free', 6], ['premium', 3], ['enterprise', 1]] as const);
  const updated = Math.min(signup + int(0, 400) * 86400 + int(0, 86399), FIRST_DAY / 1000 - 3600);
  profiles.push({
    user_id: userId,
    username,
    account_type: accountType,
    signup_date: fmt(signup).slice(0, 10),
    country: pick(COUNTRIES),
    updated_at: fmt(updated),
  });
}
// The profile table is synced incrementally from the app database: a few users changed plan, so the
// seed holds an older and a newer version of their row (staging keeps the latest by updated_at).
for (const userId of ['user_004', 'user_017', 'user_033']) {
  const current = profiles.find((p) => p.user_id === userId)!;
  const olderUpdated = Date.parse(current.updated_at.replace(' ', 'T') + 'Z') / 1000 - int(20, 90) * 86400;
  const older: Profile = { ...current, account_type: 'free', updated_at: fmt(Math.max(olderUpdated, Date.parse(current.signup_date + 'T00:00:00Z') / 1000)) };
  current.account_type = current.account_type === 'free' ? 'premium' : current.account_type;
  // Make sure the newer row really is newer.
  if (older.updated_at >= current.updated_at) older.updated_at = fmt(Date.parse(current.updated_at.replace(' ', 'T') + 'Z') / 1000 - 86400);
  profiles.push(older);
}

// ---------------------------------------------------------------------------------------------
// Click events.

interface ClickEvent {
  session_id: string;
  user_id: string;
  event_id: string;
  event_type: string;
  page_url: string;
  referrer_url: string;
  event_ts: number; // epoch seconds
  received_at: number;
}

const CATEGORIES = ['shoes', 'jackets', 'bags', 'hats', 'socks', 'sale'];
const SEARCH_TERMS = ['boots', 'rain+jacket', 'sneakers', 'wool+hat', 'backpack', 'gift'];
const EXTERNAL_REFERRERS = ['https://www.google.com/', 'https://www.google.com/', 'https://www.bing.com/', 'https://t.co/', 'https://news.ycombinator.com/', 'https://www.instagram.com/', ''];

function randomPage(): string {
  return weighted([
    ['/', 2],
    [`/products/${int(100, 160)}`, 6],
    [`/category/${pick(CATEGORIES)}`, 3],
    ['/account', 1],
    [`/blog/post-${int(1, 12)}`, 1],
  ] as const);
}

const events: ClickEvent[] = [];

interface SessionPlan {
  start: number;
  /** Gaps in seconds before events 2..n (the first event is at `start`). */
  gaps: number[];
  /** Force a checkout flow ending in a purchase. */
  purchase?: boolean;
}

function randomGaps(n: number): number[] {
  return Array.from({ length: n - 1 }, () =>
    weighted([
      [int(2, 60), 10],
      [int(61, 300), 6],
      [int(301, 1200), 2],
      [int(1201, TIMEOUT - 1), 0.4],
    ] as const),
  );
}

/** Emits the events of one planned session; returns the timestamp of its last event. */
function emitSession(userId: string, plan: SessionPlan, clientSessionId: { id: string }): number {
  let ts = plan.start;
  let page = randomPage();
  let referrer = pick(EXTERNAL_REFERRERS);
  const n = plan.gaps.length + 1;
  for (let i = 0; i < n; i++) {
    if (i > 0) ts += plan.gaps[i - 1]!;
    // The client sometimes restarts and mints a new session id in the middle of a visit.
    if (i > 0 && chance(0.01)) clientSessionId.id = hexId('s_', 8);
    let type: string = weighted([
      ['page_view', 70],
      ['click', 12],
      ['search', 6],
      ['add_to_cart', 7],
      ['remove_from_cart', 2],
    ] as const);
    const checkoutStep = plan.purchase ? i - (n - 4) : -1; // the last 4 events are the checkout flow
    if (checkoutStep === 0) type = 'add_to_cart';
    else if (checkoutStep === 1) type = 'page_view';
    else if (checkoutStep === 2) type = 'page_view';
    else if (checkoutStep === 3) type = 'purchase';
    else if (plan.purchase && type === 'remove_from_cart') type = 'click';

    let url = page;
    if (type === 'page_view') {
      url = checkoutStep === 1 ? '/cart' : checkoutStep === 2 ? '/checkout' : i === 0 ? page : randomPage();
    } else if (type === 'search') {
      url = `/search?q=${pick(SEARCH_TERMS)}`;
    } else if (type === 'add_to_cart') {
      url = page.startsWith('/products/') ? page : `/products/${int(100, 160)}`;
    } else if (type === 'purchase') {
      url = '/checkout/complete';
    } else if (type === 'remove_from_cart') {
      url = '/cart';
    }
    if (i > 0) referrer = type === 'page_view' || type === 'search' ? page : '';
    events.push({
      session_id: clientSessionId.id,
      user_id: userId,
      event_id: hexId('ev_', 10),
      event_type: type,
      page_url: url,
      referrer_url: referrer,
      event_ts: ts,
      received_at: ts + int(1, 9),
    });
    page = url;
  }
  return ts;
}

/** Boundary scenarios, on fixed users and days, so they are there whatever the dice say. */
const SCENARIOS: Record<string, (dayStart: number) => SessionPlan[]> = {
  // Gap of exactly 30:00 inside a visit: one session.
  'user_003/1': (d) => [{ start: d + 9 * 3600, gaps: [45, 120, TIMEOUT, 30, 60] }],
  // Gap of exactly 30:01 between two visits: two sessions.
  'user_003/2': (d) => [
    { start: d + 14 * 3600, gaps: [20, 90, 15] },
    { start: 0, gaps: [40, 40] }, // start is filled in below: last event + TIMEOUT + 1
  ],
  // 29:59, 30:00, 30:01 in a row: the first two stay, the third splits.
  'user_007/0': (d) => [{ start: d + 10 * 3600, gaps: [TIMEOUT - 1, 25, TIMEOUT, 10] }, { start: 0, gaps: [5, 70] }],
  // Ties: the visit starts and ends with two events in the same second (landing and exit pages depend
  // on the event_id tie-break), and a purchase.
  'user_012/3': (d) => [{ start: d + 11 * 3600 + 17, gaps: [0, 33, 80, 41, 12, 0], purchase: true }],
  // A visit that crosses midnight into the next day.
  'user_021/1': (d) => [{ start: d + 23 * 3600 + 50 * 60, gaps: [120, 240, 300, 360, 95] }],
  // Single-event sessions (duration 0), exactly 30:01 and then 30:00 apart.
  'user_028/2': (d) => [{ start: d + 8 * 3600, gaps: [] }, { start: 0, gaps: [] }, { start: 0, gaps: [] }],
};
const SCENARIO_GAPS: Record<string, number[]> = {
  'user_003/2': [TIMEOUT + 1],
  'user_007/0': [TIMEOUT + 1],
  'user_028/2': [TIMEOUT + 1, TIMEOUT],
};

const lateEventIds = new Set<string>();

for (const [u, userId] of userIds.entries()) {
  const activity = u < 8 ? 'heavy' : u < 30 ? 'regular' : 'light';
  const clientSession = { id: hexId('s_', 8) };
  let lastEventTs = 0;
  for (let day = 0; day < DAYS; day++) {
    const dayStart = FIRST_DAY / 1000 + day * 86400;
    const key = `${userId}/${day}`;
    let plans: SessionPlan[];
    const scenario = SCENARIOS[key];
    if (scenario) {
      plans = scenario(dayStart);
    } else {
      const count = activity === 'heavy' ? int(3, 6) : activity === 'regular' ? int(0, 3) : chance(0.35) || day === u % DAYS ? 1 : 0;
      plans = [];
      let t = dayStart + int(6 * 3600, 11 * 3600);
      for (let s = 0; s < count && t < dayStart + 22 * 3600; s++) {
        const n = weighted([[1, 1], [int(2, 5), 4], [int(6, 12), 4], [int(13, 25), 2]] as const);
        const purchase = n >= 6 && chance(0.25);
        const plan: SessionPlan = { start: t, gaps: randomGaps(n), purchase };
        if (chance(0.08) && plan.gaps.length > 0) plan.gaps[0] = 0; // two events in the same second
        plans.push(plan);
        t = t + plan.gaps.reduce((a, b) => a + b, 0) + weighted([[int(TIMEOUT + 60, 2 * 3600), 3], [int(2 * 3600, 5 * 3600), 2]] as const);
      }
      // Keep a plain day clear of a previous visit that crossed midnight.
      while (plans.length > 0 && plans[0]!.start - lastEventTs <= TIMEOUT) plans.shift();
    }
    const forcedGaps = SCENARIO_GAPS[key] ?? [];
    for (const [i, plan] of plans.entries()) {
      if (i > 0 && scenario) plan.start = lastEventTs + (forcedGaps[i - 1] ?? TIMEOUT + 1);
      // The client keeps its session id across visits now and then (a tab left open).
      if (!chance(0.15)) clientSession.id = hexId('s_', 8);
      lastEventTs = emitSession(userId, plan, clientSession);
    }
  }
}

// Late arrivals: ~1% of the events reach the warehouse hours after they happened (a phone that was
// offline, a stuck consumer).
for (const e of events) {
  if (chance(0.012)) {
    e.received_at = e.event_ts + int(2 * 3600, 26 * 3600);
    lateEventIds.add(e.event_id);
  }
}
// One late event bridges two visits: user_015 came back 50 minutes after a visit, and the event in
// between (25 minutes after the first visit) arrives a day late. Once it is in, the two visits are one
// session (25:00 and 25:00 gaps).
{
  const userId = 'user_015';
  const dayStart = FIRST_DAY / 1000 + 4 * 86400;
  const lastOfDay = Math.max(...events.filter((e) => e.user_id === userId && e.event_ts < dayStart + 86400).map((e) => e.event_ts), 0);
  const start = Math.max(dayStart + 20 * 3600, lastOfDay + 2 * 3600);
  const cs = { id: hexId('s_', 8) };
  const firstEnd = emitSession(userId, { start, gaps: [30, 60, 45] }, cs);
  const bridgeTs = firstEnd + 25 * 60;
  cs.id = hexId('s_', 8);
  emitSession(userId, { start: bridgeTs, gaps: [] }, cs);
  const bridge = events[events.length - 1]!;
  bridge.received_at = bridge.event_ts + 22 * 3600;
  lateEventIds.add(bridge.event_id);
  emitSession(userId, { start: bridgeTs + 25 * 60, gaps: [15, 80] }, cs);
}

// Duplicates: the producer retried a few sends. Most are exact copies of the row; a few were
// redelivered later (same event, later received_at). Staging keeps the earliest delivery.
const rows: ClickEvent[] = [...events];
const duplicated = new Set<string>();
while (duplicated.size < 18) {
  const e = pick(events);
  if (duplicated.has(e.event_id) || lateEventIds.has(e.event_id)) continue;
  duplicated.add(e.event_id);
  rows.push(duplicated.size <= 14 ? { ...e } : { ...e, received_at: e.received_at + int(60, 3 * 3600) });
}

// The raw table is in arrival order.
rows.sort((a, b) => a.received_at - b.received_at || (a.event_id < b.event_id ? -1 : a.event_id > b.event_id ? 1 : 0));

// ---------------------------------------------------------------------------------------------
// Write the CSVs.

function csvField(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}
function toCsv(header: string[], records: string[][]): string {
  return [header, ...records].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

const clickCsv = toCsv(
  ['session_id', 'user_id', 'event_id', 'event_type', 'page_url', 'referrer_url', 'event_ts', 'received_at'],
  rows.map((e) => [e.session_id, e.user_id, e.event_id, e.event_type, e.page_url, e.referrer_url, fmt(e.event_ts), fmt(e.received_at)]),
);
const profileCsv = toCsv(
  ['user_id', 'username', 'account_type', 'signup_date', 'country', 'updated_at'],
  [...profiles]
    .sort((a, b) => (a.user_id < b.user_id ? -1 : a.user_id > b.user_id ? 1 : a.updated_at < b.updated_at ? -1 : 1))
    .map((p) => [p.user_id, p.username, p.account_type, p.signup_date, p.country, p.updated_at]),
);
writeFileSync(path.join(OUT_DIR, 'raw_click_events.csv'), clickCsv);
writeFileSync(path.join(OUT_DIR, 'user_profiles.csv'), profileCsv);

// ---------------------------------------------------------------------------------------------
// Report what was generated (sessions counted with the real rule over the deduplicated events).

const byUser = new Map<string, ClickEvent[]>();
for (const e of events) byUser.set(e.user_id, [...(byUser.get(e.user_id) ?? []), e]);
let sessions = 0;
let gapsAt1800 = 0;
let gapsAt1801 = 0;
let ties = 0;
for (const list of byUser.values()) {
  list.sort((a, b) => a.event_ts - b.event_ts || (a.event_id < b.event_id ? -1 : 1));
  list.forEach((e, i) => {
    const prev = list[i - 1];
    const gap = prev ? e.event_ts - prev.event_ts : Infinity;
    if (gap > TIMEOUT) sessions++;
    if (gap === TIMEOUT) gapsAt1800++;
    if (gap === TIMEOUT + 1) gapsAt1801++;
    if (gap === 0) ties++;
  });
}
console.log(
  [
    `raw_click_events.csv: ${rows.length} rows (${clickCsv.length} bytes), ${events.length} distinct events, ${rows.length - events.length} duplicate deliveries`,
    `  users: ${byUser.size}, sessions: ${sessions}, late events (> 1h): ${lateEventIds.size}`,
    `  gaps of exactly 30:00: ${gapsAt1800}, of 30:01: ${gapsAt1801}, same-second ties: ${ties}`,
    `  event types: ${JSON.stringify(Object.fromEntries([...new Set(events.map((e) => e.event_type))].map((t) => [t, events.filter((e) => e.event_type === t).length])))}`,
    `user_profiles.csv: ${profiles.length} rows (${profileCsv.length} bytes)`,
  ].join('\n'),
);
