// `tsdbt parse` or `tsdbt ls` (names) run in-process on a test project, with its output lines and
// exit code (a fatal error printed as the CLI prints it): the state: selection tests' one entry.
import { lsCommand } from '../../src/app/commands.js';
import { parseCommand } from '../../src/app/parse-command.js';
import type { InvocationOptions } from '../../src/app/invocation.js';
import { testInvocation } from './test-invocation.js';
import { reportFatal } from '../../src/cli/error-output.js';

export async function parseOrLs(dir: string, fn: 'parse' | 'ls', options: Partial<InvocationOptions> = {}): Promise<{ code: number; lines: string[] }> {
  const { inv, lines } = testInvocation(dir, options);
  try {
    const code = fn === 'parse' ? await parseCommand(inv) : await lsCommand(inv, 'name');
    return { code, lines };
  } catch (err) {
    return { code: reportFatal(err, (l) => lines.push(l), 'text'), lines };
  }
}
