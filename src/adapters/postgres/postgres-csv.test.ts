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
