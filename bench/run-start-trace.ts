// Where a run's start goes on the wire: spawns the built CLI's `tsdbt run` on a project through a
// proxy that stamps, from the spawn, the TCP connect, the login's end and each round trip's start
// and end until the first node's, then prints them (median of BENCH_TRACE_RUNS, default 5).
// Run: node --import tsx bench/run-start-trace.ts <project dir> (its profiles.yml's host and port
// are the server's; the proxy's port replaces them in a copy). BENCH_BUILD_CLI: another build's bin;
// several builds' bins after the project dir: each traced in turn, alternated (an A/B), medians of
// each, each build on a copy of the project of its own (a build's parse cache is keyed on the build:
// two builds alternating on one target/ would each parse from scratch every run).
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.resolve(process.argv[2] ?? '.');
const clis = process.argv.length > 3 ? process.argv.slice(3).map((p) => path.resolve(p)) : [process.env.BENCH_BUILD_CLI ?? path.join(root, 'bin', 'tsdbt.js')];
const RUNS = Number(process.env.BENCH_TRACE_RUNS ?? 5);
const TRIPS = Number(process.env.BENCH_TRACE_TRIPS ?? 4);

interface Trace {
  connect: number;
  login: number;
  trips: [number, number][];
  exit: number;
}

const profile = JSON.parse(readFileSync(path.join(project, 'profiles.yml'), 'utf8')) as Record<string, { target: string; outputs: Record<string, { host: string; port: number }> }>;
const [profileName, entry] = Object.entries(profile)[0] as [string, { target: string; outputs: Record<string, { host: string; port: number }> }];
const output = entry.outputs[entry.target] as { host: string; port: number };
let started = 0;
const at = () => performance.now() - started;
let trace: Trace = { connect: NaN, login: NaN, trips: [], exit: NaN };
// One proxy (one port) for every run: the profile stays the same, so the runs parse warm.
const proxy = net.createServer((client) => {
  const upstream = net.connect(output.port, output.host);
  client.on('error', () => upstream.destroy());
  upstream.on('error', () => client.destroy());
  client.on('close', () => upstream.end());
  if (!Number.isNaN(trace.connect)) return void client.pipe(upstream).pipe(client);
  const mine = trace;
  mine.connect = at();
  client.setNoDelay(true);
  upstream.setNoDelay(true);
  let loggedIn = false;
  let open: number | null = null;
  client.on('data', (chunk: Buffer) => {
    upstream.write(chunk);
    if (loggedIn && open === null && mine.trips.length < TRIPS) open = at();
  });
  upstream.on('data', (chunk: Buffer) => {
    client.write(chunk);
    // A ReadyForQuery ('Z', length 5, status) ends the login or a round trip (looked for at the chunk's end).
    if (chunk.length >= 6 && chunk[chunk.length - 6] === 0x5a && chunk.readInt32BE(chunk.length - 5) === 5) {
      if (!loggedIn) {
        loggedIn = true;
        mine.login = at();
      } else if (open !== null) {
        mine.trips.push([open, at()]);
        open = null;
      }
    }
  });
});
await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-trace-'));
const port = (proxy.address() as net.AddressInfo).port;
writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ [profileName]: { ...entry, outputs: { [entry.target]: { ...output, host: '127.0.0.1', port } } } }));

const projects = clis.map((_, i) => {
  if (clis.length === 1) return project;
  const copy = path.join(dir, `project-${i}`);
  cpSync(project, copy, { recursive: true });
  return copy;
});

async function traceOnce(cli: string, projectDir: string): Promise<Trace> {
  trace = { connect: NaN, login: NaN, trips: [], exit: NaN };
  started = performance.now();
  const child = spawn(process.execPath, [cli, 'run', '--project-dir', projectDir, '--profiles-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
  await new Promise((resolve) => child.once('close', resolve));
  trace.exit = at();
  return trace;
}

for (const [k, cli] of clis.entries()) await traceOnce(cli, projects[k] as string); // parses with this profile: the measured runs start warm
const traces = clis.map(() => [] as Trace[]);
for (let i = 0; i < RUNS; i++) for (const [k, cli] of clis.entries()) traces[k]?.push(await traceOnce(cli, projects[k] as string));
proxy.close();
rmSync(dir, { recursive: true, force: true });
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const ms = (v: number) => `${v.toFixed(1)}`.padStart(7);
for (const [k, cli] of clis.entries()) {
  const mine = traces[k] ?? [];
  if (clis.length > 1) console.log(cli);
  console.log(`run start, ms from spawn (median of ${RUNS}): connect ${ms(median(mine.map((t) => t.connect)))}  login done ${ms(median(mine.map((t) => t.login)))}  exit ${ms(median(mine.map((t) => t.exit)))}`);
  for (let i = 0; i < TRIPS; i++) {
    const trips = mine.map((t) => t.trips[i]).filter((t): t is [number, number] => t !== undefined);
    if (trips.length > 0) console.log(`  round trip ${i + 1}: sent ${ms(median(trips.map((t) => t[0])))}  back ${ms(median(trips.map((t) => t[1])))}`);
  }
}
