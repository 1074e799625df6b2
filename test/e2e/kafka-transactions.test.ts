// Transactional producers and the loader, against the test set-up's Kafka (librdkafka 2.0.2's mock
// cluster). What the mock does with transactions, read in its source (rdkafka_mock_handlers.c at
// v2.0.2) and seen here: InitProducerId, AddPartitionsToTxn and EndTxn are accepted, but EndTxn
// writes no COMMIT/ABORT marker, Fetch answers every isolation level alike (LastStableOffset = the
// high watermark, no aborted-transaction list), so an aborted transaction's messages are served to
// every consumer. The tests write the markers a coordinator would (test/support/kafka-markers.ts),
// which gives real gaps in the log; that aborted messages are never loaded cannot be shown with
// this broker, only that the loader asks for read_committed on the wire.
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { brokers, kafkaSourceYaml, loadOnce, produce, testKafka, topicRange } from '../support/kafka.js';
import { writeTxnMarkers } from '../support/kafka-markers.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const numbered = (from: number, count: number, partition: number) =>
  Array.from({ length: count }, (_v, i) => ({ partition, key: `e${from + i}`, value: JSON.stringify({ event_id: `e${from + i}`, n: from + i }) }));

/** Sends `messages` in one transaction of a transactional producer and commits it, then writes the commit markers. */
async function committedTransaction(transactionalId: string, topic: string, messages: ReturnType<typeof numbered>): Promise<void> {
  const producer = testKafka('test-tx').producer({ transactionalId, maxInFlightRequests: 1 });
  await producer.connect();
  try {
    const tx = await producer.transaction();
    await tx.send({ topic, messages });
    await tx.commit();
  } finally {
    await producer.disconnect();
  }
  await writeTxnMarkers(topic, [...new Set(messages.map((m) => m.partition))], 'commit');
}

describe('transactions: commit markers are gaps in the log (PostgreSQL server)', () => {
  const topic = `txn_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {});
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id}`, [['event_id', 'text'], ['n', 'integer']]));
  });
  afterAll(() => p.cleanup());

  it('loads exactly the committed messages once, counts the markers as gaps, and ends although the log ends with a marker', async () => {
    await produce(topic, numbered(0, 5, 0));
    await committedTransaction(`tx-${topic}`, topic, [...numbered(5, 10, 0), ...numbered(15, 10, 1)]);
    await committedTransaction(`tx-${topic}`, topic, numbered(25, 3, 0));
    await produce(topic, numbered(28, 2, 1));
    await committedTransaction(`tx-${topic}`, topic, numbered(30, 4, 1));
    // Partition 0: 5 plain, 10 in a transaction, its marker, 3 more, a marker (the log ends with it).
    // Partition 1: 10, marker, 2 plain, 4, marker.
    const range = await topicRange(topic);
    expect([range.get(0)?.high, range.get(1)?.high]).toEqual([20, 18]);
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(0);
    // Every marker is an offset without a message: two on each partition.
    expect(run.output).toMatch(/\[LOADED 34, 0 duplicates, 0 dead letters, 4 offsets without a message in /);
    const rows = await p.sql(`select _tsdbt_kafka_partition as p, _tsdbt_kafka_offset::int as o, event_id from ${p.schema}_raw.events order by 1, 2`);
    expect(rows.length).toBe(34);
    expect(new Set(rows.map((r) => r.event_id)).size).toBe(34);
    expect(rows.filter((r) => r.p === 0).map((r) => r.o)).toEqual([...Array.from({ length: 15 }, (_v, i) => i), 16, 17, 18]);
    expect(rows.filter((r) => r.p === 1).map((r) => r.o)).toEqual([...Array.from({ length: 10 }, (_v, i) => i), 11, 12, 13, 14, 15, 16]);
    // The next run starts after the markers: nothing to read, nothing loaded twice.
    const again = await loadOnce(p);
    expect(again.code, again.output).toBe(0);
    expect(again.output).toMatch(/\[LOADED 0, 0 duplicates, 0 dead letters in /);
  }, 300_000);
});

/** The isolation level of every Fetch request this process sends to the test brokers. */
function watchFetches(): { levels: number[] } {
  const ports = new Set(brokers.split(',').map((b) => Number(b.split(':')[1])));
  const seen = { levels: [] as number[] };
  // eslint-disable-next-line @typescript-eslint/unbound-method -- the original write, called with the socket as this
  const write = net.Socket.prototype.write;
  vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: Parameters<net.Socket['write']>) {
    const [chunk] = args;
    if (Buffer.isBuffer(chunk) && this.remotePort !== undefined && ports.has(this.remotePort) && chunk.length > 12) {
      // size, api key, api version, correlation id, client id; Fetch (key 1) v4+: replica id,
      // max wait, min bytes, max bytes, isolation level.
      const apiKey = chunk.readInt16BE(4);
      const version = chunk.readInt16BE(6);
      if (apiKey === 1 && version >= 4) seen.levels.push(chunk.readInt8(14 + chunk.readInt16BE(12) + 16));
    }
    return write.apply(this, args);
  });
  return seen;
}

describe('the isolation level the loader asks for', () => {
  const topic = `iso_${randomBytes(4).toString('hex')}`;
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('pglite', {});
    await produce(topic, numbered(0, 3, 0));
  });
  afterAll(() => p.cleanup());
  afterEach(() => vi.restoreAllMocks());

  it('is read_committed by default: every fetch asks for committed messages only (isolation level 1)', async () => {
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, group_id: iso1}`, [['event_id', 'text'], ['n', 'integer']]));
    const fetches = watchFetches();
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(0);
    expect(fetches.levels.length).toBeGreaterThan(0);
    expect(new Set(fetches.levels)).toEqual(new Set([1]));
  }, 300_000);

  it('is read_uncommitted with isolation_level: read_uncommitted (isolation level 0)', async () => {
    p.write('models/sources.yml', kafkaSourceYaml(p.schema, `{topic: ${topic}, key: event_id, group_id: iso0, isolation_level: read_uncommitted}`, [['event_id', 'text'], ['n', 'integer']]));
    const fetches = watchFetches();
    const run = await loadOnce(p);
    expect(run.code, run.output).toBe(0);
    expect(fetches.levels.length).toBeGreaterThan(0);
    expect(new Set(fetches.levels)).toEqual(new Set([0]));
  }, 300_000);
});
