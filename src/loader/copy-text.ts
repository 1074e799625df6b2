// Rows as tab-separated text in byte chunks, the format `Connection.bulkLoadText` reads: fields
// separated by a tab, rows ended by a newline, NULL as `\N`, and a backslash, tab, newline or
// carriage return inside a value written as `\\`, `\t`, `\n`, `\r`. The loader writes its rows
// straight into these chunks (fast-decode.ts), without a string or an array per row.

/** How large a chunk grows before it is handed over (a row never spans two chunks). */
export const CHUNK_BYTES = 256 * 1024;

const TAB = 0x09;
const NEWLINE = 0x0a;
const BACKSLASH = 0x5c;

/** One field's text, escaped (`\N` for null). */
export function tsvField(value: string | null | undefined): string {
  if (value === null || value === undefined) return '\\N';
  return /[\\\t\n\r]/.test(value) ? value.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : value;
}

/**
 * Chunk buffers used again: a load hands the buffers of a COPY back once that COPY has finished
 * (every byte of them is then sent), and the next COPYs fill them again. Without it every 256 KiB
 * of rows was a new buffer: external memory, of which every 64 MiB or so set off a full garbage
 * collection.
 */
export class ChunkPool {
  private readonly free: Buffer[] = [];

  constructor(
    readonly chunkBytes = CHUNK_BYTES,
    /** At most this many buffers are kept. */
    private readonly keep = 32,
  ) {}

  /** A buffer of at least `bytes` bytes (CHUNK_BYTES unless a row needs more). */
  take(bytes: number): Buffer {
    if (bytes <= this.chunkBytes) {
      const buffer = this.free.pop();
      if (buffer) return buffer;
    }
    return Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
  }

  /** Buffers nothing reads any more (their COPY has finished), kept for the next ones. */
  giveBack(buffers: readonly Buffer[]): void {
    for (const buffer of buffers) if (buffer.length === this.chunkBytes && this.free.length < this.keep) this.free.push(buffer);
  }

  /** Buffers kept (tests). */
  get size(): number {
    return this.free.length;
  }
}

/** Appends rows to byte chunks of about CHUNK_BYTES; `take()` hands over the full ones. */
export class TsvChunks {
  buf: Buffer;
  /** Where the next byte goes in `buf`. */
  at = 0;
  rows = 0;
  private readonly full: Buffer[] = [];

  constructor(
    private readonly chunkBytes = CHUNK_BYTES,
    /** Where the buffers come from (else each is new), and the list of those taken, to give back once they are sent. */
    private readonly pool?: { pool: ChunkPool; taken: Buffer[] },
  ) {
    this.buf = this.newBuffer(chunkBytes);
  }

  private newBuffer(bytes: number): Buffer {
    if (!this.pool) return Buffer.allocUnsafe(Math.max(this.chunkBytes, bytes));
    const buffer = this.pool.pool.take(bytes);
    this.pool.taken.push(buffer);
    return buffer;
  }

  /** Makes room for a row of at most `bytes` bytes in the current chunk (a full chunk is set aside). */
  reserve(bytes: number): void {
    if (this.at + bytes <= this.buf.length) return;
    if (this.at > 0) this.full.push(this.buf.subarray(0, this.at));
    this.buf = this.newBuffer(bytes);
    this.at = 0;
  }

  /** A whole row of string values (escaped here), with its newline. */
  addRow(values: readonly (string | null)[]): void {
    let line = '';
    for (let i = 0; i < values.length; i++) line += i === 0 ? tsvField(values[i]) : `\t${tsvField(values[i])}`;
    line += '\n';
    this.reserve(Buffer.byteLength(line));
    this.at += this.buf.write(line, this.at, 'utf8');
    this.rows++;
  }

  writeAscii(text: string): void {
    const { buf } = this;
    let at = this.at;
    for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
    this.at = at;
  }

  writeBytes(bytes: Uint8Array): void {
    this.buf.set(bytes, this.at);
    this.at += bytes.length;
  }

  /** A non-negative integer's digits. */
  writeUint(n: number): void {
    let digits = 1;
    for (let rest = n; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    const { buf } = this;
    let at = this.at + digits;
    this.at = at;
    let rest = n;
    do {
      buf[--at] = 0x30 + (rest % 10);
      rest = Math.floor(rest / 10);
    } while (rest > 0);
  }

  tab(): void {
    this.buf[this.at++] = TAB;
  }

  endRow(): void {
    this.buf[this.at++] = NEWLINE;
    this.rows++;
  }

  /** `\N`. */
  nullField(): void {
    this.buf[this.at++] = BACKSLASH;
    this.buf[this.at++] = 0x4e;
  }

  /** Whether a chunk is full (take() hands it over). */
  get ready(): boolean {
    return this.full.length > 0;
  }

  /** The chunks filled so far, handed over once. */
  take(): Buffer[] {
    return this.full.splice(0);
  }

  /** The last, partly filled chunk (null when empty), handed over once. */
  rest(): Buffer | null {
    if (this.at === 0) return null;
    const last = this.buf.subarray(0, this.at);
    this.buf = Buffer.allocUnsafe(0);
    this.at = 0;
    return last;
  }
}
