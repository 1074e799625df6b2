// A/B of two (or more) builds' `tsdbt compile` of every node on a generated project (issue 18's
// compile row), alternated: each round runs build A, then build B, ..., each a fresh process on a
// copy of the project of its own (a build's parse cache is keyed on the build), target/compiled moved
// aside before each run as bench/run.ts does (see its compileAside: deleting 30,000 files slows the
// next creations). Records CPU time (user + system), wall time and peak RSS from /usr/bin/time;
// prints the medians and each run's figures. The folders are removed after the last run.
// Run: node --import tsx bench/compile-ab.ts <A's bin/tsdbt.js> <B's bin/tsdbt.js> ...
// (BENCH_AB_MODELS, default 10000; BENCH_AB_ROUNDS, default 5; BENCH_AB_ARGS, extra compile flags;
// BENCH_AB_CLEAN=1: `tsdbt clean` before each compile instead, unmeasured, so each compile parses
// the project again and creates its files where 30,000 were just deleted, as a user's
// `tsdbt clean && tsdbt compile` does; BENCH_AB_CLEAN=parse: `tsdbt clean` and `tsdbt parse`
// before each compile, unmeasured, so the compile's own cost after a deletion is measured;
// BENCH_AB_CLEAN=none: target/compiled left in place, each compile the bench's "compile again with
// nothing changed").
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProject } from './generate-project.js';
import { median, timedNode, type Sample } from './ab-sample.js';

const clis = process.argv.slice(2).map((p) => path.resolve(p));
if (clis.length < 2) throw new Error('usage: bench/compile-ab.ts <A bin/tsdbt.js> <B bin/tsdbt.js> ...');
const MODELS = Number(process.env.BENCH_AB_MODELS ?? 10000);
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 5);
const extra = (process.env.BENCH_AB_ARGS ?? '').split(' ').filter(Boolean);
const CLEAN = process.env.BENCH_AB_CLEAN === '1' || process.env.BENCH_AB_CLEAN === 'parse';
const PARSE_AFTER_CLEAN = process.env.BENCH_AB_CLEAN === 'parse';
const KEEP_COMPILED = process.env.BENCH_AB_CLEAN === 'none';

const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-compile-ab-'));
const aside = path.join(root, 'aside');
mkdirSync(aside);
let moved = 0;

function tsdbt(cli: string, dir: string, args: string[]): Sample {
  const { cpu, user, sys, wall, mb } = timedNode([cli, ...args, '--project-dir', dir, '--profiles-dir', dir]);
  return { cpu, user, sys, wall, mb };
}

const projects = clis.map((cli, i) => {
  const dir = path.join(root, `project-${i}`);
  generateProject(dir, MODELS);
  writeFileSync(path.join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target', 'bench.pglite')}\n      schema: main\n`);
  tsdbt(cli, dir, ['parse']);
  return dir;
});

function compileOnce(i: number): Sample {
  const dir = projects[i] as string;
  if (CLEAN) {
    tsdbt(clis[i] as string, dir, ['clean']);
    if (PARSE_AFTER_CLEAN) tsdbt(clis[i] as string, dir, ['parse']);
    return tsdbt(clis[i] as string, dir, ['compile', ...extra]);
  }
  if (KEEP_COMPILED) return tsdbt(clis[i] as string, dir, ['compile', ...extra]);
  try {
    renameSync(path.join(dir, 'target', 'compiled'), path.join(aside, String(++moved)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  return tsdbt(clis[i] as string, dir, ['compile', ...extra]);
}

const samples = clis.map(() => [] as Sample[]);
try {
  for (let i = 0; i < clis.length; i++) compileOnce(i); // warm: code caches written
  for (let round = 0; round < ROUNDS; round++) {
    for (let i = 0; i < clis.length; i++) samples[i]?.push(compileOnce(i));
    process.stderr.write('.');
  }
  // Printed before the folders are removed (hundreds of thousands of files: minutes on a busy disk).
  const loads = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\ntsdbt compile A/B, ${MODELS} models, ${ROUNDS} alternating rounds (load average at the end ${loads}): medians, then each run`);
  for (const [i, cli] of clis.entries()) {
    const s = samples[i] ?? [];
    const f = (k: keyof Sample, d = 2) => s.map((x) => x[k].toFixed(d)).join(' ');
    console.log(`  ${String.fromCharCode(65 + i)} ${cli}\n    CPU ${median(s.map((x) => x.cpu)).toFixed(2)} s (user ${median(s.map((x) => x.user)).toFixed(2)}, sys ${median(s.map((x) => x.sys)).toFixed(2)})  wall ${median(s.map((x) => x.wall)).toFixed(2)} s  peak ${median(s.map((x) => x.mb)).toFixed(0)} MB\n    CPU ${f('cpu')} | user ${f('user')} | sys ${f('sys')} | wall ${f('wall')} | MB ${f('mb', 0)}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
