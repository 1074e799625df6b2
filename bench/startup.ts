// `npm run bench` (part 6): start-up. `tsdbt --version` and `tsdbt --help` from the built CLI
// (bin/tsdbt.js: the bundle in dist/bundle/), against `node -e 0` measured in the same run as the reference (Node's own start-up).
// Each is run BENCH_STARTUP_RUNS times (default 10); the median wall time is printed with the
// ratio and tsdbt's own cost (median minus Node's). Issue 18's goal: under 0.1 s on the 2-core machine.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { recordRow } from './summary.js';

const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 10);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The command users run: bin/tsdbt.js, which runs the bundled CLI (dist/bundle/).
const cli = path.join(root, 'bin', 'tsdbt.js');

function timeOnce(args: string[], env: NodeJS.ProcessEnv = process.env): number {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, args, { encoding: 'utf8', env });
  if (run.status !== 0) throw new Error(`node ${args.join(' ')} exited ${run.status}: ${run.stderr}`);
  return Number(process.hrtime.bigint() - started) / 1e9;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

// Rounds alternate the three commands, so a machine that slows down or speeds up during the
// measure moves Node's reference and tsdbt's times alike; tsdbt's own cost is the median of each
// round's difference from that round's `node -e 0`.
const flags = ['--version', '--help'];
const nodeTimes: number[] = [];
const flagTimes = flags.map(() => [] as number[]);
for (let i = 0; i < RUNS; i++) {
  nodeTimes.push(timeOnce(['-e', '0']));
  flags.forEach((flag, f) => flagTimes[f]!.push(timeOnce([cli, flag])));
}
const node = median(nodeTimes);
console.log(`start-up (median of ${RUNS}, the commands alternated): node -e 0 ${node.toFixed(3)} s`);
flags.forEach((flag, f) => {
  const times = flagTimes[f]!;
  const t = median(times);
  const own = median(times.map((time, i) => time - nodeTimes[i]!));
  console.log(`  tsdbt ${flag.padEnd(9)} ${t.toFixed(3)} s  = ${(t / node).toFixed(2)}x node's start-up, tsdbt's own ${(own * 1000).toFixed(0)} ms (goal: < 0.100 s)`);
  recordRow({ measure: `tsdbt ${flag}`, value: `${t.toFixed(3)} s (node -e 0: ${node.toFixed(3)} s)`, goal: '< 0.1 s', ratio: t / 0.1 });
});

// Node reads NODE_EXTRA_CA_CERTS's bundle at every start, before any of tsdbt's code runs (~40-60
// ms of CPU for the 220 KB system bundle on the bench machine, which sets it): the rows above keep
// the environment as it is; this line shows the same starts without it, for machines without it.
const extraCerts = process.env.NODE_EXTRA_CA_CERTS;
if (extraCerts) {
  const { NODE_EXTRA_CA_CERTS: _dropped, ...bare } = process.env;
  const bareNode: number[] = [];
  const bareVersion: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    bareNode.push(timeOnce(['-e', '0'], bare));
    bareVersion.push(timeOnce([cli, '--version'], bare));
  }
  console.log(`  without NODE_EXTRA_CA_CERTS (${extraCerts}, read by Node at every start): node -e 0 ${median(bareNode).toFixed(3)} s, tsdbt --version ${median(bareVersion).toFixed(3)} s`);
}
