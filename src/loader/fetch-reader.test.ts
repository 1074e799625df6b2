// `tsdbt load --once` reads without a consumer group (fetch-reader.ts): a fake kafkajs cluster
// serves partition logs (with transaction markers, through kafkajs' own Batch), and an in-memory
// PGlite warehouse takes the rows. What came out: every event once, the positions stored at the
// end offsets; and two --once runs at the same time still write every event once (the batch
// writer's position check in the write's transaction), even without a key to deduplicate on.
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import type { SourceTable } from '../manifest/types.js';
import { FetchReader } from './fetch-reader.js';
import type { KafkaTransport } from './kafka-client.js';
import { loadSource } from './kafka-loader.js';
import type { Cluster, FetchedMessage, FetchResponse } from './kafkajs-internals.js';
import { kafkaSpecOf, type KafkaSourceSpec } from './kafka-source.js';

function specOf(kafka: Record<string, unknown>): KafkaSourceSpec {
  const source = {
    source_name: 'raw',
    name: 'events',
    identifier: 'events',
    database: null,
    schema: 'main',
    original_file_path: 'models/sources.yml',
    line: 1,
    meta: { kafka: { topic: 't', ...kafka } },
    columns: { id: { name: 'id', data_type: 'text' }, n: { name: 'n', data_type: 'integer' } },
  } as unknown as SourceTable;
  return kafkaSpecOf(source, 'g', os.tmpdir()) as KafkaSourceSpec;
}

/** Partition logs: `count` events each, then (with `marker`) a transaction commit marker. */
function logs(partitions: number, count: number, marker: boolean): FetchedMessage[][] {
  return Array.from({ length: partitions }, (_p, p) => [
    ...Array.from({ length: count }, (_v, i) => ({ offset: String(i), key: null, value: Buffer.from(JSON.stringify({ id: `p${p}e${i}`, n: i })) })),
    ...(marker ? [{ offset: String(count), key: null, value: Buffer.alloc(6), isControlRecord: true }] : []),
  ]);
}

/** A cluster of two brokers leading alternate partitions; each fetch brings up to 4 records of a partition. */
function fakeCluster(log: FetchedMessage[][], fetches: { partition: number; from: number }[]): Cluster {
  const broker = {
    fetch: ({ topics }: { topics: { topic: string; partitions: { partition: number; fetchOffset: string }[] }[] }): Promise<FetchResponse> =>
      Promise.resolve({
        responses: topics.map(({ topic, partitions }) => ({
          topicName: topic,
          partitions: partitions.map(({ partition, fetchOffset }) => {
            fetches.push({ partition, from: Number(fetchOffset) });
            const records = log[partition] as FetchedMessage[];
            return { partition, highWatermark: String(records.length), abortedTransactions: [], messages: records.slice(Number(fetchOffset), Number(fetchOffset) + 4) };
          }),
        })),
      }),
  };
  return {
    connect: () => Promise.resolve(),
    disconnect: () => Promise.resolve(),
    addTargetTopic: () => Promise.resolve(),
    refreshMetadata: () => Promise.resolve(),
    findBroker: () => Promise.resolve(broker),
    findLeaderForPartitions: (_topic, partitions) => ({ '1': partitions.filter((p) => p % 2 === 0), '2': partitions.filter((p) => p % 2 === 1) }),
    removeBroker: () => undefined,
    fetchTopicsOffset: () => Promise.resolve([]),
  };
}

/** A transport that reads through FetchReader over the fake cluster, and refuses to join a consumer group. */
function readingTransport(log: FetchedMessage[][], fetches: { partition: number; from: number }[] = []): KafkaTransport {
  return {
    watermarks: () => Promise.resolve(log.map((records, partition) => ({ partition, low: 0, high: records.length }))),
    produce: () => Promise.resolve(),
    close: () => Promise.resolve(),
    consume: () => Promise.reject(new Error('joined a consumer group')),
    read: (topic, options, onBatch) => new FetchReader(fakeCluster(log, fetches), topic, { ...options, maxWaitMs: 1 }, onBatch, (err) => err as Error).start(),
  };
}

describe('tsdbt load --once without a consumer group', () => {
  let adapter: Adapter | null = null;
  afterEach(async () => {
    await adapter?.close();
    adapter = null;
  });
  const warehouse = async () => (adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 2 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() }));
  const rows = (a: Adapter) => a.withConnection(async (c) => (await c.execute('select count(*)::int as n, count(distinct id)::int as ids from main.events')).rows);
  const positions = (a: Adapter) => a.withConnection(async (c) => (await c.execute('select partition, next_offset from main.tsdbt_kafka_offsets order by partition')).rows.map((r) => [Number(r.partition), Number(r.next_offset)]));

  it('reads every partition from its stored position to its end offset: each event once, positions stored past the commit markers', async () => {
    const a = await warehouse();
    const log = logs(3, 10, true);
    const fetches: { partition: number; from: number }[] = [];
    const result = await loadSource(a, specOf({ key: 'id', batch_size: 4 }), { transport: readingTransport(log, fetches), untilEnd: true });
    expect(result).toMatchObject({ loaded: 30, duplicates: 0, messages: 30, gaps: 3 });
    expect(await rows(a)).toEqual([{ n: 30, ids: 30 }]);
    expect(await positions(a)).toEqual([[0, 11], [1, 11], [2, 11]]);
    // Each offset fetched once: the last fetch brings only the commit marker.
    expect(fetches.filter((f) => f.partition === 0).map((f) => f.from)).toEqual([0, 4, 8, 10]);

    // The next run starts from the stored positions: nothing to read, nothing written.
    log.forEach((records, p) => records.push({ offset: String(records.length), key: null, value: Buffer.from(JSON.stringify({ id: `p${p}new`, n: 99 })) }));
    const again = await loadSource(a, specOf({ key: 'id', batch_size: 4 }), { transport: readingTransport(log), untilEnd: true });
    expect(again).toMatchObject({ loaded: 3, messages: 3 });
    expect(await rows(a)).toEqual([{ n: 33, ids: 33 }]);
    expect(await positions(a)).toEqual([[0, 12], [1, 12], [2, 12]]);
  });

  it('two runs at once write each event once: the write skips what the other stored (no key to deduplicate on)', async () => {
    const a = await warehouse();
    const log = logs(2, 12, false);
    const spec = specOf({ batch_size: 3 });
    const [first, second] = await Promise.all([loadSource(a, spec, { transport: readingTransport(log), untilEnd: true }), loadSource(a, spec, { transport: readingTransport(log), untilEnd: true })]);
    expect((first?.loaded ?? 0) + (second?.loaded ?? 0)).toBe(24);
    expect(await rows(a)).toEqual([{ n: 24, ids: 24 }]);
    expect(await positions(a)).toEqual([[0, 12], [1, 12]]);
  });
});

describe('FetchReader', () => {
  it('does not hand over a fetch sent before a seek: the next batch is read from the offset sought', async () => {
    const log = logs(1, 10, false);
    const sent: number[] = [];
    let release: () => void = () => {};
    const held = new Promise<void>((resolve) => (release = resolve));
    let firstSent: () => void = () => {};
    const sentOnce = new Promise<void>((resolve) => (firstSent = resolve));
    const cluster = fakeCluster(log, []);
    const broker = await cluster.findBroker({ nodeId: '1' });
    const heldBroker = {
      fetch: async (request: Parameters<typeof broker.fetch>[0]) => {
        sent.push(Number(request.topics[0]?.partitions[0]?.fetchOffset));
        if (sent.length === 1) {
          firstSent();
          await held;
        }
        return broker.fetch(request);
      },
    };
    const handed: number[][] = [];
    let handle: Awaited<ReturnType<FetchReader['start']>> | null = null;
    let finished: () => void = () => {};
    const done = new Promise<void>((resolve) => (finished = resolve));
    const reader = new FetchReader(
      { ...cluster, findBroker: () => Promise.resolve(heldBroker) },
      't',
      { partitions: [{ partition: 0, from: 0, to: 10 }], fromBeginning: true, maxWaitMs: 1, onFailed: (err) => { throw err; } },
      (batch, control) => {
        handed.push(batch.messages.map((m) => m.offset));
        const last = batch.messages[batch.messages.length - 1];
        if (last) control.done(0, last.offset);
        if (last?.offset === 9) finished();
        return Promise.resolve();
      },
      (err) => err as Error,
    );
    handle = await reader.start();
    await sentOnce;
    handle.seek(0, 6);
    release();
    await done;
    await handle.stop();
    expect(sent.slice(0, 2)).toEqual([0, 6]);
    expect(handed).toEqual([[6, 7, 8, 9]]);
  });
});
