// CPU time of a benchmark's two sides, so that a run on a loaded machine still says where the time
// went: the CPU of a child process (user + system, from this process's reaped-children times in
// /proc/self/stat) and of the PostgreSQL backends it used (utime + stime from /proc/<pid>/stat: the
// server runs on this machine), found by their application_name. Null where /proc cannot tell (not
// Linux, a remote server).
import { spawn, type SpawnOptions } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import type pg from 'pg';

/** Clock ticks per second of /proc's times (USER_HZ: 100 on Linux). */
const TICKS = 100;

/** Fields of a /proc stat line after the command name (field 3 onwards), or null. */
function statFields(file: string): string[] | null {
  try {
    return readFileSync(file, 'utf8').replace(/^.*\) /s, '').split(' ');
  } catch {
    return null;
  }
}

/** CPU seconds of this process's reaped children so far (cutime + cstime), or null. */
export function childrenCpu(): number | null {
  const fields = statFields('/proc/self/stat');
  return fields ? (Number(fields[13]) + Number(fields[14])) / TICKS : null;
}

/** This process's CPU seconds so far (utime + stime of /proc/self/task/*): its main thread's, and its other threads' (V8's helpers: garbage collection, compilers; libuv's pool), or null. */
export function threadCpu(): { main: number; others: number } | null {
  let tasks: string[];
  try {
    tasks = readdirSync('/proc/self/task');
  } catch {
    return null;
  }
  const cpu = { main: 0, others: 0 };
  for (const task of tasks) {
    const fields = statFields(`/proc/self/task/${task}/stat`);
    if (fields) cpu[Number(task) === process.pid ? 'main' : 'others'] += (Number(fields[11]) + Number(fields[12])) / TICKS;
  }
  return cpu;
}

/** A backend's CPU seconds so far (utime + stime), or null when it is gone or elsewhere. */
export function backendCpu(pid: number): number | null {
  const fields = statFields(`/proc/${pid}/stat`);
  return fields ? (Number(fields[11]) + Number(fields[12])) / TICKS : null;
}

export interface MeasuredRun {
  status: number | null;
  stdout: string;
  stderr: string;
  /** Wall seconds from spawn to exit. */
  seconds: number;
  /** CPU seconds of the process (null: unknown). */
  cpu: number | null;
  /** CPU seconds of the server backends named `application` (null: none seen, or not on this machine). */
  serverCpu: number | null;
}

/**
 * Runs `command` to its end, watching the backends whose application_name is `application`:
 * pg_stat_activity is asked every 50 ms until they show up, their /proc times read every 10 ms (a
 * backend's last 10 ms before it closes may be missed).
 */
export async function runMeasured(command: string, args: string[], options: SpawnOptions, client: pg.Client, application: string): Promise<MeasuredRun> {
  const backends = new Map<number, number>();
  let running = true;
  const watch = async () => {
    let lastAsked = 0;
    while (running) {
      if (performance.now() - lastAsked >= 50) {
        lastAsked = performance.now();
        const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [application]);
        for (const { pid } of rows) if (!backends.has(pid)) backends.set(pid, 0);
      }
      for (const pid of backends.keys()) {
        const cpu = backendCpu(pid);
        if (cpu !== null) backends.set(pid, cpu);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const cpuBefore = childrenCpu();
  const started = performance.now();
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
  const watching = watch();
  let stdout = '';
  let stderr = '';
  child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const status = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve(code));
  });
  const seconds = (performance.now() - started) / 1000;
  running = false;
  await watching;
  const cpuAfter = childrenCpu();
  const server = [...backends.values()];
  return {
    status,
    stdout,
    stderr,
    seconds,
    cpu: cpuBefore === null || cpuAfter === null ? null : cpuAfter - cpuBefore,
    serverCpu: server.length === 0 || server.every((cpu) => cpu === 0) ? null : server.reduce((a, b) => a + b, 0),
  };
}
