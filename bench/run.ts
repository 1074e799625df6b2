// `npm run bench` (last part): issue 18's parse rows, each a fresh process of the built CLI
// (bin/tsdbt.js, the bundled dist/bundle/, as users run it) on generated projects (bench/generate-project.ts: refs to
// 1-3 parents, a config block, a macro call, an is_incremental() branch and two schema tests per
// model): cold `tsdbt parse` (no target/), `parse` with nothing changed, `parse` after editing one
// model, `tsdbt compile` of every node (target/compiled moved aside first, see compileAside) and
// again with nothing changed (no compiled file rewritten); wall time and peak memory (the child's maxRSS, printed
// by a preload on exit). Prints each against its goal, and (unless DATAFORM=0) Dataform's CLI
// compiling the same graph at 1,000 models (installed into a temporary folder, never a
// dependency). Exits 1 when the 10,000-model cold parse peaks above 600 MB (a guard, not the goal).
// Knobs: BENCH_SIZES (default 1000,10000), BENCH_RUNS (runs per measure, median; default 3).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.js';
import { dataformPeer } from './dataform-peer.js';
import { printSummary, recordRow } from './summary.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The command users run: bin/tsdbt.js, which runs the bundled CLI (dist/bundle/).
const cli = path.join(root, 'bin', 'tsdbt.js');
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const MEMORY_GUARD_MB = 600;
const PRELOAD = `data:text/javascript,process.on('exit',()=>process.stderr.write('\\nBENCH_MAXRSS '+process.resourceUsage().maxRSS+'\\n'))`;

interface Measure {
  seconds: number;
  peakMb: number;
}

function once(dir: string, args: string[], before?: () => void): Measure {
  before?.();
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ['--import', PRELOAD, cli, ...args, '--project-dir', dir, '--profiles-dir', dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`tsdbt ${args.join(' ')} exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  const rss = /BENCH_MAXRSS (\d+)/.exec(run.stderr);
  return { seconds, peakMb: rss ? Number(rss[1]) / 1024 : NaN };
}

/** The median run (by time) of RUNS, each after `before`. */
function median(dir: string, args: string[], before?: () => void): Measure {
  const runs = Array.from({ length: RUNS }, () => once(dir, args, before)).sort((a, b) => a.seconds - b.seconds);
  return runs[Math.floor(runs.length / 2)] as Measure;
}

/**
 * Moves `dir`'s target/compiled into `aside` (a folder of its own, removed once the size's measures
 * are done) instead of deleting it. On an ext4 without a journal (this machine's root), every file
 * created in the minutes after many were deleted makes the kernel's inode allocator look at each
 * recently freed inode of the folder's block group before it takes one (recently_deleted(), seen
 * in perf): after `rm -rf` of 30,000 compiled files, the next compile took 14-23 s of system time
 * for its 30,000 files instead of 1-2 s. That measures the deletion, not the compile; so the
 * folders are moved aside, and the measured projects removed only after the last measure.
 */
function compileAside(dir: string, aside: string): () => void {
  let moved = 0;
  return () => {
    try {
      renameSync(path.join(dir, 'target', 'compiled'), path.join(aside, String(++moved)));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  };
}

const rows: { label: string; m: Measure; goal?: { seconds?: number; mb?: number } }[] = [];
let guardFailed = false;
console.log(`\ntsdbt parse and compile (dist/, fresh process each, median of ${RUNS})`);
const leftovers: string[] = [];
try {
  for (const n of sizes) {
    const dir = mkdtempSync(path.join(os.tmpdir(), `tsdbt-bench-${n}-`));
    const aside = mkdtempSync(path.join(os.tmpdir(), `tsdbt-bench-${n}-compiled-`));
    try {
      generateProject(dir, n);
      writeFileSync(path.join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target', 'bench.pglite')}\n      schema: main\n`);
      const cold = median(dir, ['parse'], () => rmSync(path.join(dir, 'target'), { recursive: true, force: true }));
      once(dir, ['parse']); // the parse the next ones start from
      const unchanged = median(dir, ['parse']);
      let edits = 0;
      // An edit of the SQL text (outside the Jinja tags: patched in without a parse) and one of its
      // Jinja (a config() call: that file is parsed again).
      const edited = median(dir, ['parse'], () => appendFileSync(path.join(dir, 'models', 'layer_0', 'model_7.sql'), `-- edit ${++edits}\n`));
      once(dir, ['parse', '--no-partial-parse']);
      const jinjaEdited = median(dir, ['parse'], () => appendFileSync(path.join(dir, 'models', 'layer_0', 'model_7.sql'), `{{ config(tags=['edit_${++edits}']) }}\n`));
      const compile = median(dir, ['compile'], compileAside(dir, aside));
      // Again with nothing changed: the compiled files are all there and unchanged, none is rewritten.
      const compileAgain = median(dir, ['compile']);
      const big = n === 10000;
      rows.push(
        { label: `${n} models: cold parse`, m: cold, goal: big ? { seconds: 1, mb: 400 } : undefined },
        { label: `${n} models: parse, nothing changed`, m: unchanged, goal: big ? { seconds: 0.2 } : undefined },
        { label: `${n} models: parse after editing one model's SQL`, m: edited, goal: big ? { seconds: 0.3 } : undefined },
        { label: `${n} models: parse after editing one model's Jinja`, m: jinjaEdited, goal: big ? { seconds: 0.3 } : undefined },
        { label: `${n} models: compile of every node`, m: compile, goal: big ? { seconds: 2 } : undefined },
        { label: `${n} models: compile again, nothing changed`, m: compileAgain },
      );
      if (big && cold.peakMb > MEMORY_GUARD_MB) guardFailed = true;
      if (n === 1000 && process.env.DATAFORM !== '0') {
        const peer = dataformPeer(dir, n);
        if (peer.seconds !== null) console.log(`  peer: Dataform CLI ${peer.version} compiles the same ${n}-model graph in ${peer.seconds.toFixed(2)} s; tsdbt's cold parse ${cold.seconds.toFixed(2)} s = ${(peer.seconds / cold.seconds).toFixed(1)}x faster`);
        else console.log(`  peer: Dataform skipped (${peer.reason})`);
      }
    } finally {
      leftovers.push(dir, aside);
    }
  }
} finally {
  // Removed after every size's measures, not between them: see compileAside.
  for (const folder of leftovers) rmSync(folder, { recursive: true, force: true });
}
for (const { label, m, goal } of rows) {
  const ratios = [goal?.seconds ? `${(m.seconds / goal.seconds).toFixed(2)}x of the ${goal.seconds} s goal` : '', goal?.mb ? `${(m.peakMb / goal.mb).toFixed(2)}x of the ${goal.mb} MB goal` : ''].filter(Boolean).join(', ');
  console.log(`  ${label.padEnd(46)} ${m.seconds.toFixed(3).padStart(7)} s  ${m.peakMb.toFixed(0).padStart(5)} MB${ratios ? `  (${ratios})` : ''}`);
  if (goal) {
    const goalText = [goal.seconds ? `< ${goal.seconds} s` : '', goal.mb ? `< ${goal.mb} MB` : ''].filter(Boolean).join(', ');
    const ratio = Math.max(goal.seconds ? m.seconds / goal.seconds : 0, goal.mb ? m.peakMb / goal.mb : 0);
    recordRow({ measure: label, value: `${m.seconds.toFixed(3)} s, ${m.peakMb.toFixed(0)} MB`, goal: goalText, ratio });
  }
}
printSummary(); // the whole table of issue 18's goals, from every part of `npm run bench`
if (guardFailed) {
  console.log(`memory guard: the 10,000-model cold parse peaked above ${MEMORY_GUARD_MB} MB`);
  process.exit(1);
}
