// How loadSource paces fetching against writing, with a transport the test drives by hand (each
// onBatch call is one fetch) and an in-memory PGlite warehouse whose batch writes wait at a gate
// the test opens: a batch written because batch_ms passed is written while fetching goes on, and a
// partition's fetching still waits while a full batch of it is buffered (the memory bound).
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter, Connection } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import type { ConsumerControl, KafkaTransport, PartitionBatch } from './kafka-client.js';
import { loadSource, type LoadResult } from './kafka-loader.js';
import { eventsSourceSpec } from '../../test/support/kafka-source-spec.js';

const specOf = (kafka: Record<string, unknown>) => eventsSourceSpec({ topic: 't', key: 'id', ...kafka });

const messages = (from: number, count: number) =>
  Array.from({ length: count }, (_v, i) => ({ offset: from + i, key: Buffer.from(`e${from + i}`), value: Buffer.from(JSON.stringify({ id: `e${from + i}`, n: from + i })) }));

/** One partition (0) of `high` messages; the test hands over fetches with `fetch`. */
function manualTransport(high: number) {
  let deliver: ((batch: PartitionBatch, control: ConsumerControl) => Promise<void>) | null = null;
  let subscribed: () => void = () => {};
  const ready = new Promise<void>((resolve) => (subscribed = resolve));
  const control: ConsumerControl = { seek: () => {}, done: () => {} };
  const transport: KafkaTransport = {
    watermarks: () => Promise.resolve([{ partition: 0, low: 0, high }]),
    produce: () => Promise.resolve(),
    close: () => Promise.resolve(),
    consume: (_topic, options, onBatch) => {
      deliver = onBatch;
      options.onAssigned?.([0]);
      subscribed();
      return Promise.resolve({ seek: () => {}, stop: () => Promise.resolve() });
    },
  };
  const fetch = async (from: number, count: number) => {
    await ready;
    return (deliver as NonNullable<typeof deliver>)({ partition: 0, messages: messages(from, count), highWatermark: high, fetchedOffset: from }, control);
  };
  return { transport, fetch, ready };
}

/** The adapter, with its connections for batch writes held at a gate until `open()`. */
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

/** Which settles first: `fetching` (the loader's onBatch returned), or the write reaching the gate (and then everything else queued). */
const firstOf = (fetching: Promise<void>, writeReached: Promise<void>) =>
  Promise.race([fetching.then(() => 'fetch returned' as const), writeReached.then(() => new Promise<'fetch waits for the write'>((r) => setImmediate(() => r('fetch waits for the write'))))]);

describe('loadSource: fetching against writing', () => {
  let adapter: Adapter | null = null;
  afterEach(async () => {
    await adapter?.close();
    adapter = null;
  });

  const start = async (kafka: Record<string, unknown>, high: number) => {
    adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 2 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
    const g = gated(adapter);
    const { transport, fetch, ready } = manualTransport(high);
    const loading: Promise<LoadResult> = loadSource(g.adapter, specOf(kafka), { transport, untilEnd: true });
    // From here on (tables made, positions read, partition assigned) only batch writes take a connection.
    await ready;
    return { g, fetch, loading, rows: () => (adapter as Adapter).withConnection((c) => c.execute('select count(*)::int as n, count(distinct id)::int as ids from main.events')) };
  };

  it('a batch written because batch_ms passed does not hold up the next fetch', async () => {
    const { g, fetch, loading, rows } = await start({ batch_size: 100, batch_ms: 1 }, 9);
    g.arm();
    await fetch(0, 3);
    // batch_ms later the timer starts writing offsets 0..2; the write waits at the gate.
    await g.writeReached;
    // The next fetch finds its buffer due (batch_ms passed) but not full and not at the end: it is
    // buffered and queued for writing, and the fetch returns while the write waits.
    expect(await firstOf(fetch(3, 3), g.writeReached)).toBe('fetch returned');
    g.open();
    await fetch(6, 3);
    const result = await loading;
    expect(result).toMatchObject({ loaded: 9, duplicates: 0, deadLetters: 0, messages: 9 });
    expect((await rows()).rows).toEqual([{ n: 9, ids: 9 }]);
  });

  it('a partition whose buffer holds a full batch fetches again only once it is written', async () => {
    const { g, fetch, loading, rows } = await start({ batch_size: 3, batch_ms: 60_000 }, 6);
    g.arm();
    const fetching = fetch(0, 3);
    expect(await firstOf(fetching, g.writeReached)).toBe('fetch waits for the write');
    g.open();
    await fetching;
    await fetch(3, 3);
    expect(await loading).toMatchObject({ loaded: 6, messages: 6 });
    expect((await rows()).rows).toEqual([{ n: 6, ids: 6 }]);
  });
});

describe('loadSource: what it tells of its work', () => {
  it('tells each fetch only to `trace` (--debug), and each write to `debug` (dbt.log too)', async () => {
    const adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 1 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
    try {
      const { transport, fetch, ready } = manualTransport(4);
      const debug: string[] = [];
      const trace: string[] = [];
      const loading = loadSource(adapter, specOf({ batch_size: 2 }), { transport, untilEnd: true, debug: (m) => debug.push(m), trace: (m) => trace.push(m) });
      await ready;
      await fetch(0, 2);
      await fetch(2, 2);
      expect(await loading).toMatchObject({ loaded: 4 });
      expect(trace).toEqual(['t/0: fetched 2 messages from 0', 't/0: fetched 2 messages from 2']);
      expect(debug.filter((m) => m.includes('fetched'))).toEqual([]);
      expect(debug.filter((m) => m.includes('writing'))).toEqual(['t/0: writing offsets 0..1', 't/0: writing offsets 2..3']);
    } finally {
      await adapter.close();
    }
  });
});
