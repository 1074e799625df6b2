// The network side of git packages: a git host that accepts and never answers must not hang
// `tsdbt deps`; the checkout is bounded and the error names the host. (Installing from
// repositories on disk and over HTTP is test/e2e/deps-hub.test.ts.)
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkoutGit, gitHost, looksLikeSha } from './git-checkout.js';

describe('git packages over the network', () => {
  const sockets = new Set<Socket>();
  // Accepts connections and never sends a byte.
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-deps-net-'));
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    rmSync(scratch, { recursive: true, force: true });
  });

  it('gives up on a clone from a host that never answers, naming the host and the limit', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const url = `http://127.0.0.1:${port}/pkg.git`;
    await expect(checkoutGit({ url, display: url, revision: null, subdirectory: null, scratchParent: scratch, timeoutSeconds: 1, env: process.env })).rejects.toThrow(
      `could not check out git package ${url}: it did not finish within 1 s (127.0.0.1:${port} did not answer, or too slowly)`,
    );
  });

  it('names the host of every git URL form', () => {
    expect(gitHost('https://github.com/dbt-labs/dbt-utils.git')).toBe('github.com');
    expect(gitHost('http://127.0.0.1:8080/x.git')).toBe('127.0.0.1:8080');
    expect(gitHost('ssh://git@gitlab.example.com:2222/team/pkg.git')).toBe('gitlab.example.com:2222');
    expect(gitHost('git@github.com:dbt-labs/dbt-utils.git')).toBe('github.com');
  });

  it('tells commits from tags and branches', () => {
    expect(looksLikeSha('b8f3a3348ce0ff8afc3aa4b9ade2123b00772473')).toBe(true);
    expect(looksLikeSha('b8f3a33')).toBe(true);
    expect(looksLikeSha('v1.0.0')).toBe(false);
    expect(looksLikeSha('main')).toBe(false);
  });
});
