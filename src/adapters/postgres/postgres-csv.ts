// Encodes bulk-load rows as CSV for `COPY ... WITH (format csv)`: every non-null value is quoted
// (so an empty string, `\.`, commas, quotes and newlines all survive), NULL is an unquoted empty
// field, which is COPY's CSV default NULL marker. Rows stream out in chunks of about 64 KB.
import { TsdbtError } from '../../errors/tsdbt-error.js';

/** Rows as the Connection.bulkLoad interface receives them. */
export type LoadRows = AsyncIterable<(string | null)[]> | Iterable<(string | null)[]>;

/** Counts rows while `csvChunks` runs, and the lines of CSV they took (for COPY's `line N`). */
export interface RowCounter {
  rows: number;
  /** Lines written so far: one per row, plus the newlines inside its values. */
  lines?: number;
  /** The rows that took more than one line (a value with a newline): row, first and last line, in order. */
  multiline?: { row: number; first: number; last: number }[];
}

/** The row (1-based, in load order) on line `line` of the CSV a load wrote (COPY counts lines, not rows). */
export function rowAtLine(counter: RowCounter, line: number): number {
  let extra = 0;
  for (const m of counter.multiline ?? []) {
    if (line < m.first) break;
    if (line <= m.last) return m.row;
    extra += m.last - m.first;
  }
  return line - extra;
}

/**
 * The row (1-based, in load order) on line `line` of one COPY whose input began after `lineBase`
 * lines of the load. PostgreSQL counts the newlines inside quoted values, except in the COPY's
 * first record (the line ending is only known once that record has ended), and names a record by
 * its last line.
 */
export function rowAtCopyLine(counter: RowCounter, lineBase: number, line: number): number {
  const first = rowAtLine(counter, lineBase + 1);
  if (line <= 1) return first;
  const span = counter.multiline?.find((m) => m.row === first);
  return rowAtLine(counter, lineBase + line + (span ? span.last - span.first : 0));
}

function newlines(value: string): number {
  let n = 0;
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) n++;
  return n;
}

/** One CSV field. */
export function csvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : String(value);
  return text.includes('"') ? `"${text.replace(/"/g, '""')}"` : `"${text}"`;
}

/** One CSV line (with its newline). */
export function csvLine(row: readonly (string | null)[]): string {
  let line = '';
  for (let i = 0; i < row.length; i++) line += i === 0 ? csvField(row[i]) : `,${csvField(row[i])}`;
  return `${line}\n`;
}

/**
 * Encodes rows as CSV text in chunks of about `chunkChars` characters, counting rows and lines in
 * `counter`. A sync iterable is read without an await per row.
 */
class CsvEncoder {
  private chunk = '';

  constructor(
    private readonly width: number,
    private readonly counter: RowCounter,
    private readonly chunkChars: number,
  ) {}

  /** Adds a row; returns a full chunk to send, or null. */
  add(row: readonly (string | null)[]): string | null {
    const counter = this.counter;
    if (row.length !== this.width) {
      throw new TsdbtError(`bulk load row ${counter.rows + 1} has ${row.length} values, expected ${this.width}`, {
        code: 'bulk-load-row-width',
        category: 'user',
      });
    }
    let line = '';
    let span = 1;
    for (let i = 0; i < row.length; i++) {
      const value = row[i];
      const field = csvField(value);
      line += i === 0 ? field : `,${field}`;
      if (typeof value === 'string' && value.includes('\n')) span += newlines(value);
    }
    this.chunk += `${line}\n`;
    counter.rows++;
    const first = (counter.lines ?? 0) + 1;
    counter.lines = first + span - 1;
    if (span > 1) (counter.multiline ??= []).push({ row: counter.rows, first, last: counter.lines });
    if (this.chunk.length < this.chunkChars) return null;
    const full = this.chunk;
    this.chunk = '';
    return full;
  }

  /** What is left to send. */
  rest(): string | null {
    return this.chunk || null;
  }
}

/** Yields the rows as CSV text in chunks of about `chunkChars` characters. */
export async function* csvChunks(
  rows: LoadRows,
  width: number,
  counter: RowCounter,
  chunkChars = 64 * 1024,
): AsyncGenerator<string> {
  const encoder = new CsvEncoder(width, counter, chunkChars);
  if (Symbol.iterator in rows) {
    for (const row of rows) {
      const full = encoder.add(row);
      if (full !== null) yield full;
    }
  } else {
    for await (const row of rows) {
      const full = encoder.add(row);
      if (full !== null) yield full;
    }
  }
  const rest = encoder.rest();
  if (rest !== null) yield rest;
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
