// An in-process invocation on a test project, its output lines collected and no profiles.yml read
// from the machine (HOME is the project): what the in-process e2e helpers share.
import { createInvocation, type Invocation, type InvocationOptions } from '../../src/app/invocation.js';

export function testInvocation(dir: string, init: Partial<InvocationOptions> = {}): { inv: Invocation; lines: string[] } {
  const lines: string[] = [];
  const inv = createInvocation({
    projectDir: dir,
    write: (l) => lines.push(l),
    writeError: (l) => lines.push(l),
    env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir },
    ...init,
  });
  return { inv, lines };
}
