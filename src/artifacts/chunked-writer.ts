// A file written through one reused buffer (manifest-writer.ts streams manifest.json through it).
import { closeSync, openSync, writeSync } from 'node:fs';

/**
 * Appends text to a file through a 4 MB buffer, counting the bytes written: each string is encoded
 * once, straight into the buffer (no Buffer per string, no second pass to count its bytes).
 */
export class ChunkedWriter {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(1 << 22);
  private used = 0;
  private closed = false;
  /** Bytes written so far (flushed or not). */
  offset = 0;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(data: string | Buffer): void {
    // A UTF-16 code unit takes at most 3 bytes in UTF-8.
    const most = typeof data === 'string' ? 3 * data.length : data.length;
    if (most > this.buffer.length - this.used) this.flush();
    if (most > this.buffer.length) {
      const bytes = typeof data === 'string' ? Buffer.from(data) : data;
      writeAll(this.fd, bytes);
      this.offset += bytes.length;
      return;
    }
    const bytes = typeof data === 'string' ? this.buffer.write(data, this.used) : data.copy(this.buffer, this.used);
    this.used += bytes;
    this.offset += bytes;
  }

  private flush(): void {
    writeAll(this.fd, this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

function writeAll(fd: number, bytes: Buffer): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done);
}
