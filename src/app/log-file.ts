// logs/dbt.log, as dbt writes it: every line of every invocation at debug level (each statement's
// SQL included), appended, with a header line per invocation, in dbt's debug format (`14:03:01.123456
// [info ] [MainThread]: message`), plain (`--log-format-file text`) or one JSON object per line (`--log-format-file json`), never with
// colour codes. Rotated as dbt's RotatingFileHandler does: past `--log-file-max-bytes` (10 MiB by
// default; 0 never) dbt.log becomes dbt.log.1, and so on up to dbt.log.5. The records logged since
// the process last waited are written together, in one synchronous write in the event loop's check
// phase (setImmediate), and at the process's exit: a run killed while it waits (on the warehouse, a
// file) has every line logged before the wait, as with one write per record, for a third of the
// system calls (a run of 300 trivial models made 1,714 writes to dbt.log, 5.7 a node; issue 18).
// The check phase comes after the promise callbacks that send a node's statements, so the write
// (and the formatting of records given as functions, `writeLater`) is done while the run waits on
// the warehouse, not between one node's result and the next node's statements; a run also writes
// them once each statement is handed to the warehouse (AdapterContext.beforeStatement), as an
// embedded engine works in this thread and the check phase would come only after its statement.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { LineFormat } from './log-settings.js';

export const DEFAULT_LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;
const BACKUPS = 5;

export interface LogFileOptions {
  /** The folder (`--log-path`, DBT_LOG_PATH, dbt_project.yml's log-path, logs). */
  dir: string;
  /** dbt's LOG_FORMAT_FILE: `debug` (its default), `text` (plain lines) or `json`. */
  format: LineFormat;
  maxBytes: number;
}

/** One invocation's handle on dbt.log. */
export class LogFile {
  private fd: number;
  /** The file's size (the records waiting are counted when they are written). */
  private size: number;
  /** Records waiting for the check phase: text, or a function making it (writeLater); the newline is added then. */
  private pending: (string | (() => string))[] = [];
  readonly file: string;

  constructor(private readonly options: LogFileOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.file = path.join(options.dir, 'dbt.log');
    this.fd = openSync(this.file, 'a');
    this.size = fstatSync(this.fd).size;
    flushedAtExit(this);
  }

  get format(): LineFormat {
    return this.options.format;
  }

  /**
   * Appends one record (one line, or an event's lines; a newline added) in the event loop's check
   * phase, with the other records waiting, rotating first when it would pass the size limit (a
   * record is never split between two files, as with dbt's RotatingFileHandler).
   */
  write(line: string): void {
    this.queue(line);
  }

  /** As `write`, with the record's text made when it is written (in the check phase, or at flush). */
  writeLater(make: () => string): void {
    this.queue(make);
  }

  private queue(record: string | (() => string)): void {
    if (this.pending.length === 0) setImmediate(() => this.flush());
    this.pending.push(record);
  }

  /** Writes the waiting records now (one write, or one per file when the size limit rotates it). */
  flush(): void {
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    let text = '';
    for (const record of records) {
      const line = `${typeof record === 'string' ? record : record()}\n`;
      const length = Buffer.byteLength(line);
      if (this.options.maxBytes > 0 && this.size > 0 && this.size + length > this.options.maxBytes) {
        this.writeNow(text);
        text = '';
        this.rotate();
      }
      text += line;
      this.size += length;
    }
    this.writeNow(text);
  }

  private writeNow(text: string): void {
    if (text === '') return;
    const bytes = Buffer.from(text);
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
  }

  close(): void {
    this.flush();
    openFiles.delete(this);
    closeSync(this.fd);
  }

  /** Starts dbt.log.1 (what was written so far is in the file: see flush). */
  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${BACKUPS}`, { force: true });
    for (let i = BACKUPS - 1; i >= 1; i--) if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }
}

/** The open log files, whose waiting records the process's exit writes (one listener for all of them). */
const openFiles = new Set<LogFile>();
let exitListener = false;

function flushedAtExit(file: LogFile): void {
  openFiles.add(file);
  if (exitListener) return;
  exitListener = true;
  process.on('exit', () => {
    for (const open of openFiles) open.flush();
  });
}

/** dbt's thread column of a debug-format line: the thread's name cut or padded to 10 characters, `[MainThread]:`, `[Thread-1 (]:`. */
export function threadTag(thread: string): string {
  return `[${thread.slice(0, 10).padEnd(10)}]:`;
}

let lastTimeMs = Number.NaN;
let lastTimeText = '';

/**
 * dbt's debug-format time: `14:03:01.123456` (microseconds as zeros past the milliseconds). The
 * text of the last millisecond is kept: a run's records come several a millisecond (a run of 300
 * models formatted ~3,000 of them).
 */
export function debugTime(at: Date): string {
  const ms = at.getTime();
  if (ms !== lastTimeMs) {
    lastTimeText = `${at.toISOString().slice(11, 23)}000`;
    lastTimeMs = ms;
  }
  return lastTimeText;
}
