// A/B of two builds' `tsdbt run` on one project, alternated (issue 18's run row): each round runs
// build A then build B (a rebuild: the project's relations exist), each through a proxy that counts
// round trips (wire-split.ts), and records the process's CPU time (user + system, from this
// process's reaped-children times) and wall time. Prints the medians and each run's figures.
// Run: node --import tsx bench/run-ab.ts <project dir> <A's bin/tsdbt.js> <B's bin/tsdbt.js>
// (BENCH_AB_ROUNDS, default 5; BENCH_AB_BEFORE: a shell command run before each run, unmeasured,
// e.g. a psql dropping the schema for first builds). The project's profiles.yml is a JSON or YAML whose first profile's
// target output has host and port (the proxy's replace them in a copy of it, shared by every run).
// Each build runs on a copy of the project of its own: a build's parse cache is keyed on the build,
// so two builds alternating on one target/ would each parse from scratch every run; with their
// own copies the runs parse warm after the first.
import { execSync, spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { childrenCpu } from './process-cpu.js';
import { WireSplit } from './wire-split.js';

const [project, ...clis] = process.argv.slice(2).map((p) => path.resolve(p));
if (project === undefined || clis.length < 2) throw new Error('usage: bench/run-ab.ts <project dir> <A bin/tsdbt.js> <B bin/tsdbt.js>');
const projectDir: string = project;
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 5);
const profile = JSON.parse(readFileSync(path.join(projectDir, 'profiles.yml'), 'utf8')) as Record<string, { target: string; outputs: Record<string, Record<string, unknown>> }>;
const [name, entry] = Object.entries(profile)[0] as [string, { target: string; outputs: Record<string, Record<string, unknown>> }];
const output = entry.outputs[entry.target] as { host: string; port: number };
const split = new WireSplit({ host: output.host, port: output.port });
const port = await split.listen();
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-run-ab-'));
writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ [name]: { ...entry, outputs: { [entry.target]: { ...output, host: '127.0.0.1', port } } } }));

interface Sample {
  wall: number;
  cpu: number;
  trips: number;
  /** Milliseconds between a ReadyForQuery and the client's next message, per round trip (the server waiting on the client). */
  clientMs: number;
}

/** Each build's own copy of the project (see above), removed at the end. */
const copies = clis.map((_, i) => {
  const copy = path.join(dir, `project-${i}`);
  cpSync(projectDir, copy, { recursive: true });
  return copy;
});

async function runOnce(cli: string, project: string): Promise<Sample> {
  if (process.env.BENCH_AB_BEFORE) execSync(process.env.BENCH_AB_BEFORE, { stdio: 'ignore' });
  split.sessions.length = 0;
  const cpuBefore = childrenCpu() ?? NaN;
  const started = performance.now();
  const child = spawn(process.execPath, [cli, 'run', '--project-dir', project, '--profiles-dir', dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  child.stdout?.resume();
  const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
  if (status !== 0) throw new Error(`${cli} run exited ${status}`);
  const trips = split.sessions.reduce((n, s) => n + s.roundTrips, 0);
  return { wall: (performance.now() - started) / 1000, cpu: (childrenCpu() ?? NaN) - cpuBefore, trips, clientMs: split.sessions.reduce((n, s) => n + s.clientMs, 0) / trips };
}

const samples = clis.map(() => [] as Sample[]);
try {
  for (const [i, cli] of clis.entries()) await runOnce(cli, copies[i] as string); // warm: parsed with this profile
  for (let round = 0; round < ROUNDS; round++) for (const [i, cli] of clis.entries()) samples[i]?.push(await runOnce(cli, copies[i] as string));
} finally {
  await split.close();
  rmSync(dir, { recursive: true, force: true });
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const loads = os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`tsdbt run A/B, ${ROUNDS} alternating rounds (load average at the end ${loads}): medians, then each run`);
for (const [i, cli] of clis.entries()) {
  const s = samples[i] ?? [];
  console.log(`  ${String.fromCharCode(65 + i)} ${cli}\n    CPU ${median(s.map((x) => x.cpu)).toFixed(2)} s  wall ${median(s.map((x) => x.wall)).toFixed(2)} s  round trips ${median(s.map((x) => x.trips))}  client ${median(s.map((x) => x.clientMs)).toFixed(3)} ms a trip  | CPU ${s.map((x) => x.cpu.toFixed(2)).join(' ')} | wall ${s.map((x) => x.wall.toFixed(2)).join(' ')}`);
}
