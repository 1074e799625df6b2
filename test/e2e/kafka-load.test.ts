// `tsdbt load --once` from a real Kafka protocol broker (librdkafka's mock cluster, started by the
// test set-up) into PostgreSQL (server and PGlite): rows land once per idempotency key, however
// often they are delivered; bad messages go to the dead-letter table with their reason; the
// partition offsets are stored in the warehouse, so the next run reads only what is new.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, kafkaSourceYaml, loadOnce, produce } from '../support/kafka.js';
import { pgServer } from '../support/postgres-targets.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';
import { jsonLogEvents, readJsonLog } from '../support/json-log.js';

const event = (i: number, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ event_id: `e${i}`, user_id: `u${i % 3}`, event_type: 'page_view', event_ts: `2024-01-01 00:00:${String(i % 60).padStart(2, '0')}`, payload: { page: `/p/${i}`, ref: null }, ...extra });

describe.each(WAREHOUSES)('tsdbt load --once on %s', (kind) => {
  const topic = `events_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {});
    p.write(
      'models/sources.yml',
      kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, fields: {page: payload.page}, json_schema: schemas/event.json, max_message_bytes: 2000}`, [
        ['event_id', 'text'],
        ['user_id', 'text'],
        ['event_type', 'text'],
        ['event_ts', 'timestamp'],
        ['page', 'text'],
        ['payload', 'jsonb'],
      ]),
    );
    p.write('schemas/event.json', JSON.stringify({ type: 'object', required: ['user_id'], properties: { event_type: { type: 'string' }, event_ts: { type: 'string' } } }));
  });
  afterAll(() => p.cleanup());

  const load = () => loadOnce(p);
  const raw = () => `${p.schema}_raw`;

  it('loads each event once, sends bad messages to the dead-letter table, and stores the offsets', async () => {
    await produce(topic, [
      ...Array.from({ length: 20 }, (_v, i) => ({ key: `e${i}`, value: event(i) })),
      { key: 'e3', value: event(3, { event_type: 'redelivered' }) }, // a producer retry: the first delivery wins
      { key: 'bad', value: '{not json' },
      { key: 'nokey', value: JSON.stringify({ user_id: 'u9' }) },
      { key: 'e99', value: event(99, { event_ts: 'not a time' }) }, // refused by the warehouse for its column type
      { key: 'e98', value: event(98, { event_type: 42 }) }, // violates the JSON Schema
      { key: 'e97', value: event(97, { payload: { page: 'x'.repeat(3000) } }) }, // larger than max_message_bytes
    ]);
    const first = await load();
    expect(first.code, first.output).toBe(0);
    expect(first.output).toMatch(/1 of 1 load source raw\.events from topic \S+ \.+ \[LOADED 20, 1 duplicate, 5 dead letters in [\d.]+s, \d+ rows\/s, lag 0 \(p0 0, p1 0, p2 0, p3 0\)\]/);
    expect(await p.sql(`select count(*)::int as n, count(distinct event_id)::int as ids from ${raw()}.events`)).toEqual([{ n: 20, ids: 20 }]);
    expect(await p.sql(`select event_type, page, payload->>'page' as nested, to_char(event_ts, 'HH24:MI:SS') as ts from ${raw()}.events where event_id = 'e3'`)).toEqual([
      { event_type: 'page_view', page: '/p/3', nested: '/p/3', ts: '00:00:03' },
    ]);
    const dead = await p.sql(`select key, payload, error from ${raw()}.events__dlq order by key`);
    expect(dead).toEqual([
      { key: 'bad', payload: '{not json', error: expect.stringMatching(/^not JSON: /) as unknown },
      { key: 'e97', payload: event(97, { payload: { page: 'x'.repeat(3000) } }), error: expect.stringMatching(/^message of 3\d{3} bytes is larger than max_message_bytes \(2000\)$/) as unknown },
      { key: 'e98', payload: event(98, { event_type: 42 }), error: 'violates json_schema: /event_type must be string' },
      { key: 'e99', payload: event(99, { event_ts: 'not a time' }), error: expect.stringMatching(/invalid input syntax for type timestamp/) as unknown },
      { key: 'nokey', payload: '{"user_id":"u9"}', error: "no value for the key 'event_id'" },
    ]);
    // Every message is accounted for by the stored offsets: rows + duplicates + dead letters.
    const [stored] = await p.sql(`select sum(next_offset)::int as consumed from ${raw()}.tsdbt_kafka_offsets where topic = '${topic}'`);
    expect(stored?.consumed).toBe(26);
    const [columns] = await p.sql(`select count(*)::int as n from ${raw()}.events where _tsdbt_kafka_topic = '${topic}' and _tsdbt_kafka_offset >= 0 and _tsdbt_loaded_at is not null`);
    expect(columns?.n).toBe(20);
  });

  it('reads only what is new on the next run; redeliveries stay no-ops', async () => {
    const idle = await load();
    expect(idle.output).toMatch(/\[LOADED 0, 0 duplicates, 0 dead letters in/);
    await produce(topic, [
      ...Array.from({ length: 5 }, (_v, i) => ({ key: `e${20 + i}`, value: event(20 + i) })),
      { key: 'e0', value: event(0) },
      { key: 'e1', value: event(1) },
    ]);
    const second = await load();
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/\[LOADED 5, 2 duplicates, 0 dead letters in/);
    expect(await p.sql(`select count(*)::int as n from ${raw()}.events`)).toEqual([{ n: 25 }]);
    const [stored] = await p.sql(`select sum(next_offset)::int as consumed from ${raw()}.tsdbt_kafka_offsets where topic = '${topic}'`);
    expect(stored?.consumed).toBe(33);
  });
});

// A batch whose keys are distinct is COPYed straight into the table (its unique index refuses a
// key it holds); whatever the table refuses goes the staging table's way, with the same result.
describe.each(WAREHOUSES)('the direct COPY of a batch on %s', (kind) => {
  const topic = `direct_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {});
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());
  const numberedAt = (partition: number, ns: (number | string)[]) => ns.map((n) => ({ partition, key: `e${n}`, value: JSON.stringify({ event_id: `e${n}`, n }) }));
  const rows = () => p.sql(`select event_id, n from ${p.schema}_raw.events order by event_id`);

  it('refused for a key the table holds or a value its column refuses: the batch still lands once, bad rows as dead letters', async () => {
    await produce(topic, numberedAt(0, [1, 2, 3]));
    const first = await loadOnce(p);
    expect(first.output).toMatch(/\[LOADED 3, 0 duplicates, 0 dead letters in/);
    // Distinct keys, one of them (e2) already loaded: COPY refused, ON CONFLICT skips it.
    await produce(topic, numberedAt(0, [4, 2, 5]));
    const second = await loadOnce(p);
    expect(second.output).toMatch(/\[LOADED 2, 1 duplicate, 0 dead letters in/);
    // Distinct new keys, one value not an integer: COPY refused, the row goes to the dead letters.
    await produce(topic, numberedAt(1, [6, 'x7', 8]).map((m) => (m.key === 'ex7' ? { ...m, value: JSON.stringify({ event_id: 'ex7', n: 'seven' }) } : m)));
    const third = await loadOnce(p);
    expect(third.output).toMatch(/\[LOADED 2, 0 duplicates, 1 dead letter in/);
    expect((await rows()).map((r) => r.event_id)).toEqual(['e1', 'e2', 'e3', 'e4', 'e5', 'e6', 'e8']);
    expect(await p.sql(`select key from ${p.schema}_raw.events__dlq`)).toEqual([{ key: 'ex7' }]);
    expect(await p.sql(`select sum(next_offset)::int as consumed from ${p.schema}_raw.tsdbt_kafka_offsets`)).toEqual([{ consumed: 9 }]);
  });
});

describe.each(WAREHOUSES)('a keyed source whose existing table has no unique index on the key, on %s', (kind) => {
  const topic = `nounique_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, {});
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());

  it('is not loaded: nothing there would keep a redelivered key out (no direct COPY without the index)', async () => {
    const raw = `${p.schema}_raw`;
    await p.sql(`create schema ${raw}`);
    await p.sql(`create table ${raw}.events (event_id text, n integer, _tsdbt_kafka_topic text, _tsdbt_kafka_partition integer, _tsdbt_kafka_offset bigint, _tsdbt_loaded_at timestamp)`);
    await produce(topic, numbered(0, 3));
    const run = await loadOnce(p);
    expect(run.code, run.output).not.toBe(0);
    expect(run.output).toMatch(/no unique or exclusion constraint matching the ON CONFLICT specification/);
    expect(await p.sql(`select count(*)::int as n from ${raw}.events`)).toEqual([{ n: 0 }]);
  });
});

/** A server project whose source raw.events (event_id, n) is fed from `topic`, keyed by event_id. */
function numberedEventsProject(topic: string, groupId?: string, target?: Record<string, unknown>): WarehouseProject {
  const p = warehouseProject('server', {}, { target });
  const group = groupId ? `, group_id: ${groupId}` : '';
  p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id${group}}`, [['event_id', 'text'], ['n', 'integer']]));
  return p;
}

/** A loader process with its output collected. */
function startLoader(cli: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, cli, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  return { child, output: () => output, exit: new Promise((resolve) => child.once('exit', resolve)) };
}

/** Rows in the project's raw.events (0 before the loader created it). */
const eventRows = async (p: WarehouseProject) => Number((await p.sql(`select count(*)::int as n from ${p.schema}_raw.events`).catch(() => [{ n: 0 }]))[0]?.n ?? 0);

/** `count` messages e<from>..: {event_id, n}, keyed by event_id. */
const numbered = (from: number, count: number) => Array.from({ length: count }, (_v, i) => ({ key: `e${from + i}`, value: JSON.stringify({ event_id: `e${from + i}`, n: from + i }) }));

/** The CLI arguments of `tsdbt load` on a project. */
const loadCli = (p: WarehouseProject, once = true) => cliArgs(['load', '--progress-interval', '5', ...(once ? ['--once'] : []), '--brokers', brokers, '--project-dir', p.dir, '--profiles-dir', p.dir]);

describe('a loader killed mid-stream (SIGKILL), again and again', () => {
  const topic = `crash_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    // Batches of 500: a run of 5,000 events sends some 90 statements, so a kill point among them
    // lands between committed batches.
    p = warehouseProject('server', {});
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, batch_size: 500}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());

  it('neither loses nor duplicates an event across 10 kills and a final run', async () => {
    const cli = loadCli(p);
    const offsets = `select coalesce(sum(next_offset), 0)::int as consumed from ${p.schema}_raw.tsdbt_kafka_offsets`;
    const consumed = async () => Number((await p.sql(offsets).catch(() => [{ consumed: 0 }]))[0]?.consumed ?? 0);
    let total = 0;
    let killedMidStream = 0;
    for (let kill = 0; kill < 10; kill++) {
      // New events before every run, so each run has work to be interrupted in.
      await produce(topic, numbered(total, 5_000));
      total += 5_000;
      const before = await consumed();
      // The process kills itself with SIGKILL after its n-th warehouse statement (fault-injection.ts):
      // a kill point, not a timer, so every run is interrupted the same way on a loaded machine.
      const child = spawn(process.execPath, cli, { cwd: REPO_ROOT, stdio: 'ignore', env: { ...process.env, TSDBT_TEST_KILL_AFTER_STATEMENT: String(12 + 7 * kill) } });
      const signal = await new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, sig) => resolve(sig)));
      // Rows and offsets are committed together: the table always holds exactly what was consumed.
      // Both read in one statement (one snapshot): the killed process's last COMMIT may still be
      // landing on the server, between two separate reads.
      const [both] = await p
        .sql(`select (select count(*) from ${p.schema}_raw.events)::int as n, (${offsets}) as consumed`)
        .catch(async () => [{ n: 0, consumed: await consumed() }]);
      const after = Number(both?.consumed ?? 0);
      if (signal === 'SIGKILL' && after > before && after < total) killedMidStream++;
      expect(Number(both?.n ?? 0)).toBe(after);
    }
    expect(killedMidStream, 'kills that landed while the loader was making progress').toBeGreaterThanOrEqual(5);
    const final = await new Promise<number | null>((resolve) => spawn(process.execPath, cli, { cwd: REPO_ROOT, stdio: 'ignore' }).once('exit', resolve));
    expect(final).toBe(0);
    expect(await p.sql(`select count(*)::int as n, count(distinct event_id)::int as ids, sum(n)::bigint::text as s from ${p.schema}_raw.events`)).toEqual([
      { n: total, ids: total, s: String((total * (total - 1)) / 2) },
    ]);
    expect(await p.sql(offsets)).toEqual([{ consumed: total }]);
  }, 300_000);
});

describe('two loaders in one group', () => {
  const topic = `shared_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = numberedEventsProject(topic, 'shared');
  });
  afterAll(() => p.cleanup());

  it('share the partitions and together load everything once', async () => {
    const total = 20_000;
    for (let start = 0; start < total; start += 5_000) {
      await produce(topic, numbered(start, 5_000));
    }
    const cli = loadCli(p);
    let output = '';
    const exits = await Promise.all(
      [0, 1].map(
        () =>
          new Promise<number | null>((resolve) => {
            const loader = startLoader(cli);
            // A member that never finishes fails the test with its output rather than a timeout.
            const watchdog = setTimeout(() => loader.child.kill('SIGKILL'), 150_000);
            void loader.exit.then((code) => {
              clearTimeout(watchdog);
              output += loader.output();
              resolve(code);
            });
          }),
      ),
    );
    expect(exits, output).toEqual([0, 0]);
    expect(await p.sql(`select count(*)::int as n, count(distinct event_id)::int as ids from ${p.schema}_raw.events`)).toEqual([{ n: total, ids: total }]);
    expect(await p.sql(`select sum(next_offset)::int as consumed from ${p.schema}_raw.tsdbt_kafka_offsets where group_id = 'shared'`)).toEqual([{ consumed: total }]);
  }, 180_000);
});

describe('a member that keeps buffered partitions through a rebalance', () => {
  const topic = `rebal_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {});
    // Batches written only every 20 s: the first messages are still buffered when the group rebalances.
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, group_id: rebal, batch_ms: 20000, batch_size: 100000}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());

  it('goes on reading its partitions after the rebalance (it used to fetch its buffered batch again forever)', async () => {
    await produce(topic, numbered(0, 400));
    const loader = startLoader([...loadCli(p, false), '--debug']);
    const kafka = new Kafka({ clientId: 'test-member', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const member = kafka.consumer({ groupId: 'rebal', sessionTimeout: 6000, rebalanceTimeout: 6000, heartbeatInterval: 1000 });
    const until = async (check: () => boolean | Promise<boolean>) => {
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && loader.child.exitCode === null && !(await check())) await new Promise((r) => setTimeout(r, 50));
      return check();
    };
    const assignments = () => [...loader.output().matchAll(/assigned partitions ([\d, ]+)/g)].map((m) => (m[1] as string).split(', ').map(Number));
    try {
      // The loader owns all four partitions and has buffered messages of each (nothing written yet).
      expect(await until(() => /\/3: fetched [1-9]/.test(loader.output()) && /\/0: fetched [1-9]/.test(loader.output())), loader.output()).toBe(true);
      expect(await eventRows(p)).toBe(0);
      // A second member joins: the loader keeps two partitions, with their buffers.
      await member.connect();
      await member.subscribe({ topic, fromBeginning: true });
      await member.run({ autoCommit: false, eachBatchAutoResolve: false, eachBatch: () => Promise.resolve() });
      expect(await until(() => assignments().length >= 2), loader.output()).toBe(true);
      const kept = assignments().at(-1) as number[];
      expect(kept.length).toBe(2);
      // New messages on the kept partitions are read and written with the buffered ones.
      await produce(topic, numbered(400, 400));
      const admin = kafka.admin();
      await admin.connect();
      const highs = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
      const expected = highs.filter((w) => kept.includes(w.partition)).reduce((sum, w) => sum + Number(w.high), 0);
      const keptRows = async () => Number((await p.sql(`select count(*)::int as n from ${p.schema}_raw.events where _tsdbt_kafka_partition in (${kept.join(', ')})`).catch(() => [{ n: 0 }]))[0]?.n ?? 0);
      expect(await until(async () => (await keptRows()) >= expected), loader.output()).toBe(true);
      expect(await keptRows()).toBe(expected);
    } finally {
      await member.disconnect();
      loader.child.kill('SIGTERM');
      await loader.exit;
    }
    // Nothing written twice.
    const [counts] = await p.sql(`select count(*)::int as n, count(distinct event_id)::int as ids from ${p.schema}_raw.events`);
    expect(counts?.n).toBe(counts?.ids);
  }, 300_000);
});

describe('tsdbt load (continuous) and SIGTERM', () => {
  const topic = `live_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = numberedEventsProject(topic);
  });
  afterAll(() => p.cleanup());

  it('keeps loading what arrives, and on SIGTERM commits the batch in flight and exits 0', async () => {
    await produce(topic, numbered(0, 1_000));
    const { child, output: outputOf, exit } = startLoader(loadCli(p, false));
    const rows = () => eventRows(p);
    const waitFor = async (n: number) => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && (await rows()) < n) await new Promise((r) => setTimeout(r, 50));
      return rows();
    };
    expect(await waitFor(1_000)).toBe(1_000);
    // Events produced while the loader runs are picked up by the same run.
    await produce(topic, numbered(1_000, 1_000));
    expect(await waitFor(2_000)).toBe(2_000);
    child.kill('SIGTERM');
    const code = await exit;
    expect(code, outputOf()).toBe(0);
    expect(outputOf()).toMatch(/Stopping: finishing the batch in flight/);
    expect(outputOf()).toMatch(/\[LOADED 2000, 0 duplicates, 0 dead letters in/);
    expect(await p.sql(`select sum(next_offset)::int as consumed from ${p.schema}_raw.tsdbt_kafka_offsets`)).toEqual([{ consumed: 2_000 }]);
  }, 300_000);
});

describe('tsdbt load --once on chdb (ClickHouse: no transactions)', () => {
  const topic = `ch_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('chdb', {});
    p.write(
      'models/sources.yml',
      kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, json_schema: event.schema.json, batch_size: 7}`, [
        ['event_id', 'String'],
        ['user_id', 'String'],
        ['event_type', 'String'],
        ['event_ts', "DateTime64(3, 'UTC')"],
        ['payload', 'String'],
      ]),
    );
    p.write('event.schema.json', JSON.stringify({ type: 'object', properties: { event_type: { type: 'string' } } }));
  });
  afterAll(() => p.cleanup());

  const load = () => loadOnce(p);
  const raw = () => `${p.schema}_raw`;

  it('loads each event once (ReplacingMergeTree on the key), with dead letters, in batches of batch_size', async () => {
    await produce(topic, [
      ...Array.from({ length: 20 }, (_v, i) => ({ key: `e${i}`, value: event(i) })),
      { key: 'e3', value: event(3, { event_type: 'redelivered' }) },
      { key: 'bad', value: '{not json' },
      { key: 'e99', value: event(99, { event_ts: 'not a time' }) },
      { key: 'e98', value: event(98, { event_type: 42 }) },
    ]);
    const first = await load();
    expect(first.code, first.output).toBe(0);
    expect(await p.sql(`select toUInt32(count()) as n, toUInt32(uniqExact(event_id)) as ids from ${raw()}.events final`)).toEqual([{ n: 20, ids: 20 }]);
    expect(await p.sql(`select event_type, payload from ${raw()}.events final where event_id = 'e7'`)).toEqual([{ event_type: 'page_view', payload: '{"page":"/p/7","ref":null}' }]);
    const dead = await p.sql(`select key, error from ${raw()}.events__dlq final order by key`);
    expect(dead).toEqual([
      { key: 'bad', error: expect.stringMatching(/^not JSON: /) as unknown },
      { key: 'e98', error: 'violates json_schema: /event_type must be string' },
      { key: 'e99', error: expect.stringMatching(/DateTime|parse|Cannot/i) as unknown },
    ]);
    expect(await p.sql(`select toUInt32(sum(next)) as consumed from (select max(next_offset) as next from ${raw()}.tsdbt_kafka_offsets group by \`partition\`)`)).toEqual([{ consumed: 24 }]);
  });

  it('resumes from what the table itself holds when the offsets were never stored (a crash between the writes)', async () => {
    // The crash window of a warehouse without transactions: rows written, offsets not yet.
    await p.sql(`truncate table ${raw()}.tsdbt_kafka_offsets`);
    await produce(topic, [...Array.from({ length: 5 }, (_v, i) => ({ key: `e${20 + i}`, value: event(20 + i) })), { key: 'e0', value: event(0) }]);
    const second = await load();
    expect(second.code, second.output).toBe(0);
    expect(second.output).toMatch(/\[LOADED 6, 0 duplicates, 0 dead letters in/);
    // Nothing written before was written again: no message (partition, offset) has two rows.
    // (Plain count() is no measure: background merges of the ReplacingMergeTree remove repeats.)
    const [copies] = await p.sql(`select toUInt32(count()) as n, toUInt32(uniqExact(_tsdbt_kafka_partition, _tsdbt_kafka_offset)) as messages from ${raw()}.events`);
    expect(copies?.n).toBe(copies?.messages);
    expect(await p.sql(`select toUInt32(count()) as n, toUInt32(uniqExact(event_id)) as ids from ${raw()}.events final`)).toEqual([{ n: 25, ids: 25 }]);
    expect(await p.sql(`select toUInt32(count()) as n from ${raw()}.events__dlq final`)).toEqual([{ n: 3 }]);
  });
});

describe('a warehouse error while loading (continuous, JSON logs)', () => {
  const topic = `retry_${randomBytes(4).toString('hex')}`;
  const application = `tsdbt_retry_${randomBytes(3).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = numberedEventsProject(topic, undefined, { application_name: application });
  });
  afterAll(() => p.cleanup());

  it('retries the batch with backoff, loads everything once, and reports progress with lag as JSON events', async () => {
    await produce(topic, numbered(0, 500));
    const cli = [...loadCli(p, false), '--log-format', 'json', '--progress-interval', '1'];
    const { child, output: outputOf, exit } = startLoader(cli);
    const rows = () => eventRows(p);
    const until = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 30_000;
      while (Date.now() < deadline && !(await check())) await new Promise((r) => setTimeout(r, 50));
      return check();
    };
    expect(await until(async () => (await rows()) === 500), outputOf()).toBe(true);
    // Hold the table, let the loader's next batch wait on it, then kill that session: the batch
    // fails with a retriable error (the connection was terminated) in the middle of its write.
    const pool = new pg.Pool({ ...pgServer(), max: 1 });
    const holder = await pool.connect();
    try {
      await holder.query('begin');
      await holder.query(`lock table ${p.schema}_raw.events in access exclusive mode`);
      await produce(topic, numbered(500, 500));
      const waiting = `select pid from pg_stat_activity where application_name = '${application}' and wait_event_type = 'Lock'`;
      expect(await until(async () => (await holder.query(waiting)).rows.length > 0), outputOf()).toBe(true);
      await holder.query(`select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${application}' and wait_event_type = 'Lock'`);
      await holder.query('commit');
    } finally {
      holder.release();
      await pool.end();
    }
    expect(await until(async () => (await rows()) === 1_000), outputOf()).toBe(true);
    // The next progress line (one a second) reports the last batch: wait for it in the output.
    const lastProgressLoadedAll = () =>
      outputOf()
        .split('\n')
        .filter((l) => l.startsWith('{') && l.includes('"LoaderProgress"'))
        .some((l) => {
          const data = readJsonLog(l).data as { loaded?: number; lag?: Record<string, number> };
          return data.loaded === 1_000 && Object.values(data.lag ?? { none: 1 }).every((lag) => lag === 0);
        });
    expect(await until(() => Promise.resolve(lastProgressLoadedAll())), outputOf()).toBe(true);
    child.kill('SIGTERM');
    const code = await exit;
    expect(code, outputOf()).toBe(0);
    const events = jsonLogEvents(outputOf());
    const retry = events.find((e) => e.name === 'LoaderRetry');
    expect(retry?.data, outputOf()).toMatchObject({ attempt: 1, delay_ms: 250 });
    expect(retry?.code).toMatch(/^TS\d{3}$/);
    const progress = events.filter((e) => e.name === 'LoaderProgress').map((e) => e.data);
    expect(progress.length).toBeGreaterThan(1);
    expect(progress[progress.length - 1]).toMatchObject({ loaded: 1_000, deadLetters: 0, lag: { 0: 0, 1: 0, 2: 0, 3: 0 } });
    expect(progress.every((e) => typeof e.rows_per_second === 'number')).toBe(true);
    expect(await p.sql(`select count(*)::int as n, count(distinct event_id)::int as ids from ${p.schema}_raw.events`)).toEqual([{ n: 1_000, ids: 1_000 }]);
  }, 300_000);
});
