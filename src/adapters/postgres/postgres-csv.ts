// Encodes bulk-load rows as CSV for `COPY ... WITH (format csv)`: every non-null value is quoted
// (so an empty string, `\.`, commas, quotes and newlines all survive), NULL is an unquoted empty
// field, which is COPY's CSV default NULL marker. Rows stream out in chunks of about 64 KB.
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** Rows as the Connection.bulkLoad interface receives them. */
export type LoadRows = AsyncIterable<(string | null)[]> | Iterable<(string | null)[]>;

/** Counts rows while `csvChunks` runs. */
export interface RowCounter {
  rows: number;
}

/** One CSV field. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return `"${text.replace(/"/g, '""')}"`;
}

/** One CSV line (with its newline). */
export function csvLine(row: readonly (string | null)[]): string {
  return `${row.map(csvField).join(',')}\n`;
}

/** Yields the rows as CSV text in chunks of about `chunkChars` characters. */
export async function* csvChunks(
  rows: LoadRows,
  width: number,
  counter: RowCounter,
  chunkChars = 64 * 1024,
): AsyncGenerator<string> {
  let chunk = '';
  for await (const row of rows) {
    if (row.length !== width) {
      throw new TsdbtError(`bulk load row ${counter.rows + 1} has ${row.length} values, expected ${width}`, {
        code: 'bulk-load-row-width',
        category: 'user',
      });
    }
    chunk += csvLine(row);
    counter.rows++;
    if (chunk.length >= chunkChars) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

/** Groups chunks into batches of about `batchChars` characters (for COPY from a blob). */
export async function* csvBatches(chunks: AsyncIterable<string>, batchChars: number): AsyncGenerator<string[]> {
  let batch: string[] = [];
  let size = 0;
  for await (const chunk of chunks) {
    batch.push(chunk);
    size += chunk.length;
    if (size >= batchChars) {
      yield batch;
      batch = [];
      size = 0;
    }
  }
  if (batch.length) yield batch;
}
