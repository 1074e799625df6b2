// Which loaded row a COPY error's `line N` means: COPY counts lines, a value with a newline takes
// several, and PostgreSQL does not count the newlines inside the first record of a COPY (observed
// on PGlite 17 and the PostgreSQL 15 server: the line ending is unknown until that record ends).
import { describe, expect, it } from 'vitest';
import { csvChunks, rowAtCopyLine, type RowCounter } from './postgres-csv.js';

async function counted(rows: (string | null)[][]): Promise<RowCounter> {
  const counter: RowCounter = { rows: 0 };
  for await (const _chunk of csvChunks(rows, 2, counter, 1)) void _chunk;
  return counter;
}

describe('rowAtCopyLine', () => {
  it('maps lines to rows when values hold newlines', async () => {
    // Lines: row 1 = 1-2, row 2 = 3, row 3 = 4-6, row 4 = 7.
    const counter = await counted([['1', 'a\nb'], ['2', 'x'], ['3', 'p\nq\nr'], ['4', null]]);
    expect(counter.lines).toBe(7);
    // One COPY from the start: PostgreSQL's line 1 is row 1, its line 2 row 2 (row 1's newline is not counted).
    expect([1, 2, 5, 6].map((line) => rowAtCopyLine(counter, 0, line))).toEqual([1, 2, 3, 4]);
    // A COPY that began at row 3 (line 4 of the load): row 3's own newlines are not counted there.
    expect([1, 2].map((line) => rowAtCopyLine(counter, 3, line))).toEqual([3, 4]);
  });
});

describe('a refused row in a load cut into several COPYs (PGlite)', () => {
  it('is named by its place in the whole load', async () => {
    const { PGlite } = await import('@electric-sql/pglite');
    const { PostgresConnection } = await import('./postgres-connection.js');
    const { BulkLoadRowError } = await import('../bulk-load-error.js');
    const { Relation } = await import('../relation.js');
    const { postgresSql } = await import('./postgres-sql.js');
    const db = new PGlite();
    try {
      await db.exec('create table t (n int, note text)');
      const session = {
        copySource: 'blob' as const,
        query: async (sql: string) => (await db.exec(sql)).map((r) => ({ command: null, rowCount: r.affectedRows ?? null, fields: r.fields, rows: r.rows })),
        copyIn: async (sql: string, chunks: AsyncIterable<string>) => {
          const parts: string[] = [];
          for await (const c of chunks) parts.push(c);
          const results = await db.exec(sql, { blob: new Blob(parts) });
          return results[results.length - 1]?.affectedRows ?? Number.NaN;
        },
        inTransaction: () => db.isInTransaction(),
        objects: new Map(),
      };
      // Values of 40 KB with 8,000 newlines each: a 64 KB chunk holds two rows, and with batches of
      // 20 characters each chunk is a COPY of its own, whose line numbers start again at 1.
      const copies: string[] = [];
      const counting = { ...session, copyIn: (sql: string, chunks: AsyncIterable<string>) => (copies.push(sql), session.copyIn(sql, chunks)) };
      const conn = new PostgresConnection(counting, { projectDir: '.', targetDir: '.' }, { kind: 'pglite', location: 'memory' }, 20);
      const rows = Array.from({ length: 12 }, (_v, i) => [i === 8 ? 'x' : String(i + 1), i % 3 ? 'line\n'.repeat(8000) : 'plain']);
      const table = new Relation({ schema: 'public', identifier: 't' }, postgresSql);
      const err = await conn.bulkLoad(table, [{ name: 'n', dataType: 'int' }, { name: 'note', dataType: 'text' }], rows).then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(BulkLoadRowError);
      expect(copies.length).toBeGreaterThan(2);
      expect(err).toMatchObject({ row: 9, column: 'n' });
      expect((await db.query('select count(*)::int as n from t')).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });
});
