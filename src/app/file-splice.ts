// Reading and rewriting big files by byte range, for parse-text-edit.ts: a one-file edit of a
// large project changes a few hundred bytes of a 60 MB manifest.json and one chunk of a 40 MB
// partial_parse.bin. Only the ranges that change are read into memory; the rest is copied from
// the old file to the new one through one reused buffer, so the edit neither holds both files in
// memory nor faults in 100 MB of fresh pages. The new file replaces the old one by rename.
import { closeSync, fstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';

const COPY_BUFFER_BYTES = 1 << 20;

/** An open file read by range. */
export class RangeReader {
  readonly fd: number;
  readonly size: number;
  readonly mtimeMs: number;

  constructor(readonly file: string) {
    this.fd = openSync(file, 'r');
    const stat = fstatSync(this.fd);
    this.size = stat.size;
    this.mtimeMs = stat.mtimeMs;
  }

  /** The bytes of [start, end); throws when the file is shorter. */
  read(start: number, end: number): Buffer {
    const out = Buffer.allocUnsafe(end - start);
    let done = 0;
    while (done < out.length) {
      const n = readSync(this.fd, out, done, out.length - done, start + done);
      if (n === 0) throw new Error(`${this.file} ends at ${start + done}, before ${end}`);
      done += n;
    }
    return out;
  }

  close(): void {
    closeSync(this.fd);
  }
}

/** What the new file is made of, in order: ranges of the old file and new bytes. */
export type Piece = { copy: [number, number] } | { bytes: Buffer };

/** Writes `pieces` to a temporary file beside `file`, then renames it over `file`. */
export function writeSpliced(file: string, source: RangeReader, pieces: Piece[]): void {
  const tmp = `${file}.${process.pid}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const buffer = Buffer.allocUnsafe(COPY_BUFFER_BYTES);
    for (const piece of pieces) {
      if ('bytes' in piece) {
        writeAll(fd, piece.bytes, piece.bytes.length);
        continue;
      }
      for (let at = piece.copy[0]; at < piece.copy[1]; ) {
        const n = readSync(source.fd, buffer, 0, Math.min(buffer.length, piece.copy[1] - at), at);
        if (n === 0) throw new Error(`${source.file} ends at ${at}, before ${piece.copy[1]}`);
        writeAll(fd, buffer, n);
        at += n;
      }
    }
  } catch (err) {
    closeSync(fd);
    rmSync(tmp, { force: true });
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, file);
}

function writeAll(fd: number, data: Buffer, length: number): void {
  for (let done = 0; done < length; ) done += writeSync(fd, data, done, length - done);
}
