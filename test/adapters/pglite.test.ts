// Behaviour specific to the embedded connection kind (`type: pglite`): the data-directory lock
// (across processes), persistence, path resolution and the mutex that serialises callers.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/adapters/index.js';
import { makeTempDir, pgliteTarget, removeTempDir, testContext } from '../support/postgres-targets.js';
import { REPO_ROOT } from '../support/run-cli.js';

const INDEX_URL = pathToFileURL(path.join(REPO_ROOT, 'src/adapters/index.ts')).href;

/** Opens `dir` with createAdapter in another node process; `exit` leaves without close(). */
function openInChild(dir: string, mode: 'close' | 'exit'): Promise<{ ok?: boolean; code?: string; message?: string; pid: number }> {
  const script = `
    const { createAdapter } = await import(${JSON.stringify(INDEX_URL)});
    const target = { type: 'pglite', name: 'child', schema: 'main', threads: 1, path: ${JSON.stringify(dir)} };
    try {
      const adapter = await createAdapter(target, { projectDir: ${JSON.stringify(dir)}, targetDir: ${JSON.stringify(dir)} });
      await adapter.withConnection((c) => c.execute('select 1'));
      console.log(JSON.stringify({ ok: true, pid: process.pid }));
      if (${JSON.stringify(mode)} === 'exit') process.exit(0);
      await adapter.close();
    } catch (e) {
      console.log(JSON.stringify({ code: e.code, message: e.message, pid: process.pid }));
    }`;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as { ok?: boolean; code?: string; message?: string; pid: number });
      } catch {
        reject(new Error(`child printed no result:\n${out}\n${err}`));
      }
    });
  });
}

describe('pglite connections', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = makeTempDir('tsdbt-pglite-');
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const dir of dirs.splice(0)) removeTempDir(dir);
  });

  it('locks its data directory against other processes until closed', async () => {
    const project = tempDir();
    const dir = path.join(project, 'warehouse');
    const adapter = await createAdapter(pgliteTarget(dir), testContext(project));
    const lockFile = path.join(dir, 'tsdbt.lock');
    // The owner: this process's pid, and when it started (so a later process given the same pid is not taken for it).
    expect(readFileSync(lockFile, 'utf8')).toMatch(new RegExp(`^${process.pid}\nstarted=\\d+\n$`));

    // Another process is refused while this live owner holds it.
    const refused = await openInChild(dir, 'close');
    expect(refused.code).toBe('warehouse-locked');
    expect(refused.message).toContain(`in use by pid ${process.pid}`);

    // The same process cannot open it twice either.
    await expect(createAdapter(pgliteTarget(dir), testContext(project))).rejects.toMatchObject({
      code: 'warehouse-locked',
      category: 'user',
      hint: expect.stringContaining('tsdbt.lock') as unknown,
    });

    await adapter.close();
    expect(existsSync(lockFile)).toBe(false);
    expect(await openInChild(dir, 'close')).toMatchObject({ ok: true });
    expect(existsSync(lockFile)).toBe(false);
  }, 300_000);

  it('drops the lock when the process exits, and takes over stale locks', async () => {
    const dir = tempDir();
    const exited = await openInChild(dir, 'exit');
    expect(exited.ok).toBe(true);
    expect(existsSync(path.join(dir, 'tsdbt.lock'))).toBe(false);

    // A lock left by a process that died without cleaning up (its pid is gone now).
    writeFileSync(path.join(dir, 'tsdbt.lock'), `${exited.pid}\n`);
    const adapter = await createAdapter(pgliteTarget(dir), testContext(dir));
    expect(readFileSync(path.join(dir, 'tsdbt.lock'), 'utf8').split('\n')[0]).toBe(String(process.pid));
    await adapter.close();
  }, 300_000);

  it('takes over, with a warning, a lock naming a live pid that is another process now (the owner died and its pid was reused)', async () => {
    const dir = tempDir();
    const lockFile = path.join(dir, 'tsdbt.lock');
    // A live process that is not tsdbt, holding the pid the lock names.
    const other = spawn('sleep', ['600'], { stdio: 'ignore' });
    try {
      const pid = other.pid as number;
      const ownStart = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ')[19];
      for (const [lock, why] of [
        // Written by a tsdbt that started at another moment than the process now at that pid.
        [`${pid}\nstarted=${Number(ownStart) - 1}\n`, `pid ${pid} is now another process (it started after the lock's owner)`],
        // A lock without a start time (hand-written, or an older tsdbt): the command tells.
        [`${pid}\n`, `pid ${pid} is \`sleep 600\`, not tsdbt`],
      ] as const) {
        writeFileSync(lockFile, lock);
        const warnings: string[] = [];
        const adapter = await createAdapter(pgliteTarget(dir), { ...testContext(dir), onWarning: (m) => warnings.push(m) });
        try {
          expect(warnings).toEqual([`took over the lock of the PGlite database ${dir}: tsdbt.lock named ${why}, so the tsdbt that held it is gone`]);
          expect(readFileSync(lockFile, 'utf8').split('\n')[0]).toBe(String(process.pid));
          expect((await adapter.withConnection((c) => c.execute('select 1 as ok'))).rows).toEqual([{ ok: 1 }]);
        } finally {
          await adapter.close();
        }
      }
    } finally {
      other.kill('SIGKILL');
    }
  }, 300_000);

  it('persists data, resolving `path` against the project and defaulting under target/', async () => {
    const project = tempDir();
    const first = await createAdapter(pgliteTarget('db'), testContext(project));
    expect((await first.info()).location).toBe(path.join(project, 'db'));
    await first.withConnection((conn) => conn.execute('create table kept (a int); insert into kept values (42)'));
    await first.close();
    const second = await createAdapter(pgliteTarget(path.join(project, 'db')), testContext(project));
    expect((await second.withConnection((conn) => conn.execute('select a from kept'))).rows).toEqual([{ a: 42 }]);
    expect(second.defaultDatabase).toBe('postgres');
    await second.close();

    const { path: _omitted, ...withoutPath } = pgliteTarget();
    const fallback = await createAdapter(withoutPath, testContext(project));
    expect((await fallback.info()).location).toBe(path.join(project, 'target', 'pglite'));
    await fallback.close();
  }, 300_000);

  it('serialises callers so transactions never interleave, and re-enters when nested', async () => {
    const adapter = await createAdapter(pgliteTarget('memory'), testContext());
    try {
      await adapter.withConnection((conn) => conn.execute('create table seq (step text)'));
      const order: string[] = [];
      const writer = adapter.withConnection((conn) =>
        conn.transaction(async (tx) => {
          order.push('writer begins');
          await tx.execute(`insert into seq values ('a')`);
          await new Promise((r) => setTimeout(r, 100));
          await tx.execute(`insert into seq values ('b')`);
          order.push('writer commits');
        }),
      );
      const reader = adapter.withConnection(async (conn) => {
        order.push('reader reads');
        return (await conn.execute('select count(*) as n from seq')).rows[0];
      });
      const [, seen] = await Promise.all([writer, reader]);
      expect(order).toEqual(['writer begins', 'writer commits', 'reader reads']);
      expect(seen).toEqual({ n: 2 });

      const nested = await adapter.withConnection((outer) =>
        outer.transaction(async (tx) => {
          await tx.execute(`insert into seq values ('c')`);
          // A nested withConnection shares the session and sees the open transaction.
          return adapter.withConnection(async (inner) => (await inner.execute('select count(*) as n from seq')).rows[0]);
        }),
      );
      expect(nested).toEqual({ n: 3 });
    } finally {
      await adapter.close();
    }
    await expect(adapter.withConnection((c) => c.execute('select 1'))).rejects.toMatchObject({ code: 'adapter-closed' });
  });

  it('commit() (adapter.commit) keeps the work done so far when the enclosing transaction then rolls back; a no-op with none open', async () => {
    const adapter = await createAdapter(pgliteTarget('memory'), testContext());
    try {
      await adapter.withConnection(async (conn) => {
        await conn.execute('create table kept (step text)');
        await conn.commit?.();
        const failing = conn.transaction(async (tx) => {
          await tx.execute(`insert into kept values ('before commit')`);
          await tx.transaction(async (inner) => {
            await inner.execute(`insert into kept values ('in a savepoint')`);
            await inner.commit?.();
            await inner.execute(`insert into kept values ('after commit, rolled back')`);
          });
          throw new Error('the node fails after its commit');
        });
        await expect(failing).rejects.toThrow('the node fails after its commit');
        const rows = (await conn.execute('select step from kept order by step')).rows;
        expect(rows).toEqual([{ step: 'before commit' }, { step: 'in a savepoint' }]);
      });
    } finally {
      await adapter.close();
    }
  });
});
