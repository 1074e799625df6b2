// Prints a failure the way a user should see it: user and database errors as `file:line: message`
// plus a hint, never a JavaScript stack; unexpected errors with their stack (they are our bugs).
import { EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { TsdbtError, TsdbtErrorList } from '../errors/tsdbt-error.js';

export function reportFatal(err: unknown, write: (line: string) => void, format: 'text' | 'json'): number {
  if (err instanceof TsdbtError) {
    const errors = err instanceof TsdbtErrorList ? err.errors : [err];
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
