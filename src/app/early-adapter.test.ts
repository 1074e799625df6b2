// The run's adapter opened while the project loads (early-adapter.ts, project-loader.ts
// loadProjectYielding): a server target's adapter is created as soon as the profile is read, the
// load hands the event loop turns (so its login goes on), and the run takes it with its context.
import { afterAll, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import type { AdapterTargetConfig, StatementEvent } from '../adapters/adapter.js';
import { MINIMAL_PROJECT_YML, removeDir, testdir } from '../../test/support/testdir.js';
import { profilesYaml, serverTarget } from '../../test/support/postgres-targets.js';
import { EarlyAdapter } from './early-adapter.js';
import { createInvocation } from './invocation.js';
import { loadProject, loadProjectYielding } from './project-loader.js';

describe('the adapter opened while the project loads', () => {
  const dir = testdir({ 'dbt_project.yml': MINIMAL_PROJECT_YML, 'models/m.sql': 'select 1 as id\n' });
  const target = serverTarget(undefined, 1);
  writeFileSync(path.join(dir, 'profiles.yml'), profilesYaml('demo', target));
  const invocation = () => createInvocation({ projectDir: dir, write: () => undefined, writeError: () => undefined, env: { ...process.env, TSDBT_PROFILES_DIR: dir, DBT_PROFILES_DIR: '', HOME: dir } });
  afterAll(() => removeDir(dir));

  it("is told the profile's target before the load ends, and the load gives the event loop turns meanwhile", async () => {
    const told: { target: AdapterTargetConfig; targetDir: string }[] = [];
    let turns = 0;
    let done = false;
    const loaded = await loadProjectYielding(invocation(), {
      onTarget: (t, targetDir) => {
        told.push({ target: t, targetDir });
        // Counts the check phases run until the load ends: its messages would go and come in them.
        const tick = () => {
          turns++;
          if (!done) setImmediate(tick);
        };
        setImmediate(tick);
      },
    });
    done = true;
    expect(told.map((t) => [t.target.type, t.target.schema, t.targetDir])).toEqual([['postgres', target.schema, path.join(dir, 'target')]]);
    expect(turns).toBeGreaterThanOrEqual(3);
    // The same project as the load without turns.
    const plain = loadProject(invocation());
    expect(Object.keys(loaded.parsed.manifest.nodes)).toEqual(Object.keys(plain.parsed.manifest.nodes));
    expect(loaded.target).toEqual(plain.target);
  });

  it("opens a server target ahead, and the run takes it with the run's context (its statements reported)", async () => {
    const early = new EarlyAdapter(dir);
    early.open(target, path.join(dir, 'target'));
    const events: StatementEvent[] = [];
    const adapter = await early.take(target, { projectDir: dir, targetDir: path.join(dir, 'target'), onStatement: (event) => events.push(event) });
    expect(adapter).not.toBeNull();
    try {
      const result = await adapter!.withConnection((conn) => conn.execute('select 41 + 1 as answer'));
      expect(result.rows).toEqual([{ answer: 42 }]);
      expect(events.map((e) => e.sql)).toEqual(['select 41 + 1 as answer']);
    } finally {
      await adapter!.close();
    }
    // Taken once: a second take opens its own.
    expect(early.take(target, { projectDir: dir, targetDir: dir })).toBeNull();
  });

  it('leaves an embedded database, and a target it did not open, to be opened as before', () => {
    const early = new EarlyAdapter(dir);
    const embedded: AdapterTargetConfig = { type: 'pglite', name: 'dev', schema: 'main', threads: 1, path: path.join(dir, 'target', 'db') };
    early.open(embedded, path.join(dir, 'target'));
    expect(early.take(embedded, { projectDir: dir, targetDir: dir })).toBeNull();
    const other = new EarlyAdapter(dir);
    other.open(target, path.join(dir, 'target'));
    expect(other.take({ ...target }, { projectDir: dir, targetDir: dir })).toBeNull();
    void other.discard();
    expect(other.take(target, { projectDir: dir, targetDir: dir })).toBeNull();
  });
  it('closes, when the command ends without taking it, a login the server never answers (no connect_timeout)', async () => {
    // A server that accepts the TCP connection and never says a word: the login waits for ever.
    const sockets: net.Socket[] = [];
    const silent = net.createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as net.AddressInfo).port;
    const mute: AdapterTargetConfig = { ...target, host: '127.0.0.1', port, connect_timeout: 0 };
    const early = new EarlyAdapter(dir);
    early.open(mute, path.join(dir, 'target'));
    try {
      // The login has reached the server before the command gives up on it.
      while (sockets.length === 0) await new Promise((resolve) => setImmediate(resolve));
      // Without ending the client still logging in, pg's pool.end() waits for the login: for ever here.
      // (Its sockets are never read, as a host that drops packets: half-closing the login does not end it.)
      let closed = false;
      await early.discard().then(() => (closed = true));
      expect(closed).toBe(true);
      expect(sockets).toHaveLength(1);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((resolve) => silent.close(resolve));
    }
  });
});
