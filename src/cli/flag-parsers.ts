// The parsers of flag values (FlagSpec.parse): each turns a flag's text into its value, or throws
// a usage error naming the flag (exit 2), which main.ts prints without a stack.
import { CommanderError } from 'commander';
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { parseUtcTimestamp } from '../time/utc-text.js';

/** Turns a flag's text into its value, or throws a usage error naming the flag (exit 2). */
export type FlagParser<T> = (value: string, flag: string) => T;

function usageError(code: string, message: string): CommanderError {
  return new CommanderError(EXIT_USAGE_OR_PROJECT_ERROR, code, message);
}

/** A whole number of at least 1 (--threads). */
export const positiveWholeNumber: FlagParser<number> = (value, flag) => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw usageError('tsdbt.threads', `${flag} must be a positive whole number, got '${value}'`);
  return n;
};

/** A whole number of at least `min`. */
export function wholeNumber(min: number): FlagParser<number> {
  return (value, flag) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw usageError('tsdbt.flag', `${flag} must be a whole number of at least ${min}, got '${value}'`);
    return n;
  };
}

/** Any whole number, negative too (show's --limit -1). */
export const integer: FlagParser<number> = (value, flag) => {
  const n = Number(value);
  if (!Number.isInteger(n)) throw usageError('tsdbt.flag', `${flag} must be a whole number, got '${value}'`);
  return n;
};

/** JavaScript's Number(): the command checks the value (produce-sample's --events, --rate, --seed). */
export const number: FlagParser<number> = (value) => Number(value);

/** Seconds a Node timer can wait: it holds at most 2^31-1 ms (about 24.8 days); a longer interval would fire every millisecond. */
export const timerSeconds: FlagParser<number> = (value, flag) => {
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds < 0 || seconds * 1000 > 2 ** 31 - 1) {
    throw usageError('tsdbt.progressInterval', `${flag} must be a number of seconds from 0 to 2147483, got '${value}'`);
  }
  return seconds;
};

/** A date or a timestamp, UTC unless it names its offset. */
export const timestamp: FlagParser<Date> = (value, flag) => {
  const date = parseUtcTimestamp(value);
  if (date === null) throw usageError('tsdbt.flag', `${flag} must be a date or timestamp, got '${value}'`);
  return date;
};

/**
 * dbt's check of the event-time window (cli/flags.py): `--event-time-start` and `--event-time-end`
 * come together, and the start is before the end; else a usage error (exit 2) in dbt's words.
 */
export function checkEventTimeWindow(start: Date | undefined, end: Date | undefined): void {
  if (start === undefined && end === undefined) return;
  if (start === undefined) {
    throw usageError('tsdbt.flag', 'The flag `--event-time-end` was specified, but `--event-time-start` was not. When specifying `--event-time-end`, `--event-time-start` must also be present.');
  }
  if (end === undefined) {
    throw usageError('tsdbt.flag', 'The flag `--event-time-start` was specified, but `--event-time-end` was not. When specifying `--event-time-start`, `--event-time-end` must also be present.');
  }
  if (start.getTime() >= end.getTime()) throw usageError('tsdbt.flag', 'Value for `--event-time-start` must be less than `--event-time-end`');
}

/**
 * dbt's `--project-dir` and `--profiles-dir` are click.Path(exists=True): a folder that does not
 * exist is a usage error in click's words (exit 2) before anything runs. dbt's debug, deps and init
 * take `--profiles-dir` with exists=False (debug reports the missing profiles.yml as a failed check).
 */
export function checkFlagPaths(command: string, dirs: { projectDir?: string; profilesDir?: string }, exists: (dir: string) => boolean): void {
  const given: [string, string | undefined][] = [['--project-dir', dirs.projectDir]];
  if (!['debug', 'deps', 'init'].includes(command)) given.push(['--profiles-dir', dirs.profilesDir]);
  for (const [flag, dir] of given) {
    if (dir !== undefined && !exists(dir)) throw usageError('tsdbt.flag', `Error: Invalid value for '${flag}': Path '${dir}' does not exist.`);
  }
}
