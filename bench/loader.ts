// `npm run bench` (part 3): the Kafka loader. 1M click events are produced to a topic of librdkafka's
// mock cluster (64 partitions: the mock keeps only about 5 MiB per partition), then `tsdbt load
// --once` moves them into PostgreSQL (each write's COPY straight into the table, in COPY's binary
// format, its unique index on the idempotency key refusing a key twice, else a staging table and
// INSERT ... ON CONFLICT; offsets in the same transaction). The reference, measured in the same run: a
// raw COPY of the same rows, in the order the topic holds them (partition after partition, each in
// offset order), into an empty table with the same unique key. Prints both rates, their ratio
// (issue 18's goal: >= 0.9, recorded in the bench summary) and this process's CPU time (user +
// system) in each. The project is parsed before the loads (printed), as a scheduled load finds it
// parsed by the run before: the load lines are `tsdbt load --once` with a warm parse cache. Also printed, not the reference: the same COPY in the key's order (the bench's
// keys are sequential, so each insert lands on the unique index's rightmost leaf, PostgreSQL's
// fast path for ascending keys; no loader of a topic whose keys are hashed to 64 partitions meets
// its keys in that order, and it halves the server's CPU for the index). Server settings: TSDBT_PG_HOST/PORT/USER/PASSWORD/DBNAME (defaults: the
// test set-up's); BENCH_LOADER_EVENTS changes the count; BENCH_LOADER_SCHEMA the schema (default bench_loader, and <schema>_raw); BENCH_LOADER_PROFILE=<file.cpuprofile>
// writes a CPU profile of the load alone (open it in Chrome's DevTools or speedscope);
// BENCH_LOADER_ROUNDS=n (default 3) takes the reference COPY and the load n times, alternating, and
// records the median ratio (one round slowed by another process moves the median less than the
// mean), with the median CPU ratio beside it: the reference's CPU (this process's and its server
// backend's) over the load's (this process's, its backends' and the mock broker's), which the
// machine's load moves far less than the rates; BENCH_LOADER_BROKERS/TOPIC/MOCK_PID reuse a running cluster whose topic holds the
// events (see main(); BENCH_LOADER_PRODUCE_ONLY=1 fills it, BENCH_LOADER_FETCH_ONLY=1 times the fetch
// path alone). Each load line says the CPU of this process, of the server backends and of the mock
// broker, the WAL the server wrote meanwhile (pg_current_wal_lsn before and after, so any other session's
// writes count too; each COPY line says its own), and the load's full garbage collections; the next this process's CPU split between its main thread and its other threads (V8's collector and compilers); then where the server backends were,
// sampled every 50 ms (on the CPU, a COPY or a transaction waiting for this process, on a lock, on WAL). Also measured, not the reference: tsdbt's own
// fetch path with no writes (kafka-client.ts' `read`, what `tsdbt load --once` reads through), and
// kafkajs' consumer alone, a consumer of the same group settings reading every message with no
// writes, with how long of it joining the consumer group took (the broker's initial rebalance
// delay: 3 s on a new group, the mock as Kafka's default). `tsdbt load --once` joins no group and
// does not read through kafkajs' consumer (loader/fetch-reader.ts), so that line is no bound of it.
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Kafka, Partitioners, logLevel } from 'kafkajs';
import pg from 'pg';
import { benchServer } from './pg-server.js';
import { backendCpu, threadCpu } from './process-cpu.js';
import { recordRow } from './summary.js';
import { from as copyFrom } from 'pg-copy-streams';
import { createInvocation } from '../src/app/invocation.js';
import { loadCommand } from '../src/app/load-command.js';
import { loadProject } from '../src/app/project-loader.js';
import { kafkajsTransport } from '../src/loader/kafka-client.js';
import { createMockTopic, kafkaMockPid, startKafkaMock, stopKafkaMock } from '../test/setup/kafka-mock.js';

const env = process.env;
const server = benchServer;
const EVENTS = Number(env.BENCH_LOADER_EVENTS ?? 1_000_000);
const PARTITIONS = 64;
const TYPES = ['page_view', 'click', 'search', 'add_to_cart', 'purchase'];
const GOAL = 0.9;
/** The mock cluster's process (its CPU time is measured). */
let mockPid = 0;
/** BENCH_LOADER_ROUNDS: reference COPY and load this many times, alternating (the recorded ratio is the median). */
const ROUNDS = Math.max(1, Number(env.BENCH_LOADER_ROUNDS ?? 3));
/** The loader's application_name, to find its server backends. */
const APPLICATION = `tsdbt-bench-loader-${process.pid}`;

/** The median of `values` (the upper one of an even count). */
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

/** This process's CPU seconds (user + system) since `from`. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};

/**
 * Watches the CPU time of the server backends whose application_name is `name` while `fn` runs (read
 * every 50 ms: a backend's last 50 ms before it closes may be missed).
 */
async function watchBackends<T>(client: pg.Client, name: string, fn: () => Promise<T>): Promise<{ value: T; cpu: number; states: string }> {
  const seen = new Map<number, number>();
  const states = new Map<string, number>();
  let running = true;
  const poll = async () => {
    while (running) {
      const { rows } = await client.query<{ pid: number; state: string | null; wait: string | null }>(
        "select pid, state, wait_event_type || ':' || wait_event as wait from pg_stat_activity where application_name = $1",
        [name],
      );
      for (const { pid, state, wait } of rows) {
        const cpu = backendCpu(pid);
        if (cpu !== null) seen.set(pid, cpu);
        // `active (Client:ClientRead)`: a COPY waiting for its rows; `idle in transaction (...)`: for the next statement.
        const key = `${state ?? '?'}${wait ? ` (${wait})` : ''}`;
        states.set(key, (states.get(key) ?? 0) + 1);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const polling = poll();
  try {
    const value = await fn();
    const samples = [...states.values()].reduce((a, b) => a + b, 0) || 1;
    const shares = [...states].sort((a, b) => b[1] - a[1]).map(([state, n]) => `${state} ${Math.round((100 * n) / samples)}%`);
    return { value, cpu: [...seen.values()].reduce((a, b) => a + b, 0), states: shares.join(', ') };
  } finally {
    running = false;
    await polling;
  }
}

/** The server's WAL insert position (pg_current_wal_lsn), to measure the WAL a side wrote. */
async function walPosition(client: pg.Client): Promise<string> {
  const { rows } = await client.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
  return rows[0]?.lsn ?? '0/0';
}

/** MB of WAL the server wrote since `from` (every session's: another session's writes meanwhile count too). */
async function walMbSince(client: pg.Client, from: string): Promise<number> {
  const { rows } = await client.query<{ bytes: string }>('select pg_wal_lsn_diff(pg_current_wal_lsn(), $1)::text as bytes', [from]);
  return Number(rows[0]?.bytes ?? 0) / 1e6;
}

/** The garbage collections while `fn` runs: how many full (mark-compact) ones, and the milliseconds of all. */
async function gcWhile<T>(fn: () => Promise<T>): Promise<{ value: T; full: number; ms: number }> {
  let full = 0;
  let ms = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      ms += entry.duration;
      if ((entry as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) full++;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  try {
    const value = await fn();
    await new Promise((resolve) => setImmediate(resolve)); // the last entries are delivered
    return { value, full, ms };
  } finally {
    observer.disconnect();
  }
}

/** Profiles `fn` with V8's sampling profiler into `file` (when given). */
async function profiled<T>(file: string | undefined, fn: () => Promise<T>): Promise<T> {
  if (!file) return fn();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  try {
    return await fn();
  } finally {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    session.disconnect();
  }
}

function event(i: number): { event_id: string; user_id: string; event_type: string; page_url: string; event_ts: string } {
  return {
    event_id: `ev_${i.toString(36).padStart(8, '0')}`,
    user_id: `user_${String(i % 5000).padStart(4, '0')}`,
    event_type: TYPES[i % TYPES.length] as string,
    page_url: `/products/${i % 997}`,
    event_ts: new Date(Date.UTC(2024, 0, 1) + i * 250).toISOString().slice(0, 19).replace('T', ' '),
  };
}

/** A bare kafkajs consumer (the loader's settings) reading the whole topic, no writes: wall and CPU seconds, and the seconds to join the group. */
async function kafkajsAlone(brokers: string, topic: string): Promise<{ seconds: number; cpu: number; join: number }> {
  const kafka = new Kafka({ clientId: 'tsdbt-bench-floor', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
  const started = performance.now();
  const cpu = process.cpuUsage();
  const consumer = kafka.consumer({ groupId: `bench-floor-${Date.now()}`, maxWaitTimeInMs: 200, sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 1000 });
  let joined = 0;
  consumer.on(consumer.events.GROUP_JOIN, () => (joined ||= performance.now()));
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let read = 0;
  await new Promise<void>((resolve) => {
    void consumer.run({
      autoCommit: false,
      partitionsConsumedConcurrently: 4,
      eachBatchAutoResolve: false,
      // eslint-disable-next-line @typescript-eslint/require-await -- kafkajs' handler type
      eachBatch: async (payload) => {
        const { messages } = payload.batch;
        read += messages.length;
        const last = messages[messages.length - 1];
        if (last) payload.resolveOffset(last.offset);
        if (read >= EVENTS) resolve();
      },
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const used = cpuSeconds(cpu);
  await consumer.disconnect();
  return { seconds, cpu: used, join: (joined - started) / 1000 };
}

/**
 * tsdbt's own fetch path (kafka-client.ts' `read`, loader/fetch-reader.ts) reading every partition to
 * its end with no writes: each batch marked done as soon as it is handed over.
 */
async function fetchAlone(brokers: string, topic: string, counts: number[]): Promise<{ seconds: number; cpu: number; mockCpu: number }> {
  const transport = kafkajsTransport({ brokers: brokers.split(','), clientId: 'tsdbt-bench-fetch' });
  const mockBefore = backendCpu(mockPid) ?? 0;
  const started = performance.now();
  const cpu = process.cpuUsage();
  let read = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (done = resolve));
  if (!transport.read) throw new Error('the kafkajs transport reads without a group');
  const handle = await transport.read(
    topic,
    {
      partitions: counts.map((count, partition) => ({ partition, from: 0, to: count })),
      fromBeginning: true,
      onFailed: (err) => {
        throw err;
      },
    },
    (batch, control) => {
      const packed = batch.packed;
      const length = packed ? packed.length : batch.messages.length;
      read += length;
      const last = packed ? packed.lastOffset : batch.messages[batch.messages.length - 1]?.offset;
      if (last !== undefined) control.done(batch.partition, Number(last));
      if (read >= EVENTS) done();
      return Promise.resolve();
    },
  );
  await finished;
  const seconds = (performance.now() - started) / 1000;
  const used = cpuSeconds(cpu);
  await handle.stop();
  return { seconds, cpu: used, mockCpu: (backendCpu(mockPid) ?? 0) - mockBefore };
}

const COLUMNS = `event_id text, user_id text, event_type text, page_url text, event_ts timestamp`;

/**
 * The events' indexes in the order the topic holds them: partition after partition (as kafkajs'
 * default partitioner, the one `produce` used, placed each key), in production order within each;
 * and how many each partition holds.
 */
function topicOrder(): { order: Int32Array; counts: number[] } {
  const partitioner = Partitioners.DefaultPartitioner();
  const partitionMetadata = Array.from({ length: PARTITIONS }, (_v, partitionId) => ({ partitionId, leader: 0, partitionErrorCode: 0, replicas: [0], isr: [0] }));
  const partitionOf = new Int32Array(EVENTS);
  const counts = new Array<number>(PARTITIONS).fill(0);
  for (let i = 0; i < EVENTS; i++) {
    const key = event(i).event_id;
    const p = partitioner({ topic: '', partitionMetadata, message: { key, value: null } });
    partitionOf[i] = p;
    counts[p] = (counts[p] ?? 0) + 1;
  }
  const next = new Int32Array(PARTITIONS);
  for (let p = 1; p < PARTITIONS; p++) next[p] = (next[p - 1] as number) + (counts[p - 1] as number);
  const order = new Int32Array(EVENTS);
  for (let i = 0; i < EVENTS; i++) {
    const p = partitionOf[i] as number;
    order[next[p] as number] = i;
    next[p] = (next[p] as number) + 1;
  }
  return { order, counts };
}

/** One COPY of the events, in `order` (indexes; null: the key's order), into a new table `table` with the unique key. */
async function rawCopy(client: pg.Client, schema: string, table: string, order: Int32Array | null): Promise<{ seconds: number; cpu: number; serverCpu: number; walMb: number }> {
  await client.query(`create table ${schema}.${table} (${COLUMNS}, unique (event_id))`);
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const backend = rows[0]?.pid ?? 0;
  const serverBefore = backendCpu(backend) ?? 0;
  const wal = await walPosition(client);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const stream = client.query(copyFrom(`copy ${schema}.${table} from stdin`));
  // The rows in chunks of about 256 KiB, as psql's \copy sends a file: one CopyData message per row
  // (a generator yielding lines) made the reference spend 22 s of CPU here on 1M events and ran at a
  // quarter of COPY's speed, which flattered the loader's ratio.
  // eslint-disable-next-line @typescript-eslint/require-await -- the rows as a stream for pipeline()
  async function* chunks() {
    let chunk = '';
    for (let n = 0; n < EVENTS; n++) {
      const e = event(order ? (order[n] as number) : n);
      chunk += `${e.event_id}\t${e.user_id}\t${e.event_type}\t${e.page_url}\t${e.event_ts}\n`;
      if (chunk.length >= 256 * 1024) {
        yield chunk;
        chunk = '';
      }
    }
    if (chunk !== '') yield chunk;
  }
  await pipeline(Readable.from(chunks()), stream);
  const seconds = (performance.now() - started) / 1000;
  return { seconds, cpu: cpuSeconds(cpu), serverCpu: (backendCpu(backend) ?? 0) - serverBefore, walMb: await walMbSince(client, wal) };
}

async function main(): Promise<void> {
  const client = new pg.Client(server);
  try {
    await client.connect();
  } catch (err) {
    console.log(`\nloader benchmark skipped: no PostgreSQL server at ${server.host}:${server.port} (${(err as Error).message}); start one (npm run test:all does) or set TSDBT_PG_*`);
    return;
  }
  // BENCH_LOADER_BROKERS and BENCH_LOADER_TOPIC: a running cluster (BENCH_LOADER_MOCK_PID its
  // process, for its CPU time) whose topic of 64 partitions already holds the events, produced by a
  // run with BENCH_LOADER_PRODUCE_ONLY=1 (which produces them and ends): repeated runs then skip the
  // minute the production takes.
  const existing = env.BENCH_LOADER_BROKERS && env.BENCH_LOADER_TOPIC ? { brokers: env.BENCH_LOADER_BROKERS, topic: env.BENCH_LOADER_TOPIC } : null;
  const brokers = existing?.brokers ?? (await startKafkaMock(3));
  const topic = existing?.topic ?? `bench_events_${Date.now()}`;
  mockPid = existing ? Number(env.BENCH_LOADER_MOCK_PID ?? 0) : kafkaMockPid() ?? 0;
  const producedStart = performance.now();
  if (!existing || env.BENCH_LOADER_PRODUCE_ONLY) {
    if (!existing) await createMockTopic(topic, PARTITIONS);
    const transport = kafkajsTransport({ brokers: brokers.split(','), clientId: 'tsdbt-bench' });
    for (let i = 0; i < EVENTS; i += 10_000) {
      const chunk = Array.from({ length: Math.min(10_000, EVENTS - i) }, (_v, j) => {
        const e = event(i + j);
        return { key: e.event_id, value: JSON.stringify(e) };
      });
      await transport.produce(topic, chunk);
    }
    await transport.close();
  }
  const produceSeconds = (performance.now() - producedStart) / 1000;
  if (env.BENCH_LOADER_FETCH_ONLY) {
    const { counts } = topicOrder();
    for (let round = 1; round <= ROUNDS; round++) {
      const reader = await fetchAlone(brokers, topic, counts);
      console.log(`loader: tsdbt's fetch path alone (no writes) ${Math.round(EVENTS / reader.seconds)} rows/s (${reader.seconds.toFixed(2)}s, ${reader.cpu.toFixed(2)}s CPU in this process, ${reader.mockCpu.toFixed(2)}s in the mock broker)`);
    }
    await client.end();
    return;
  }
  if (env.BENCH_LOADER_PRODUCE_ONLY) {
    console.log(`BENCH_LOADER_BROKERS=${brokers} BENCH_LOADER_TOPIC=${topic} BENCH_LOADER_MOCK_PID=${mockPid}`);
    await client.end();
    return;
  }

  const schema = env.BENCH_LOADER_SCHEMA ?? 'bench_loader';
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bench-loader-'));
  try {
    await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_raw cascade; create schema ${schema}`);
    const { order, counts } = topicOrder();
    mkdirSync(path.join(dir, 'models'));
    writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: bench\nprofile: bench\n');
    writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ bench: { target: 'b', outputs: { b: { type: 'postgres', ...server, dbname: server.database, schema, threads: 4, application_name: APPLICATION } } } }));
    writeFileSync(
      path.join(dir, 'models/sources.yml'),
      `version: 2\nsources:\n  - name: raw\n    schema: ${schema}_raw\n    tables:\n      - name: events\n        meta: {kafka: {topic: ${topic}, key: event_id}}\n        columns:\n${COLUMNS.split(', ')
        .map((c) => `          - {name: ${c.split(' ')[0]}, data_type: ${c.split(' ')[1]}}`)
        .join('\n')}\n`,
    );
    console.log(`loader: ${EVENTS} events produced in ${produceSeconds.toFixed(1)}s (${PARTITIONS} partitions, mock broker)`);
    // The project is parsed once before the loads, as a scheduled `tsdbt load --once` finds it
    // parsed by the run before (target/'s parse cache): the cold parse is the parse rows' cost, not
    // the loader's (printed here; ~0.35 s of CPU for this one-source project in the built CLI).
    const invocation = () => createInvocation({ projectDir: dir, write: () => {}, writeError: (l) => process.stderr.write(`${l}\n`), env: { ...env, TSDBT_PROFILES_DIR: dir } });
    const parseStarted = performance.now();
    const parseCpu = process.cpuUsage();
    loadProject(invocation());
    console.log(`loader: the project parsed cold in ${((performance.now() - parseStarted) / 1000).toFixed(2)}s (${cpuSeconds(parseCpu).toFixed(2)}s CPU), before the loads (each finds it parsed, as every run after the first)`);
    const mockCpu = () => backendCpu(mockPid) ?? 0;
    const ratios: number[] = [];
    /** Per round: the reference's CPU (this process + its backend) over the load's (this process + its backends + the mock broker). */
    const cpuRatios: number[] = [];
    let lastRates = '';
    let keyOrderShown = false;
    for (let round = 1; round <= ROUNDS; round++) {
      const tag = ROUNDS > 1 ? ` [round ${round}/${ROUNDS}, load ${os.loadavg()[0]?.toFixed(1)}]` : '';
      await client.query(`drop table if exists ${schema}.copy_reference; drop schema if exists ${schema}_raw cascade`);
      const { seconds: copySeconds, cpu: copyCpu, serverCpu: copyServerCpu, walMb: copyWalMb } = await rawCopy(client, schema, 'copy_reference', order);
      if (!keyOrderShown) {
        keyOrderShown = true;
        const keyOrder = await rawCopy(client, schema, 'copy_key_order', null);
        console.log(`loader: raw COPY in the key's order ${Math.round(EVENTS / keyOrder.seconds)} rows/s (${keyOrder.seconds.toFixed(2)}s, ${keyOrder.cpu.toFixed(2)}s CPU in this process, ${keyOrder.serverCpu.toFixed(2)}s in the server, ${keyOrder.walMb.toFixed(0)} MB of WAL): not the reference (the index's ascending-key fast path)`);
      }
      const inv = invocation();
      const wal = await walPosition(client);
      const started = performance.now();
      const cpu = process.cpuUsage();
      const mockBefore = mockCpu();
      const threadsBefore = threadCpu();
      const profile = env.BENCH_LOADER_PROFILE && ROUNDS > 1 ? env.BENCH_LOADER_PROFILE.replace(/(\.cpuprofile)?$/, `-${round}$1`) : env.BENCH_LOADER_PROFILE;
      const gc = await gcWhile(() => watchBackends(client, APPLICATION, () => profiled(profile, () => loadCommand(inv, { once: true, brokers, progressInterval: 0 }))));
      const { value: code, cpu: loadServerCpu, states } = gc.value;
      const loadSeconds = (performance.now() - started) / 1000;
      const loadCpu = cpuSeconds(cpu);
      const loadMockCpu = mockCpu() - mockBefore;
      const threadsAfter = threadCpu();
      const loadWalMb = await walMbSince(client, wal);
      if (code !== 0) throw new Error(`tsdbt load failed with exit code ${code}`);
      const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from ${schema}_raw.events`);
      if (rows[0]?.n !== EVENTS) throw new Error(`loaded ${String(rows[0]?.n)} rows, expected ${EVENTS}`);
      // The reference's order is the topic's only if kafkajs placed the keys where topicOrder() says.
      const perPartition = await client.query<{ p: number; n: number }>(`select _tsdbt_kafka_partition as p, count(*)::int as n from ${schema}_raw.events group by 1`);
      const misplaced = perPartition.rows.filter((r) => counts[r.p] !== r.n).length;
      if (misplaced) console.log(`loader: WARNING: ${misplaced} partitions hold another count of events than the reference assumed: the reference's order is not the topic's`);
      const copyRate = EVENTS / copySeconds;
      const loadRate = EVENTS / loadSeconds;
      const ratio = loadRate / copyRate;
      ratios.push(ratio);
      const cpuRatio = (copyCpu + copyServerCpu) / (loadCpu + loadServerCpu + loadMockCpu);
      cpuRatios.push(cpuRatio);
      lastRates = `${Math.round(loadRate)} vs ${Math.round(copyRate)} rows/s`;
      console.log(`loader: raw COPY in the topic's order ${Math.round(copyRate)} rows/s (${copySeconds.toFixed(2)}s, ${copyCpu.toFixed(2)}s CPU in this process, ${copyServerCpu.toFixed(2)}s in the server, ${copyWalMb.toFixed(0)} MB of WAL): the reference${tag}`);
      console.log(`loader: tsdbt load --once ${Math.round(loadRate)} rows/s (${loadSeconds.toFixed(2)}s, ${loadCpu.toFixed(2)}s CPU in this process, ${loadServerCpu.toFixed(2)}s in the server, ${loadMockCpu.toFixed(2)}s in the mock broker, ${loadWalMb.toFixed(0)} MB of WAL; ${gc.full} full GCs, ${Math.round(gc.ms)} ms in GC), exactly ${EVENTS} rows`);
      if (threadsBefore && threadsAfter) console.log(`loader: the load's CPU in this process: main thread ${(threadsAfter.main - threadsBefore.main).toFixed(2)}s (the bench's sampling of the server included), other threads ${(threadsAfter.others - threadsBefore.others).toFixed(2)}s (V8's collector and compilers, libuv's pool)`);
      console.log(`loader: the load's server backends, sampled every 50 ms: ${states}`);
      console.log(`loader: ratio to raw COPY ${ratio.toFixed(2)} (goal >= ${GOAL}); CPU ratio ${cpuRatio.toFixed(2)} (the reference's CPU, this process's and the server's, over the load's, the mock broker's included); peak RSS so far ${Math.round(process.resourceUsage().maxRSS / 1024)} MB`);
      if (round > 1) continue; // the fetch path alone: once
      const reader = await fetchAlone(brokers, topic, counts);
      console.log(`loader: tsdbt's fetch path alone (no writes) ${Math.round(EVENTS / reader.seconds)} rows/s (${reader.seconds.toFixed(2)}s, ${reader.cpu.toFixed(2)}s CPU in this process, ${reader.mockCpu.toFixed(2)}s in the mock broker): ratio to raw COPY ${(EVENTS / reader.seconds / copyRate).toFixed(2)}`);
    }
    const floor = await kafkajsAlone(brokers, topic);
    const ratio = median(ratios);
    const cpuRatio = median(cpuRatios);
    if (ROUNDS > 1) console.log(`loader: ratios ${ratios.map((r) => r.toFixed(2)).join(', ')}; median ${ratio.toFixed(2)}; CPU ratios ${cpuRatios.map((r) => r.toFixed(2)).join(', ')}; median ${cpuRatio.toFixed(2)}`);
    console.log(
      `loader: kafkajs' consumer alone (no writes) ${Math.round(EVENTS / floor.seconds)} rows/s (${floor.seconds.toFixed(2)}s, of which ${floor.join.toFixed(2)}s joining the group; ${floor.cpu.toFixed(2)}s CPU in this process)`,
    );
    recordRow({
      measure: `tsdbt load --once, ${EVENTS} events (${PARTITIONS} partitions) vs raw COPY in the topic's order`,
      value: `${ROUNDS > 1 ? `median of ${ROUNDS}: ${ratio.toFixed(2)}` : `${lastRates} = ${ratio.toFixed(2)}`} (CPU ratio ${cpuRatio.toFixed(2)})`,
      goal: `>= ${GOAL} of raw COPY`,
      ratio: GOAL / ratio,
    });
    await client.query(`drop schema if exists ${schema} cascade; drop schema if exists ${schema}_raw cascade`);
  } finally {
    await client.end();
    rmSync(dir, { recursive: true, force: true });
    if (!existing) stopKafkaMock();
  }
}

await main();
