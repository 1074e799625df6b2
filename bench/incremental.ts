// `npm run bench` (part 2): the same 50,000 new events applied by an incremental model (merge on
// event_id, indexes from config) to a history of 1M and of 10M events on the PostgreSQL server.
// Prints both run times and their ratio (goal <= 1.3: the cost follows the new data, not the
// history). Server settings: TSDBT_PG_HOST/PORT/USER/PASSWORD/DBNAME (defaults: the test set-up's).
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { benchServer } from './pg-server.js';
import { runCommand } from '../src/app/commands.js';
import { createInvocation } from '../src/app/invocation.js';

const env = process.env;
const server = benchServer;
const histories = (env.BENCH_INCREMENTAL_HISTORY ?? '1000000,10000000').split(',').map(Number);
const NEW_EVENTS = 50_000;

const MODEL = `{{ config(materialized='incremental', unique_key='event_id', incremental_strategy='merge',
            indexes=[{'columns': ['event_id'], 'unique': True}, {'columns': ['received_at']}]) }}
select event_id, user_id, event_ts, received_at, amount
from {{ source('raw', 'events') }}
{% if is_incremental() %}
where received_at > (select max(received_at) from {{ this }})
{% endif %}
`;

async function run(dir: string): Promise<number> {
  const inv = createInvocation({ projectDir: dir, write: () => {}, writeError: (l) => process.stderr.write(`${l}\n`), env: { ...env, TSDBT_PROFILES_DIR: dir } });
  const started = performance.now();
  const code = await runCommand(inv, 'run');
  if (code !== 0) throw new Error(`tsdbt run failed with exit code ${code}`);
  return (performance.now() - started) / 1000;
}

async function benchOne(client: pg.Client, history: number): Promise<number> {
  const schema = `bench_inc_${history}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bench-inc-'));
  try {
    await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_raw cascade; create schema ${schema}_raw`);
    await client.query(`create table ${schema}_raw.events (event_id bigint, user_id int, event_ts timestamp, received_at timestamp, amount int)`);
    await client.query(
      `insert into ${schema}_raw.events select g, g % 5000, timestamp '2024-01-01' + g * interval '1 second', timestamp '2024-01-01' + g * interval '1 second', g % 100 from generate_series(1, ${history}) g`,
    );
    await client.query(`create index on ${schema}_raw.events (received_at); analyze ${schema}_raw.events`);
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\n');
    writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ bench: { target: 'b', outputs: { b: { type: 'postgres', ...server, dbname: server.database, schema, threads: 1 } } } }));
    writeFileSync(path.join(dir, 'models/sources.yml'), `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n`);
    writeFileSync(path.join(dir, 'models/inc_events.sql'), MODEL);
    await run(dir); // the initial full build (not timed)
    await client.query(`analyze ${schema}.inc_events`);
    // 50k new events: 45k new ids, 5k redeliveries of old ids (updates through MERGE).
    await client.query(
      `insert into ${schema}_raw.events select case when g <= 45000 then ${history} + g else g end, g % 5000, timestamp '2024-01-01' + (${history} + g) * interval '1 second', timestamp '2030-01-01' + g * interval '1 millisecond', 7 from generate_series(1, ${NEW_EVENTS}) g`,
    );
    const seconds = await run(dir);
    const { rows } = await client.query<{ n: string }>(`select count(*)::bigint as n from ${schema}.inc_events`);
    console.log(`${String(history).padStart(9)} events of history + ${NEW_EVENTS} new: incremental run ${seconds.toFixed(2)}s (table now ${rows[0]?.n} rows)`);
    return seconds;
  } finally {
    await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_raw cascade`);
    rmSync(dir, { recursive: true, force: true });
  }
}

const client = new pg.Client(server);
try {
  await client.connect();
} catch (err) {
  console.log(`\nincremental benchmark skipped: no PostgreSQL server at ${server.host}:${server.port} (${(err as Error).message}); start one (npm run test:all does) or set TSDBT_PG_*`);
  process.exit(0);
}
console.log('\ntsdbt incremental benchmark (PostgreSQL server): the same new events on a small and a large history');
try {
  const times: number[] = [];
  for (const h of histories) times.push(await benchOne(client, h));
  if (times.length >= 2) console.log(`  ratio large/small history: ${((times.at(-1) as number) / (times[0] as number)).toFixed(2)} (goal <= 1.3)`);
} finally {
  await client.end();
}
