// The text a user reads for a failure: a TsdbtError as `file:line: message`, its hint, and the
// template lines that led to it (`called from models/x.sql:3`); anything else is a tsdbt bug and
// says so, with its JavaScript stack only under --debug.
import { TsdbtError } from '../errors/tsdbt-error.js';
import { describeTemplateError } from '../jinja/engine/index.js';

/** How an internal failure (a tsdbt bug, not the project's) is introduced. */
export const BUG_NOTICE = 'this is a tsdbt bug, not a problem in your project: please report it with the command you ran and the output of the same command with --debug';

export interface FailureTextOptions {
  /** --debug: internal failures show their JavaScript stack. */
  debug: boolean;
}

/** True when the failure is tsdbt's own (a JavaScript error, or a TsdbtError of category internal). */
export function isInternalFailure(err: unknown): boolean {
  return !(err instanceof TsdbtError) || err.category === 'internal';
}

/** The JavaScript error at the bottom of a failure (a TsdbtError wrapping it keeps it as `cause`). */
function javascriptError(err: unknown): Error | null {
  let current: unknown = err;
  for (let depth = 0; depth < 10 && current instanceof TsdbtError; depth++) current = current.cause;
  return current instanceof Error ? current : null;
}

export function describeFailure(err: unknown, options: FailureTextOptions): string {
  if (err instanceof TsdbtError && err.category !== 'internal') return describeTemplateError(err);
  const located = err instanceof TsdbtError ? describeTemplateError(err) : (err instanceof Error ? `${err.name}: ${err.message}` : String(err));
  const cause = javascriptError(err);
  const stack = options.debug && cause?.stack ? `\n${cause.stack}` : '';
  return `internal error: ${located}\n  ${BUG_NOTICE}${stack}`;
}
