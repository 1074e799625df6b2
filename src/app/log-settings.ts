// dbt's log flags resolved as dbt 1.11's cli/flags.py and events/logging.py resolve them:
// --log-level (DBT_LOG_LEVEL) and --log-format (DBT_LOG_FORMAT) lead their file counterparts,
// --log-level-file and --log-format-file, which take the lead's value unless given themselves
// (`_override_if_set`); --debug makes both debug; the console's `default` format is plain text
// (`14:03:01  message`), dbt.log's is dbt's debug format (`14:03:01.123000 [info ] [Thread-1  ]:`).
import type { LogLevelFlag } from './logger.js';

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
}

/** dbt's _line_format_from_str: `text`, `debug`, `json`; anything else (`default`) the logger's default. */
function lineFormat(value: string, fallback: LineFormat): LineFormat {
  return value === 'text' || value === 'debug' || value === 'json' ? value : fallback;
}

export function logSettings(given: LogFlags): LogSettings {
  const LOG_FORMAT = given.logFormat ?? 'default';
  const LOG_FORMAT_FILE = given.logFormatFile ?? given.logFormat ?? 'debug';
  const LOG_LEVEL = given.logLevel ?? 'info';
  const LOG_LEVEL_FILE = given.logLevelFile ?? given.logLevel ?? 'debug';
  return {
    flags: { LOG_FORMAT, LOG_FORMAT_FILE, LOG_LEVEL, LOG_LEVEL_FILE },
    console: lineFormat(LOG_FORMAT, 'text'),
    file: lineFormat(LOG_FORMAT_FILE, 'debug'),
    fileLevel: given.debug && LOG_LEVEL_FILE !== 'none' ? 'debug' : LOG_LEVEL_FILE,
  };
}
