// Realistic click events for the streaming demo (`tsdbt produce-sample`): users visit in sessions
// of page views separated by think time, search, add to cart, sometimes buy; sessions of one user
// are more than 30 minutes apart. Events come out in ARRIVAL order: most arrive a second or two
// after they happen, some (`lateRate`) minutes late, and some (`duplicateRate`) are delivered twice,
// as a retrying producer does. Reproducible from a seed. Fields match the example project's raw
// click events.

export interface SampleEvent {
  session_id: string;
  user_id: string;
  event_id: string;
  event_type: string;
  page_url: string;
  referrer_url: string | null;
  /** UTC, 'YYYY-MM-DD HH:MM:SS'. */
  event_ts: string;
}

export interface SampleOptions {
  events: number;
  seed?: number;
  /** The earliest event time (default: one hour before now). */
  start?: Date;
  /** Share of events that arrive 1 to 10 minutes late (default 0.03). */
  lateRate?: number;
  /** Share of events delivered twice (default 0.01). */
  duplicateRate?: number;
  /** How many users click, `user_001`... (default 42: the example project's user profiles). */
  users?: number;
}

/** A small, fast, seedable generator of numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), a | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const REFERRERS = ['https://www.google.com/', 'https://t.co/', 'https://news.ycombinator.com/', 'https://www.bing.com/', null, null];
const CATEGORIES = ['sale', 'shoes', 'outdoor', 'kitchen', 'books'];
const QUERIES = ['boots', 'tent', 'kettle', 'novel', 'socks'];

const timestampText = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

/** The events, in the order they arrive. */
export function sampleEvents(options: SampleOptions): SampleEvent[] {
  const rand = seededRandom(options.seed ?? 1);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)] as T;
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(rand() * 16).toString(16)).join('');
  const start = (options.start ?? new Date(Date.now() - 3_600_000)).getTime();
  const lateRate = options.lateRate ?? 0.03;
  const duplicateRate = options.duplicateRate ?? 0.01;
  const userCount = Math.max(1, options.users ?? 42);
  // Each user's clock: their next session starts after it.
  const userClock = Array.from({ length: userCount }, () => start + Math.floor(rand() * 20 * 60_000));
  const happened: SampleEvent[] = [];
  let produced = 0;
  while (produced < options.events) {
    const u = Math.floor(rand() * userCount);
    const userId = `user_${String(u + 1).padStart(3, '0')}`;
    const sessionId = `s_${hex(8)}`;
    let at = userClock[u] as number;
    const views = 1 + Math.floor(rand() * 12);
    const buys = rand() < 0.12;
    const steps: [string, string][] = [];
    for (let v = 0; v < views; v++) {
      const roll = rand();
      if (roll < 0.15) steps.push(['search', `/search?q=${pick(QUERIES)}`]);
      else if (roll < 0.35) steps.push(['click', `/products/${1 + Math.floor(rand() * 300)}`]);
      else steps.push(['page_view', rand() < 0.5 ? `/products/${1 + Math.floor(rand() * 300)}` : `/category/${pick(CATEGORIES)}`]);
    }
    if (buys) steps.push(['add_to_cart', `/products/${1 + Math.floor(rand() * 300)}`], ['purchase', '/checkout']);
    for (const [index, [type, page]] of steps.entries()) {
      if (produced >= options.events) break;
      happened.push({ session_id: sessionId, user_id: userId, event_id: `ev_${hex(10)}`, event_type: type, page_url: page, referrer_url: index === 0 ? pick(REFERRERS) : null, event_ts: timestampText(at) });
      produced++;
      // Think time: usually seconds to a few minutes, now and then a long read (still < 30 min).
      at += (rand() < 0.05 ? 10 * 60 + Math.floor(rand() * 15 * 60) : 5 + Math.floor(rand() * 180)) * 1000;
    }
    // The user's next visit: more than 30 minutes later.
    userClock[u] = at + (31 + Math.floor(rand() * 180)) * 60_000;
  }
  // Arrival: a second or two after the event, minutes for late ones; duplicates arrive again soon after.
  const arrivals: { event: SampleEvent; arrives: number }[] = [];
  for (const event of happened) {
    const time = Date.parse(`${event.event_ts.replace(' ', 'T')}Z`);
    const arrives = time + (rand() < lateRate ? (60 + Math.floor(rand() * 540)) * 1000 : Math.floor(rand() * 2000));
    arrivals.push({ event, arrives });
    if (rand() < duplicateRate) arrivals.push({ event, arrives: arrives + 1000 + Math.floor(rand() * 30_000) });
  }
  return arrivals.sort((a, b) => a.arrives - b.arrives).map((a) => a.event);
}
