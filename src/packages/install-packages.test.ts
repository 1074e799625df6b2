// The network side of `tsdbt deps`: a git host that accepts and never answers must not hang the
// install; the clone is bounded and the reason names the host. (Installing from repositories on
// disk is test/e2e/packages.test.ts.)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitHost, installPackages } from './install-packages.js';

describe('git packages over the network', () => {
  const sockets = new Set<Socket>();
  // Accepts connections and never sends a byte.
  const silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
  });
  const project = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-deps-net-'));
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
    rmSync(project, { recursive: true, force: true });
  });

  it('gives up on a clone from a host that never answers, naming the host and the limit', async () => {
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    writeFileSync(path.join(project, 'dbt_project.yml'), 'name: consumer\n');
    writeFileSync(path.join(project, 'packages.yml'), `packages:\n  - git: "http://127.0.0.1:${port}/pkg.git"\n`);
    const report = installPackages({ projectDir: project, installPath: 'dbt_packages', gitTimeoutSeconds: 1 });
    expect(report.installed).toEqual([]);
    expect(report.unfetched.map((u) => u.reason)).toEqual([`git clone failed: it did not finish within 1 s (127.0.0.1:${port} did not answer, or too slowly)`]);
  });

  it('names the host of every git URL form', () => {
    expect(gitHost('https://github.com/dbt-labs/dbt-utils.git')).toBe('github.com');
    expect(gitHost('http://127.0.0.1:8080/x.git')).toBe('127.0.0.1:8080');
    expect(gitHost('ssh://git@gitlab.example.com:2222/team/pkg.git')).toBe('gitlab.example.com:2222');
    expect(gitHost('git@github.com:dbt-labs/dbt-utils.git')).toBe('github.com');
  });
});
