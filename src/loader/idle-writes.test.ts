// A write slot with nothing to write takes what the partitions buffer once that is a quarter of
// batch_size (kafka-loader.ts' fillIdle), instead of waiting until a partition holds a full batch,
// reaches its end offset or waited batch_ms: writing starts with the first fetches. Each event is
// still written once, in its partition's order, with the partition's position. In-memory PGlite
// warehouse; the test hands over each fetch by hand.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { createAdapter } from '../adapters/index.js';
import type { ConsumerControl, KafkaTransport, PartitionBatch } from './kafka-client.js';
import { loadSource } from './kafka-loader.js';
import { eventsSourceSpec } from '../../test/support/kafka-source-spec.js';

const messages = (partition: number, from: number, count: number) =>
  Array.from({ length: count }, (_v, i) => ({ offset: from + i, key: null, value: Buffer.from(JSON.stringify({ id: `p${partition}e${from + i}`, n: from + i })) }));

/** `partitions` partitions of `high` messages each; `fetch` hands over one fetch and resolves once the loader took it. */
function handFed(partitions: number, high: number) {
  let deliver: ((batch: PartitionBatch, control: ConsumerControl) => Promise<void>) | null = null;
  let subscribed: () => void = () => {};
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const all = Array.from({ length: partitions }, (_v, p) => p);
  const control: ConsumerControl = { seek: () => {}, done: () => {} };
  const transport: KafkaTransport = {
    watermarks: () => Promise.resolve(all.map((partition) => ({ partition, low: 0, high }))),
    produce: () => Promise.resolve(),
    close: () => Promise.resolve(),
    consume: (_topic, options, onBatch) => {
      deliver = onBatch;
      options.onAssigned?.(all);
      subscribed();
      return Promise.resolve({ seek: () => {}, stop: () => Promise.resolve() });
    },
  };
  const fetch = async (partition: number, from: number, count: number) => {
    await ready;
    await (deliver as NonNullable<typeof deliver>)({ partition, messages: messages(partition, from, count), highWatermark: high, fetchedOffset: from }, control);
    // The write a fetch starts is decided before the next fetch (its batch taken from the buffer).
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { transport, fetch, ready };
}

describe('a free write slot takes what is buffered', () => {
  it('writes once a quarter of batch_size is buffered, across partitions, each event and position once', async () => {
    const adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 2 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
    try {
      const { transport, fetch, ready } = handFed(2, 12);
      const debug: string[] = [];
      // batch_size 20: a quarter is 5 messages; batch_ms never passes during the test.
      const loading = loadSource(adapter, eventsSourceSpec({ topic: 't', key: 'id', batch_size: 20, batch_ms: 60_000 }), { transport, untilEnd: true, debug: (m) => debug.push(m) });
      await ready;
      const writes = () => debug.filter((m) => m.includes('writing'));
      await fetch(0, 0, 3);
      expect(writes()).toEqual([]);
      // 6 messages buffered in two partitions: one write takes both.
      await fetch(1, 0, 3);
      expect(writes()).toEqual(['t/0: writing offsets 0..2', 't/1: writing offsets 0..2']);
      await fetch(0, 3, 9);
      await fetch(1, 3, 9);
      expect(await loading).toMatchObject({ loaded: 24, duplicates: 0, deadLetters: 0, messages: 24 });
      expect(writes()).toEqual(['t/0: writing offsets 0..2', 't/1: writing offsets 0..2', 't/0: writing offsets 3..11', 't/1: writing offsets 3..11']);
      const rows = await adapter.withConnection((c) => c.execute("select count(*)::int as n, count(distinct id)::int as ids, count(*) filter (where id = 'p' || _tsdbt_kafka_partition || 'e' || _tsdbt_kafka_offset)::int as placed from main.events"));
      expect(rows.rows).toEqual([{ n: 24, ids: 24, placed: 24 }]);
      const positions = await adapter.withConnection((c) => c.execute('select partition::int as p, next_offset::int as next from main.tsdbt_kafka_offsets order by 1'));
      expect(positions.rows).toEqual([
        { p: 0, next: 12 },
        { p: 1, next: 12 },
      ]);
    } finally {
      await adapter.close();
    }
  });
});
