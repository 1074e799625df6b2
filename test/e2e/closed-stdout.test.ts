// `tsdbt ls | head -1`: the reader closes the pipe before tsdbt has written; tsdbt drops what is
// left to print and exits with the command's code, without Node's unhandled EPIPE error and stack.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliArgs } from '../support/run-cli.js';
import { removeDir, testdir } from '../support/testdir.js';

describe('stdout closed by its reader', () => {
  let dir: string;
  beforeAll(() => {
    dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/a.sql': 'select 1 as id', 'models/b.sql': "select * from {{ ref('a') }}" });
  });
  afterAll(() => removeDir(dir));

  it('ls ends with code 0 and no EPIPE report', async () => {
    const child = spawn(process.execPath, cliArgs(['ls', '--project-dir', dir]), { env: { ...process.env, NO_COLOR: '1', TSDBT_PROFILES_DIR: '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Closed before the child has started: its first write to stdout meets a closed pipe.
    child.stdout.destroy();
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(code).toBe(0);
  });
});
