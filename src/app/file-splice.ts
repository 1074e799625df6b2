// Reading and rewriting big files by byte range, for parse-text-edit.ts: a one-file edit of a
// large project changes a few hundred bytes of a 60 MB manifest.json and one chunk of a 40 MB
// partial_parse.bin. Only the ranges that change are read into memory; the rest is copied from
// the old file to the new one through one reused buffer, so the edit neither holds both files in
// memory nor faults in 100 MB of fresh pages. The new file replaces the old one by rename, or
// (`spliceInPlace`) the file is rewritten where it is from its first changed byte on.
import { closeSync, fstatSync, ftruncateSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';

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

function writeAll(fd: number, data: Buffer, length: number, position: number | null = null): void {
  for (let done = 0; done < length; ) done += writeSync(fd, data, done, length - done, position === null ? null : position + done);
}

/** Where a piece's bytes go in the new file, and (for a copy) where they are in the old one. */
type Placed = { to: number; copy: [number, number] } | { to: number; bytes: Buffer };

/**
 * Makes `source`'s file `pieces` (as `writeSpliced` writes them) where it is: bytes that keep their
 * place are not touched, the runs that move are moved within the file (back to front when they
 * move towards the end, front to back when towards the start), the new bytes written at their
 * places, and the file cut to its new length. A one-node edit of a 60 MB manifest.json then writes
 * the bytes after that node into pages the file already has, instead of a second 60 MB file whose
 * rename frees the first one's (issue 18: ~4x less CPU for that write on the loaded machine).
 * Returns false, having written nothing, where it cannot: the runs move both ways (one could
 * overwrite another before it moved), the copies are not in file order, or the file has other
 * names (a hard link, which must keep the old bytes). Not atomic, as dbt's own write of
 * manifest.json is not: a crash half-way leaves a file whose size and mtime match no index or
 * layout, so the next parse parses the project (parse-index.ts).
 */
export function spliceInPlace(source: RangeReader, pieces: Piece[]): boolean {
  const placed: Placed[] = [];
  let to = 0;
  let lastEnd = 0;
  let toward = 0; // the sign of every move
  for (const piece of pieces) {
    if ('bytes' in piece) {
      placed.push({ to, bytes: piece.bytes });
      to += piece.bytes.length;
      continue;
    }
    const [start, end] = piece.copy;
    if (start < lastEnd || end < start || end > source.size) return false;
    lastEnd = end;
    const move = Math.sign(to - start);
    if (move !== 0 && toward !== 0 && move !== toward) return false;
    if (move !== 0) toward = move;
    if (end > start) placed.push({ to, copy: [start, end] });
    to += end - start;
  }
  const fd = openSync(source.file, 'r+');
  try {
    const stat = fstatSync(fd);
    const own = fstatSync(source.fd);
    if (stat.nlink !== 1 || stat.ino !== own.ino || stat.dev !== own.dev || stat.size !== source.size) return false;
    const buffer = Buffer.allocUnsafe(COPY_BUFFER_BYTES);
    const place = (p: Placed) => {
      if ('bytes' in p) return writeAll(fd, p.bytes, p.bytes.length, p.to);
      const [start, end] = p.copy;
      const shift = p.to - start;
      if (shift > 0) {
        for (let at = end; at > start; ) {
          const from = Math.max(start, at - buffer.length);
          readAll(fd, buffer, at - from, from);
          writeAll(fd, buffer, at - from, from + shift);
          at = from;
        }
      } else if (shift < 0) {
        for (let at = start; at < end; ) {
          const n = Math.min(buffer.length, end - at);
          readAll(fd, buffer, n, at);
          writeAll(fd, buffer, n, at + shift);
          at += n;
        }
      }
    };
    if (toward > 0) for (let i = placed.length - 1; i >= 0; i--) place(placed[i] as Placed);
    else for (const p of placed) place(p);
    if (to < stat.size) ftruncateSync(fd, to);
    return true;
  } finally {
    closeSync(fd);
  }
}

function readAll(fd: number, buffer: Buffer, length: number, position: number): void {
  for (let done = 0; done < length; ) {
    const n = readSync(fd, buffer, done, length - done, position + done);
    if (n === 0) throw new Error(`the file ends at ${position + done}, before ${position + length}`);
    done += n;
  }
}
