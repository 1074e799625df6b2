// One event of the invocation's logger (logger.ts), as its console lines, JSON lines and dbt.log
// (log-file-sink.ts) carry it.
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { LogLevel } from './log-settings.js';

export interface LogEvent {
  level: LogLevel;
  /** dbt's event name (`LogStartLine`, `LogModelResult`, `StatsLine`), or one of tsdbt's own (event-names.ts). */
  name: string;
  message: string;
  /** The event's fields: a JSON line's `data` (dbt's fields for dbt's events). */
  data?: Record<string, unknown>;
  /** The node the event is about (its unique_id): its `node_info` joins `data`, and its worker names the line's thread. */
  node?: string;
  /** Only on JSON lines: an event dbt's text lines have no place for in tsdbt's (NodeStart, NodeFinished). */
  jsonOnly?: boolean;
  /** Only in dbt.log: what the screen shows otherwise (the command's fatal error, printed by cli/error-output.ts). */
  fileOnly?: boolean;
  /**
   * Where the warning points (a property file's line): text lines start with `file:line: `; a JSON
   * line keeps dbt's bare `msg` and carries it as `data.location`.
   */
  location?: SourceLocation;
}
