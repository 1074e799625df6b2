// Writes many small files from worker threads while the main thread goes on rendering: `tsdbt
// compile` of 10,000 models writes 30,000 files, about a second of the main thread's time that
// the machine's second core can take instead. Below a few hundred files a worker costs more than
// it saves, so they are written in place. Each folder's files are written in the order given, by
// one of two workers; a failure (a full disk, a read-only folder) is reported by close(), with
// the file named.
//
// With an index file (compile's target/compiled.index.json), a file whose text is the one written
// last time is not written again: creating 30,000 files is most of a compile's system time. The
// index holds each file's text hash and what stat said after the write (size, mtime, ctime,
// inode); a file is skipped only when its hash and its stat both still match, so a file deleted,
// edited by hand or a target/ wiped is written again. It is kept per folder (INDEX_HEADER): a
// writer parses the entries of the folders it writes in only, and a folder in which nothing was
// written keeps its text as read.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TsdbtError } from '../errors/tsdbt-error.js';

const BATCH = 256;

/** The index's first line; each folder then takes two: its path and its files' entries, both JSON. */
const INDEX_HEADER = '{"version":2}';

/**
 * The write loop, plain CommonJS: the worker evaluates it (no module to resolve, the same under
 * tsx and in dist/) and the in-place writer builds it with `new Function`, so both write alike.
 * `makeWriter(indexFile)` returns { write(file, text), listed(), close(merge) }; write throws on a
 * failed write. With several writers of one index, each folder's files go to one of them; each but
 * the first hands its folders' entries to the first (listed()), whose close(merge) writes the
 * index, the folders in the order given (merge.order).
 *
 * compiled.index.json: INDEX_HEADER, then per folder a line with its path (a JSON string) and a
 * line with its files' entries (a JSON object: file name -> [hash, size, mtimeMs, ctimeMs, ino]).
 * A writer reads the file at its first file in a folder it did not create (into a new
 * target/compiled, only at the merge), splits it into lines and parses the folder paths alone; a
 * folder's entries are parsed by the writer of that folder, at its first file there. (It was one
 * JSON object of absolute paths, 5 MB for 30,000 files, which each of a compile's two writers
 * parsed whole, and the second handed its part of the new one to the first as JSON again.)
 */
const WRITER_SOURCE = `
const fs = require('node:fs');
const path = require('node:path');
const crypto = require('node:crypto');
const HEADER = ${JSON.stringify(INDEX_HEADER)};
// The index as read: each folder's entries' text, or null when there was none (or an unreadable one).
function readIndex(indexFile) {
  try {
    const lines = fs.readFileSync(indexFile, 'utf8').split('\\n');
    if (lines[0] !== HEADER) return null;
    const folders = new Map();
    for (let i = 1; i + 1 < lines.length; i += 2) folders.set(JSON.parse(lines[i]), lines[i + 1]);
    return folders;
  } catch {
    return null;
  }
}
function makeWriter(indexFile) {
  let old;
  // Whether the index differs from the one read: a compile that rewrote no file leaves it as it is.
  let changed = !indexFile;
  const previous = () => {
    if (old === undefined) {
      old = indexFile ? readIndex(indexFile) : new Map();
      if (old === null) {
        changed = true;
        old = new Map();
      }
    }
    return old;
  };
  // Each folder written in, in the order given: its entries so far, the entries as read (null: none
  // usable; in a folder this writer created none can match, so none of its files is stat-ed, see
  // WORKER_SOURCE), and whether a file was written there.
  const folders = new Map();
  const folderOf = (dir) => {
    let folder = folders.get(dir);
    if (folder) return folder;
    const fresh = fs.mkdirSync(dir, { recursive: true }) !== undefined;
    let was = null;
    const text = indexFile && !fresh ? previous().get(dir) : undefined;
    if (text !== undefined) {
      try {
        was = JSON.parse(text);
      } catch {
        // an unreadable folder: its files are written
      }
    }
    folder = { entries: Object.create(null), was, wrote: fresh || was === null };
    folders.set(dir, folder);
    return folder;
  };
  // The folder's entries' text for the new index.
  const folderText = (dir, folder) => {
    const text = previous().get(dir);
    if (!folder.wrote && text !== undefined) return text;
    // Files not written this time (not selected, or of a deleted node: left on disk, as dbt does)
    // keep their entries: a stat still checks them before any skip.
    if (folder.was) for (const name in folder.was) if (!(name in folder.entries)) folder.entries[name] = folder.was[name];
    return JSON.stringify(folder.entries);
  };
  return {
    write(file, text) {
      const dir = path.dirname(file);
      const folder = folderOf(dir);
      const name = path.basename(file);
      const hash = indexFile ? crypto.hash('sha1', text) : '';
      if (folder.was) {
        const was = folder.was[name];
        if (Array.isArray(was) && was[0] === hash) {
          const st = fs.statSync(file, { throwIfNoEntry: false });
          if (st && st.size === was[1] && st.mtimeMs === was[2] && st.ctimeMs === was[3] && st.ino === was[4]) {
            if (!(name in folder.entries)) folder.entries[name] = was;
            return;
          }
        }
      }
      folder.wrote = true;
      changed = true;
      const fd = fs.openSync(file, 'w');
      try {
        fs.writeFileSync(fd, text);
        if (indexFile) {
          const st = fs.fstatSync(fd);
          if (!(name in folder.entries)) folder.entries[name] = [hash, st.size, st.mtimeMs, st.ctimeMs, st.ino];
        }
      } finally {
        fs.closeSync(fd);
      }
    },
    // This writer's folders' entries, for the writer that merges them (close's merge).
    listed() {
      const texts = [];
      if (indexFile) for (const [dir, folder] of folders) texts.push([dir, folderText(dir, folder)]);
      return { changed, texts };
    },
    // merge (the first of several writers): the others' listed(), and every folder written in, in
    // the order given.
    close(merge) {
      if (!indexFile) return;
      const texts = new Map();
      for (const [dir, folder] of folders) texts.set(dir, folderText(dir, folder));
      for (const part of merge ? merge.lists : []) {
        changed ||= part.changed;
        for (const [dir, text] of part.texts) if (!texts.has(dir)) texts.set(dir, text);
      }
      if (!changed) return;
      const lines = [HEADER];
      for (const dir of merge ? merge.order : folders.keys()) if (texts.has(dir)) lines.push(JSON.stringify(dir), texts.get(dir));
      // The folders not written in this time keep their entries as read.
      for (const [dir, text] of previous()) if (!texts.has(dir)) lines.push(JSON.stringify(dir), text);
      lines.push('');
      fs.mkdirSync(path.dirname(indexFile), { recursive: true });
      const partial = indexFile + '.' + process.pid + '.tmp';
      fs.writeFileSync(partial, lines.join('\\n'));
      fs.renameSync(partial, indexFile);
    },
  };
}
`;

/**
 * A worker: writes its files in the order given, one at a time, each with synchronous calls on its
 * own thread. (They were created four at once through libuv's thread pool: the 30,000 files of the
 * 10,000-model compile cost ~0.6 s more CPU so, ~1.7 against ~1.1 s in a bare loop, most of it the
 * pool's hand-offs and wake-ups: one file at a time through the pool cost ~2.2 s.) Several files
 * are still created at once, one by each worker (WORKERS): each folder's files go to one worker,
 * so two never wait on one folder's lock, and a worker stats no file of a folder it had to create.
 * On null (the last batch was sent) a worker posts done, with its folders' part of the index when it
 * is one of several (listed); the first of several gets { merge } instead, once the others posted theirs.
 * Right after `rm -rf target/compiled` on this machine's ext4 (no journal, mounted with `discard`),
 * each create first skips the inodes of its group freed in the last minutes and waits: there one
 * file at a time took 47 s of wall for 12 s of system time, four at a time 12 s. Opening through
 * the pool (two at once a worker) the files of folders the writer created cost more CPU in both
 * cases (compile14, load 15: after `tsdbt clean` and a parse 16.4 -> 23.2 s, target/compiled moved
 * aside 5.9 -> 6.6 s), for less wall at that load only: not kept.
 */
const WORKER_SOURCE = `${WRITER_SOURCE}
const { parentPort, workerData } = require('node:worker_threads');
const writer = makeWriter(workerData.indexFile);
let failed = false;
const fail = (file, err) => {
  if (!failed) parentPort.postMessage({ failed: file, message: err.message });
  failed = true;
};
parentPort.on('message', (batch) => {
  if (batch === null && workerData.keepOrder && workerData.id > 0) return parentPort.postMessage({ done: true, listed: writer.listed() });
  if (batch === null || batch.merge) {
    try {
      writer.close(batch && batch.merge);
    } catch (err) {
      fail(workerData.indexFile, err);
    }
    return parentPort.postMessage({ done: true });
  }
  // A batch is one transferred buffer (packBatch): per file, the byte lengths of its path and
  // text, then their UTF-8 bytes. The text is written (and hashed) as the bytes it arrived as.
  const bytes = Buffer.from(batch);
  for (let at = 0; at < bytes.length; ) {
    const pathLength = bytes.readUInt32LE(at);
    const textLength = bytes.readUInt32LE(at + 4);
    const file = bytes.toString('utf8', at + 8, at + 8 + pathLength);
    at += 8 + pathLength;
    try {
      writer.write(file, bytes.subarray(at, at + textLength));
    } catch (err) {
      fail(file, err);
    }
    at += textLength;
  }
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
  /**
   * At most this many worker threads (default two): `docs generate`, whose own second thread traces
   * the column lineage, takes one, which reads the index once instead of once per worker.
   */
  maxWorkers?: number;
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

/** Worker threads per writer: two files created at once (see WORKER_SOURCE), fewer on a machine of one core. */
const WORKERS = Math.min(2, os.availableParallelism());

interface WorkerPart {
  worker: Worker;
  batch: [string, string][];
  /** Files handed to it so far. */
  given: number;
  /** Its last message, { done: true } with its folders' part of the index when it is one of several. */
  done: Promise<{ listed?: unknown }>;
}

class WorkerWriter implements FileWriter {
  private readonly parts: WorkerPart[];
  /** The worker of each folder, in the order given: its files all go to it. */
  private readonly folders = new Map<string, number>();
  /** Several workers of one index: the first merges the others' parts. */
  private readonly keepOrder: boolean;
  /** Rejected by the first failed write (or a worker's crash). */
  private readonly failure: Promise<never>;

  constructor(options: FileWriterOptions) {
    const workers = Math.max(1, Math.min(WORKERS, options.maxWorkers ?? WORKERS));
    const keepOrder = workers > 1 && options.indexFile !== undefined;
    this.keepOrder = keepOrder;
    let fail: (err: unknown) => void = () => undefined;
    this.failure = new Promise<never>((_, reject) => (fail = reject));
    // Settled by close(); a rejection before then is not unhandled.
    this.failure.catch(() => undefined);
    this.parts = Array.from({ length: workers }, (_, id) => {
      const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { indexFile: options.indexFile, keepOrder, id } });
      worker.on('error', fail);
      const done = new Promise<{ listed?: unknown }>((resolve) => {
        worker.on('message', (m: { done?: boolean; listed?: unknown; failed?: string; message?: string }) => {
          if (m.done) resolve(m);
          else fail(writeFailed(m.failed, m.message));
        });
      });
      return { worker, batch: [], given: 0, done };
    });
  }

  write(file: string, text: string): void {
    let id = 0;
    if (this.parts.length > 1) {
      const folder = path.dirname(file);
      let owner = this.folders.get(folder);
      // A new folder goes to the worker handed the fewest files so far.
      if (owner === undefined) this.folders.set(folder, (owner = this.parts.reduce((least, p, i) => (p.given < (this.parts[least] as WorkerPart).given ? i : least), 0)));
      id = owner;
    }
    const part = this.parts[id] as WorkerPart;
    part.given++;
    part.batch.push([file, text]);
    if (part.batch.length >= BATCH) this.flush(part);
  }

  private flush(part: WorkerPart): void {
    if (part.batch.length === 0) return;
    const packed = packBatch(part.batch);
    part.worker.postMessage(packed, [packed]);
    part.batch = [];
  }

  async close(): Promise<void> {
    const [first, ...others] = this.parts as [WorkerPart, ...WorkerPart[]];
    for (const part of this.parts) this.flush(part);
    try {
      for (const part of others) part.worker.postMessage(null);
      const listed = await Promise.race([this.failure, Promise.all(others.map((p) => p.done))]);
      // The first worker writes the index, the others' folders merged with its own in the order given.
      first.worker.postMessage(this.keepOrder ? { merge: { order: [...this.folders.keys()], lists: listed.map((l) => l.listed) } } : null);
      await Promise.race([this.failure, first.done]);
    } finally {
      await Promise.all(this.parts.map((p) => p.worker.terminate()));
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
