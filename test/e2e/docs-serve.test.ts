// `tsdbt docs serve` serves the docs site's files and nothing else of target/: not the embedded
// database, the parse cache, compiled SQL or logs, whatever path a request uses to reach them.
// Real HTTP requests (raw request targets, so no client normalises the path) to `tsdbt docs serve
// --port 0` running as a user runs it.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs, REPO_ROOT, runTsdbt } from '../support/run-cli.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../support/testdir.js';

interface Answer {
  status: number;
  body: string;
  type: string | undefined;
}

/** Sends `target` verbatim as the request target. */
function request(port: number, target: string, method = 'GET'): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path: target }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, type: res.headers['content-type'] }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('docs serve', () => {
  // A project folder with target/ as docs generate and a build leave it, and a secret beside it.
  const dir = testdir({
    'dbt_project.yml': `${MINIMAL_PROJECT_YML}asset-paths: [assets]\n`,
    // docs generate's copy of the project's asset-paths, which the site's descriptions show.
    'target/assets/flow.png': 'png bytes',
    'target/assets/sub dir/two words.svg': '<svg/>',
    'models/m.sql': 'select 1 as id\n',
    'secret.txt': 'project secret',
    'target/index.html': '<!doctype html><title>site</title>',
    'target/tsdbt-docs.css': 'body{}',
    'target/tsdbt-docs-app.js': 'app()',
    'target/tsdbt-docs-data.js': 'window.TSDBT_DOCS = {};',
    'target/manifest.json': '{"nodes":{}}',
    'target/catalog.json': '{"nodes":{}}',
    'target/run_results.json': '{"results":[]}',
    'target/partial_parse.bin': 'parse cache',
    'target/tsdbt.pglite/PG_VERSION': '17',
    'target/tsdbt.pglite/tsdbt.lock': '123\n',
    'target/compiled/demo/models/m.sql': 'select secret',
    'target/run/demo/models/m.sql': 'select secret',
    'target/tsdbt.log': 'log line',
  });
  const env = { ...process.env, NO_COLOR: '1', TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir };
  let child: ChildProcess;
  const server = { port: 0 };
  beforeAll(async () => {
    child = spawn(process.execPath, cliArgs(['docs', 'serve', '--project-dir', dir, '--port', '0']), { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    server.port = await new Promise<number>((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const port = /Serving docs at http:\/\/127\.0\.0\.1:(\d+)/.exec(out)?.[1];
        if (port) resolve(Number(port));
      });
      child.stderr?.on('data', (d: Buffer) => (out += d.toString()));
      child.on('exit', (code) => reject(new Error(`docs serve exited (${code}) before serving:\n${out}`)));
    });
  }, 300_000);
  afterAll(async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    removeDir(dir);
  });

  it("serves the site's files and dbt's docs artifacts, with their content types", async () => {
    expect(await request(server.port, '/')).toEqual({ status: 200, body: '<!doctype html><title>site</title>', type: 'text/html; charset=utf-8' });
    expect(await request(server.port, '/index.html?x=1')).toMatchObject({ status: 200, body: '<!doctype html><title>site</title>' });
    expect(await request(server.port, '/tsdbt-docs.css')).toEqual({ status: 200, body: 'body{}', type: 'text/css; charset=utf-8' });
    expect(await request(server.port, '/tsdbt-docs-app.js')).toMatchObject({ status: 200, body: 'app()', type: 'text/javascript; charset=utf-8' });
    expect(await request(server.port, '/tsdbt-docs-data.js')).toMatchObject({ status: 200, body: 'window.TSDBT_DOCS = {};' });
    expect(await request(server.port, '/manifest.json')).toEqual({ status: 200, body: '{"nodes":{}}', type: 'application/json' });
    expect(await request(server.port, '/catalog.json')).toMatchObject({ status: 200, body: '{"nodes":{}}' });
    expect(await request(server.port, '/', 'HEAD')).toMatchObject({ status: 200, body: '' });
  });

  it("serves the files copied from the project's asset-paths, by their exact names", async () => {
    expect(await request(server.port, '/assets/flow.png')).toMatchObject({ status: 200, body: 'png bytes' });
    expect(await request(server.port, '/assets/sub%20dir/two%20words.svg')).toMatchObject({ status: 200, body: '<svg/>' });
    for (const target of ['/assets/', '/assets', '/assets/../secret.txt', '/assets/%2e%2e/secret.txt', '/assets/sub%20dir/../flow.png', '/assets/%E0%A4%A']) {
      expect((await request(server.port, target)).status, target).toBe(404);
    }
  });

  it('answers 404 for every other file of target/', async () => {
    for (const target of [
      '/partial_parse.bin',
      '/tsdbt.pglite/PG_VERSION',
      '/tsdbt.pglite/tsdbt.lock',
      '/compiled/demo/models/m.sql',
      '/run/demo/models/m.sql',
      '/tsdbt.log',
      '/run_results.json',
      '/tsdbt.pglite/',
      '/nothing-here.html',
    ]) {
      expect(await request(server.port, target), target).toMatchObject({ status: 404, body: 'not found\n' });
    }
  });

  it('refuses path traversal, encoded or not, and absolute paths', async () => {
    for (const target of [
      '/../secret.txt',
      '/..%2fsecret.txt',
      '/%2e%2e/secret.txt',
      '/%2e%2e%2fsecret.txt',
      '/./../secret.txt',
      '/tsdbt-docs.css/../../secret.txt',
      '/..\\secret.txt',
      `/${path.join(dir, 'secret.txt')}`,
      `//${path.join(dir, 'secret.txt')}`,
      '/%2fetc%2fpasswd',
      '/etc/passwd',
      `http://127.0.0.1/../secret.txt`,
      '/index.html%00.png',
    ]) {
      const answer = await request(server.port, target);
      expect(answer.status, target).toBe(404);
      expect(answer.body, target).not.toContain('secret');
    }
  });

  it('accepts only GET and HEAD', async () => {
    expect(await request(server.port, '/index.html', 'POST')).toMatchObject({ status: 405 });
    expect(await request(server.port, '/index.html', 'DELETE')).toMatchObject({ status: 405 });
  });

  it('reports a port in use as a usage error naming the port (exit 2, no stack)', async () => {
    const second = await runTsdbt(['docs', 'serve', '--project-dir', dir, '--port', String(server.port)], { env: { HOME: dir, DBT_PROFILES_DIR: '' }, timeoutMs: 60_000 });
    const out = second.stdout + second.stderr;
    expect(second.code, out).toBe(2);
    expect(out).toContain(`cannot serve the docs site on 127.0.0.1:${server.port}: port ${server.port} is already in use`);
    expect(out).toContain('pick another port with --port');
    expect(out).not.toMatch(/internal error|\n\s+at /);
  });

  it("--host names the address to serve on, as dbt's; one that is not this machine's is a usage error", async () => {
    const foreign = await runTsdbt(['docs', 'serve', '--project-dir', dir, '--port', '0', '--host', '192.0.2.1'], { env: { HOME: dir, DBT_PROFILES_DIR: '' }, timeoutMs: 60_000 });
    const out = foreign.stdout + foreign.stderr;
    expect(foreign.code, out).toBe(2);
    expect(out).toContain('cannot serve the docs site on 192.0.2.1:0: 192.0.2.1 is not an address of this machine');
    expect(out).not.toMatch(/internal error|\n\s+at /);

    // Every interface: reachable on the loopback one, and the printed address is one a browser opens.
    const all = spawn(process.execPath, cliArgs(['docs', 'serve', '--project-dir', dir, '--port', '0', '--host', '0.0.0.0']), { cwd: REPO_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let text = '';
      const port = await new Promise<number>((resolve, reject) => {
        all.stdout?.on('data', (d: Buffer) => {
          text += d.toString();
          const found = /Serving docs at http:\/\/localhost:(\d+)/.exec(text)?.[1];
          if (found) resolve(Number(found));
        });
        all.stderr?.on('data', (d: Buffer) => (text += d.toString()));
        all.on('exit', (code) => reject(new Error(`docs serve --host 0.0.0.0 exited (${code}):\n${text}`)));
      });
      expect(await request(port, '/manifest.json')).toMatchObject({ status: 200, body: '{"nodes":{}}' });
    } finally {
      const exited = new Promise((resolve) => all.once('exit', resolve));
      all.kill('SIGTERM');
      await exited;
    }
  }, 120_000);
});
