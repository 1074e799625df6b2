// dbt's log flags resolved as dbt 1.11's cli/flags.py and events/logging.py resolve them:
// --log-level (DBT_LOG_LEVEL) and --log-format (DBT_LOG_FORMAT) lead their file counterparts,
// --log-level-file and --log-format-file, which take the lead's value unless given themselves
// (`_override_if_set`); --debug makes both debug; the console's `default` format is plain text
// (`14:03:01  message`), dbt.log's is dbt's debug format (`14:03:01.123000 [info ] [Thread-1 (]:`).
// dbt_project.yml's `flags:` set what no flag or env var did.
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFormat = 'text' | 'json';
/** dbt's --log-level: the least severe lines printed; `none` prints none. */
export type LogLevelFlag = LogLevel | 'none';
/** Each level's rank: a line is written where its rank is at least the sink's minimum. */
export const SEVERITY: Record<LogLevelFlag, number> = { debug: 0, info: 1, warn: 2, error: 3, none: 4 };

/** dbt's line formats: `text` plain (`14:03:01  message`), `debug` with level and thread, `json` one event a line. */
export type LineFormat = 'text' | 'debug' | 'json';

/** The flags as given (or from their env vars); undefined where neither. */
export interface LogFlags {
  logFormat?: string;
  logFormatFile?: string;
  logLevel?: LogLevelFlag;
  logLevelFile?: LogLevelFlag;
  debug?: boolean;
}

export interface LogSettings {
  /** dbt's LOG_FORMAT / LOG_FORMAT_FILE / LOG_LEVEL / LOG_LEVEL_FILE flag values (what templates' `flags` show). */
  flags: { LOG_FORMAT: string; LOG_FORMAT_FILE: string; LOG_LEVEL: LogLevelFlag; LOG_LEVEL_FILE: LogLevelFlag };
  console: LineFormat;
  file: LineFormat;
  /** The least severe line dbt.log gets (`none`: no dbt.log). */
  fileLevel: LogLevelFlag;
  /** The least severe line printed (`none`: none). */
  consoleLevel: LogLevelFlag;
  /** Debug lines printed (--debug, or a debug level). */
  debug: boolean;
}

/** dbt's _line_format_from_str: `text`, `debug`, `json`; anything else (`default`) the logger's default. */
function lineFormat(value: string, fallback: LineFormat): LineFormat {
  return value === 'text' || value === 'debug' || value === 'json' ? value : fallback;
}

const LEVELS: readonly string[] = ['debug', 'info', 'warn', 'error', 'none'];
const FORMATS: readonly string[] = ['text', 'debug', 'json', 'default'];

/**
 * dbt_project.yml's `flags:` (log_format, log_format_file, log_level, log_level_file, debug) where
 * no flag or env var set them: dbt reads the project's flags before it sets up its loggers.
 */
function withProjectFlags(given: LogFlags, project: Record<string, unknown>): LogFlags {
  const pick = (key: string, choices: readonly string[]) => {
    const value = project[key];
    return typeof value === 'string' && choices.includes(value.toLowerCase()) ? value.toLowerCase() : undefined;
  };
  return {
    logFormat: given.logFormat ?? pick('log_format', FORMATS),
    logFormatFile: given.logFormatFile ?? pick('log_format_file', FORMATS),
    logLevel: given.logLevel ?? (pick('log_level', LEVELS) as LogLevelFlag | undefined),
    logLevelFile: given.logLevelFile ?? (pick('log_level_file', LEVELS) as LogLevelFlag | undefined),
    debug: given.debug ?? (typeof project.debug === 'boolean' ? project.debug : undefined),
  };
}

export function logSettings(flags: LogFlags, projectFlags?: Record<string, unknown>): LogSettings {
  const given = projectFlags ? withProjectFlags(flags, projectFlags) : flags;
  const LOG_FORMAT = given.logFormat ?? 'default';
  const LOG_FORMAT_FILE = given.logFormatFile ?? given.logFormat ?? 'debug';
  const LOG_LEVEL = given.logLevel ?? 'info';
  const LOG_LEVEL_FILE = given.logLevelFile ?? given.logLevel ?? 'debug';
  return {
    flags: { LOG_FORMAT, LOG_FORMAT_FILE, LOG_LEVEL, LOG_LEVEL_FILE },
    console: lineFormat(LOG_FORMAT, 'text'),
    file: lineFormat(LOG_FORMAT_FILE, 'debug'),
    fileLevel: given.debug && LOG_LEVEL_FILE !== 'none' ? 'debug' : LOG_LEVEL_FILE,
    // dbt's console logger: none at all with `none`, else debug with --debug.
    consoleLevel: LOG_LEVEL === 'none' || !given.debug ? LOG_LEVEL : 'debug',
    debug: (given.debug ?? false) || LOG_LEVEL === 'debug',
  };
}
