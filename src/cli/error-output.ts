// Prints a failure the way a user should see it: user and database errors as `file:line: message`
// plus a hint, never a JavaScript stack; unexpected errors with their stack (they are our bugs).
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';

/** What to do, for errors raised without a hint of their own. */
const DEFAULT_HINTS: Record<string, string> = {
  'jinja-syntax': 'check the {% ... %} and {{ ... }} tags on and above this line (every block tag needs its end tag)',
  'jinja-render': 'check the names used on this line: variables come from the model context, macros, or --vars',
  'compiler-error': 'this error was raised by exceptions.raise_compiler_error in the project; read the message above',
};

function withDefaultHint(err: TsdbtError): TsdbtError {
  if (!err.hint && DEFAULT_HINTS[err.code]) err.hint = DEFAULT_HINTS[err.code];
  return err;
}

export function reportFatal(err: unknown, write: (line: string) => void, format: 'text' | 'json'): number {
  if (err instanceof TsdbtError) {
    const errors = (err instanceof TsdbtErrorList ? err.errors : [err]).map(withDefaultHint);
    if (format === 'json') {
      for (const e of errors) {
        write(JSON.stringify({ level: 'error', name: 'Error', code: e.code, msg: e.message, file: e.location?.file, line: e.location?.line, hint: e.hint, retriable: e.retriable }));
      }
    } else {
      const head = errors.length > 1 ? `Encountered ${errors.length} errors:` : 'Encountered an error:';
      write(head);
      for (const e of errors) write(e.format());
    }
    return EXIT_USAGE_OR_PROJECT_ERROR;
  }
  const e = err as Error;
  write(`internal error (a tsdbt bug, please report it): ${e?.stack ?? String(err)}`);
  return EXIT_USAGE_OR_PROJECT_ERROR;
}
