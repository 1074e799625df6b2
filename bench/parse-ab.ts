// A/B of two (or more) builds' cold `tsdbt parse` on a generated project (issue 18's cold parse
// row), alternated: each round runs build A, then build B, ..., each a fresh process on a copy of the
// project of its own with its target/ removed first (a build's parse cache is keyed on the build).
// Records CPU time (user + system), wall time and peak RSS from /usr/bin/time, and the main thread's
// CPU (its /proc/thread-self/schedstat at exit, through a preload); prints the medians and each
// run's figures. The folders are removed after the last run.
// Run: node --import tsx bench/parse-ab.ts <A's bin/tsdbt.js> <B's bin/tsdbt.js> ...
// (BENCH_AB_MODELS, default 10000; BENCH_AB_ROUNDS, default 5).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProject } from './generate-project.js';
import { median, timedNode, type Sample } from './ab-sample.js';

const clis = process.argv.slice(2).map((p) => path.resolve(p));
if (clis.length < 2) throw new Error('usage: bench/parse-ab.ts <A bin/tsdbt.js> <B bin/tsdbt.js> ...');
const MODELS = Number(process.env.BENCH_AB_MODELS ?? 10000);
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 5);
const PRELOAD = `data:text/javascript,import{readFileSync as r}from'node:fs';process.on('exit',()=>process.stderr.write('\\nBENCH_MAIN_NS '+r('/proc/thread-self/schedstat','utf8').split(' ')[0]+'\\n'))`;

interface ParseSample extends Sample {
  /** The main thread's CPU seconds. */
  main: number;
}

const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-ab-'));

function coldParse(cli: string, dir: string): ParseSample {
  rmSync(path.join(dir, 'target'), { recursive: true, force: true });
  const { stderr, ...sample } = timedNode(['--import', PRELOAD, cli, 'parse', '--project-dir', dir, '--profiles-dir', dir]);
  const mainNs = /BENCH_MAIN_NS (\d+)/.exec(stderr);
  return { ...sample, main: mainNs ? Number(mainNs[1]) / 1e9 : NaN };
}

const projects = clis.map((_cli, i) => {
  const dir = path.join(root, `project-${i}`);
  generateProject(dir, MODELS);
  writeFileSync(path.join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target', 'bench.pglite')}\n      schema: main\n`);
  return dir;
});

const samples = clis.map(() => [] as ParseSample[]);
try {
  for (let i = 0; i < clis.length; i++) coldParse(clis[i] as string, projects[i] as string); // warm: code caches written
  for (let round = 0; round < ROUNDS; round++) {
    // Every other round each build parses the other's copy (the copies' places on disk differ).
    const order = round % 2 === 0 ? projects : [...projects].reverse();
    for (let i = 0; i < clis.length; i++) samples[i]?.push(coldParse(clis[i] as string, order[i] as string));
    process.stderr.write('.');
  }
  const loads = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\ntsdbt cold parse A/B, ${MODELS} models, ${ROUNDS} alternating rounds (load average at the end ${loads}): medians, then each run`);
  for (const [i, cli] of clis.entries()) {
    const s = samples[i] ?? [];
    const f = (k: keyof ParseSample, d = 2) => s.map((x) => x[k].toFixed(d)).join(' ');
    const med = (k: keyof ParseSample) => median(s.map((x) => x[k]));
    console.log(`  ${String.fromCharCode(65 + i)} ${cli}\n    CPU ${med('cpu').toFixed(2)} s (user ${med('user').toFixed(2)}, sys ${med('sys').toFixed(2)}, main thread ${med('main').toFixed(2)})  wall ${med('wall').toFixed(2)} s  peak ${med('mb').toFixed(0)} MB\n    CPU ${f('cpu')} | main ${f('main')} | wall ${f('wall')} | MB ${f('mb', 0)}`);
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
