// A failed round trip whose ErrorResponse and ReadyForQuery reach the client in separate reads, as
// on a loaded machine: pg rejects the query on the first, and the transaction status comes with
// the second. A trip that began a transaction and failed inside it must still be rolled back
// before its connection goes back to the pool, or the next user of that connection gets
// "current transaction is aborted" (SQLSTATE 25P02). A TCP proxy between the adapter and the
// test server holds back every ReadyForQuery that follows an ErrorResponse for a few turns of the
// event loop (the client runs in this process), so the split happens every time.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queueStatement, type Adapter, type StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { dropTestSchema, serverTarget, testContext, uniqueSchema } from '../support/postgres-targets.js';

/**
 * Forwards to `port`; the server's messages go through one by one, and a ReadyForQuery ('Z')
 * after an ErrorResponse ('E') waits three turns of the event loop.
 */
async function splittingProxy(host: string, port: number): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const upstream = net.connect(port, host);
    // Without Nagle's algorithm, each message leaves in its own segment when it is written.
    client.setNoDelay(true);
    sockets.add(client).add(upstream);
    client.pipe(upstream);
    let pending = Buffer.alloc(0);
    let chain = Promise.resolve();
    let afterError = false;
    upstream.on('data', (data: Buffer) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 5) {
        const length = pending.readInt32BE(1) + 1;
        if (pending.length < length) break;
        const message = pending.subarray(0, length);
        pending = pending.subarray(length);
        const type = String.fromCharCode(message[0] as number);
        const held = type === 'Z' && afterError;
        afterError = type === 'E';
        chain = chain.then(async () => {
          // A write reaches the client's socket at once (loopback), and the client reads it in the
          // next loop iteration's poll phase: the Z goes out iterations after that.
          if (held) for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
          if (!client.destroyed) client.write(message);
        });
      }
    });
    const end = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

describe('a failed trip whose ReadyForQuery arrives in a later read', () => {
  const events: StatementEvent[] = [];
  const target = serverTarget(uniqueSchema(), 1);
  let proxy: Awaited<ReturnType<typeof splittingProxy>>;
  let adapter: Adapter;

  beforeAll(async () => {
    proxy = await splittingProxy(String(target.host), Number(target.port));
    // One thread: the pool has one connection, so the next statement gets the failed trip's.
    adapter = await createAdapter({ ...target, host: '127.0.0.1', port: proxy.port }, testContext(undefined, (e) => events.push(e)));
    await adapter.withConnection((conn) => adapter.createSchemaIfMissing(conn, null, target.schema));
  });

  afterAll(async () => {
    await adapter?.close();
    await proxy?.close();
    await dropTestSchema(target);
  });

  it('rolls the transaction back, and the connection serves the next statement', async () => {
    const table = adapter.relation({ database: adapter.defaultDatabase, schema: target.schema, identifier: 'kept', type: 'table' });
    await adapter.withConnection((conn) => conn.execute(`create table ${table} as select 1 as id`));
    events.length = 0;
    // BEGIN, the failing statement and COMMIT travel in one trip.
    const failing = adapter.withConnection((conn) =>
      conn.transaction(async (tx) => {
        await queueStatement(tx, `insert into ${table} select 2`);
        await queueStatement(tx, `insert into ${table} select 1 / 0`);
      }),
    );
    await expect(failing).rejects.toThrow(/division by zero/);
    expect(events.map((e) => e.sql.replace(/^\/\*.*?\*\/\s*/s, '').split(/\s+/)[0])).toContain('rollback');
    const { rows } = await adapter.withConnection((conn) => conn.execute(`select id from ${table} order by id`));
    expect(rows).toEqual([{ id: 1 }]);
  });
});
