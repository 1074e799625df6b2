// Issue 18's table in one place: each part of `npm run bench` records the rows it measured (one
// JSON line each, in target/bench-summary.jsonl) and the last part (bench/run.ts) prints them
// together with the ratio to each goal. `node --import tsx bench/summary.ts reset` starts a new
// table (the first step of `npm run bench`); `... print` prints it.
import { appendFileSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const FILE = process.env.BENCH_SUMMARY ?? path.join(root, 'target', 'bench-summary.jsonl');

/** One row of the table: what was measured, its value, and the goal it is held to. */
export interface SummaryRow {
  measure: string;
  /** The measured value as printed (e.g. `4.62 s, 417 MB`). */
  value: string;
  /** The goal as printed (e.g. `< 1.0 s, < 400 MB`). */
  goal: string;
  /** Measured / goal (for "at least" goals, goal / measured): <= 1 meets it. */
  ratio: number;
}

export function recordRow(row: SummaryRow): void {
  mkdirSync(path.dirname(FILE), { recursive: true });
  appendFileSync(FILE, `${JSON.stringify(row)}\n`);
}

function readRows(): SummaryRow[] {
  try {
    return readFileSync(FILE, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as SummaryRow);
  } catch {
    return [];
  }
}

export function printSummary(): void {
  const rows = readRows();
  if (rows.length === 0) return;
  console.log('\nissue 18 goals (ratio = measured / goal; at most 1.00 meets the goal)');
  const width = Math.max(...rows.map((r) => r.measure.length));
  const valueWidth = Math.max(...rows.map((r) => r.value.length));
  for (const r of rows) {
    const verdict = r.ratio <= 1 ? 'met' : 'not yet';
    console.log(`  ${r.measure.padEnd(width)}  ${r.value.padEnd(valueWidth)}  goal ${r.goal.padEnd(18)} ratio ${r.ratio.toFixed(2).padStart(6)}  ${verdict}`);
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const command = process.argv[2];
  if (command === 'reset') rmSync(FILE, { force: true });
  else if (command === 'print') printSummary();
  else console.log('usage: node --import tsx bench/summary.ts reset|print');
}
