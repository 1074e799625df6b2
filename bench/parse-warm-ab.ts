// A/B of two (or more) builds' warm `tsdbt parse` rows of issue 18's table (bench/run.ts), alternated:
// each build parses a copy of the generated project of its own once whole (unmeasured), then each
// round runs, build after build, `parse` with nothing changed, `parse` after appending SQL text to
// one model, and `parse` after appending a config() call to it (its Jinja), as bench/run.ts does.
// Records CPU time (user + system), wall time and peak RSS from /usr/bin/time; prints the medians,
// how many rounds each build was the fastest, and each run's figures. Checks after the last round
// that every build's manifest.json, its metadata aside, is the same. The folders are removed after.
// Run: node --import tsx bench/parse-warm-ab.ts <A's bin/tsdbt.js> <B's bin/tsdbt.js> ...
// (BENCH_AB_MODELS, default 10000; BENCH_AB_ROUNDS, default 7).
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateProject } from './generate-project.js';
import { median, timedNode, type Sample } from './ab-sample.js';

const clis = process.argv.slice(2).map((p) => path.resolve(p));
if (clis.length < 2) throw new Error('usage: bench/parse-warm-ab.ts <A bin/tsdbt.js> <B bin/tsdbt.js> ...');
const MODELS = Number(process.env.BENCH_AB_MODELS ?? 10000);
const ROUNDS = Number(process.env.BENCH_AB_ROUNDS ?? 7);

const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-warm-ab-'));
const parse = (cli: string, dir: string): Sample => {
  const { cpu, user, sys, wall, mb } = timedNode([cli, 'parse', '--project-dir', dir, '--profiles-dir', dir]);
  return { cpu, user, sys, wall, mb };
};
const CASES = [
  { name: 'nothing changed', edit: (_dir: string, _round: number) => {} },
  { name: "one model's SQL edited", edit: (dir: string, round: number) => appendFileSync(path.join(dir, 'models', 'layer_0', 'model_7.sql'), `-- edit ${round}\n`) },
  { name: "one model's Jinja edited", edit: (dir: string, round: number) => appendFileSync(path.join(dir, 'models', 'layer_0', 'model_7.sql'), `{{ config(tags=['edit_${round}']) }}\n`) },
];

const projects = clis.map((cli, i) => {
  const dir = path.join(root, `project-${i}`);
  generateProject(dir, MODELS);
  writeFileSync(path.join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target', 'bench.pglite')}\n      schema: main\n`);
  parse(cli, dir);
  parse(cli, dir); // code caches written
  return dir;
});

const samples = CASES.map(() => clis.map(() => [] as Sample[]));
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [c, kase] of CASES.entries()) {
      // Every other round the builds take turns in the other order.
      const order = round % 2 === 0 ? [...clis.keys()] : [...clis.keys()].reverse();
      for (const i of order) {
        kase.edit(projects[i] as string, round);
        samples[c]?.[i]?.push(parse(clis[i] as string, projects[i] as string));
      }
    }
    process.stderr.write('.');
  }
  const bodies = projects.map((dir) => {
    const text = readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8');
    return text.slice(text.indexOf('"nodes":'));
  });
  const loads = os.loadavg().map((l) => l.toFixed(1)).join(' ');
  console.log(`\ntsdbt warm parse A/B, ${MODELS} models, ${ROUNDS} alternating rounds (load average at the end ${loads}): medians, rounds won, then each run`);
  for (const [c, kase] of CASES.entries()) {
    console.log(` ${kase.name}`);
    const runs = samples[c] ?? [];
    for (const [i, cli] of clis.entries()) {
      const s = runs[i] ?? [];
      const won = (k: keyof Sample) => s.filter((x, r) => runs.every((o) => (o[r] as Sample)[k] >= x[k])).length;
      const f = (k: keyof Sample, d = 3) => s.map((x) => x[k].toFixed(d)).join(' ');
      const med = (k: keyof Sample) => median(s.map((x) => x[k]));
      console.log(`  ${String.fromCharCode(65 + i)} ${cli}\n    CPU ${med('cpu').toFixed(3)} s (won ${won('cpu')})  wall ${med('wall').toFixed(3)} s (won ${won('wall')})  peak ${med('mb').toFixed(0)} MB\n    CPU ${f('cpu')} | wall ${f('wall')} | MB ${f('mb', 0)}`);
    }
  }
  const same = bodies.every((b) => b === bodies[0]);
  console.log(`manifest.json after the rounds ${same ? 'is the same' : 'DIFFERS'} across the builds`);
  if (!same) process.exitCode = 1;
} finally {
  rmSync(root, { recursive: true, force: true });
}
