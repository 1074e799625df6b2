// The loader's rows as tab-separated bytes (copy-text.ts) read back by PostgreSQL's COPY text format
// through Connection.bulkLoadText (PGlite in memory): every value comes back as it went in, the
// characters the format escapes, NULL against empty text, and rows across several chunks.
import os from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Adapter } from '../adapters/adapter.js';
import { createAdapter } from '../adapters/index.js';
import { TsvChunks } from './copy-text.js';

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

  it('writes whole numbers digit by digit', () => {
    const out = new TsvChunks(64);
    for (const n of [0, 7, 10, 99, 1234567890, 2 ** 53 - 1]) {
      out.writeUint(n);
      out.endRow();
    }
    expect(out.rest()?.toString()).toBe(['0', '7', '10', '99', '1234567890', String(2 ** 53 - 1), ''].join('\n'));
  });
});
