// What the server spends on what a `tsdbt run` sends, without the client beside it: runs the built
// CLI once through a proxy that keeps the text of every simple-query message its sessions send
// (no superuser needed, as `log_statement` would be), then sends those texts again, in order, on
// one session, BENCH_REPLAY_ROUNDS times (default 5), and prints the server backend's CPU time
// (/proc, the server on this machine) and the wall time of each replay, with their medians.
// BENCH_REPLAY_BEFORE: SQL run on that session before each replay, unmeasured (for first builds:
// `drop schema if exists <schema> cascade`); BENCH_REPLAY_SAVE: a file the captured texts are
// written to, one message after each `-- message N` line (to edit and compare with
// BENCH_REPLAY_FROM, which replays such a file instead of running the CLI).
// Run: node --import tsx bench/run-replay.ts <project dir> [bin/tsdbt.js] (its profiles.yml: JSON,
// as bench/run-ab.ts reads it).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { backendCpu } from './process-cpu.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const project = path.resolve(process.argv[2] ?? '.');
const cli = path.resolve(process.argv[3] ?? path.join(root, 'bin', 'tsdbt.js'));
const ROUNDS = Number(process.env.BENCH_REPLAY_ROUNDS ?? 5);
type Output = { host: string; port: number; user: string; password?: string; pass?: string; dbname?: string; database?: string };
const profile = JSON.parse(readFileSync(path.join(project, 'profiles.yml'), 'utf8')) as Record<string, { target: string; outputs: Record<string, Output> }>;
const [profileName, entry] = Object.entries(profile)[0] as [string, { target: string; outputs: Record<string, Output> }];
const output = entry.outputs[entry.target] as Output;

/** The simple-query texts a run of the CLI sends, in order, read at a proxy (plain-text sessions only). */
async function capture(): Promise<string[]> {
  const texts: string[] = [];
  const proxy = net.createServer((client) => {
    const upstream = net.connect(output.port, output.host);
    let pending: Buffer = Buffer.alloc(0);
    let started = false;
    client.on('data', (chunk: Buffer) => {
      upstream.write(chunk);
      pending = Buffer.concat([pending, chunk]);
      // Start-up packets (SSLRequest, StartupMessage) have no type byte; typed messages follow.
      while (!started && pending.length >= 8 && pending.length >= pending.readInt32BE(0)) {
        started = pending.readInt32BE(4) !== 80877103;
        pending = pending.subarray(pending.readInt32BE(0));
      }
      while (started && pending.length >= 5 && pending.length >= pending.readInt32BE(1) + 1) {
        const length = pending.readInt32BE(1);
        if (pending[0] === 0x51) texts.push(pending.subarray(5, length).toString('utf8')); // 'Q', its text ends with a NUL
        pending = pending.subarray(length + 1);
      }
    });
    upstream.on('data', (chunk: Buffer) => client.write(chunk));
    client.on('close', () => upstream.end());
    upstream.on('close', () => client.end());
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-replay-'));
  try {
    const port = (proxy.address() as net.AddressInfo).port;
    writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ [profileName]: { ...entry, outputs: { [entry.target]: { ...output, host: '127.0.0.1', port } } } }));
    // Not spawnSync: the proxy runs on this process's event loop.
    const child = spawn(process.execPath, [cli, 'run', '--project-dir', project, '--profiles-dir', dir], { stdio: ['ignore', 'ignore', 'inherit'] });
    const status = await new Promise<number | null>((resolve) => child.once('close', resolve));
    if (status !== 0) throw new Error(`tsdbt run exited ${status}`);
  } finally {
    proxy.close();
    rmSync(dir, { recursive: true, force: true });
  }
  return texts;
}

const SEPARATOR = /^-- message \d+\n/m;
const texts = process.env.BENCH_REPLAY_FROM ? readFileSync(process.env.BENCH_REPLAY_FROM, 'utf8').split(SEPARATOR).filter((t) => t.trim() !== '') : await capture();
if (process.env.BENCH_REPLAY_SAVE) writeFileSync(process.env.BENCH_REPLAY_SAVE, texts.map((t, i) => `-- message ${i + 1}\n${t}\n`).join(''));

const client = new pg.Client({ host: output.host, port: output.port, user: output.user, password: output.password ?? output.pass, database: output.dbname ?? output.database });
await client.connect();
const samples: { cpu: number; wall: number }[] = [];
try {
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const pid = rows[0]?.pid ?? 0;
  for (let round = 0; round < ROUNDS; round++) {
    if (process.env.BENCH_REPLAY_BEFORE) await client.query(process.env.BENCH_REPLAY_BEFORE);
    const cpuBefore = backendCpu(pid);
    const started = performance.now();
    for (const text of texts) await client.query(text);
    const wall = performance.now() - started;
    const cpuAfter = backendCpu(pid);
    samples.push({ cpu: cpuBefore === null || cpuAfter === null ? NaN : (cpuAfter - cpuBefore) * 1000, wall });
  }
} finally {
  await client.end();
}
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
const loads = os.loadavg().map((l) => l.toFixed(1)).join(' ');
console.log(`replay of ${texts.length} messages, ${ROUNDS} rounds (load average ${loads}): server CPU median ${median(samples.map((s) => s.cpu)).toFixed(0)} ms, wall ${median(samples.map((s) => s.wall)).toFixed(0)} ms`);
console.log(`  server CPU ${samples.map((s) => s.cpu.toFixed(0)).join(' ')} ms | wall ${samples.map((s) => s.wall.toFixed(0)).join(' ')} ms`);
