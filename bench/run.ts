// `npm run bench`: parse+compile time and peak memory for generated projects of 1,000 and 10,000
// models (cold, then warm with nothing changed), each in a fresh child process so the numbers are
// independent. Prints ratios against the goal; never asserts (benchmarks are not tests).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const sizes = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);

interface Measure {
  parseSeconds: number;
  compileSeconds: number;
  peakRssMb: number;
  nodes: number;
}

function measure(dir: string): Measure {
  const out = spawnSync(process.execPath, ['--import', 'tsx', path.join(here, 'parse-compile.ts'), dir], { encoding: 'utf8', maxBuffer: 1 << 26 });
  if (out.status !== 0) throw new Error(`bench child failed: ${out.stderr}`);
  return JSON.parse(out.stdout.trim().split('\n').pop() as string) as Measure;
}

console.log('tsdbt parse+compile benchmark (each run in a fresh process)');
console.log('goal for 10,000 models: < 1 s cold, < 0.2 s when nothing changed, < 400 MB\n');
for (const n of sizes) {
  const dir = mkdtempSync(path.join(os.tmpdir(), `tsdbt-bench-${n}-`));
  generateProject(dir, n);
  const cold = measure(dir);
  const warm = measure(dir);
  const line = (label: string, m: Measure) =>
    `${String(n).padStart(6)} models  ${label.padEnd(5)}  parse ${m.parseSeconds.toFixed(3)}s  compile ${m.compileSeconds.toFixed(3)}s  total ${(m.parseSeconds + m.compileSeconds).toFixed(3)}s  peak RSS ${m.peakRssMb.toFixed(0)} MB  (${m.nodes} nodes)`;
  console.log(line('cold', cold));
  console.log(line('warm', warm));
  if (n === 10000) {
    console.log(`  ratio to goal: cold ${((cold.parseSeconds + cold.compileSeconds) / 1).toFixed(2)}x of 1 s, warm ${((warm.parseSeconds + warm.compileSeconds) / 0.2).toFixed(2)}x of 0.2 s, memory ${(cold.peakRssMb / 400).toFixed(2)}x of 400 MB`);
  }
  rmSync(dir, { recursive: true, force: true });
}
