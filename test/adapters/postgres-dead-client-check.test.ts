// The server sessions' dead-client check (`client_connection_check_interval`, PostgreSQL 14+: the
// server polls the client's socket during a query and ends it once the client is gone) is set by
// the login's start-up options, as `DateStyle` is: no statement, no round trip. A server that refuses
// the setting at the login (PostgreSQL 13 and older: `unrecognized configuration parameter`; a
// platform without it: `invalid value for parameter`, both FATAL) is logged into again without it.
import net from 'node:net';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { StatementEvent } from '../../src/adapters/adapter.js';
import { createAdapter } from '../../src/adapters/index.js';
import { refusesDeadClientCheck } from '../../src/adapters/postgres/postgres-server.js';
import { pgServer, serverTarget, testContext } from '../support/postgres-targets.js';

/** An ErrorResponse message: FATAL `code` `message`. */
function errorResponse(code: string, message: string): Buffer {
  const fields = Buffer.from(`SFATAL\0VFATAL\0C${code}\0M${message}\0\0`);
  const head = Buffer.alloc(5);
  head.write('E', 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

/**
 * A server in front of the test server that refuses, as PostgreSQL 13 does, any login whose
 * start-up packet sets client_connection_check_interval; other logins pass through. Records
 * whether each login asked for it.
 */
async function olderServer(): Promise<{ port: number; logins: boolean[]; close(): Promise<void> }> {
  const s = pgServer();
  const logins: boolean[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    sockets.add(client);
    let startup = Buffer.alloc(0);
    const onData = (chunk: Buffer) => {
      startup = Buffer.concat([startup, chunk]);
      if (startup.length < 4 || startup.length < startup.readInt32BE(0)) return;
      client.off('data', onData);
      const asks = startup.toString('latin1').includes('client_connection_check_interval');
      logins.push(asks);
      if (asks) {
        client.end(errorResponse('42704', 'unrecognized configuration parameter "client_connection_check_interval"'));
        return;
      }
      const upstream = net.connect(s.port, s.host, () => upstream.write(startup));
      sockets.add(upstream);
      client.pipe(upstream).pipe(client);
      client.on('error', () => upstream.destroy());
      upstream.on('error', () => client.destroy());
    };
    client.on('data', onData);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    logins,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe('the dead-client check of server sessions', () => {
  const closing: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const close of closing.splice(0)) await close();
  });

  it('is set by the login, without a statement', async () => {
    const events: StatementEvent[] = [];
    const adapter = await createAdapter(serverTarget(undefined, 1), testContext(undefined, (e) => events.push(e)));
    closing.push(() => adapter.close());
    const result = await adapter.withConnection((conn) => conn.execute('show client_connection_check_interval'));
    expect(result.rows).toEqual([{ client_connection_check_interval: '5s' }]);
    // The only statement of the session is the caller's.
    expect(events.map((e) => e.sql)).toEqual(['show client_connection_check_interval']);
  });

  it('is left out when the server refuses it at the login, for that session and the next ones', async () => {
    const older = await olderServer();
    closing.push(() => older.close());
    const adapter = await createAdapter({ ...serverTarget(undefined, 2), host: '127.0.0.1', port: older.port }, testContext());
    closing.push(() => adapter.close());
    const first = await adapter.withConnection((conn) => conn.execute('show client_connection_check_interval'));
    // Two sessions at once: the second one is opened without asking again.
    await Promise.all([adapter.withConnection((conn) => conn.execute('select pg_sleep(0.05)')), adapter.withConnection((conn) => conn.execute('select pg_sleep(0.05)'))]);
    expect(first.rows).toEqual([{ client_connection_check_interval: '0' }]);
    expect(older.logins).toEqual([true, false, false]);
  });

  it('tells a refused setting from other login failures', () => {
    const refused = (code: string, message: string) => Object.assign(new pg.DatabaseError(message, 0, 'error'), { code, severity: 'FATAL' });
    expect(refusesDeadClientCheck(refused('42704', 'unrecognized configuration parameter "client_connection_check_interval"'))).toBe(true);
    expect(refusesDeadClientCheck(refused('22023', 'invalid value for parameter "client_connection_check_interval": 5000'))).toBe(true);
    expect(refusesDeadClientCheck(refused('42704', 'unrecognized configuration parameter "search_path_x"'))).toBe(false);
    expect(refusesDeadClientCheck(refused('28P01', 'password authentication failed for user "tsdbt"'))).toBe(false);
    expect(refusesDeadClientCheck(new Error('connect ECONNREFUSED 127.0.0.1:1'))).toBe(false);
  });
});
