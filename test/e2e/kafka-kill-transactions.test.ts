// kill -9 of `tsdbt load --once` mid-batch, on a topic written by transactional producers (with the
// commit markers a coordinator writes: gaps in the offsets, also at the end of the log) and plain
// producers, into the PostgreSQL server. Each run is killed when the loader has started writing
// its k-th batch (seen in its own --debug output), for k = 1, 2, 3, 5, 8; then a run goes to the
// end. After every kill the table holds exactly the messages below the stored positions (rows and
// positions commit together); at the end every committed message is there, once, at its offset.
// Aborted transactions are not part of it: librdkafka 2.0.2's mock cluster serves their messages
// as readable (it sends no aborted-transaction list), see kafka-transactions.test.ts.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import type { RecordMetadata } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { brokers, kafkaSourceYaml, testKafka } from '../support/kafka.js';
import { writeTxnMarkers } from '../support/kafka-markers.js';
import { expectedBelow as expectedRows, loadedState } from '../support/loaded-offsets.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

type Sent = { partition: number; key: string; value: string };
const PARTITIONS = 4;

describe('kill -9 of tsdbt load mid-batch on a transactional topic (PostgreSQL server)', () => {
  const topic = `killtx_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  /** event_id -> where the broker put it: `partition/offset`. */
  const oracle = new Map<string, string>();
  let counter = 0;
  beforeAll(() => {
    p = warehouseProject('server', {});
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, batch_size: 50}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());

  const messages = (count: number): Sent[] =>
    Array.from({ length: count }, () => {
      const n = counter++;
      return { partition: n % PARTITIONS, key: `e${n}`, value: JSON.stringify({ event_id: `e${n}`, n }) };
    });
  /** Records where each message landed: per partition, consecutive offsets from the base offset, in send order. */
  const remember = (sent: Sent[], metadata: RecordMetadata[]) => {
    for (const m of metadata) {
      const base = Number(m.baseOffset);
      sent.filter((s) => s.partition === m.partition).forEach((s, i) => oracle.set(s.key, `${m.partition}/${base + i}`));
    }
  };
  const transaction = async (sent: Sent[]) => {
    const producer = testKafka('test-tx').producer({ transactionalId: `tx-${topic}`, maxInFlightRequests: 1 });
    await producer.connect();
    try {
      const tx = await producer.transaction();
      remember(sent, await tx.send({ topic, messages: sent }));
      await tx.commit();
    } finally {
      await producer.disconnect();
    }
    await writeTxnMarkers(topic, [...new Set(sent.map((s) => s.partition))], 'commit');
  };
  const plain = async (sent: Sent[]) => {
    const producer = testKafka('test-plain').producer();
    await producer.connect();
    try {
      remember(sent, await producer.send({ topic, messages: sent }));
    } finally {
      await producer.disconnect();
    }
  };

  const state = () => loadedState(p);
  const expectedBelow = (positions: Map<number, number>) => expectedRows(oracle, positions);

  const cli = () => cliArgs(['load', '--once', '--debug', '--progress-interval', '0', '--brokers', brokers, '--project-dir', p.dir, '--profiles-dir', p.dir]);

  /** Runs the loader and kills it (SIGKILL) when it starts writing its `k`-th batch; false when it finished first. */
  const killAtBatch = (k: number) =>
    new Promise<{ killed: boolean; output: string }>((resolve) => {
      const child = spawn(process.execPath, cli(), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      let killed = false;
      const watch = (d: Buffer) => {
        output += d.toString();
        if (!killed && (output.match(/: writing offsets \d+\.\.\d+/g) ?? []).length >= k) {
          killed = true;
          child.kill('SIGKILL');
        }
      };
      child.stdout.on('data', watch);
      child.stderr.on('data', watch);
      child.once('exit', () => resolve({ killed, output }));
    });

  it('keeps exactly the committed messages below the stored positions at every kill, and all of them once at the end', async () => {
    const points = [1, 2, 3, 5, 8];
    let progressed = 0;
    let before = 0;
    for (const k of points) {
      // New work before every run: two committed transactions around plain messages.
      await transaction(messages(400));
      await plain(messages(120));
      await transaction(messages(400));
      const { killed, output } = await killAtBatch(k);
      expect(killed, output).toBe(true);
      const now = await state();
      // Killed with work left, whether or not its batches had committed yet.
      expect(now.rows.length).toBeLessThan(oracle.size);
      if (now.rows.length > before) progressed++;
      before = now.rows.length;
      // Rows and positions are committed together: exactly the messages below the positions.
      expect(now.rows).toEqual(expectedBelow(now.positions));
    }
    // A partition's batches are written one after the other, so by its 5th write (4 partitions) a
    // run has committed at least one batch: the kills at 5 and 8 land after progress, always.
    expect(progressed, 'runs that committed batches before their kill').toBeGreaterThanOrEqual(2);
    const final = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(process.execPath, cli(), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.once('exit', (code) => resolve({ code, output }));
    });
    expect(final.code, final.output).toBe(0);
    const end = await state();
    expect(end.rows.length).toBe(oracle.size);
    expect(end.rows).toEqual([...oracle.entries()].map(([key, at]) => `${at} ${key}`).sort());
    // The positions are the ends of the logs, markers included.
    const admin = testKafka('test-admin').admin();
    await admin.connect();
    const highs = await admin.fetchTopicOffsets(topic).finally(() => admin.disconnect());
    expect(Object.fromEntries(end.positions)).toEqual(Object.fromEntries(highs.map((w) => [w.partition, Number(w.high)])));
  }, 240_000);
});
