// A warehouse host that accepts connections and never answers (a wrong port, a firewall, a hung
// server) must not hang `tsdbt debug` or `tsdbt build`: opening a connection is bounded by the
// profile's `connect_timeout`, and the error names the host:port that did not answer. The limit is
// a configured value here (1 s), not a timing assertion: the tests check the message and exit code.
import http from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';
import { jsonLogEvents } from '../support/json-log.js';

/** A TCP server on 127.0.0.1 (port 0) that accepts every connection and never sends a byte. */
class SilentServer {
  readonly server: Server;
  readonly sockets = new Set<Socket>();
  accepted = 0;

  constructor() {
    this.server = createServer((socket) => {
      this.accepted++;
      this.sockets.add(socket);
      socket.on('error', () => undefined);
      socket.on('close', () => this.sockets.delete(socket));
    });
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Kills a CLI still running after this long: a hang fails the test instead of stalling the suite. */
const HANG_GUARD_MS = 30_000;

function project(target: string[]): string {
  return testdir({
    'dbt_project.yml': MINIMAL_PROJECT_YML,
    'models/m.sql': 'select 1 as id\n',
    'profiles.yml': ['demo:', '  target: dev', '  outputs:', '    dev:', ...target.map((l) => `      ${l}`), ''].join('\n'),
  });
}

describe.each([
  {
    type: 'postgres',
    target: (port: number, extra: string[]) => ['type: postgres', 'host: 127.0.0.1', `port: ${port}`, 'user: u', 'password: p', 'dbname: d', 'schema: analytics', ...extra],
    message: (port: number) => `PostgreSQL at 127.0.0.1:${port} did not answer within 1 s (connect_timeout)`,
  },
  {
    type: 'clickhouse',
    target: (port: number, extra: string[]) => ['type: clickhouse', 'host: 127.0.0.1', `port: ${port}`, 'schema: analytics', ...extra],
    message: (port: number) => `ClickHouse at http://127.0.0.1:${port} did not answer within 1 s (connect_timeout)`,
  },
])('a $type host that accepts and never answers', ({ target, message }) => {
  const silent = new SilentServer();
  let port = 0;
  const dirs: string[] = [];
  beforeAll(async () => {
    port = await silent.listen();
  });
  afterAll(async () => {
    await silent.close();
    for (const dir of dirs) removeDir(dir);
  });
  const make = (extra: string[]) => {
    const dir = project(target(port, extra));
    dirs.push(dir);
    return dir;
  };

  it('debug reports the connection check failed, naming host:port and the limit (exit 1)', async () => {
    const dir = make(['connect_timeout: 1', 'retries: 0']);
    const result = await runTsdbt(['debug', '--project-dir', dir], { env: { HOME: dir }, timeoutMs: HANG_GUARD_MS });
    const out = result.stdout + result.stderr;
    expect(result.signal, out).toBeNull();
    expect(result.code, out).toBe(1);
    expect(out).toContain('connection: ERROR');
    expect(out).toContain(message(port));
    expect(out).toContain('connect_timeout');
    expect(out).not.toMatch(/\n\s+at /);
  });

  it('build fails with the same error (exit 2), marked retriable for a scheduler', async () => {
    const dir = make(['connect_timeout: 1', 'retries: 0']);
    const result = await runTsdbt(['build', '--project-dir', dir, '--log-format', 'json'], { env: { HOME: dir }, timeoutMs: HANG_GUARD_MS });
    const out = result.stdout + result.stderr;
    expect(result.signal, out).toBeNull();
    expect(result.code, out).toBe(2);
    const errors = jsonLogEvents(out).filter((e) => e.level === 'error');
    expect(errors, out).toHaveLength(1);
    expect(errors[0]?.name).toBe('MainEncounteredError');
    // dbt's str() of a FailedToConnectError (a DbtDatabaseError): its header, then the message indented.
    expect(errors[0]?.data.exc).toBe(`Database Error\n  ${message(port)}`);
    expect(errors[0]?.data.retriable).toBe(true);
    expect(out).not.toMatch(/\n\s+at /);
  });
});

describe('PostgreSQL connect retries', () => {
  const silent = new SilentServer();
  let dir = '';
  afterAll(async () => {
    await silent.close();
    removeDir(dir);
  });

  it('tries `retries` more times before giving up, and says how many attempts it made', async () => {
    const port = await silent.listen();
    dir = project(['type: postgres', 'host: 127.0.0.1', `port: ${port}`, 'user: u', 'password: p', 'dbname: d', 'schema: analytics', 'connect_timeout: 1', 'retries: 1']);
    const result = await runTsdbt(['debug', '--project-dir', dir], { env: { HOME: dir }, timeoutMs: HANG_GUARD_MS });
    const out = result.stdout + result.stderr;
    expect(result.code, out).toBe(1);
    expect(out).toContain(`PostgreSQL at 127.0.0.1:${port} did not answer within 1 s (connect_timeout) (2 attempts)`);
    // The one check opened its session twice: the first attempt and one retry (both were
    // accepted by the kernel before the CLI exited; this process may see the second one later).
    await vi.waitFor(() => expect(silent.accepted).toBe(2));
  });
});

describe('a ClickHouse server that answers the connection and then stops answering', () => {
  // Answers the version handshake (the connection) and leaves every later request unanswered.
  const requests: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const query = `${new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? ''}${body}`;
      requests.push(query);
      if (/select version\(\)/i.test(query)) res.writeHead(200, { 'content-type': 'application/x-ndjson' }).end('{"v":"24.8.1.1"}\n');
    });
  });
  let dir = '';
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    removeDir(dir);
  });

  it('fails the statement with the host and send_receive_timeout named, instead of waiting for ever', async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    dir = project(['type: clickhouse', 'host: 127.0.0.1', `port: ${port}`, 'schema: analytics', 'connect_timeout: 5', 'send_receive_timeout: 1']);
    const result = await runTsdbt(['build', '--project-dir', dir], { env: { HOME: dir }, timeoutMs: HANG_GUARD_MS });
    const out = result.stdout + result.stderr;
    expect(result.signal, out).toBeNull();
    expect(result.code, out).toBe(2);
    expect(out).toContain(`ClickHouse at http://127.0.0.1:${port} did not answer within 1 s (send_receive_timeout)`);
    expect(out).toContain('raise `send_receive_timeout`');
    expect(requests.some((q) => /select version\(\)/i.test(q))).toBe(true);
    expect(requests.length).toBeGreaterThan(1);
  });
});
