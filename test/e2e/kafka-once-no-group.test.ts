// `tsdbt load --once` reads without a consumer group (src/loader/fetch-reader.ts), against the test
// set-up's Kafka (librdkafka's mock cluster) and an in-memory PGlite warehouse. The transport's
// group consumer is replaced by one that refuses, so a run that joined a group fails. What came
// out: every event once, the positions stored past the commit markers (written as a coordinator
// would, test/support/kafka-markers.ts), a second run reading only what is new; two --once runs
// at once still write every event once (the batch writer's position check in the write's
// transaction), without a key to deduplicate on; and a fetch sent before a seek is not handed over.
import os from 'node:os';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { BrokerSockets } from '../../src/loader/broker-sockets.js';
import { FetchReader } from '../../src/loader/fetch-reader.js';
import { kafkajsTransport, type KafkaTransport } from '../../src/loader/kafka-client.js';
import { loadSource } from '../../src/loader/kafka-loader.js';
import { createCluster, type FetchBroker } from '../../src/loader/kafkajs-internals.js';
import { brokers, produce } from '../support/kafka.js';
import { writeTxnMarkers } from '../support/kafka-markers.js';
import { eventsSourceSpec } from '../support/kafka-source-spec.js';

const newTopic = () => `once_${randomBytes(4).toString('hex')}`;

const specOf = (topic: string, kafka: Record<string, unknown>) => eventsSourceSpec({ topic, ...kafka }, `g_${topic}`);

const events = (partition: number, from: number, count: number, tag = '') =>
  Array.from({ length: count }, (_v, i) => ({ partition, value: JSON.stringify({ id: `p${partition}e${from + i}${tag}`, n: from + i }) }));

/** The loader's Kafka transport on the test broker, whose consumer group cannot be joined. */
function groupless(): KafkaTransport {
  const transport = kafkajsTransport({ brokers: brokers.split(','), clientId: 'test-once', maxWaitMs: 50 });
  return { ...transport, consume: () => Promise.reject(new Error('joined a consumer group')) };
}

describe('tsdbt load --once without a consumer group (mock cluster)', () => {
  let adapter: Adapter | null = null;
  afterEach(async () => {
    await adapter?.close();
    adapter = null;
  });
  const warehouse = async () => (adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 2 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() }));
  const rows = (a: Adapter) => a.withConnection(async (c) => (await c.execute('select count(*)::int as n, count(distinct id)::int as ids from main.events')).rows);
  const positions = (a: Adapter) =>
    a.withConnection(async (c) => (await c.execute('select partition, next_offset from main.tsdbt_kafka_offsets where next_offset > 0 order by partition')).rows.map((r) => [Number(r.partition), Number(r.next_offset)]));

  it('reads every partition from its stored position to its end offset: each event once, positions stored past the commit markers', async () => {
    const topic = newTopic();
    const a = await warehouse();
    await produce(topic, [0, 1, 2].flatMap((p) => events(p, 0, 10)));
    await writeTxnMarkers(topic, [0, 1, 2], 'commit');
    const transport = groupless();
    try {
      const result = await loadSource(a, specOf(topic, { key: 'id', batch_size: 4 }), { transport, untilEnd: true });
      expect(result).toMatchObject({ loaded: 30, duplicates: 0, messages: 30 });
      expect(await rows(a)).toEqual([{ n: 30, ids: 30 }]);
      expect(await positions(a)).toEqual([[0, 11], [1, 11], [2, 11]]);

      // The next run starts from the stored positions: only the new events are read and written.
      await produce(topic, [0, 1, 2].flatMap((p) => events(p, 10, 1)));
      const again = await loadSource(a, specOf(topic, { key: 'id', batch_size: 4 }), { transport, untilEnd: true });
      expect(again).toMatchObject({ loaded: 3, messages: 3 });
      expect(await rows(a)).toEqual([{ n: 33, ids: 33 }]);
      expect(await positions(a)).toEqual([[0, 12], [1, 12], [2, 12]]);
    } finally {
      await transport.close();
    }
  });

  it('two runs at once write each event once: the write skips what the other stored (no key to deduplicate on)', async () => {
    const topic = newTopic();
    const a = await warehouse();
    await produce(topic, [0, 1].flatMap((p) => events(p, 0, 12)));
    const spec = specOf(topic, { batch_size: 3 });
    const [first, second] = await Promise.all([loadSource(a, spec, { transport: groupless(), untilEnd: true }), loadSource(a, spec, { transport: groupless(), untilEnd: true })]);
    expect((first?.loaded ?? 0) + (second?.loaded ?? 0)).toBe(24);
    expect(await rows(a)).toEqual([{ n: 24, ids: 24 }]);
    expect(await positions(a)).toEqual([[0, 12], [1, 12]]);
  });
});

describe('FetchReader on the mock cluster', () => {
  it('does not hand over a fetch sent before a seek: the next batch is read from the offset sought', async () => {
    const topic = newTopic();
    await produce(topic, events(0, 0, 10));
    const sockets = new BrokerSockets({ connectMs: 10_000, requestMs: 30_000 });
    const cluster = createCluster({ brokers: brokers.split(','), clientId: 'test-seek', connectionTimeout: 10_000, requestTimeout: 30_000, socketFactory: sockets.factory });
    // The first fetch is held until the test has sought; the broker answers it all the same.
    const sent: number[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstSent: () => void = () => {};
    const sentOnce = new Promise<void>((resolve) => (firstSent = resolve));
    const findBroker = cluster.findBroker.bind(cluster);
    const holdingFirstFetch = async (args: { nodeId: string }): Promise<FetchBroker> => {
      const broker = await findBroker(args);
      return {
        fetch: async (request) => {
          const offset = Number(request.topics[0]?.partitions[0]?.fetchOffset);
          sent.push(offset);
          if (sent.length === 1) {
            firstSent();
            await held;
          }
          return broker.fetch(request);
        },
      };
    };
    const handed: number[][] = [];
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const reader = new FetchReader(
      Object.assign(cluster, { findBroker: holdingFirstFetch }),
      topic,
      { partitions: [{ partition: 0, from: 0, to: 10 }], fromBeginning: true, maxWaitMs: 50, onFailed: (err) => { throw err; } },
      (batch, control) => {
        handed.push(batch.messages.map((m) => m.offset));
        const last = batch.messages[batch.messages.length - 1];
        if (last) control.done(0, last.offset);
        if (last?.offset === 9) finished();
        return Promise.resolve();
      },
      (err) => err as Error,
    );
    const handle = await reader.start();
    try {
      await sentOnce;
      handle.seek(0, 6);
      release();
      await done;
    } finally {
      await handle.stop();
    }
    expect(sent.slice(0, 2)).toEqual([0, 6]);
    expect(handed).toEqual([[6, 7, 8, 9]]);
  });
});
