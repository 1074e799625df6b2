import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isTsdbtError } from '../errors/tsdbt-error.js';
import { IdleWrites } from './idle-writes.js';

/** Resolves in the check phase after the ones queued before it (setImmediate runs them in order). */
const checkPhase = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('IdleWrites', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-idle-writes-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes nothing in the synchronous stretch or its promise callbacks, and every queued file in the check phase after', async () => {
    const written: [string, string][] = [];
    const writes = new IdleWrites((file, text) => written.push([file, text]));
    writes.add('a.sql', 'select 1');
    writes.add('b.sql', 'select 2');
    await Promise.resolve();
    expect(written).toEqual([]);
    await checkPhase();
    expect(written).toEqual([
      ['a.sql', 'select 1'],
      ['b.sql', 'select 2'],
    ]);
  });

  it('writes a file queued twice once, with the newer text, in the place it was first queued', () => {
    const written: [string, string][] = [];
    const writes = new IdleWrites((file, text) => written.push([file, text]));
    writes.add('a.sql', 'old');
    writes.add('b.sql', 'select 2');
    writes.add('a.sql', 'new');
    writes.flush();
    expect(written).toEqual([
      ['a.sql', 'new'],
      ['b.sql', 'select 2'],
    ]);
  });

  it('writes the files (folders made) by default, and flush writes what is still queued', () => {
    const writes = new IdleWrites();
    const file = path.join(dir, 'compiled', 'pkg', 'models', 'm.sql');
    writes.add(file, 'select 1 as id');
    writes.flush();
    expect(readFileSync(file, 'utf8')).toBe('select 1 as id');
  });

  it('goes on past a failed write, and flush throws write-failed naming the first file that failed', async () => {
    const blocker = path.join(dir, 'not-a-folder');
    writeFileSync(blocker, 'a file where a folder is needed');
    const writes = new IdleWrites();
    const bad = path.join(blocker, 'm.sql');
    const good = path.join(dir, 'good.sql');
    writes.add(bad, 'select 1');
    writes.add(good, 'select 2');
    await checkPhase();
    expect(readFileSync(good, 'utf8')).toBe('select 2');
    let thrown: unknown;
    try {
      writes.flush();
    } catch (err) {
      thrown = err;
    }
    expect(isTsdbtError(thrown) && thrown.code).toBe('write-failed');
    expect((thrown as Error).message).toContain(bad);
    expect(() => writes.flush()).not.toThrow(); // reported once
  });
});
