// The loader's rows as tab-separated bytes (copy-text.ts) read back by PostgreSQL's COPY text format
// through Connection.bulkLoadText (PGlite in memory): every value comes back as it went in, the
// characters the format escapes, NULL against empty text, and rows across several chunks.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import { ChunkPool, TsvChunks } from './copy-text.js';

describe('TsvChunks through bulkLoadText', () => {
  let adapter: Adapter;
  beforeAll(async () => {
    adapter = await createAdapter({ type: 'pglite', name: 'test', path: 'memory', schema: 'main', threads: 1 }, { projectDir: os.tmpdir(), targetDir: os.tmpdir() });
  });
  afterAll(() => adapter.close());

  it('loads every value as it was, in chunks of a few rows', async () => {
    const values = ['plain', '', 'tab\there', 'new\nline', 'cr\rlf\r\n', 'back\\slash', '\\N', '\\.', 'Zoë ☃ 𝄞', '"quoted", comma', null];
    const rows = values.map((v, i) => [String(i), v]);
    const out = new TsvChunks(16);
    const chunks: Buffer[] = [];
    for (const row of rows) {
      out.addRow(row);
      chunks.push(...out.take());
    }
    chunks.push(out.rest() as Buffer);
    expect(chunks.length).toBeGreaterThan(3);
    expect(out.rows).toBe(rows.length);
    const back = await adapter.withConnection(async (conn) => {
      await conn.execute('create schema main; create table main.texts (n integer, v text)');
      const relation = adapter.relation({ database: null, schema: 'main', identifier: 'texts', type: 'table' });
      await conn.bulkLoadText?.(relation, [{ name: 'n', dataType: 'integer' }, { name: 'v', dataType: 'text' }], chunks);
      return (await conn.execute('select n, v from main.texts order by n')).rows;
    });
    expect(back).toEqual(rows.map(([n, v]) => ({ n: Number(n), v })));
  });

  it('fills the buffers of a finished COPY again for the next one, and both load their own rows', async () => {
    const pool = new ChunkPool(64);
    const relation = adapter.relation({ database: null, schema: 'main', identifier: 'pooled', type: 'table' });
    const columns = [{ name: 'n', dataType: 'integer' }, { name: 'v', dataType: 'text' }];
    /** One COPY of `rows` in chunks of the pool, given back once it has finished; the buffers it took. */
    const copy = async (rows: string[][]): Promise<Buffer[]> => {
      const taken: Buffer[] = [];
      const out = new TsvChunks(64, { pool, taken });
      const chunks: Buffer[] = [];
      for (const row of rows) {
        out.addRow(row);
        chunks.push(...out.take());
      }
      chunks.push(out.rest() as Buffer);
      await adapter.withConnection((conn) => conn.bulkLoadText?.(relation, columns, chunks) ?? Promise.resolve(0));
      pool.giveBack(taken);
      return taken;
    };
    await adapter.withConnection((conn) => conn.execute('create schema if not exists main; create table main.pooled (n integer, v text)'));
    const first = Array.from({ length: 20 }, (_v, i) => [String(i), `first row ${i}`]);
    const second = Array.from({ length: 20 }, (_v, i) => [String(100 + i), `second ${i}`]);
    const firstBuffers = await copy(first);
    expect(firstBuffers.length).toBeGreaterThan(3);
    expect(pool.size).toBe(firstBuffers.length);
    const secondBuffers = await copy(second);
    // Every buffer of the second COPY is one the first filled (none new).
    expect(secondBuffers.every((b) => firstBuffers.includes(b))).toBe(true);
    const back = await adapter.withConnection(async (conn) => (await conn.execute('select n, v from main.pooled order by n')).rows);
    expect(back).toEqual([...first, ...second].map(([n, v]) => ({ n: Number(n), v })));
  });

  it('keeps at most its limit of buffers, and none of another size', () => {
    const pool = new ChunkPool(64, 2);
    pool.giveBack([Buffer.alloc(64), Buffer.alloc(64), Buffer.alloc(64), Buffer.alloc(128)]);
    expect(pool.size).toBe(2);
    expect(pool.take(200).length).toBe(200);
    expect(pool.size).toBe(2);
  });

  it('writes whole numbers digit by digit', () => {
    const out = new TsvChunks(64);
    for (const n of [0, 7, 10, 99, 1234567890, 2 ** 53 - 1]) {
      out.writeUint(n);
      out.endRow();
    }
    expect(out.rest()?.toString()).toBe(['0', '7', '10', '99', '1234567890', String(2 ** 53 - 1), ''].join('\n'));
  });
});
