// logs/dbt.log, as dbt writes it: every line of every invocation at debug level (each statement's
// SQL included), appended, with a header line per invocation, in dbt's debug format (`14:03:01.123456
// [info ] [MainThread]: message`) or one JSON object per line (`--log-format-file json`), never with
// colour codes. Rotated as dbt's RotatingFileHandler does: past `--log-file-max-bytes` (10 MiB by
// default; 0 never) dbt.log becomes dbt.log.1, and so on up to dbt.log.5. Synchronous writes, so a
// killed run keeps every line written before it died.
import { closeSync, existsSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';

export const DEFAULT_LOG_FILE_MAX_BYTES = 10 * 1024 * 1024;
const BACKUPS = 5;

export interface LogFileOptions {
  /** The folder (`--log-path`, DBT_LOG_PATH, dbt_project.yml's log-path, logs). */
  dir: string;
  format: 'text' | 'json';
  maxBytes: number;
}

/** One invocation's handle on dbt.log. */
export class LogFile {
  private fd: number;
  private size: number;
  readonly file: string;

  constructor(private readonly options: LogFileOptions) {
    mkdirSync(options.dir, { recursive: true });
    this.file = path.join(options.dir, 'dbt.log');
    this.fd = openSync(this.file, 'a');
    this.size = fstatSync(this.fd).size;
  }

  get format(): 'text' | 'json' {
    return this.options.format;
  }

  /**
   * Appends one record (one line, or an event's lines; a newline added) in one write, rotating
   * first when it would pass the size limit (a record is never split between two files, as with
   * dbt's RotatingFileHandler).
   */
  write(line: string): void {
    const bytes = Buffer.from(`${line}\n`);
    if (this.options.maxBytes > 0 && this.size > 0 && this.size + bytes.length > this.options.maxBytes) this.rotate();
    for (let done = 0; done < bytes.length; ) done += writeSync(this.fd, bytes, done, bytes.length - done);
    this.size += bytes.length;
  }

  close(): void {
    closeSync(this.fd);
  }

  private rotate(): void {
    closeSync(this.fd);
    rmSync(`${this.file}.${BACKUPS}`, { force: true });
    for (let i = BACKUPS - 1; i >= 1; i--) if (existsSync(`${this.file}.${i}`)) renameSync(`${this.file}.${i}`, `${this.file}.${i + 1}`);
    renameSync(this.file, `${this.file}.1`);
    this.fd = openSync(this.file, 'a');
    this.size = 0;
  }
}

/** dbt's debug-format time: `14:03:01.123456` (microseconds as zeros past the milliseconds). */
export function debugTime(at: Date): string {
  return `${at.toISOString().slice(11, 23)}000`;
}
