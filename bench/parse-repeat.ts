// Repeats the bench's warm-parse cycle (bench/run.ts) many times and counts the parses that were
// not partial: on a generated project (bench/generate-project.ts), after one whole parse, each
// round edits one model and runs `tsdbt parse`, then runs it again with nothing changed. The edits
// take turns: SQL text or a config() call appended (as bench/run.ts edits), the file touched, its
// same text written again, its text replaced by a rename. Each of those parses should be patched
// or replayed from the last one's index (parse-index.ts); one that loads the project instead is
// a fallback, and its `--debug` line "Unable to do partial parsing because ..." says why. After
// each parse the model's raw_code in manifest.json must be the file's text (else: stale). Prints
// each fallback with its reason, and the counts; then whether manifest.json, byte for byte but its
// metadata, is what a parse from partial_parse.bin alone and a whole parse write (exit 1 if not).
// Knobs: PARSE_REPEAT_MODELS (default 1000), PARSE_REPEAT_ROUNDS (default 50),
// PARSE_REPEAT_CLI (default bin/tsdbt.js, the bundled CLI users run).
import { spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, renameSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateProject } from './generate-project.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = process.env.PARSE_REPEAT_CLI ?? path.join(root, 'bin', 'tsdbt.js');
const models = Number(process.env.PARSE_REPEAT_MODELS ?? 1000);
const rounds = Number(process.env.PARSE_REPEAT_ROUNDS ?? 50);

interface Edit {
  name: string;
  apply(file: string, round: number): void;
}

/** The edits of the rounds, in turn: as bench/run.ts edits, and as editors, `touch` and checkouts do. */
const EDITS: Edit[] = [
  { name: 'SQL text appended', apply: (file, round) => appendFileSync(file, `-- edit ${round}\n`) },
  { name: 'config() appended', apply: (file, round) => appendFileSync(file, `{{ config(tags=['edit_${round}']) }}\n`) },
  { name: 'touched', apply: (file) => utimesSync(file, new Date(), new Date()) },
  { name: 'same text written again', apply: (file) => writeFileSync(file, readFileSync(file)) },
  { name: 'SQL text replaced by a rename', apply: (file, round) => (writeFileSync(`${file}.tmp`, `${readFileSync(file, 'utf8')}-- renamed ${round}\n`), renameSync(`${file}.tmp`, file)) },
];

/** A node's raw_code in target/manifest.json. */
function manifestRawCode(dir: string, id: string): string | undefined {
  const manifest = JSON.parse(readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8')) as { nodes: Record<string, { raw_code?: string }> };
  return manifest.nodes[id]?.raw_code;
}

interface Parse {
  seconds: number;
  /** The debug line that says why the parse was whole, or null when it was partial (patched or replayed). */
  fallback: string | null;
}

/** manifest.json's text after its metadata (the first member: what each invocation stamps). */
function manifestBody(dir: string): string {
  const text = readFileSync(path.join(dir, 'target', 'manifest.json'), 'utf8');
  return text.slice(text.indexOf('"nodes":'));
}

function parse(dir: string, ...args: string[]): Parse {
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [cli, 'parse', '--debug', '--project-dir', dir, '--profiles-dir', dir, ...args], { encoding: 'utf8', maxBuffer: 1 << 26 });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) throw new Error(`tsdbt parse exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  const out = run.stdout + run.stderr;
  const partial = /nothing changed since the last parse|is current \(files touched|only outside (its|their) Jinja tags|patched into manifest\.json/.test(out);
  const why = /Unable to do partial parsing because [^\n]*/.exec(out)?.[0] ?? 'no reason printed';
  return { seconds, fallback: partial ? null : why };
}

const dir = mkdtempSync(path.join(os.tmpdir(), `tsdbt-parse-repeat-${models}-`));
try {
  generateProject(dir, models);
  writeFileSync(path.join(dir, 'profiles.yml'), `bench:\n  target: dev\n  outputs:\n    dev:\n      type: pglite\n      path: ${path.join(dir, 'target', 'bench.pglite')}\n      schema: main\n`);
  parse(dir); // the whole parse the rounds start from
  const model = path.join(dir, 'models', 'layer_0', 'model_7.sql');
  const counts = { edit: 0, unchanged: 0 };
  const times: number[] = [];
  let stale = 0;
  for (let round = 1; round <= rounds; round++) {
    const kind = EDITS[(round - 1) % EDITS.length] as Edit;
    kind.apply(model, round);
    for (const after of ['edit', 'unchanged'] as const) {
      const p = parse(dir);
      times.push(p.seconds);
      const raw = manifestRawCode(dir, 'model.bench.model_7');
      if (raw !== readFileSync(model, 'utf8')) {
        stale++;
        console.log(`round ${round} (${kind.name}), ${after === 'edit' ? 'parse after the edit' : 'parse with nothing changed'}: STALE manifest.json`);
      }
      if (p.fallback === null) continue;
      counts[after]++;
      console.log(`round ${round} (${kind.name}), ${after === 'edit' ? 'parse after the edit' : 'parse with nothing changed'}: whole parse, ${p.seconds.toFixed(2)} s: ${p.fallback}`);
    }
  }
  times.sort((a, b) => a - b);
  console.log(`${models} models, ${rounds} rounds: ${counts.edit} of ${rounds} parses after an edit and ${counts.unchanged} of ${rounds} with nothing changed were whole parses, ${stale} left manifest.json stale (median ${times[Math.floor(times.length / 2)]?.toFixed(2)} s)`);
  // The patched manifest.json, byte for byte (its metadata aside), against the one a parse from
  // partial_parse.bin alone writes (the index removed: the patched cache read whole) and a whole parse's.
  const patched = manifestBody(dir);
  rmSync(path.join(dir, 'target', 'partial_parse.index.json'));
  parse(dir);
  const fromCache = manifestBody(dir);
  parse(dir, '--no-partial-parse');
  const whole = manifestBody(dir);
  console.log(`after the rounds, manifest.json ${patched === whole ? 'is' : 'is NOT'} the whole parse's, and ${fromCache === whole ? 'is' : 'is NOT'} when read from partial_parse.bin alone`);
  if (patched !== whole || fromCache !== whole) process.exitCode = 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
