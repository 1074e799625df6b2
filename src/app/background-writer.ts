// Writes many small files from a worker thread while the main thread goes on rendering: `tsdbt
// compile` of 10,000 models writes 30,000 files, about a second of the main thread's time that
// the machine's second core can take instead. Below a few hundred files a worker costs more than
// it saves, so they are written in place. Files are written in the order given; a failure (a full
// disk, a read-only folder) is reported by close(), with the file named.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { TsdbtError } from '../errors/tsdbt-error.js';

const BATCH = 256;

// Plain CommonJS run with eval: no module to resolve, the same under tsx and in dist/.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { mkdirSync, writeFileSync } = require('node:fs');
const path = require('node:path');
const made = new Set();
parentPort.on('message', (batch) => {
  if (batch === null) return parentPort.postMessage({ done: true });
  for (const [file, text] of batch) {
    try {
      const dir = path.dirname(file);
      if (!made.has(dir)) mkdirSync(dir, { recursive: true });
      made.add(dir);
      writeFileSync(file, text);
    } catch (err) {
      parentPort.postMessage({ failed: file, message: err.message });
      return;
    }
  }
});
`;

export interface FileWriter {
  write(file: string, text: string): void;
  /** Resolves once every file is on disk; rejects naming the first file that could not be written. */
  close(): Promise<void>;
}

/** A writer for about `expected` files: a worker thread when there are many, plain writes otherwise. */
export function fileWriter(expected: number): FileWriter {
  return expected >= 1000 ? new WorkerWriter() : new InPlaceWriter();
}

class InPlaceWriter implements FileWriter {
  private readonly made = new Set<string>();

  write(file: string, text: string): void {
    const dir = path.dirname(file);
    if (!this.made.has(dir)) mkdirSync(dir, { recursive: true });
    this.made.add(dir);
    writeFileSync(file, text);
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

class WorkerWriter implements FileWriter {
  private readonly worker = new Worker(WORKER_SOURCE, { eval: true });
  private batch: [string, string][] = [];
  private readonly finished: Promise<void>;

  constructor() {
    this.finished = new Promise((resolve, reject) => {
      this.worker.on('message', (m: { done?: boolean; failed?: string; message?: string }) => {
        if (m.done) resolve();
        else reject(new TsdbtError(`could not write ${m.failed ?? 'a compiled file'}: ${m.message ?? 'unknown error'}`, { code: 'write-failed', hint: 'check that the target folder is writable and the disk has room' }));
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
    this.worker.postMessage(this.batch);
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
