// `npm run bench` (part 3): the Kafka loader. 1M click events are produced to a topic of librdkafka's
// mock cluster (64 partitions: the mock keeps only about 5 MiB per partition), then `tsdbt load
// --once` moves them into PostgreSQL (COPY into a staging table, INSERT ... ON CONFLICT on the
// idempotency key, offsets in the same transaction). The reference, measured in the same run: a
// raw COPY of the same rows into an empty table with the same unique key. Prints both rates and
// their ratio (goal >= 0.7). Server settings: TSDBT_PG_HOST/PORT/USER/PASSWORD/DBNAME (defaults:
// the test set-up's); BENCH_LOADER_EVENTS changes the count.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { benchServer } from './pg-server.js';
import { from as copyFrom } from 'pg-copy-streams';
import { createInvocation } from '../src/app/invocation.js';
import { loadCommand } from '../src/app/load-command.js';
import { kafkajsTransport } from '../src/loader/kafka-client.js';
import { createMockTopic, startKafkaMock, stopKafkaMock } from '../test/setup/kafka-mock.js';

const env = process.env;
const server = benchServer;
const EVENTS = Number(env.BENCH_LOADER_EVENTS ?? 1_000_000);
const PARTITIONS = 64;
const TYPES = ['page_view', 'click', 'search', 'add_to_cart', 'purchase'];

function event(i: number): { event_id: string; user_id: string; event_type: string; page_url: string; event_ts: string } {
  return {
    event_id: `ev_${i.toString(36).padStart(8, '0')}`,
    user_id: `user_${String(i % 5000).padStart(4, '0')}`,
    event_type: TYPES[i % TYPES.length] as string,
    page_url: `/products/${i % 997}`,
    event_ts: new Date(Date.UTC(2024, 0, 1) + i * 250).toISOString().slice(0, 19).replace('T', ' '),
  };
}

const COLUMNS = `event_id text, user_id text, event_type text, page_url text, event_ts timestamp`;

async function rawCopy(client: pg.Client, schema: string): Promise<number> {
  await client.query(`create table ${schema}.copy_reference (${COLUMNS}, unique (event_id))`);
  const started = performance.now();
  const stream = client.query(copyFrom(`copy ${schema}.copy_reference from stdin`));
  async function* lines() {
    for (let i = 0; i < EVENTS; i++) {
      const e = event(i);
      yield `${e.event_id}\t${e.user_id}\t${e.event_type}\t${e.page_url}\t${e.event_ts}\n`;
    }
  }
  await pipeline(Readable.from(lines()), stream);
  return (performance.now() - started) / 1000;
}

async function main(): Promise<void> {
  const brokers = await startKafkaMock(3);
  const topic = `bench_events_${Date.now()}`;
  await createMockTopic(topic, PARTITIONS);
  const transport = kafkajsTransport({ brokers: brokers.split(','), clientId: 'tsdbt-bench' });
  const producedStart = performance.now();
  for (let i = 0; i < EVENTS; i += 10_000) {
    const chunk = Array.from({ length: Math.min(10_000, EVENTS - i) }, (_v, j) => {
      const e = event(i + j);
      return { key: e.event_id, value: JSON.stringify(e) };
    });
    await transport.produce(topic, chunk);
  }
  await transport.close();
  const produceSeconds = (performance.now() - producedStart) / 1000;

  const client = new pg.Client(server);
  await client.connect();
  const schema = 'bench_loader';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bench-loader-'));
  try {
    await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_raw cascade; create schema ${schema}`);
    const copySeconds = await rawCopy(client, schema);
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\n');
    writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ bench: { target: 'b', outputs: { b: { type: 'postgres', ...server, dbname: server.database, schema, threads: 4 } } } }));
    writeFileSync(
      path.join(dir, 'models/sources.yml'),
      `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n        meta: {kafka: {topic: ${topic}, key: event_id}}\n        columns:\n${COLUMNS.split(', ')
        .map((c) => `          - {name: ${c.split(' ')[0]}, data_type: ${c.split(' ')[1]}}`)
        .join('\n')}\n`,
    );
    const inv = createInvocation({ projectDir: dir, write: () => {}, writeError: (l) => process.stderr.write(`${l}\n`), env: { ...env, TSDBT_PROFILES_DIR: dir } });
    const started = performance.now();
    const code = await loadCommand(inv, { once: true, brokers, progressInterval: 0 });
    const loadSeconds = (performance.now() - started) / 1000;
    if (code !== 0) throw new Error(`tsdbt load failed with exit code ${code}`);
    const { rows } = await client.query(`select count(*)::int as n from ${schema}_raw.events`);
    if (rows[0]?.n !== EVENTS) throw new Error(`loaded ${String(rows[0]?.n)} rows, expected ${EVENTS}`);
    const copyRate = EVENTS / copySeconds;
    const loadRate = EVENTS / loadSeconds;
    console.log(`loader: ${EVENTS} events produced in ${produceSeconds.toFixed(1)}s (${PARTITIONS} partitions, mock broker)`);
    console.log(`loader: raw COPY ${Math.round(copyRate)} rows/s (${copySeconds.toFixed(2)}s)`);
    console.log(`loader: tsdbt load --once ${Math.round(loadRate)} rows/s (${loadSeconds.toFixed(2)}s), exactly ${EVENTS} rows`);
    console.log(`loader: ratio to raw COPY ${(loadRate / copyRate).toFixed(2)} (goal >= 0.7)`);
    await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_raw cascade`);
  } finally {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
    stopKafkaMock();
  }
}

await main();
