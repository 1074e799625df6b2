// The --once reader's own decoding of Fetch answers (src/loader/fetch-response.ts, record-batches.ts)
// against real record batches from the test set-up's Kafka (librdkafka's mock cluster): plain,
// GZIP-compressed, with headers, null keys and values, a transaction committed and one aborted with
// their markers (written as a coordinator would, test/support/kafka-markers.ts). Every fetch is
// read both ways: by the reader, and by kafkajs' own decoder and consumer Batch (the way --once
// read before) from the same bytes; the messages handed over, and what a fetch of only markers
// passes over, must be the same. The mock sends no aborted-transaction list (it does not track
// transactions), so the aborted transaction is given as a broker would list it for read_committed,
// over the real batches.
import { createRequire } from 'node:module';
import { randomBytes } from 'node:crypto';
import { CompressionTypes } from 'kafkajs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BrokerSockets } from '../../src/loader/broker-sockets.js';
import { createCluster, ISOLATION_LEVEL, type AbortedTransaction, type Cluster, type FetchedPartition } from '../../src/loader/kafkajs-internals.js';
import { readRecordSet, type RecordSetRead } from '../../src/loader/record-batches.js';
import { brokers, testKafka } from '../support/kafka.js';
import { writeTxnMarkers } from '../support/kafka-markers.js';

const require = createRequire(import.meta.url);
const Decoder = require('kafkajs/src/protocol/decoder.js') as new (buffer: Buffer) => unknown;
const decodeMessages = require('kafkajs/src/protocol/requests/fetch/v4/decodeMessages.js') as (decoder: unknown) => Promise<unknown[]>;
interface KafkajsBatch {
  messages: { offset: string; key: Buffer | null; value: Buffer | null }[];
  isEmpty(): boolean;
  isEmptyDueToFiltering(): boolean;
  firstOffset(): string | null;
  lastOffset(): string;
}
const Batch = require('kafkajs/src/consumer/batch.js') as new (topic: string, fetchedOffset: string, partition: unknown) => KafkajsBatch;

type Shown = { offset: number; key: string | null; value: string | null };
const show = (m: { offset: number | string; key: Buffer | null; value: Buffer | null }): Shown => ({ offset: Number(m.offset), key: m.key?.toString('utf8') ?? null, value: m.value?.toString('utf8') ?? null });

/** What a fetch hands over, or passes over when it holds only markers or aborted messages. */
type Outcome = { messages: Shown[] } | { passed: [number | null, number] } | 'empty';

function ours(read: RecordSetRead, fetchOffset: number): Outcome {
  if (read.messages.length > 0) return { messages: read.messages.toMessages().map(show) };
  return read.records > 0 ? { passed: [read.firstWithin, read.lastWithin ?? fetchOffset] } : 'empty';
}

/** kafkajs' reading of the same record set: its Fetch decoder's records, its consumer's Batch. */
async function kafkajs(topic: string, data: FetchedPartition, fetchOffset: number, aborted: AbortedTransaction[]): Promise<Outcome> {
  const size = Buffer.alloc(4);
  size.writeInt32BE(data.recordSet.length);
  const messages = await decodeMessages(new Decoder(Buffer.concat([size, data.recordSet])));
  const abortedTransactions = aborted.map((a) => ({ producerId: String(a.producerId), firstOffset: String(a.firstOffset) }));
  const batch = new Batch(topic, String(fetchOffset), { partition: data.partition, highWatermark: String(data.highWatermark), abortedTransactions, messages });
  if (!batch.isEmpty()) return { messages: batch.messages.map(show) };
  const first = batch.firstOffset();
  return batch.isEmptyDueToFiltering() ? { passed: [first === null ? null : Number(first), Number(batch.lastOffset())] } : 'empty';
}

describe('record batches from the mock cluster, read without an object per message', () => {
  const topic = `batches_${randomBytes(4).toString('hex')}`;
  let cluster: Cluster;
  /** The topic's metadata, read once it exists (the mock makes a topic when it is first produced to). */
  let targeted: Promise<void> | null = null;
  beforeAll(async () => {
    const sockets = new BrokerSockets({ connectMs: 10_000, requestMs: 30_000 });
    cluster = createCluster({ brokers: brokers.split(','), clientId: 'test-batches', connectionTimeout: 10_000, requestTimeout: 30_000, socketFactory: sockets.factory });
    await cluster.connect();
  });
  afterAll(() => cluster.disconnect());

  /** One Fetch of `partition` from `offset`, as the reader sends it. */
  async function fetchOnce(partition: number, offset: number): Promise<FetchedPartition> {
    await (targeted ??= cluster.addTargetTopic(topic));
    const [nodeId] = Object.entries(cluster.findLeaderForPartitions(topic, [partition])).map(([id]) => id);
    const broker = await cluster.findBroker({ nodeId: nodeId as string });
    const { responses } = await broker.fetch({
      isolationLevel: ISOLATION_LEVEL.READ_COMMITTED,
      maxWaitTime: 50,
      minBytes: 1,
      maxBytes: 1024 * 1024,
      topics: [{ topic, partitions: [{ partition, fetchOffset: String(offset), maxBytes: 1024 * 1024 }] }],
    });
    const data = responses[0]?.partitions.find((p) => p.partition === partition);
    if (!data) throw new Error(`no answer for partition ${partition}`);
    expect(data.errorCode).toBe(0);
    return data;
  }

  /**
   * Reads `partition` from `from` to its end as the reader does (each fetch from after what the
   * last one handed or passed over), checking each fetch against kafkajs; returns the outcomes.
   */
  async function readAll(partition: number, from: number, aborted: AbortedTransaction[] = []): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    let offset = from;
    for (;;) {
      const data = await fetchOnce(partition, offset);
      const read = ours(await readRecordSet(data.recordSet, offset, aborted), offset);
      expect(read, `fetch of ${topic}/${partition} from ${offset}`).toEqual(await kafkajs(topic, data, offset, aborted));
      if (read === 'empty') return outcomes;
      outcomes.push(read);
      offset = 'messages' in read ? (read.messages[read.messages.length - 1] as Shown).offset + 1 : read.passed[1] + 1;
      if (offset >= data.highWatermark) return outcomes;
    }
  }

  const messagesOf = (outcomes: Outcome[]) => outcomes.flatMap((o) => (typeof o === 'object' && 'messages' in o ? o.messages : []));

  it('plain and GZIP batches with headers, null and empty keys and values, multi-byte text: every message as produced, from any offset', async () => {
    const producer = testKafka('test-batches').producer();
    await producer.connect();
    const sent = [
      { key: 'k0', value: '{"id":"e0"}', headers: { source: 'test', multi: ['a', 'b'] } },
      { key: null, value: '{"id":"e1","name":"Zoë ☃"}' },
      { key: 'k2', value: null },
      { key: '', value: '' },
      { key: 'k4', value: 'x'.repeat(300), headers: { h: Buffer.from([0, 1, 2]) } },
    ];
    try {
      await producer.send({ topic, messages: sent.map((m) => ({ ...m, partition: 0 })) });
      await producer.send({ topic, compression: CompressionTypes.GZIP, messages: sent.map((m) => ({ ...m, partition: 0 })) });
      await producer.send({ topic, messages: sent.slice(0, 2).map((m) => ({ ...m, partition: 0 })) });
    } finally {
      await producer.disconnect();
    }
    const expected = [...sent, ...sent, ...sent.slice(0, 2)].map((m, offset) => ({ offset, key: m.key, value: m.value }));
    expect(messagesOf(await readAll(0, 0))).toEqual(expected);
    // From the middle of a plain batch and of a compressed one: what lies before is not handed over.
    expect(messagesOf(await readAll(0, 3))).toEqual(expected.slice(3));
    expect(messagesOf(await readAll(0, 7))).toEqual(expected.slice(7));
  });

  it('transactions: markers are passed over, an aborted transaction is dropped, a committed one kept', async () => {
    const partition = 1;
    const events = (tag: string, count: number) => Array.from({ length: count }, (_v, i) => ({ partition, key: `${tag}${i}`, value: JSON.stringify({ id: `${tag}${i}` }) }));
    const inTransaction = async (id: string, messages: ReturnType<typeof events>, end: 'commit' | 'abort') => {
      const producer = testKafka('test-batches-tx').producer({ transactionalId: id, maxInFlightRequests: 1 });
      await producer.connect();
      try {
        const tx = await producer.transaction();
        await tx.send({ topic, messages });
        await (end === 'commit' ? tx.commit() : tx.abort());
      } finally {
        await producer.disconnect();
      }
    };
    const plain = testKafka('test-batches').producer();
    await plain.connect();
    await plain.send({ topic, messages: events('before', 2) }); // offsets 0, 1
    await inTransaction(`tx-${topic}-c`, events('committed', 3), 'commit'); // 2..4
    // The coordinator's marker needs the transaction's producer id: read from its real batch.
    const committedSet = (await fetchOnce(partition, 2)).recordSet;
    await writeTxnMarkers(topic, [partition], 'commit', committedSet.readBigInt64BE(43)); // 5
    await inTransaction(`tx-${topic}-a`, events('aborted', 2), 'abort'); // 6, 7
    const abortedSet = (await fetchOnce(partition, 6)).recordSet;
    const abortedProducer = abortedSet.readBigInt64BE(43);
    expect(abortedProducer).not.toBe(committedSet.readBigInt64BE(43));
    await writeTxnMarkers(topic, [partition], 'abort', abortedProducer); // 8
    await plain.send({ topic, messages: events('after', 2) }); // 9, 10
    await plain.disconnect();
    // Both are transactional batches; what a read_committed fetch of a real broker would list.
    expect([committedSet.readInt16BE(21) & 0x10, abortedSet.readInt16BE(21) & 0x10]).toEqual([0x10, 0x10]);
    const aborted: AbortedTransaction[] = [{ producerId: abortedProducer, firstOffset: 6 }];

    const outcomes = await readAll(partition, 0, aborted);
    expect(messagesOf(outcomes).map((m) => [m.offset, m.key])).toEqual([[0, 'before0'], [1, 'before1'], [2, 'committed0'], [3, 'committed1'], [4, 'committed2'], [9, 'after0'], [10, 'after1']]);
    // The commit marker alone, then the aborted messages and their marker: passed over.
    expect(outcomes.filter((o) => typeof o === 'object' && 'passed' in o)).toEqual([{ passed: [5, 5] }, { passed: [6, 7] }, { passed: [8, 8] }]);
    // read_uncommitted (no list): the aborted messages are handed over; the markers never are.
    expect(messagesOf(await readAll(partition, 0)).map((m) => m.offset)).toEqual([0, 1, 2, 3, 4, 6, 7, 9, 10]);
  });
});
