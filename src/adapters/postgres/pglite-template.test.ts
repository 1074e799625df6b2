// A new embedded database is a copy of the template the first one made (pglite-template.ts):
// databases made from one template share the system identifier initdb draws at random, so two
// initdbs cannot pass this test; each copy is still a database of its own.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdapterTargetConfig } from '../adapter.js';
import { removeDir } from '../../../test/support/testdir.js';
import { openPglite } from './pglite-connection.js';
import { pgliteTemplateDir } from './pglite-template.js';

describe('new embedded databases from a template', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-pglite-template-'));
  const env = { ...process.env, TSDBT_CACHE_DIR: path.join(root, 'cache') };
  const saved = process.env.TSDBT_CACHE_DIR;
  process.env.TSDBT_CACHE_DIR = env.TSDBT_CACHE_DIR;
  afterAll(() => {
    if (saved === undefined) delete process.env.TSDBT_CACHE_DIR;
    else process.env.TSDBT_CACHE_DIR = saved;
    removeDir(root);
  });

  /** Opens the database in `dir` (creating it), runs `sql`, closes: its rows. */
  async function query(dir: string, sql: string): Promise<Record<string, unknown>[]> {
    const target: AdapterTargetConfig = { name: 'dev', type: 'pglite', path: dir, schema: 'public', threads: 1 };
    const provider = await openPglite(target, { projectDir: root, targetDir: path.join(root, 'target') });
    try {
      return await provider.withConnection(async (conn) => (await conn.execute(sql)).rows);
    } finally {
      await provider.close();
    }
  }
  const identifier = (dir: string) => query(dir, 'select system_identifier::text as id from pg_control_system()').then((rows) => rows[0]?.id);

  it('makes the template once, then copies it: same system identifier, separate data', async () => {
    const first = path.join(root, 'a');
    const second = path.join(root, 'b');
    const idFirst = await identifier(first);
    const template = pgliteTemplateDir(env) as string;
    expect(existsSync(path.join(template, 'PG_VERSION'))).toBe(true);
    expect(await identifier(second)).toBe(idFirst);

    await query(first, 'create table only_in_a as select 1 as x');
    expect(await query(first, 'select x from only_in_a')).toEqual([{ x: 1 }]);
    expect(await query(second, "select count(*)::int as n from pg_tables where tablename = 'only_in_a'")).toEqual([{ n: 0 }]);
  });

  it('a template left half-made by a process that is gone is removed when the next one is made', async () => {
    const template = pgliteTemplateDir(env) as string;
    // pid 2^22 + 1 is above Linux's highest pid, so never a running process.
    const abandoned = `${template}.${2 ** 22 + 1}.0.tmp`;
    const ours = `${template}.${process.pid}.0.tmp`;
    mkdirSync(abandoned, { recursive: true });
    mkdirSync(ours, { recursive: true });
    removeDir(template);
    expect(await query(path.join(root, 'after-kill'), 'select 1 as one')).toEqual([{ one: 1 }]);
    expect(existsSync(path.join(template, 'PG_VERSION'))).toBe(true);
    expect(existsSync(abandoned)).toBe(false);
    expect(existsSync(ours)).toBe(true);
  });

  it('a copy cut short (files but no PG_VERSION) is started again', async () => {
    const cut = path.join(root, 'cut');
    mkdirSync(path.join(cut, 'base'), { recursive: true });
    writeFileSync(path.join(cut, 'base', 'half-copied'), 'x');
    writeFileSync(path.join(cut, 'postgresql.conf'), 'garbage = \n');
    expect(await query(cut, 'select 41 + 1 as answer')).toEqual([{ answer: 42 }]);
    expect(existsSync(path.join(cut, 'base', 'half-copied'))).toBe(false);
  });
});
