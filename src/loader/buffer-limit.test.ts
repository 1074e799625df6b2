// A `--once` load (reading without a group) sends no fetch while its partitions buffer two writes'
// worth of messages per write connection together (buffer-limit.ts; the reader waits for `room`
// before each fetch, fetch-reader.ts), so the fetches keep pace with the writes instead of reading
// a long backlog into memory first. Each event is still written once. In-memory PGlite warehouse;
// the test hands over each fetch by hand and holds the writes at a gate.
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import type { Adapter, Connection } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import { BufferLimit, bufferLimitFor } from './buffer-limit.js';
import type { ConsumerControl, KafkaTransport, PartitionBatch } from './kafka-client.js';
import { loadSource } from './kafka-loader.js';
import { eventsSourceSpec } from '../../test/support/kafka-source-spec.js';

const messages = (partition: number, from: number, count: number) =>
  Array.from({ length: count }, (_v, i) => ({ offset: from + i, key: null, value: Buffer.from(JSON.stringify({ id: `p${partition}e${from + i}`, n: from + i })) }));

/** A transport that reads without a group (as `--once` does), `partitions` partitions of `high` messages; `fetch` hands one partition's messages over. */
function reader(partitions: number, high: number) {
  let deliver: ((batch: PartitionBatch, control: ConsumerControl) => Promise<void>) | null = null;
  let room: (() => Promise<void>) | undefined;
  let started: () => void = () => {};
  const ready = new Promise<void>((resolve) => (started = resolve));
  const control: ConsumerControl = { seek: () => {}, done: () => {} };
  const transport: KafkaTransport = {
    watermarks: () => Promise.resolve(Array.from({ length: partitions }, (_v, partition) => ({ partition, low: 0, high }))),
    produce: () => Promise.resolve(),
    close: () => Promise.resolve(),
    consume: () => Promise.reject(new Error('a --once load reads without a group')),
    read: (_topic, options, onBatch) => {
      deliver = onBatch;
      room = options.room;
      started();
      return Promise.resolve({ seek: () => {}, stop: () => Promise.resolve() });
    },
  };
  const fetch = (partition: number) => (deliver as NonNullable<typeof deliver>)({ partition, messages: messages(partition, 0, high), highWatermark: high, fetchedOffset: 0 }, control);
  /** What the reader waits for before its next fetch. */
  const nextFetch = () => (room ? room() : Promise.reject(new Error('the load gave the reader no room to wait for')));
  return { transport, fetch, nextFetch, ready };
}

/** The adapter with its writes held at a gate until `open()`; `reached` resolves when the first write waits there. */
function gated(adapter: Adapter) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  let armed = false;
  let reached: () => void = () => {};
  const writeReached = new Promise<void>((resolve) => (reached = resolve));
  const proxy = new Proxy(adapter, {
    get(target, name, receiver) {
      if (name !== 'withConnection') return Reflect.get(target, name, receiver) as unknown;
      return async (fn: (conn: Connection) => Promise<unknown>) => {
        if (armed) {
          reached();
          await gate;
        }
        return target.withConnection(fn);
      };
    },
  });
  return { adapter: proxy, arm: () => (armed = true), writeReached, open };
}

/** Whether `promise` has settled after the pending callbacks ran. */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false;
  void promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('BufferLimit', () => {
  it('lets a fetch go on below the limit, holds it at the limit until messages leave, and lets everything go once closed', async () => {
    const limit = new BufferLimit(8);
    limit.added(6);
    expect(await settled(limit.room())).toBe(true);
    limit.added(3);
    const waiting = limit.room();
    expect(await settled(waiting)).toBe(false);
    limit.removed(1); // 8 left: still at the limit
    expect(await settled(waiting)).toBe(false);
    limit.removed(4);
    expect(await settled(waiting)).toBe(true);
    expect(limit.buffered).toBe(4);
    limit.added(10);
    const held = limit.room();
    limit.close();
    expect(await settled(held)).toBe(true);
    expect(bufferLimitFor(10_000, 4).most).toBe(80_000);
  });
});

describe('a --once load keeps its fetches a few writes ahead', () => {
  it('sends no fetch while the buffers hold two writes per connection, and writes each event once', async () => {
    const adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 1 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
    try {
      const g = gated(adapter);
      const { transport, fetch, nextFetch, ready } = reader(4, 3);
      // batch_size 4 and one connection: the limit is 8 messages; batch_ms never passes during the test.
      const loading = loadSource(g.adapter, eventsSourceSpec({ topic: 't', key: 'id', batch_size: 4, batch_ms: 60_000 }), { transport, untilEnd: true });
      await ready;
      g.arm();
      // Each partition's 3 messages reach its end offset: partition 0's write takes the slot and waits at the gate.
      await fetch(0);
      await g.writeReached;
      expect(await settled(nextFetch())).toBe(true);
      await fetch(1); // 6 buffered
      expect(await settled(nextFetch())).toBe(true);
      await fetch(2); // 9 buffered: the next fetch waits
      const waiting = nextFetch();
      expect(await settled(waiting)).toBe(false);
      g.open();
      await waiting; // partition 0's write made room
      await fetch(3);
      expect(await loading).toMatchObject({ loaded: 12, duplicates: 0, deadLetters: 0, messages: 12 });
      const rows = await adapter.withConnection((c) => c.execute('select count(*)::int as n, count(distinct id)::int as ids from main.events'));
      expect(rows.rows).toEqual([{ n: 12, ids: 12 }]);
    } finally {
      await adapter.close();
    }
  });
});
