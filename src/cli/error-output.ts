// Prints a failure the way a user should see it: `file:line: message`, the node and template call
// chain it came through, and a hint, each distinct error once; never a JavaScript stack, except
// for an internal failure (a tsdbt bug) under --debug.
import type { ErrorCode } from '../errors/codes.js';
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { jsonLogLine, metadataVars } from '../app/json-log-line.js';
import { TsdbtErrorList, asTsdbtError, formatErrors, formatLocation, javascriptStack, type TsdbtError } from '../errors/tsdbt-error.js';
import { dbtErrorHeader } from '../errors/dbt-error-types.js';

/**
 * An error as dbt's `str(exc)` gives it (MainEncounteredError's `exc`): the header of dbt's kind
 * of error (`Runtime Error`, `Compilation Error in model x (models/x.sql)`) and the message
 * indented below it; the bare message where dbt has no header.
 */
export function dbtExceptionText(e: TsdbtError): string {
  const header = dbtErrorHeader(e);
  if (header === null) return e.message;
  const node = e.node ? ` in ${e.node.resourceType} ${e.node.name} (${e.node.file})` : '';
  return `${header}${node}\n  ${e.message.split('\n').join('\n  ')}`;
}

/** What to do, for errors raised without a hint of their own. */
const DEFAULT_HINTS: Partial<Record<ErrorCode, string>> = {
  'jinja-syntax': 'check the {% ... %} and {{ ... }} tags on and above this line (every block tag needs its end tag)',
  'jinja-render': 'check the names used on this line: variables come from the model context, macros, or --vars',
  'compiler-error': 'this error was raised by exceptions.raise_compiler_error in the project; read the message above',
};

function withDefaultHint(err: TsdbtError): TsdbtError {
  if (!err.hint && DEFAULT_HINTS[err.code]) err.hint = DEFAULT_HINTS[err.code];
  return err;
}

export interface FatalOutputOptions {
  /** --debug: an internal failure is followed by its JavaScript stack. */
  debug?: boolean;
  /** The failed invocation's id, on its JSON lines. */
  invocationId?: string;
}

export function reportFatal(err: unknown, write: (line: string) => void, format: 'text' | 'json', options: FatalOutputOptions = {}): number {
  const error = asTsdbtError(err);
  const errors = (error instanceof TsdbtErrorList ? error.errors : [error]).map(withDefaultHint);
  const stacks = options.debug ? errors.filter((e) => e.category === 'internal').map((e) => javascriptStack(e)).filter((s): s is string => s !== undefined) : [];
  if (format === 'json') {
    // dbt's MainEncounteredError (its `exc`), with tsdbt's error code, place, hint and retriable flag.
    for (const e of errors) {
      const exc = dbtExceptionText(e);
      const info = { name: 'MainEncounteredError', level: 'error', msg: `Encountered an error:\n${exc}`, invocationId: options.invocationId, extra: metadataVars(process.env), thread: 'MainThread', ts: new Date(), pid: process.pid };
      write(
        jsonLogLine(info, {
          exc,
          code: e.code,
          file: e.location?.file,
          line: e.location?.line,
          node: e.node ? { resource_type: e.node.resourceType, name: e.node.name, file: e.node.file } : undefined,
          called_from: e.calledFrom.length ? e.calledFrom.map((l) => formatLocation(l)) : undefined,
          hint: e.hint,
          internal: e.category === 'internal' ? true : undefined,
          retriable: e.retriable,
          stack: options.debug && e.category === 'internal' ? javascriptStack(e) : undefined,
        }),
      );
    }
    return EXIT_USAGE_OR_PROJECT_ERROR;
  }
  const blocks = formatErrors(errors, { kind: true });
  // One line per distinct error: a macro failing the same way for 30 models is one error.
  write(blocks.length > 1 ? `Encountered ${blocks.length} errors:` : 'Encountered an error:');
  for (const block of blocks) write(block);
  for (const stack of stacks) write(stack);
  return EXIT_USAGE_OR_PROJECT_ERROR;
}

/** The invocation's logger, as far as writing its fatal error to dbt.log goes. */
interface FatalLog {
  logger: { emit(event: { level: 'error'; name: string; message: string; data: Record<string, unknown>; fileOnly: true }): void; flushFile(): void };
}

/**
 * dbt's MainEncounteredError in dbt.log too, as dbt logs every event to both: the command's fatal
 * error (each distinct one), printed on screen by reportFatal.
 */
export function logFatal(inv: FatalLog | undefined, err: unknown): void {
  if (!inv) return;
  const error = asTsdbtError(err);
  for (const e of error instanceof TsdbtErrorList ? error.errors : [error]) {
    const exc = dbtExceptionText(e);
    inv.logger.emit({ level: 'error', name: 'MainEncounteredError', message: `Encountered an error:\n${exc}`, data: { exc }, fileOnly: true });
  }
  inv.logger.flushFile();
}
