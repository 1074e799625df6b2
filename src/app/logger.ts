// The invocation's logger: dbt-style text lines (`14:03:01  message`) or one JSON object per line
// (`--log-format json`), colours only on a terminal, and secrets (DBT_ENV_SECRET_* values) scrubbed
// from everything printed.
import { createColors } from 'picocolors';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';

export interface LogEvent {
  level: LogLevel;
  /** Stable event name for JSON consumers, e.g. `NodeStart`, `NodeFinished`, `RunSummary`. */
  name: string;
  message: string;
  data?: Record<string, unknown>;
}

export interface LoggerOptions {
  format: LogFormat;
  debug: boolean;
  /** Where lines go; default stdout. */
  write?: (line: string) => void;
  writeError?: (line: string) => void;
  color?: boolean;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

export type Colors = ReturnType<typeof createColors>;

export class Logger {
  readonly format: LogFormat;
  readonly debugEnabled: boolean;
  readonly colors: Colors;
  private readonly write: (line: string) => void;
  private readonly writeError: (line: string) => void;
  private readonly secrets: string[];
  private readonly now: () => Date;

  constructor(options: LoggerOptions) {
    this.format = options.format;
    this.debugEnabled = options.debug;
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.writeError = options.writeError ?? this.write;
    const env = options.env ?? process.env;
    const color = options.color ?? (Boolean(process.stdout.isTTY) && !env.NO_COLOR && options.format === 'text');
    this.colors = createColors(color);
    this.now = options.now ?? (() => new Date());
    this.secrets = Object.entries(env)
      .filter(([k, v]) => k.startsWith('DBT_ENV_SECRET_') && v && v.length > 0)
      .map(([, v]) => v as string)
      .sort((a, b) => b.length - a.length);
  }

  /** Replaces every secret value with `*****`. */
  scrub(text: string): string {
    let out = text;
    for (const secret of this.secrets) out = out.split(secret).join('*****');
    return out;
  }

  emit(event: LogEvent): void {
    if (event.level === 'debug' && !this.debugEnabled) return;
    const message = this.scrub(event.message);
    const sink = event.level === 'error' ? this.writeError : this.write;
    if (this.format === 'json') {
      const data = event.data ? JSON.parse(this.scrub(JSON.stringify(event.data))) : undefined;
      sink(JSON.stringify({ ts: this.now().toISOString(), level: event.level, name: event.name, msg: message, ...(data ? { data } : {}) }));
      return;
    }
    const time = this.now().toISOString().slice(11, 19);
    for (const line of message.split('\n')) sink(`${time}  ${line}`);
  }

  info(message: string, name = 'Info', data?: Record<string, unknown>): void {
    this.emit({ level: 'info', name, message, data });
  }
  debug(message: string, name = 'Debug', data?: Record<string, unknown>): void {
    this.emit({ level: 'debug', name, message, data });
  }
  warn(message: string, name = 'Warning', data?: Record<string, unknown>): void {
    this.emit({ level: 'warn', name, message: this.format === 'text' ? this.colors.yellow(message) : message, data });
  }
  error(message: string, name = 'Error', data?: Record<string, unknown>): void {
    this.emit({ level: 'error', name, message: this.format === 'text' ? this.colors.red(message) : message, data });
  }
  /** Raw output (ls, compile --inline results), not a log line. */
  out(text: string): void {
    this.write(this.scrub(text));
  }
}
