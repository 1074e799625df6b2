// Runs the tsdbt CLI in a child process, the way a user runs it: the CLI bundled from the current
// sources by the test set-up (test/setup/test-cli.ts), or the sources through tsx with
// TSDBT_TEST_CLI=sources. Tests assert on its exit code, its output and the data it leaves in the warehouse.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { inject } from 'vitest';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CLI_ENTRY = path.join(REPO_ROOT, 'src/cli/bin.ts');

/** Node's arguments that run `tsdbt <args>`: the test run's bundled CLI, or the sources through tsx. */
export function cliArgs(args: string[]): string[] {
  const bundled = inject('testCliDir');
  return bundled ? [path.join(bundled, 'bin.js'), ...args] : ['--import', 'tsx', CLI_ENTRY, ...args];
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Kill the process after this many ms (it then resolves with the signal). */
  timeoutMs?: number;
}

/** `tsdbt <args>`; resolves when the process exits (never rejects on a non-zero exit). */
export function runTsdbt(args: string[], options: CliOptions = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, cliArgs(args), {
      cwd: options.cwd ?? REPO_ROOT,
      env: { ...process.env, NO_COLOR: '1', TSDBT_PROFILES_DIR: '', ...options.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}
