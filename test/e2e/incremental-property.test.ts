// Property: an incremental model fed a stream of events in random batches — with duplicates,
// late (older) events and out-of-order arrival — ends equal, row for row, to a --full-refresh
// build over the same events. For each strategy, on the PostgreSQL server and on PGlite.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { runCommand } from '../../src/app/commands.js';
import { createInvocation } from '../../src/app/invocation.js';
import { dropTestSchema, pgServer, profilesYaml, serverTarget, uniqueSchema } from '../support/postgres-targets.js';
import { eventBatches, prng, type Event } from '../support/event-stream.js';
import { removeDir, testdir } from '../support/testdir.js';

const MODELS = {
  // One row per event; a redelivered event keeps its latest delivery.
  'models/inc_events.sql': `{{ config(materialized='incremental', unique_key='event_id', incremental_strategy=var('strategy'),
            indexes=([{'columns': ['event_id'], 'unique': true}] if var('indexed', false) else [])) }}
select distinct on (event_id) event_id, user_id, event_ts, amount, batch_no
from {{ source('raw', 'events') }}
{% if is_incremental() %}
where batch_no > (select coalesce(max(batch_no), -1) from {{ this }})
{% endif %}
order by event_id, batch_no desc
`,
  // Per-user totals, recomputed only for users with new events (late ones included).
  'models/user_totals.sql': `{{ config(materialized='incremental', unique_key='user_id', incremental_strategy=var('strategy'),
            indexes=([{'columns': ['user_id'], 'unique': true}] if var('indexed', false) else [])) }}
with events as (
    select distinct on (event_id) event_id, user_id, amount, event_ts
    from {{ source('raw', 'events') }}
    order by event_id, batch_no desc
)
select user_id, count(*) as events, sum(amount) as amount, min(event_ts) as first_ts, max(event_ts) as last_ts
from events
{% if is_incremental() %}
where user_id in (select user_id from {{ source('raw', 'events') }} where batch_no > (select coalesce(max(batch_no), -1) from {{ ref('inc_events') }}) - 1)
{% endif %}
group by user_id
`,
  // Append: every delivery, no key.
  'models/deliveries.sql': `{{ config(materialized='incremental') }}
select event_id, batch_no from {{ source('raw', 'events') }}
{% if is_incremental() %}
where batch_no > (select coalesce(max(batch_no), -1) from {{ this }})
{% endif %}
`,
};

type Query = (sql: string) => Promise<Record<string, unknown>[]>;

interface Warehouse {
  schema: string;
  query: Query;
  close(): Promise<void>;
}

async function openWarehouse(kind: 'server' | 'pglite', dir: string): Promise<Warehouse> {
  if (kind === 'pglite') {
    mkdirSync(path.join(dir, 'target'), { recursive: true });
    const db = new PGlite(path.join(dir, 'target', 'tsdbt.pglite'));
    return { schema: 'analytics', query: async (sql) => (await db.query<Record<string, unknown>>(sql)).rows, close: () => db.close() };
  }
  const s = pgServer();
  const client = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
  await client.connect();
  return { schema: '', query: async (sql) => (await client.query(sql)).rows as Record<string, unknown>[], close: () => client.end() };
}

async function snapshot(db: Warehouse, schema: string): Promise<Record<string, unknown[]>> {
  return {
    inc_events: await db.query(`select event_id, user_id, event_ts::text, amount from ${schema}.inc_events order by event_id`),
    user_totals: await db.query(`select user_id, events::int, amount::int, first_ts::text, last_ts::text from ${schema}.user_totals order by user_id`),
    deliveries: await db.query(`select event_id, batch_no from ${schema}.deliveries order by event_id, batch_no`),
  };
}

const SEEDS = [1, 2, 3];

describe.each(['server', 'pglite'] as const)('incremental == full refresh on %s', (kind) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it.each(['merge', 'merge on a unique index', 'delete+insert'] as const)('strategy %s over random batches', async (variant) => {
    const strategy = variant === 'merge on a unique index' ? 'merge' : variant;
    const indexed = variant === 'merge on a unique index';
    for (const seed of SEEDS) {
      const schema = kind === 'server' ? uniqueSchema('inc') : 'analytics';
      const dir = testdir({
        'dbt_project.yml': 'name: demo\nprofile: demo\n',
        'models/sources.yml': `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n`,
        ...MODELS,
      });
      cleanups.push(() => removeDir(dir));
      if (kind === 'server') {
        const target = serverTarget(schema, 2);
        writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('demo', target));
        cleanups.push(() => dropTestSchema(target), () => dropTestSchema({ ...target, schema: `${schema}_raw` }));
      }
      const run = async (fullRefresh = false) => {
        const lines: string[] = [];
        const inv = createInvocation({ projectDir: dir, vars: `{strategy: "${strategy}", indexed: ${indexed}}`, fullRefresh, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
        expect(await runCommand(inv, 'run'), lines.join('\n')).toBe(0);
        return lines.join('\n');
      };
      const load = async (rows: (Event & { batch_no: number })[], first: boolean) => {
        const db = await openWarehouse(kind, dir);
        try {
          if (first) {
            await db.query(`create schema if not exists ${schema}_raw`);
            await db.query(`create table ${schema}_raw.events (event_id text, user_id text, event_ts timestamp, amount int, batch_no int)`);
          }
          for (const r of rows) await db.query(`insert into ${schema}_raw.events values ('${r.event_id}', '${r.user_id}', '${r.event_ts}', ${r.amount}, ${r.batch_no})`);
        } finally {
          await db.close();
        }
      };
      const batches = eventBatches(seed);
      for (const [i, batch] of batches.entries()) {
        await load(batch, i === 0);
        const output = await run();
        // The first run builds the tables; later runs apply only the new rows.
        const applied = i === 0 ? /inc_events .*\[SELECT \d+/ : indexed ? /inc_events .*\[INSERT 0 \d+/ : strategy === 'merge' ? /inc_events .*\[MERGE \d+/ : /inc_events .*\[INSERT \d+/;
        expect(output).toMatch(applied);
        if (i > 0) expect(output).toMatch(/deliveries .*\[INSERT \d+/);
      }
      const readAll = async () => {
        const db = await openWarehouse(kind, dir);
        try {
          return await snapshot(db, schema);
        } finally {
          await db.close();
        }
      };
      const incremental = await readAll();
      await run(true);
      const full = await readAll();
      expect(incremental.inc_events?.length).toBe(new Set(batches.flat().map((e) => e.event_id)).size);
      expect(incremental.deliveries?.length).toBe(batches.flat().length);
      expect(incremental, `seed ${seed}`).toEqual(full);
    }
  }, 300_000);
});

// Microbatch: 5-minute windows over two hours of events that arrive up to 9 minutes late (some
// twice, in random order), a run every five minutes with the clock at that time. With lookback=3
// every late event still lands in a window that is reprocessed, so the table ends equal to a full
// rebuild — the guarantee a five-minute pipeline relies on.
const MICROBATCH_MODEL = `{{ config(materialized='incremental', incremental_strategy='microbatch', event_time='event_ts',
            begin='2024-01-01', batch_size='5 minute', lookback=3) }}
select distinct on (event_id) event_id, user_id, event_ts, amount
from {{ source('raw', 'events') }}
order by event_id, amount desc
`;

interface Arrival extends Event {
  arrives: number;
}

function lateArrivals(seed: number): Arrival[] {
  const rand = prng(seed);
  const start = Date.UTC(2024, 0, 1);
  const events: Event[] = Array.from({ length: 80 + Math.floor(rand() * 40) }, (_v, i) => ({
    event_id: `e${i}`,
    user_id: `u${Math.floor(rand() * 5)}`,
    event_ts: new Date(start + Math.floor(rand() * 2 * 3600) * 1000).toISOString().slice(0, 19).replace('T', ' '),
    amount: Math.floor(rand() * 100),
  }));
  const delay = () => Math.floor(rand() * 9 * 60) * 1000;
  const at = (e: Event) => Date.parse(`${e.event_ts.replace(' ', 'T')}Z`) + delay();
  return [...events.map((e) => ({ ...e, arrives: at(e) })), ...events.filter(() => rand() < 0.15).map((e) => ({ ...e, arrives: at(e) }))].sort(() => rand() - 0.5);
}

describe.each(['server', 'pglite'] as const)('microbatch == full refresh on %s', (kind) => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterAll(async () => {
    for (const c of cleanups) await c();
  });

  it('late, duplicate and out-of-order events within the lookback', async () => {
    // PGlite opens its data directory for every load and run: one seed keeps it under 20 s.
    for (const seed of kind === 'server' ? SEEDS : SEEDS.slice(0, 1)) {
      const schema = kind === 'server' ? uniqueSchema('mbp') : 'analytics';
      const dir = testdir({
        'dbt_project.yml': 'name: demo\nprofile: demo\n',
        'models/sources.yml': `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n        config: {event_time: event_ts}\n`,
        'models/mb.sql': MICROBATCH_MODEL,
      });
      cleanups.push(() => removeDir(dir));
      if (kind === 'server') {
        const target = serverTarget(schema, 1);
        writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('demo', target));
        cleanups.push(() => dropTestSchema(target), () => dropTestSchema({ ...target, schema: `${schema}_raw` }));
      }
      const run = async (now: number, fullRefresh = false) => {
        const lines: string[] = [];
        const inv = createInvocation({ projectDir: dir, fullRefresh, now: () => new Date(now), write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
        expect(await runCommand(inv, 'run'), lines.join('\n')).toBe(0);
        return lines.join('\n');
      };
      const withDb = async <T>(fn: (db: Warehouse) => Promise<T>): Promise<T> => {
        const db = await openWarehouse(kind, dir);
        try {
          return await fn(db);
        } finally {
          await db.close();
        }
      };
      const arrivals = lateArrivals(seed);
      await withDb(async (db) => {
        await db.query(`create schema if not exists ${schema}_raw`);
        await db.query(`create table ${schema}_raw.events (event_id text, user_id text, event_ts timestamp, amount int)`);
      });
      const step = 5 * 60 * 1000;
      const first = Date.UTC(2024, 0, 1) + 2 * 60 * 1000;
      const last = Date.UTC(2024, 0, 1, 2) + 12 * 60 * 1000;
      let loaded = 0;
      for (let now = first; now <= last; now += step) {
        const due = arrivals.filter((a) => a.arrives <= now && a.arrives > now - step);
        loaded += due.length;
        await withDb(async (db) => {
          for (const r of due) await db.query(`insert into ${schema}_raw.events values ('${r.event_id}', '${r.user_id}', '${r.event_ts}', ${r.amount})`);
        });
        const output = await run(now);
        expect(output).toMatch(/MICROBATCH \d+ batch/);
      }
      expect(loaded).toBe(arrivals.length);
      const read = () => withDb((db) => db.query(`select event_id, user_id, event_ts::text, amount from ${schema}.mb order by event_id`));
      const incremental = await read();
      await run(last, true);
      const full = await read();
      expect(incremental.length).toBe(new Set(arrivals.map((a) => a.event_id)).size);
      expect(incremental, `seed ${seed}`).toEqual(full);
    }
    // 27 runs, each opening PGlite twice: 20-60 s on a quiet machine, but 74 s of CPU, so over
    // 300 s at a load of 10 (the whole suite beside three other jobs): a limit for a hang, not a pace.
  }, 900_000);
});
