// Writes the small files a run leaves per node (target/compiled, target/run) the cheap way. A
// rebuild mostly writes what the file already holds, and rewriting a file through O_TRUNC frees its
// blocks and allocates new ones (ext4 then flushes it on close, and journals both): on a busy disk
// that took 1-4 ms a file, more than the node's own statements. So the file is compared first and
// left alone when unchanged, and otherwise overwritten in place and cut to its new length.
import { closeSync, fstatSync, ftruncateSync, mkdirSync, openSync, readSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

/** Writes `text` to `file` (making its folder if missing) unless the file holds exactly that already. */
export function writeFileIfChanged(file: string, text: string): void {
  const data = Buffer.from(text);
  let fd: number;
  try {
    fd = openSync(file, 'r+');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, data);
    return;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === data.length) {
      const old = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, old, read, size - read, read);
        if (n === 0) break;
        read += n;
      }
      if (read === size && old.equals(data)) return;
    }
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written, written);
    if (size > data.length) ftruncateSync(fd, data.length);
  } finally {
    closeSync(fd);
  }
}
