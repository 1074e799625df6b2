// Who a pid is: whether it is alive, when it started and what it runs, so a lock file naming a pid
// can tell its owner from a later process that was given the same pid. Linux reads /proc; other
// systems ask `ps`; where neither answers, the functions return null (unknown).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ps(pid: number, field: 'lstart' | 'command'): string | null {
  try {
    const run = spawnSync('ps', ['-o', `${field}=`, '-p', String(pid)], { encoding: 'utf8', timeout: 2000 });
    const out = run.status === 0 ? run.stdout.trim() : '';
    return out === '' ? null : out;
  } catch {
    return null;
  }
}

/**
 * When `pid` started, as an opaque text that differs between two processes given the same pid
 * (Linux: the `starttime` field of /proc/<pid>/stat, in clock ticks since boot); null if unknown.
 */
export function processStartTime(pid: number): string | null {
  if (process.platform === 'linux') {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): state is field 3,
      // starttime field 22.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[19] ?? null;
    } catch {
      return null;
    }
  }
  return process.platform === 'win32' ? null : ps(pid, 'lstart');
}

/** The command line `pid` runs (arguments joined by spaces); null if unknown. */
export function processCommand(pid: number): string | null {
  if (process.platform === 'linux') {
    try {
      const text = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).join(' ');
      return text === '' ? null : text;
    } catch {
      return null;
    }
  }
  return process.platform === 'win32' ? null : ps(pid, 'command');
}
