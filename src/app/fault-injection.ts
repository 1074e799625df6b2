// TEST-ONLY fault injection, for the kill -9 suite (test/fault/): deterministic kill points.
//
// With TSDBT_TEST_KILL_AFTER_STATEMENT=<n> (a positive integer) in the environment, the process
// kills itself with SIGKILL right after the n-th warehouse statement of the adapter it opened has
// returned (counted in the order statements end; run with one thread for a repeatable order), as a
// power cut or the OOM killer would: no exit handler, no rollback, no lock file removed. A line on
// stderr first says where. Nothing sets this variable but that suite; any other value is ignored.
import { writeSync } from 'node:fs';
import type { StatementEvent } from '../adapters/adapter.js';

export const KILL_AFTER_STATEMENT_ENV = 'TSDBT_TEST_KILL_AFTER_STATEMENT';

/** The statement hook that kills the process after statement n, or null when the variable is not set. */
export function statementKiller(env: NodeJS.ProcessEnv): ((event: StatementEvent) => void) | null {
  const raw = env[KILL_AFTER_STATEMENT_ENV];
  if (raw === undefined || !/^[1-9]\d*$/.test(raw.trim())) return null;
  const n = Number(raw);
  let count = 0;
  return (event) => {
    if (++count !== n) return;
    const sql = event.sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\s+/g, ' ').trim().slice(0, 400);
    writeSync(2, `tsdbt test fault: SIGKILL after statement ${n} (${event.nodeId ?? 'connection'}${event.error ? ', failed' : ''}): ${sql}\n`);
    process.kill(process.pid, 'SIGKILL');
  };
}
