// The log moving under the loader's stored position, against the test set-up's Kafka (librdkafka's
// mock cluster): retention deleting messages before they were loaded (the mock keeps at most 5 MB
// per partition and drops its oldest record batches beyond that, moving the log start as retention
// does) and a topic deleted and recreated (the stored position is past the end of the log).
// `offset_reset` decides: earliest (the default) goes on from the log start with a warning that
// counts the lost messages, latest goes on from the end, fail stops with an error.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, kafkaSourceYaml, loadOnce, produce, topicRange } from '../support/kafka.js';
import { pgServer } from '../support/postgres-targets.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

/** A message of about 100 kB: {event_id: b<i>, n: i, pad}. */
const big = (i: number) => ({ partition: 0, key: `b${i}`, value: JSON.stringify({ event_id: `b${i}`, n: i, pad: 'x'.repeat(100_000) }) });
const small = (i: number) => ({ partition: 0, key: `e${i}`, value: JSON.stringify({ event_id: `e${i}`, n: i }) });

const sourceYaml = (p: WarehouseProject, topic: string, extra = '') => kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id${extra}}`, [['event_id', 'text'], ['n', 'integer']]);

describe('a stored offset outside the log (PostgreSQL server)', () => {
  const topic = `retention_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {});
    p.write('models/sources.yml', sourceYaml(p, topic));
  });
  afterAll(() => p.cleanup());

  const rows = async () => Number((await p.sql(`select count(*)::int as n from ${p.schema}_raw.events where _tsdbt_kafka_partition = 0`))[0]?.n);
  const stored = async () => Number((await p.sql(`select next_offset from ${p.schema}_raw.tsdbt_kafka_offsets where "partition" = 0`))[0]?.next_offset);
  const setStored = (offset: number) => p.sql(`update ${p.schema}_raw.tsdbt_kafka_offsets set next_offset = ${offset} where "partition" = 0`);

  it('retention past the stored offset: goes on from the log start, warns with what was lost, and counts it', async () => {
    await produce(topic, Array.from({ length: 10 }, (_v, i) => small(i)));
    const first = await loadOnce(p);
    expect(first.code, first.output).toBe(0);
    expect(await stored()).toBe(10);
    // 7 record batches of 1 MB: the mock drops the oldest batches (the 10 loaded messages and more).
    for (let b = 0; b < 7; b++) await produce(topic, Array.from({ length: 10 }, (_v, i) => big(b * 10 + i)));
    const range = (await topicRange(topic)).get(0) as { low: number; high: number };
    expect(range.low).toBeGreaterThan(10);
    const lost = range.low - 10;
    const second = await loadOnce(p);
    expect(second.code, second.output).toBe(0);
    expect(second.output).toContain(
      `source raw.events: topic ${topic} partition 0: the stored offset 10 is below the log start ${range.low}: retention deleted ${lost} messages before they were loaded; going on from the log start ${range.low} (offset_reset: earliest)`,
    );
    expect(second.output).toMatch(new RegExp(`\\[LOADED ${range.high - range.low}, 0 duplicates, 0 dead letters, ${lost} messages lost in `));
    expect(await rows()).toBe(10 + range.high - range.low);
    expect(await p.sql(`select min(_tsdbt_kafka_offset)::int as first, max(_tsdbt_kafka_offset)::int as last from ${p.schema}_raw.events where _tsdbt_kafka_partition = 0 and event_id like 'b%'`)).toEqual([
      { first: range.low, last: range.high - 1 },
    ]);
    expect(await stored()).toBe(range.high);
    // Reported once: the next run has nothing to say.
    const third = await loadOnce(p);
    expect(third.output).not.toContain('retention deleted');
    expect(third.output).toMatch(/\[LOADED 0, 0 duplicates, 0 dead letters in /);
  }, 300_000);

  it('offset_reset: fail stops with an error that names the partition, the offsets and what to do, and loads nothing', async () => {
    const range = (await topicRange(topic)).get(0) as { low: number; high: number };
    p.write('models/sources.yml', sourceYaml(p, topic, ', offset_reset: fail'));
    await setStored(3);
    const before = await rows();
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(1);
    expect(run.output).toContain(`source raw.events: topic ${topic} partition 0: the stored offset 3 is below the log start ${range.low}: retention deleted ${range.low - 3} messages before they were loaded`);
    expect(run.output).toContain('models/sources.yml:');
    expect(run.output).toMatch(/set `offset_reset: earliest` under meta\.kafka/);
    expect(run.output).not.toMatch(/\n\s+at /); // no stack
    expect(await rows()).toBe(before);
    expect(await stored()).toBe(3);
  }, 300_000);

  it('offset_reset: latest goes on from the end of the log, counting every message it passes over', async () => {
    p.write('models/sources.yml', sourceYaml(p, topic, ', offset_reset: latest'));
    await produce(topic, [small(100)]);
    const range = (await topicRange(topic)).get(0) as { low: number; high: number };
    const before = await rows();
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(`going on from the end ${range.high} (offset_reset: latest), ${range.high - 3} messages not loaded`);
    expect(await rows()).toBe(before);
    expect(await stored()).toBe(range.high);
  }, 300_000);

  it('a stored offset past the end of the log (the topic was recreated): goes on from the log start instead of waiting forever', async () => {
    p.write('models/sources.yml', sourceYaml(p, topic));
    const { low, high } = (await topicRange(topic)).get(0) as { low: number; high: number };
    await setStored(high + 5_000);
    await produce(topic, [small(200), small(201)]);
    const before = await rows();
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(0);
    expect(run.output).toContain(
      `topic ${topic} partition 0: the stored offset ${high + 5_000} is past the end of the log (${high + 2}): the topic was deleted and recreated, or truncated; going on from the log start ${low} (offset_reset: earliest)`,
    );
    // Everything still in the log is read again: what was loaded already is a duplicate of its key
    // (all but e100, passed over by offset_reset: latest above).
    expect(run.output).toMatch(new RegExp(`\\[LOADED 3, ${high - low - 1} duplicates, 0 dead letters in `));
    expect(await rows()).toBe(before + 3);
    expect(await stored()).toBe(high + 2);
  }, 300_000);
});

describe('retention passing a running loader (continuous, PostgreSQL server)', () => {
  const topic = `retlive_${randomBytes(4).toString('hex')}`;
  const application = `tsdbt_retlive_${randomBytes(3).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {}, { target: { application_name: application } });
    // Every message is written before the next fetch (back-pressure): while a write waits, the
    // consumer reads nothing more, and retention can pass it.
    p.write('models/sources.yml', sourceYaml(p, topic, ', batch_size: 1'));
  });
  afterAll(() => p.cleanup());

  it('goes on from the new log start with a warning, instead of seeking back to a deleted offset forever', async () => {
    await produce(topic, Array.from({ length: 10 }, (_v, i) => small(i)));
    const cli = cliArgs(['load', '--progress-interval', '0', '--brokers', brokers, '--project-dir', p.dir, '--profiles-dir', p.dir]);
    const child = spawn(process.execPath, cli, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const exit = new Promise<number | null>((resolve) => child.once('exit', resolve));
    const rows = async () => Number((await p.sql(`select count(*)::int as n from ${p.schema}_raw.events`).catch(() => [{ n: 0 }]))[0]?.n ?? 0);
    const until = async (check: () => Promise<boolean>) => {
      const deadline = Date.now() + 45_000;
      while (Date.now() < deadline && child.exitCode === null && !(await check())) await new Promise((r) => setTimeout(r, 50));
      return check();
    };
    const pool = new pg.Pool({ ...pgServer(), max: 1 });
    let range = { low: 0, high: 0 };
    try {
      expect(await until(async () => (await rows()) === 10), output).toBe(true);
      // The loader's next batch waits on a lock while retention deletes what comes after it.
      const holder = await pool.connect();
      try {
        await holder.query('begin');
        await holder.query(`lock table ${p.schema}_raw.events in access exclusive mode`);
        await produce(topic, [small(10)]);
        const waiting = `select pid from pg_stat_activity where application_name = '${application}' and wait_event_type = 'Lock'`;
        expect(await until(async () => (await holder.query(waiting)).rows.length > 0), output).toBe(true);
        for (let b = 0; b < 7; b++) await produce(topic, Array.from({ length: 10 }, (_v, i) => big(b * 10 + i)));
        await holder.query('commit');
      } finally {
        holder.release();
      }
      range = (await topicRange(topic)).get(0) as { low: number; high: number };
      const { low, high } = range;
      expect(low).toBeGreaterThan(11);
      expect(await until(async () => (await rows()) === 11 + high - low), output).toBe(true);
      expect(await p.sql(`select count(*) filter (where _tsdbt_kafka_offset < 11)::int as before, min(_tsdbt_kafka_offset) filter (where _tsdbt_kafka_offset >= 11)::int as after from ${p.schema}_raw.events`)).toEqual([
        { before: 11, after: low },
      ]);
      expect(output).toContain(`topic ${topic} partition 0: the stored offset 11 is below the log start ${low}: retention deleted ${low - 11} messages before they were loaded; going on from the log start ${low} (offset_reset: earliest)`);
    } finally {
      await pool.end();
      child.kill('SIGTERM');
    }
    expect(await exit, output).toBe(0);
    expect(output).toMatch(new RegExp(`\\[LOADED ${11 + range.high - range.low}, 0 duplicates, 0 dead letters, ${range.low - 11} messages lost in `));
  }, 300_000);
});
