// The network side of git packages: a git host that accepts and never answers must not hang
// `tsdbt deps`; the checkout is bounded and the error names the host. (Installing from
// repositories on disk and over HTTP is test/e2e/deps-hub.test.ts.)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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

// dbt's GitCheckoutError (dbt-core's exit_codes/test_exit_codes.py, TestExitCodesDepsFail).
describe('a revision the repository does not have', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-deps-rev-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const repo = path.join(root, 'pkg');
  const git = (...args: string[]) => execFileSync('git', args, { cwd: repo, env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t' } });

  it("says dbt's \"Error checking out spec='<revision>' for repo <url>\", for a branch or a commit", async () => {
    execFileSync('git', ['init', '--quiet', repo]);
    writeFileSync(path.join(repo, 'dbt_project.yml'), 'name: pkg\n');
    git('add', '.');
    git('commit', '--quiet', '-m', 'one');
    const url = `file://${repo}`;
    const checkout = (revision: string) => checkoutGit({ url, display: url, revision, subdirectory: null, scratchParent: root, env: process.env });
    await expect(checkout('bad-branch')).rejects.toThrow(`Error checking out spec='bad-branch' for repo ${url}: fatal: Remote branch bad-branch not found in upstream origin`);
    await expect(checkout('0123456789abcdef0123456789abcdef01234567')).rejects.toThrow(`Error checking out spec='0123456789abcdef0123456789abcdef01234567' for repo ${url}: `);
  });
});
