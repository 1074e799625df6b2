// dbt.log's side of the invocation's logger (logger.ts): which events reach the file (its own
// level, `--log-level-file`), the events logged before the project says where the file goes (held,
// then written when it is attached), and each event's record in the file's format: a JSON line, or
// text lines headed with dbt's plain or debug head, made when the file is written (log-file.ts).
import path from 'node:path';
import { formatLocation } from '../errors/tsdbt-error.js';
import { debugTime, LogFile, type LogFileOptions } from './log-file.js';
import { SEVERITY, type LogLevelFlag } from './log-settings.js';
import type { LogEvent } from './log-event.js';

/** How many events wait for dbt.log to be attached, at most. */
const PENDING_FILE_LINES = 10_000;
/** Terminal colour codes, which dbt.log never holds. */
export const ANSI = /\u001b\[[0-9;]*m/g;

/** What the sink needs of its logger to make a record: the logger's line heads, JSON lines, secrets and clock. */
export interface RecordMaker {
  jsonLine(event: LogEvent, message: string): string;
  lineHead(event: LogEvent, at: Date, debugFormat: boolean): string;
  scrub(text: string): string;
  now(): Date;
  /** Told when the file cannot be opened (the logger warns on the console). */
  unwritable(message: string): void;
  invocationId: string | undefined;
}

export class LogFileSink {
  private minimum: number;
  private file: LogFile | null = null;
  /** The events logged before the file is attached; null once attached, or when no file is wanted. */
  private pending: LogEvent[] | null = [];

  constructor(
    level: LogLevelFlag,
    private readonly maker: RecordMaker,
  ) {
    this.minimum = SEVERITY[level];
    if (this.minimum === SEVERITY.none) this.pending = null;
  }

  /** Whether debug events are written, or may be once the file is attached (its default level). */
  get wantsDebug(): boolean {
    return this.minimum === SEVERITY.debug && (this.file !== null || this.pending !== null);
  }

  /** The file's level once dbt_project.yml's `flags:` are known; the waiting events are filtered when written. */
  setLevel(level: LogLevelFlag): void {
    this.minimum = SEVERITY[level];
    if (this.minimum === SEVERITY.none) this.pending = null;
  }

  /**
   * Starts writing dbt.log in `options.dir` (once the project's log-path is known), with dbt's
   * header line for this invocation and the events logged so far.
   */
  attach(options: LogFileOptions): void {
    if (this.file || this.pending === null) return;
    const pending = this.pending;
    this.pending = null;
    try {
      this.file = new LogFile(options);
    } catch (err) {
      this.maker.unwritable(`cannot write ${path.join(options.dir, 'dbt.log')} (${(err as Error).message}); this run's log is only what is printed`);
      return;
    }
    // dbt's debug format opens each invocation with this line, after two blank ones.
    if (this.file.format === 'debug') this.file.write(`\n\n${'='.repeat(30)} ${debugTime(this.maker.now())} | ${this.maker.invocationId ?? ''} ${'='.repeat(30)}`);
    for (const event of pending) this.record(event);
  }

  record(event: LogEvent): void {
    if (SEVERITY[event.level] < this.minimum) return;
    if (this.pending) {
      // A command that never loads a project (init, a parse with nothing changed) writes no dbt.log;
      // a long-running one that has not yet does not hold its lines forever.
      if (this.pending.length < PENDING_FILE_LINES) this.pending.push(event);
      return;
    }
    const file = this.file;
    if (!file) return;
    if (event.jsonOnly && file.format !== 'json') return;
    if (file.format === 'json') {
      // Now: its node_info is the node's state at this moment.
      file.write(this.maker.jsonLine(event, this.maker.scrub(event.message).replace(ANSI, '')));
      return;
    }
    // Every line headed, the event written at once (a statement's SQL is dozens of lines: one write
    // each was most of a run's system calls). Its time and thread are taken now, its text made when
    // the file is written (log-file.ts: while a run waits on the warehouse; issue 18).
    const head = this.maker.lineHead(event, this.maker.now(), file.format === 'debug');
    file.writeLater(() => headedLines(located(event, this.maker.scrub(event.message).replace(ANSI, '')), head));
  }

  /** Writes the records waiting for the check phase now (log-file.ts). */
  flush(): void {
    this.file?.flush();
  }

  /** Stops writing dbt.log (the scheduler's builds each have their own logger). */
  close(): void {
    this.file?.close();
    this.file = null;
    this.pending = null;
  }
}

/** A text line's message: `file:line: ` first when the event points at a place (a JSON line carries it as data.location). */
export function located(event: LogEvent, message: string): string {
  return event.location ? `${formatLocation(event.location)}: ${message}` : message;
}

/** `message`'s lines, each after `head` and a space, joined by newlines. */
function headedLines(message: string, head: string): string {
  return message.includes('\n') ? message.split('\n').map((line) => `${head} ${line}`).join('\n') : `${head} ${message}`;
}
