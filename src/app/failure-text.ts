// The text a user reads for a failure: `file:line: message`, the node and the template call chain
// it came through, and the hint (TsdbtError.format). Anything that is not a TsdbtError is a tsdbt
// bug and says so; its JavaScript stack is shown only with --debug.
import { asTsdbtError, javascriptStack } from '../errors/tsdbt-error.js';

export interface FailureTextOptions {
  /** --debug: internal failures show their JavaScript stack. */
  debug: boolean;
  /** Name the node it happened in (false where the node is named already, e.g. a node result). */
  node?: boolean;
}

export function describeFailure(err: unknown, options: FailureTextOptions): string {
  const error = asTsdbtError(err);
  const text = error.format({ node: options.node });
  const stack = options.debug && error.category === 'internal' ? javascriptStack(error) : undefined;
  return stack ? `${text}\n${stack}` : text;
}
