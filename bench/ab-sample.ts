// What bench/compile-ab.ts and bench/parse-ab.ts record of each run: a command under /usr/bin/time.
import { spawnSync } from 'node:child_process';

export interface Sample {
  cpu: number;
  user: number;
  sys: number;
  wall: number;
  mb: number;
}

/** Runs `node <args>` under /usr/bin/time: its CPU (user + system), wall time, peak RSS, and its stderr. */
export function timedNode(args: string[]): Sample & { stderr: string } {
  const run = spawnSync('/usr/bin/time', ['-f', 'TIME %U %S %e %M', process.execPath, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  const m = /TIME (\S+) (\S+) (\S+) (\d+)/.exec(run.stderr);
  if (!m) throw new Error(`no /usr/bin/time line in:\n${run.stderr}`);
  const [user, sys, wall, kb] = m.slice(1).map(Number) as [number, number, number, number];
  return { cpu: user + sys, user, sys, wall, mb: kb / 1024, stderr: run.stderr };
}

export const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
