// The invocation's logger: dbt-style text lines (`14:03:01  message`) or one JSON object per line
// (`--log-format json`) in dbt's shape, `{"data": {...}, "info": {"name", "code", "msg", ...}}`
// (json-log-line.ts; node events carry dbt's node_info, node-log-info.ts), colours only on a
// terminal, and secrets (DBT_ENV_SECRET_* values) scrubbed from everything printed. `--quiet` keeps only errors (and print()); warnings pass through the
// --warn-error policy (promoted to errors, or silenced) by their dbt event name.
import { createColors } from 'picocolors';
import { TsdbtError, type SourceLocation } from '../errors/tsdbt-error.js';
import { debugTime, threadTag, type LogFileOptions } from './log-file.js';
import { ANSI, located, LogFileSink } from './log-file-sink.js';
import type { LogEvent } from './log-event.js';
import { consoleLine } from './console-lines.js';
import { NO_WARN_ERROR, SCHEMA_CHECK_EVENTS, type WarnErrorPolicy } from './warn-error.js';
import { DeprecationCounter, isDeprecation } from './deprecations.js';
import { jsonLogLine, metadataVars } from './json-log-line.js';
import { NodeLogInfo } from './node-log-info.js';
import { SEVERITY, type LogFormat, type LogLevelFlag, type LogSettings } from './log-settings.js';

export type { LogLevel, LogFormat, LogLevelFlag } from './log-settings.js';
export type { LogEvent } from './log-event.js';


/**
 * Warnings dbt fires with fire_event, not warn_or_error: raised as errors only under the flag
 * require_all_warnings_handled_by_warn_error (requireWarnOrErrorHandling), not counted as
 * deprecations (no DeprecationsSummary line) though their code is a D one.
 */
const FIRED_WARNINGS = new Set(['SpacesInResourceNameDeprecation', 'FreshnessConfigProblem', 'MicrobatchModelNoEventTimeInputs']);

/** Events whose `data` is just the message, as dbt's (Note, Formatting, JinjaLog*, ...), when given none. */
const MESSAGE_EVENTS = new Set(['Note', 'Formatting', 'PrintEvent', 'JinjaLogInfo', 'JinjaLogDebug', 'JinjaLogWarning', 'ListCmdOut', 'DebugCmdOut', 'RunResultError', 'RunResultWarningMessage']);

export interface LoggerOptions {
  format: LogFormat;
  debug: boolean;
  /** dbt's `--log-format debug`: text lines in dbt's debug format (time to the microsecond, level, thread). */
  debugLines?: boolean;
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
  writeError?: (line: string) => void;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
  /** --quiet: only errors and print() output. */
  quiet?: boolean;
  /** --log-level: lines less severe are not printed (default info; debug lines need `debug` too). */
  level?: LogLevelFlag;
  /** --printer-width: how wide the progress lines' dots reach. */
  printerWidth?: number;
  /** --log-level-file: the least severe lines dbt.log gets (default debug; `none`: no file). */
  fileLevel?: LogLevelFlag;
  /** --no-print: print() output is dropped. */
  print?: boolean;
  /** --warn-error / --warn-error-options. */
  warnError?: WarnErrorPolicy;
  /** Put on every JSON line as `invocation_id` (dbt puts it in each event's info). */
  invocationId?: string;
  /** --show-all-deprecations: every deprecation warning, not the first of each kind. */
  showAllDeprecations?: boolean;
}

export type Colors = ReturnType<typeof createColors>;

export class Logger {
  /** The console's lines: text or JSON (dbt_project.yml's `flags:` may change it: useSettings). */
  format: LogFormat;
  debugEnabled: boolean;
  /** Text lines in dbt's debug format (`--log-format debug`). */
  private debugLines: boolean;
  colors: Colors;
  private readonly write: (line: string) => void;
  private readonly writeError: (line: string) => void;
  /** Where log lines go while stdout carries data: the given error sink, else stderr. */
  private readonly writeLog: (line: string) => void;
  /**
   * Set by a command whose stdout is data (show --output json): its log lines go to stderr
   * (or writeError), so stdout parses as it is documented to.
   */
  dataOnStdout = false;
  private readonly secrets: string[];
  private readonly now: () => Date;
  private readonly invocationId: string | undefined;
  readonly quiet: boolean;
  /** The least severe level printed (--log-level). */
  private minimum: number;
  /** The width progress lines are padded to (--printer-width, default 80; dbt_project.yml's `flags:` may set it: useDisplay). */
  printerWidth: number;
  /** dbt.log, once the project says where it goes (attachLogFile); until then its lines wait there. */
  private readonly file: LogFileSink;
  private readonly printEnabled: boolean;
  /** Set from the flags; dbt_project.yml's `flags:` may set it when they did not. */
  warnError: WarnErrorPolicy;
  /**
   * dbt would run its JSON-schema checks on this invocation's adapter (app/jsonschema-gate.ts): their
   * deprecations are all shown, and --warn-error makes them errors, as dbt's.
   */
  dbtSchemaChecks = false;
  /** The deprecations warned so far (each kind shown once, all counted: deprecations.ts). */
  private deprecations: DeprecationCounter;
  /** The nodes of this invocation's run, for the node_info of JSON lines. */
  readonly nodes = new NodeLogInfo();
  /** dbt's `extra` of every JSON line (DBT_ENV_CUSTOM_ENV_*). */
  private readonly extra: Record<string, string>;

  constructor(options: LoggerOptions) {
    this.format = options.format;
    this.debugEnabled = options.debug;
    this.debugLines = options.debugLines ?? false;
    this.quiet = options.quiet ?? false;
    this.minimum = SEVERITY[options.level ?? 'debug'];
    this.printerWidth = options.printerWidth ?? 80;
    this.printEnabled = options.print ?? true;
    this.warnError = options.warnError ?? NO_WARN_ERROR;
    this.deprecations = new DeprecationCounter(options.showAllDeprecations ?? false);
    // The console's lines are written in the check phase (console-lines.ts), each stream's together.
    this.write = options.write ?? ((line) => consoleLine(process.stdout, line));
    this.writeError = options.writeError ?? this.write;
    this.writeLog = options.writeError ?? ((line) => consoleLine(process.stderr, line));
    const env = options.env ?? process.env;
    const color = options.color ?? (Boolean(process.stdout.isTTY) && !env.NO_COLOR && options.format === 'text');
    this.colors = createColors(color);
    this.now = options.now ?? (() => new Date());
    this.invocationId = options.invocationId;
    this.extra = metadataVars(env);
    this.secrets = Object.entries(env)
      .filter(([k, v]) => k.startsWith('DBT_ENV_SECRET_') && v && v.length > 0)
      .map(([, v]) => v as string)
      .sort((a, b) => b.length - a.length);
    this.file = new LogFileSink(options.fileLevel ?? 'debug', {
      jsonLine: (event, message) => this.jsonLine(event, message),
      lineHead: (event, at, debugFormat) => this.lineHead(event, at, debugFormat),
      scrub: (text) => this.scrub(text),
      now: () => this.now(),
      unwritable: (message) => this.warn(message, 'LogFileUnwritable'),
      invocationId: this.invocationId,
    });
  }

  /** Replaces every secret value with `*****`. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('*****');
    return out;
  }

  /** Whether debug lines are wanted anywhere: on the console (--debug) or in dbt.log (its default). Callers skip building costly debug text otherwise. */
  get recordsDebug(): boolean {
    return this.debugEnabled || this.file.wantsDebug;
  }

  /**
   * Starts writing dbt.log in `options.dir` (once the project's log-path is known), with dbt's
   * header line for this invocation and the lines logged so far.
   */
  attachLogFile(options: LogFileOptions): void {
    this.file.attach(options);
  }

  /**
   * The log settings once dbt_project.yml's `flags:` are known (log-settings.ts; flags and env
   * vars win over them), before dbt.log is attached: what was printed before keeps its form, and
   * the lines waiting for dbt.log are filtered by the file's level when they are written.
   */
  useSettings(settings: LogSettings): void {
    if (settings.console === 'json' && this.format !== 'json') this.colors = createColors(false);
    this.format = settings.console === 'json' ? 'json' : 'text';
    this.debugLines = settings.console === 'debug';
    this.debugEnabled = settings.debug;
    this.minimum = SEVERITY[settings.consoleLevel];
    this.file.setLevel(settings.fileLevel);
  }

  /**
   * dbt_project.yml's `printer_width` and `use_colors` flags, where no flag or env var set them
   * (project-flags.ts): lines printed before keep their form.
   */
  useDisplay(display: { printerWidth?: number; color?: boolean }): void {
    if (display.printerWidth !== undefined) this.printerWidth = display.printerWidth;
    if (display.color !== undefined) this.colors = createColors(display.color && this.format === 'text');
  }

  /** Writes dbt.log's records waiting for the check phase now (log-file.ts). */
  flushFile(): void {
    this.file.flush();
  }

  /** Stops writing dbt.log (the scheduler's builds each have their own logger). */
  closeLogFile(): void {
    this.file.close();
  }

  /** A text line's head, dbt's plain (`14:03:01 `) or debug format (`14:03:01.123000 [info ] [MainThread]:`). */
  private lineHead(event: LogEvent, at: Date, debugFormat: boolean): string {
    return debugFormat ? `${debugTime(at)} [${event.level.padEnd(5)}] ${threadTag(this.threadOf(event))}` : plainHead(at);
  }

  /** The thread a line names: its node's worker, else MainThread. */
  private threadOf(event: LogEvent): string {
    return (event.node ? this.nodes.threadOf(event.node) : undefined) ?? 'MainThread';
  }

  /** An event's text lines, each headed as dbt's plain (`14:03:01  `) or debug format (`14:03:01.123000 [info ] [MainThread]: `) heads it. */
  private textLines(event: LogEvent, message: string, debugFormat: boolean): string[] {
    const head = this.lineHead(event, this.now(), debugFormat);
    return located(event, message).split('\n').map((line) => `${head} ${line}`);
  }

  emit(event: LogEvent): void {
    this.file.record(event);
    if (event.fileOnly) return;
    if (event.level === 'debug' && !this.debugEnabled) return;
    if (this.quiet && event.level !== 'error') return;
    if (event.jsonOnly && this.format !== 'json') return;
    if (SEVERITY[event.level] < this.minimum) return;
    const message = this.scrub(event.message);
    const sink = event.level === 'error' ? this.writeError : this.dataOnStdout ? this.writeLog : this.write;
    if (this.format === 'json') {
      sink(this.jsonLine(event, message.replace(ANSI, '')));
      return;
    }
    for (const line of this.textLines(event, message, this.debugLines)) sink(line);
  }

  /**
   * The line as dbt's JSON logger writes it: the event's fields (a message event's `msg`, the
   * node's node_info) under `data`, dbt's EventInfo under `info`, secrets scrubbed from the whole.
   */
  private jsonLine(event: LogEvent, message: string): string {
    const data: Record<string, unknown> = { ...event.data };
    if (data.msg === undefined && MESSAGE_EVENTS.has(event.name)) data.msg = message;
    if (event.location && data.location === undefined) data.location = { ...event.location };
    if (event.node && data.node_info === undefined) {
      const info = this.nodes.infoById(event.node);
      if (info) data.node_info = info;
    }
    const thread = (event.node ? this.nodes.threadOf(event.node) : undefined) ?? 'MainThread';
    const line = jsonLogLine({ name: event.name, level: event.level, msg: message, invocationId: this.invocationId, extra: this.extra, thread, ts: this.now(), pid: process.pid }, data);
    return this.secrets.length ? this.scrub(line) : line;
  }

  /** An info line; unnamed, dbt's Note (a blank one is dbt's Formatting). */
  info(message: string, name?: string, data?: Record<string, unknown>): void {
    this.emit({ level: 'info', name: name ?? (message === '' ? 'Formatting' : 'Note'), message, data });
  }
  debug(message: string, name = 'Note', data?: Record<string, unknown>): void {
    this.emit({ level: 'debug', name, message, data });
  }
  /**
   * dbt_project.yml's `flags.require_all_warnings_handled_by_warn_error` (dbt's EventManager
   * require_warn_or_error_handling): the warnings dbt fires without warn_or_error are then
   * promoted by --warn-error / --warn-error-options (or silenced) as the others are.
   */
  requireWarnOrErrorHandling = false;
  /** Told of every warnOrError warning (tsdbt parse keeps them to repeat when nothing changed). */
  onWarnOrError?: (message: string, name: string, location?: SourceLocation) => void;
  /** A warning that is never an error (retries, Ctrl-C); `silence` still hides it. */
  warn(message: string, name = 'Note', data?: Record<string, unknown>, node?: string, location?: SourceLocation): void {
    if (this.warnError.silenced(name)) return;
    this.emit({ level: 'warn', name, message: this.format === 'text' ? this.colors.yellow(message) : message, data, ...(node === undefined ? {} : { node }), ...(location ? { location } : {}) });
  }
  error(message: string, name = 'Note', data?: Record<string, unknown>): void {
    this.emit({ level: 'error', name, message: this.format === 'text' ? this.colors.red(message) : message, data });
  }
  /**
   * A warning dbt routes through warn_or_error: with --warn-error (or its event named in
   * --warn-error-options' error list) it is raised as an error instead; silenced, it is dropped.
   */
  warnOrError(message: string, name: string, data?: Record<string, unknown>, node?: string, location?: SourceLocation): void {
    this.onWarnOrError?.(message, name, location);
    if (FIRED_WARNINGS.has(name) && !this.requireWarnOrErrorHandling) return this.warn(message, name, data, node, location);
    // A deprecation's later occurrences are only counted, as dbt's DBTDeprecation.show does.
    if (isDeprecation(name) && name !== 'DeprecationsSummary' && !this.deprecations.record(name)) return;
    if (this.promotes(name)) throw warningAsError(message, name, location);
    this.warn(message, name, data, node, location);
  }
  /**
   * Whether `event` is raised as an error: dbt's JSON-schema deprecations (SCHEMA_CHECK_EVENTS) are
   * made errors by --warn-error or `error: all` only where dbt runs those checks (dbtSchemaChecks).
   */
  promotes(event: string): boolean {
    if (this.dbtSchemaChecks && SCHEMA_CHECK_EVENTS.has(event)) return (this.warnError.promotesWhereDbtValidates ?? this.warnError.promotes)(event);
    return this.warnError.promotes(event);
  }
  /** Counts deprecations with `other`'s counter (a command that runs another invocation: retry), so its summary has them. */
  shareDeprecations(other: Logger): void {
    this.deprecations = other.deprecations;
  }
  /**
   * dbt's DeprecationsSummary, at the end of a command that warned any deprecation: the count of
   * each kind. A warning like the others (so `--warn-error-options` can silence or promote it),
   * except that deprecations `--warn-error` leaves warnings (SCHEMA_CHECK_EVENTS) do not make it an
   * error, nor does it fail a command that has already failed (`failed`: dbt raises a second error).
   */
  deprecationSummary(failed = false): void {
    const summary = this.deprecations.summary();
    if (!summary) return;
    const message = summary.lines.join('\n');
    const onlySchemaChecks = !this.dbtSchemaChecks && summary.data.summaries.every((s) => SCHEMA_CHECK_EVENTS.has(s.event_name));
    if (onlySchemaChecks || failed) this.warn(message, 'DeprecationsSummary', summary.data);
    else this.warnOrError(message, 'DeprecationsSummary', summary.data);
  }
  /**
   * A template's `log()` (JinjaLogInfo, JinjaLogDebug), `print()`, or warning (JinjaLogWarning, or
   * the event named, at any level, as dbt's fire_event; `debugOrError`: a debug line of the named
   * event as dbt's warn_or_error fires it, raised under --warn-error, dropped when silenced);
   * `nodeId`: the node being rendered, whose node_info its JSON line carries, as
   * dbt's log_contextvars give it.
   */
  jinjaLog(message: string, level: 'info' | 'debug' | 'debugOrError' | 'warn' | 'print', event?: string, nodeId?: string): void {
    const node = nodeId === undefined ? {} : { node: nodeId };
    if (level === 'print') this.print(message);
    else if (level === 'warn') this.warnOrError(message, event ?? 'JinjaLogWarning', undefined, nodeId);
    else if (level === 'debugOrError') {
      // A named debug event through dbt's warn_or_error: --warn-error raises it, silenced it is dropped.
      const name = event ?? 'JinjaLogDebug';
      if (this.promotes(name)) throw warningAsError(message, name);
      if (!this.warnError.silenced(name)) this.emit({ level: 'debug', name, message, ...node });
    } else this.emit({ level, name: event ?? (level === 'info' ? 'JinjaLogInfo' : 'JinjaLogDebug'), message, ...node });
  }
  /** Jinja's print(): the text as is on stdout (no timestamp), also under --quiet; none with --no-print. */
  print(text: string): void {
    if (!this.printEnabled) return;
    if (this.format === 'json') {
      this.write(this.jsonLine({ level: 'info', name: 'PrintEvent', message: text }, this.scrub(text)));
      return;
    }
    this.write(this.scrub(text));
  }
  /** Raw output (ls, compile --inline results), not a log line. */
  out(text: string): void {
    this.write(this.scrub(text));
  }
}

/** The head of a plain text line: `14:03:01 ` (a space follows it). */
const plainHead = (at: Date) => `${at.toISOString().slice(11, 19)} `;

/** The error a promoted warning raises (dbt's EventCompilationError). */
export function warningAsError(message: string, event: string, location?: SourceLocation): TsdbtError {
  return new TsdbtError(message, {
    code: 'warning-as-error',
    ...(location ? { location } : {}),
    hint: `this warning (${event}) is an error because of --warn-error / --warn-error-options; to keep it a warning: --warn-error-options '{"error": "all", "warn": ["${event}"]}'`,
  });
}
