// Several partitions' due batches written in one transaction (write-groups.ts, the batch writer's
// writeMany), on an in-memory PGlite warehouse: the load makes fewer transactions than batches,
// and each partition is still locked, its position checked and stored in that transaction, so rows
// and positions stay exactly once (also when another run stored a position meanwhile).
import os from 'node:os';
import { afterEach, describe, expect, it } from 'vitest';
import type { Adapter, Connection } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import { transactionalBatchWriter } from './batch-writer.js';
import type { ConsumerControl, KafkaTransport, PartitionBatch } from './kafka-client.js';
import { loadSource } from './kafka-loader.js';
import { ensureLoaderTables } from './loader-tables.js';
import { MessageBatch, PackedMessages } from './packed-messages.js';
import { eventsSourceSpec } from '../../test/support/kafka-source-spec.js';

const specOf = (kafka: Record<string, unknown>) => eventsSourceSpec({ topic: 't', ...kafka });

const messages = (partition: number, from: number, count: number) =>
  Array.from({ length: count }, (_v, i) => ({ offset: from + i, key: null, value: Buffer.from(JSON.stringify({ id: `p${partition}e${from + i}`, n: from + i })) }));

const batchOf = (partition: number, from: number, count: number) => new MessageBatch([PackedMessages.of(messages(partition, from, count))]);

/** `partitions` partitions of `high` messages each; the test hands over each partition's one fetch with `fetch`. */
function manualTransport(partitions: number, high: number) {
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
  const fetch = async (partition: number) => {
    await ready;
    return (deliver as NonNullable<typeof deliver>)({ partition, messages: messages(partition, 0, high), highWatermark: high, fetchedOffset: 0 }, control);
  };
  return { transport, fetch, ready };
}

/** The adapter, counting the transactions its connections commit, and holding writes at a gate once armed until `open()` (or `fail()`: the first of them then fails). */
function observed(adapter: Adapter) {
  let open: () => void = () => {};
  const gate = new Promise<void>((resolve) => (open = resolve));
  let armed = false;
  let reached: () => void = () => {};
  const writeReached = new Promise<void>((resolve) => (reached = resolve));
  const counts = { transactions: 0 };
  let failure: Error | null = null;
  let failed = false;
  const counting = (conn: Connection): Connection =>
    new Proxy(conn, {
      get(target, name, receiver) {
        if (name !== 'transaction') return Reflect.get(target, name, receiver) as unknown;
        return async (fn: (tx: Connection) => Promise<unknown>) => {
          const value = await target.transaction(fn);
          counts.transactions++;
          return value;
        };
      },
    });
  const proxy = new Proxy(adapter, {
    get(target, name, receiver) {
      if (name !== 'withConnection') return Reflect.get(target, name, receiver) as unknown;
      return async (fn: (conn: Connection) => Promise<unknown>) => {
        if (armed) {
          reached();
          await gate;
        }
        // The first write after the gate fails (once `fail` was called); the others go on.
        if (failure && !failed) {
          failed = true;
          throw failure;
        }
        return target.withConnection((conn) => fn(counting(conn)));
      };
    },
  });
  const fail = (err: Error) => {
    failure = err;
    open();
  };
  return { adapter: proxy, arm: () => (armed = true), writeReached, open, fail, counts };
}

describe('several partitions in one transaction', () => {
  let adapter: Adapter | null = null;
  afterEach(async () => {
    await adapter?.close();
    adapter = null;
  });
  const warehouse = async (threads: number) => (adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() }));
  const rows = (a: Adapter) => a.withConnection(async (c) => (await c.execute('select count(*)::int as n, count(distinct id)::int as ids from main.events')).rows);
  const positions = (a: Adapter) =>
    a.withConnection(async (c) => (await c.execute('select partition, next_offset from main.tsdbt_kafka_offsets order by partition')).rows.map((r) => [Number(r.partition), Number(r.next_offset)]));

  it('a load of 8 partitions writes the batches due while a write is running in one transaction, each event and position once', async () => {
    const a = await warehouse(1);
    const o = observed(a);
    const { transport, fetch, ready } = manualTransport(8, 5);
    const debug: string[] = [];
    const loading = loadSource(o.adapter, specOf({ key: 'id', batch_ms: 60_000 }), { transport, untilEnd: true, debug: (m) => debug.push(m) });
    await ready;
    o.arm();
    // Partition 0 reaches its end offset: its batch takes the one write slot (threads: 1) and waits at the gate.
    await fetch(0);
    await o.writeReached;
    const before = o.counts.transactions;
    // Partitions 1..7 come due meanwhile: they wait for the slot, then go in one write together.
    for (let p = 1; p < 8; p++) await fetch(p);
    o.open();
    expect(await loading).toMatchObject({ loaded: 40, duplicates: 0, deadLetters: 0, messages: 40 });
    // Without grouping: 8 transactions, one per partition's batch.
    expect(o.counts.transactions - before).toBe(2);
    expect(debug.filter((m) => m.includes('one write'))).toEqual(['t: one write of 35 messages of partitions 1, 2, 3, 4, 5, 6, 7']);
    expect(await rows(a)).toEqual([{ n: 40, ids: 40 }]);
    expect(await positions(a)).toEqual(Array.from({ length: 8 }, (_v, p) => [p, 5]));
  });

  it('once a write failed, a write of other partitions that waited for the slot is not made', async () => {
    const a = await warehouse(1);
    const o = observed(a);
    const { transport, fetch, ready } = manualTransport(2, 3);
    const loading = loadSource(o.adapter, specOf({ key: 'id', batch_ms: 60_000 }), { transport, untilEnd: true });
    const failed = loading.then(
      () => 'loaded',
      (err: Error) => err.message,
    );
    await ready;
    o.arm();
    await fetch(0);
    await o.writeReached;
    // Partition 1's batch waits for the slot partition 0's write holds; that write fails.
    await fetch(1);
    o.fail(new Error('the warehouse went away'));
    expect(await failed).toBe('the warehouse went away');
    expect(await rows(a)).toEqual([{ n: 0, ids: 0 }]);
  });

  it('writeMany skips what another run stored for one partition and writes the rest of every partition once (no key)', async () => {
    const a = await warehouse(1);
    const spec = specOf({});
    const tables = await a.withConnection((c) => ensureLoaderTables(a, c, spec));
    const writer = transactionalBatchWriter(a, tables, spec);
    // Another run wrote partition 0's offsets 0..5.
    expect(await writer.write(0, batchOf(0, 0, 6))).toMatchObject({ inserted: 6, skipped: 0 });
    const outcome = await writer.writeMany([
      { partition: 2, messages: batchOf(2, 0, 3) },
      { partition: 0, messages: batchOf(0, 0, 10) },
      { partition: 1, messages: batchOf(1, 0, 4) },
    ]);
    expect(outcome).toEqual({ inserted: 11, duplicates: 0, deadLetters: 0, skipped: 6 });
    expect(await rows(a)).toEqual([{ n: 17, ids: 17 }]);
    expect(await positions(a)).toEqual([
      [0, 10],
      [1, 4],
      [2, 3],
    ]);
    // Written again (a run that read the same offsets): everything skipped, nothing moves.
    expect(await writer.writeMany([{ partition: 1, messages: batchOf(1, 0, 4) }, { partition: 2, messages: batchOf(2, 0, 3) }])).toEqual({ inserted: 0, duplicates: 0, deadLetters: 0, skipped: 7 });
    expect(await rows(a)).toEqual([{ n: 17, ids: 17 }]);
  });

  it("a shared write of which one partition's batch holds keys the table has (a producer's retry) is refused as a whole; the staging way lands every partition's new rows once", async () => {
    const a = await warehouse(1);
    const spec = specOf({ key: 'id' });
    const tables = await a.withConnection((c) => ensureLoaderTables(a, c, spec));
    const writer = transactionalBatchWriter(a, tables, spec);
    // Partition 0's first 3 events are loaded; the same events came again at partition 1 (a
    // producer's retry): the table's unique index refuses the shared direct COPY (larger shared
    // writes make that refusal cover more partitions: write-groups.ts' GROUP_BATCHES).
    expect(await writer.write(0, batchOf(0, 0, 3))).toMatchObject({ inserted: 3 });
    const again = new MessageBatch([PackedMessages.of(messages(0, 0, 3).map((m, i) => ({ ...m, offset: i })))]);
    const outcome = await writer.writeMany([
      { partition: 0, messages: batchOf(0, 3, 4) },
      { partition: 1, messages: again },
      { partition: 2, messages: batchOf(2, 0, 5) },
    ]);
    expect(outcome).toEqual({ inserted: 9, duplicates: 3, deadLetters: 0, skipped: 0 });
    expect(await rows(a)).toEqual([{ n: 12, ids: 12 }]);
    expect(await positions(a)).toEqual([
      [0, 7],
      [1, 3],
      [2, 5],
    ]);
  });

  it('writeMany sends a message the decoder refuses to the dead letters with its own partition, and a key seen in two partitions once', async () => {
    const a = await warehouse(1);
    const spec = specOf({ key: 'id' });
    const tables = await a.withConnection((c) => ensureLoaderTables(a, c, spec));
    const writer = transactionalBatchWriter(a, tables, spec);
    const bad = new MessageBatch([PackedMessages.of([{ offset: 0, key: null, value: Buffer.from('{not json') }, ...messages(1, 1, 2)])]);
    const same = new MessageBatch([PackedMessages.of([{ offset: 0, key: null, value: Buffer.from(JSON.stringify({ id: 'p1e1', n: 9 })) }])]);
    const outcome = await writer.writeMany([
      { partition: 1, messages: bad },
      { partition: 3, messages: same },
    ]);
    expect(outcome).toEqual({ inserted: 2, duplicates: 1, deadLetters: 1, skipped: 0 });
    expect(await a.withConnection(async (c) => (await c.execute('select partition::int as p, "offset"::int as o from main.events__dlq')).rows)).toEqual([{ p: 1, o: 0 }]);
    expect(await rows(a)).toEqual([{ n: 2, ids: 2 }]);
    expect(await positions(a)).toEqual([
      [1, 3],
      [3, 1],
    ]);
  });
});
