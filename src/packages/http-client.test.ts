// Every request of `tsdbt deps` is bounded and retried as dbt retries it, and its failure names
// the host: a server that fails twice then answers, one that never answers, a 404 (not retried).
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, httpGet, networkSettings, type NetworkSettings } from './http-client.js';
import { HubClient } from './hub-client.js';

describe('HTTP for tsdbt deps', () => {
  let server: Server;
  let base: string;
  const hits = new Map<string, number>();
  const sockets = new Set<Socket>();
  const slowResponses: (() => void)[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      const n = (hits.get(req.url!) ?? 0) + 1;
      hits.set(req.url!, n);
      if (req.url === '/flaky' && n <= 2) return void res.writeHead(503).end('busy');
      if (req.url === '/flaky') return void res.writeHead(200).end('ok');
      if (req.url === '/silent') return; // never answers
      if (req.url === '/slow') {
        // Half the body, then the rest once the client has printed its progress line.
        res.writeHead(200, { 'content-length': 3_000_000 });
        res.write(Buffer.alloc(1_500_000));
        slowResponses.push(() => res.end(Buffer.alloc(1_500_000)));
        return;
      }
      res.writeHead(404).end('no');
    });
    server.on('connection', (s) => sockets.add(s));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const settings = (over: Partial<NetworkSettings> = {}): NetworkSettings => ({ timeoutMs: 10_000, retries: 5, retryDelayMs: 0, progressAfterMs: 60_000, ...over });

  it('retries a 503 and returns the answer that follows', async () => {
    const retries: string[] = [];
    const body = await httpGet(`${base}/flaky`, { settings: settings(), onRetry: (n, why) => retries.push(`${n}: ${why}`) });
    expect(body.toString()).toBe('ok');
    expect(retries).toEqual(['1: HTTP 503 Service Unavailable', '2: HTTP 503 Service Unavailable']);
    expect(hits.get('/flaky')).toBe(3);
  });

  it('gives up after the retries on a server that never answers, saying so', async () => {
    await expect(httpGet(`${base}/silent`, { settings: settings({ timeoutMs: 300, retries: 1 }) })).rejects.toThrow('no answer within 0.3 s');
    expect(hits.get('/silent')).toBe(2);
  });

  it('prints one progress line, with the size, for a download still running after progressAfterMs', async () => {
    const lines: string[] = [];
    const body = await httpGet(`${base}/slow`, {
      settings: settings({ progressAfterMs: 0 }),
      onSlow: (bytes) => {
        lines.push(`Downloading (${bytes} bytes)`);
        slowResponses.shift()?.();
      },
    });
    expect(body.length).toBe(3_000_000);
    expect(lines).toEqual(['Downloading (3000000 bytes)']);
  });

  it('does not retry a 404', async () => {
    await expect(httpGet(`${base}/missing`, { settings: settings() })).rejects.toMatchObject({ status: 404 });
    expect(hits.get('/missing')).toBe(1);
  });

  it('reads its settings from the environment and refuses nonsense', () => {
    expect(networkSettings({ TSDBT_DEPS_TIMEOUT_SECONDS: '2', TSDBT_DEPS_RETRIES: '0', TSDBT_DEPS_RETRY_DELAY_MS: '5' })).toMatchObject({ timeoutMs: 2000, retries: 0, retryDelayMs: 5 });
    expect(networkSettings({})).toMatchObject({ timeoutMs: 30_000, retries: 5, retryDelayMs: 1000 });
    expect(() => networkSettings({ TSDBT_DEPS_RETRIES: 'many' })).toThrow('TSDBT_DEPS_RETRIES=many is not a number of 0 or more');
  });

  it('shows URLs without credentials or query', () => {
    expect(displayUrl('https://user:tok@host.example/x.tar.gz?sig=abc')).toBe('https://host.example/x.tar.gz?…');
  });

  it('names the hub host, never the credentials of a private hub URL, when it does not answer', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const hub = new HubClient(`http://mirror-user:hub-pa55word@127.0.0.1:${port}/`, settings({ retries: 0 }));
    const err = (await hub.packageIndex('dbt-labs/dbt_utils').catch((e: unknown) => e)) as Error & { code: string; hint: string };
    expect(err.message).toBe(`the package hub 127.0.0.1:${port} did not answer for dbt-labs/dbt_utils (connection refused) after 1 attempt(s): GET http://127.0.0.1:${port}/api/v1/dbt-labs/dbt_utils.json`);
    expect(err.code).toBe('hub-unreachable');
    expect(err.hint).toContain('vendor the package');
  });
});
