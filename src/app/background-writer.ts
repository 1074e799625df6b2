// Writes many small files from a worker thread while the main thread goes on rendering: `tsdbt
// compile` of 10,000 models writes 30,000 files, about a second of the main thread's time that
// the machine's second core can take instead. Below a few hundred files a worker costs more than
// it saves, so they are written in place. Files are written in the order given (the worker
// creates up to four at once); a failure (a full disk, a read-only folder) is reported by close(),
// with the file named.
//
// With an index file (compile's target/compiled.index.json), a file whose text is the one written
// last time is not written again: creating 30,000 files is most of a compile's system time. The
// index holds each file's text hash and what stat said after the write (size, mtime, ctime,
// inode); a file is skipped only when its hash and its stat both still match, so a file deleted,
// edited by hand or a target/ wiped is written again.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TsdbtError } from '../errors/tsdbt-error.js';

const BATCH = 256;

/**
 * The write loop, plain CommonJS: the worker evaluates it (no module to resolve, the same under
 * tsx and in dist/) and the in-place writer builds it with `new Function`, so both write alike.
 * `makeWriter(indexFile)` returns { write(file, text), writeAsync(file, bytes, done), close() };
 * write throws on a failed write. writeAsync is the worker's: the same write through libuv's
 * thread pool, so several files are created at once (see WORKER_SOURCE); it returns false when
 * the file is skipped (done is then not called), throws where write would before any I/O (a
 * folder that cannot be made), and calls done(err) once the file is written and closed.
 */
const WRITER_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
function makeWriter(indexFile) {
  const made = new Set();
  let old = Object.create(null);
  const seen = Object.create(null);
  // Whether the index differs from the one read: a compile that rewrote no file leaves it as it is.
  let changed = !indexFile;
  if (indexFile) {
    try {
      const saved = JSON.parse(fs.readFileSync(indexFile, 'utf8'));
      if (saved && saved.version === 1 && saved.files && typeof saved.files === 'object') old = Object.assign(Object.create(null), saved.files);
      else changed = true;
    } catch {
      changed = true;
      // no index yet (or an unreadable one): every file is written
    }
  }
  // Folders this writer created: no file in one can be as the index recorded it, so none is
  // stat-ed (after \`rm -rf target/compiled\`, 30,000 stats that waited on the folders' locks
  // while files were created in them).
  const fresh = new Set();
  // The text's hash, or null when the file holds it as the index recorded (not written again).
  const due = (file, text) => {
    const hash = indexFile ? crypto.hash('sha1', text) : '';
    const dir = path.dirname(file);
    if (!made.has(dir)) {
      if (fs.mkdirSync(dir, { recursive: true }) !== undefined) fresh.add(dir);
      made.add(dir);
    }
    if (indexFile && !fresh.has(dir)) {
      const was = old[file];
      if (Array.isArray(was) && was[0] === hash) {
        const st = fs.statSync(file, { throwIfNoEntry: false });
        if (st && st.size === was[1] && st.mtimeMs === was[2] && st.ctimeMs === was[3] && st.ino === was[4]) {
          seen[file] = was;
          return null;
        }
      }
    }
    return hash;
  };
  const record = (file, hash, st) => {
    seen[file] = [hash, st.size, st.mtimeMs, st.ctimeMs, st.ino];
    changed = true;
  };
  return {
    write(file, text) {
      const hash = due(file, text);
      if (hash === null) return;
      const fd = fs.openSync(file, 'w');
      try {
        fs.writeFileSync(fd, text);
        if (indexFile) record(file, hash, fs.fstatSync(fd));
      } finally {
        fs.closeSync(fd);
      }
    },
    writeAsync(file, bytes, done) {
      const hash = due(file, bytes);
      if (hash === null) return false;
      // The entry's place in the index is the file's place in the order given, as write keeps it.
      if (indexFile) seen[file] = null;
      const failed = (err) => {
        if (indexFile) delete seen[file];
        done(err);
      };
      // Only the open is asynchronous: creating the file is the call that waits; writing a few
      // kilobytes into it, its stat and close are quick, and each callback costs the thread time.
      fs.open(file, 'w', (err, fd) => {
        if (err) return failed(err);
        try {
          fs.writeFileSync(fd, bytes);
          if (indexFile) record(file, hash, fs.fstatSync(fd));
        } catch (err) {
          fs.closeSync(fd);
          return failed(err);
        }
        fs.closeSync(fd);
        done(null);
      });
      return true;
    },
    close() {
      if (!indexFile || !changed) return;
      // Files not written this time (not selected, or of a deleted node: left on disk, as dbt
      // does) keep their entries: a stat still checks them before any skip.
      for (const file in old) if (!(file in seen)) seen[file] = old[file];
      fs.mkdirSync(path.dirname(indexFile), { recursive: true });
      const partial = indexFile + '.' + process.pid + '.tmp';
      fs.writeFileSync(partial, JSON.stringify({ version: 1, files: seen }));
      fs.renameSync(partial, indexFile);
    },
  };
}
`;

/**
 * The worker: files are written in the order given, up to IN_FLIGHT at once through libuv's thread
 * pool (its four threads). Creating a file is a system call that waits (the folder's lock, the
 * file system's journal): right after `rm -rf target/compiled` of 30,000 files on this machine's
 * ext4 (mounted with `discard`), one file at a time took 47 s of wall for 12 s of system time, and
 * four at a time 12 s. done is posted once every file is written and the index saved. (That
 * system time is the kernel's: this ext4 has no journal, and creating an inode there first skips
 * each inode of the group freed in the last minutes; into a folder not just deleted, the 30,000
 * files cost 1-1.5 s of system time, one or four at a time alike.)
 */
const WORKER_SOURCE = `${WRITER_SOURCE}
const { parentPort, workerData } = require('node:worker_threads');
const IN_FLIGHT = 4;
const writer = makeWriter(workerData.indexFile);
let failed = false;
const fail = (file, err) => {
  if (!failed) parentPort.postMessage({ failed: file, message: err.message });
  failed = true;
};
let queue = [];
let head = 0;
let running = 0;
let closing = false;
const pump = () => {
  while (running < IN_FLIGHT && head < queue.length) {
    const [file, text] = queue[head];
    queue[head++] = undefined;
    try {
      if (!writer.writeAsync(file, text, (err) => {
        running--;
        if (err) fail(file, err);
        pump();
      })) continue;
      running++;
    } catch (err) {
      fail(file, err);
    }
  }
  if (head === queue.length) {
    queue = [];
    head = 0;
  }
  if (closing && running === 0 && queue.length === 0) {
    closing = false;
    try {
      writer.close();
    } catch (err) {
      fail(workerData.indexFile, err);
    }
    parentPort.postMessage({ done: true });
  }
};
parentPort.on('message', (batch) => {
  if (batch === null) {
    closing = true;
    return pump();
  }
  // A batch is one transferred buffer (packBatch): per file, the byte lengths of its path and
  // text, then their UTF-8 bytes. The text is written (and hashed) as the bytes it arrived as.
  const bytes = Buffer.from(batch);
  for (let at = 0; at < bytes.length; ) {
    const pathLength = bytes.readUInt32LE(at);
    const textLength = bytes.readUInt32LE(at + 4);
    const file = bytes.toString('utf8', at + 8, at + 8 + pathLength);
    at += 8 + pathLength;
    queue.push([file, bytes.subarray(at, at + textLength)]);
    at += textLength;
  }
  pump();
});
`;

interface Writer {
  write(file: string, text: string): void;
  close(): void;
}

export interface FileWriter {
  write(file: string, text: string): void;
  /** Resolves once every file is on disk; rejects naming the first file that could not be written. */
  close(): Promise<void>;
}

export interface FileWriterOptions {
  /** Where the hashes of the written files are kept; with it, files whose text is unchanged are not rewritten. */
  indexFile?: string;
}

/**
 * A writer for about `expected` files: a worker thread when there are many, plain writes otherwise.
 * A few files of an indexed folder (compile -s of one model) are compared with what is on disk
 * instead: reading and rewriting the index of a whole project's files (5 MB for 30,000) costs more
 * than reading them. Such a write leaves the index's entry for its file stale, never wrong: the
 * entry holds the stat of the write it recorded, and a write changes the file's ctime, so the
 * entry no longer matches and the next indexed writer writes the file.
 */
export function fileWriter(expected: number, options: FileWriterOptions = {}): FileWriter {
  if (expected >= 1000) return new WorkerWriter(options);
  if (options.indexFile && expected < FEW_FILES) return new ComparingWriter();
  return new InPlaceWriter(options);
}

/** Below this many files, an indexed folder's files are compared with the disk, not the index. */
const FEW_FILES = 100;

/** Writes a file only when its text is not already what the file holds (no index read or written). */
class ComparingWriter implements FileWriter {
  private readonly made = new Set<string>();

  write(file: string, text: string): void {
    try {
      if (readFileSync(file, 'utf8') === text) return;
    } catch {
      // not there yet (or unreadable): written
    }
    const dir = path.dirname(file);
    if (!this.made.has(dir)) mkdirSync(dir, { recursive: true });
    this.made.add(dir);
    writeFileSync(file, text);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

function writeFailed(file: string | undefined, message: string | undefined): TsdbtError {
  return new TsdbtError(`could not write ${file ?? 'a compiled file'}: ${message ?? 'unknown error'}`, { code: 'write-failed', hint: 'check that the target folder is writable and the disk has room' });
}

let makeWriter: ((indexFile: string | undefined) => Writer) | undefined;

/** Writes as it is called: a failed write throws there, for the caller to pin on its node. */
class InPlaceWriter implements FileWriter {
  private readonly writer: Writer;

  constructor(options: FileWriterOptions) {
    // eslint-disable-next-line @typescript-eslint/no-implied-eval -- the worker's own source, see WRITER_SOURCE
    const load = new Function('require', `${WRITER_SOURCE}\nreturn makeWriter;`) as (require: NodeJS.Require) => (indexFile: string | undefined) => Writer;
    makeWriter ??= load(createRequire(import.meta.url));
    this.writer = makeWriter(options.indexFile);
  }

  write(file: string, text: string): void {
    this.writer.write(file, text);
  }

  close(): Promise<void> {
    try {
      this.writer.close();
    } catch (err) {
      return Promise.reject(writeFailed(undefined, (err as Error).message));
    }
    return Promise.resolve();
  }
}

class WorkerWriter implements FileWriter {
  private readonly worker: Worker;
  private batch: [string, string][] = [];
  private readonly finished: Promise<void>;

  constructor(options: FileWriterOptions) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { indexFile: options.indexFile } });
    this.finished = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { done?: boolean; failed?: string; message?: string }) => {
        if (m.done) resolve();
        else reject(writeFailed(m.failed, m.message));
      });
      this.worker.on('error', reject);
    });
    // Settled by close(); a rejection before then is not unhandled.
    this.finished.catch(() => undefined);
  }

  write(file: string, text: string): void {
    this.batch.push([file, text]);
    if (this.batch.length >= BATCH) this.flush();
  }

  private flush(): void {
    if (this.batch.length === 0) return;
    const packed = packBatch(this.batch);
    this.worker.postMessage(packed, [packed]);
    this.batch = [];
  }

  async close(): Promise<void> {
    this.flush();
    this.worker.postMessage(null);
    try {
      await this.finished;
    } finally {
      await this.worker.terminate();
    }
  }
}

/**
 * A batch of files as one buffer the worker takes over (transferred, not copied): per file, the
 * UTF-8 byte lengths of its path and its text (32-bit little-endian), then those bytes. Posting
 * the batch as an array of strings had V8 serialize each string into the message and build it
 * again in the worker's heap: in a compile of 30,000 nodes, a few hundred milliseconds of the
 * rendering thread's time.
 */
export function packBatch(batch: readonly (readonly [string, string])[]): ArrayBuffer {
  let room = 0;
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4).
  for (const [file, text] of batch) room += 8 + 3 * (file.length + text.length);
  const bytes = Buffer.allocUnsafeSlow(room);
  let at = 0;
  for (const [file, text] of batch) {
    const pathLength = bytes.write(file, at + 8, 'utf8');
    const textLength = bytes.write(text, at + 8 + pathLength, 'utf8');
    bytes.writeUInt32LE(pathLength, at);
    bytes.writeUInt32LE(textLength, at + 4);
    at += 8 + pathLength + textLength;
  }
  // The used part, in an ArrayBuffer of its own (a slice copies; at most a batch's text).
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + at);
}
