// A command run in-process the way the CLI ends it: an error that escapes the command (a project
// error, or a tsdbt bug) is printed as the CLI prints it (reportFatal) and gives its exit code, so
// tests assert on what a user sees and on the exit code, without a child process per run.
import { reportFatal } from '../../src/cli/error-output.js';
import type { RunOutcome, WarehouseProject } from './warehouse-project.js';

export async function runAsCli(p: WarehouseProject, ...args: Parameters<WarehouseProject['run']>): Promise<RunOutcome> {
  try {
    return await p.run(...args);
  } catch (err) {
    const lines: string[] = [];
    const code = reportFatal(err, (line) => lines.push(line), 'text');
    return { code, output: lines.join('\n'), results: [] };
  }
}
