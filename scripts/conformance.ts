// Conformance harness: runs `tsdbt deps` and then `tsdbt build --full-refresh` (or the commands a
// package's upstream CI runs, one `--step` each) on any dbt project on disk against a fresh
// PostgreSQL schema (embedded PGlite by default, or a server with --server), then summarises the
// run_results.json of every step per resource type.
//
//   npm run conformance -- <dbt-project> [--server postgres://u:p@host:port/db] [--keep]
//                          [--threads n] [--json file] [--dist] [--step 'seed --full-refresh' ...]
//                          [-- <extra args for every step>]
//
// Writes nothing into the project except what tsdbt writes (target/, dbt_packages/, logs/); the
// profiles.yml lives in a temp folder. Exit code: 0 nothing failed, 1 something failed, 2 bad usage.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from 'commander';
import pg from 'pg';
import { projectFileFields, type ProjectFileFields } from './conformance-project.js';
import { formatSummary, summarise, type ConformanceSummary, type ManifestLike, type RunResultsLike } from './conformance-summary.js';
import { splitWords } from './split-words.js';

const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

class UsageError extends Error {}

interface Options {
  server?: string;
  keep?: boolean;
  threads?: string;
  json?: string;
  dist?: boolean;
  step?: string[];
  chdb?: boolean;
  schema?: string;
}

interface Target {
  output: Record<string, string | number>;
  describe: string;
  /** Throws a UsageError when the run cannot start (a named server schema that exists already). */
  check?: () => Promise<void>;
  /** Drops what the run created (server schemas); undefined for PGlite. */
  drop?: () => Promise<void>;
}

function parseArgs(argv: string[]): { projectDir: string; options: Options; buildArgs: string[] } {
  const program = new Command('conformance')
    .description('run tsdbt deps + build --full-refresh on a dbt project against a fresh schema and summarise the results')
    .argument('<project>', 'the dbt project folder (holding dbt_project.yml)')
    .argument('[build-args...]', 'after --: extra arguments for every step (e.g. --select, --vars)')
    .option('--server <url>', 'a PostgreSQL server, postgres://user:pass@host:port/db (default: TSDBT_CONFORMANCE_URL, else embedded PGlite)')
    .option('--chdb', 'build on embedded ClickHouse (chDB, `npm install chdb@3.4`) instead of PostgreSQL')
    .option('--schema <name>', "the server schema to build in (default conformance_<time>_<hex>), for a CI whose vars name its schema; it must not exist yet, and it is dropped afterwards unless --keep")
    .option('--keep', 'keep the schema (server) or the PGlite folder afterwards')
    .option('--threads <n>', 'threads in the generated profile (default 4)')
    .option('--json <file>', 'also write the summary as JSON')
    .option('--dist', 'run the built CLI (bin/tsdbt.js → the bundle in dist/bundle/) instead of src/ through tsx')
    .option('--step <command>', "a tsdbt command to run after deps, as upstream CI runs it (repeatable, in order; default 'build --full-refresh'), e.g. --step 'run-operation create_source_table' --step 'seed --full-refresh' --step run --step test", (value: string, previous: string[] = []) => [...previous, value])
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.replace(/^error: /, 'conformance: ')) });
  program.parse(argv);
  const [project, buildArgs = []] = program.processedArgs as [string, string[] | undefined];
  const options = program.opts<Options>();
  if (options.threads !== undefined && !/^[1-9]\d*$/.test(options.threads)) throw new UsageError(`--threads must be a positive whole number, got '${options.threads}'`);
  const projectDir = path.resolve(project);
  if (!existsSync(projectDir)) throw new UsageError(`no such folder: ${projectDir}`);
  if (!existsSync(path.join(projectDir, 'dbt_project.yml'))) throw new UsageError(`not a dbt project (no dbt_project.yml): ${projectDir}`);
  if (options.chdb && options.server) throw new UsageError('--chdb and --server exclude each other: pick one warehouse');
  if (options.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(options.schema)) throw new UsageError(`--schema must be a lower-case SQL name, got '${options.schema}'`);
  for (const step of options.step ?? []) {
    let words: string[];
    try {
      words = splitWords(step);
    } catch (err) {
      throw new UsageError(`--step: ${(err as Error).message}`);
    }
    if (words.length === 0) throw new UsageError('--step needs a tsdbt command, e.g. --step run');
  }
  return { projectDir, options, buildArgs };
}

function readProjectFile(projectDir: string): { profile: string; targetPath: string } {
  const file = path.join(projectDir, 'dbt_project.yml');
  let fields: ProjectFileFields;
  try {
    fields = projectFileFields(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`cannot read ${file}: ${(err as Error).message.split('\n')[0]}`);
  }
  const targetPath = process.env.DBT_TARGET_PATH ?? fields.targetPath ?? 'target';
  return { profile: fields.profile, targetPath: path.resolve(projectDir, targetPath) };
}

function pgliteTarget(tmp: string, threads: number): Target {
  const dbDir = path.join(tmp, 'db');
  return {
    output: { type: 'pglite', path: dbDir, schema: 'conformance', database: 'postgres', threads },
    describe: `PGlite at ${dbDir}, schema conformance`,
  };
}

function chdbTarget(tmp: string, threads: number): Target {
  const dbDir = path.join(tmp, 'chdb');
  return {
    output: { type: 'clickhouse', driver: 'chdb', path: dbDir, schema: 'conformance', threads },
    describe: `chDB at ${dbDir}, database conformance`,
  };
}

function serverTarget(url: string, threads: number, named?: string): Target {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new UsageError(`--server is not a URL: ${url}`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') throw new UsageError(`--server must be a postgres:// URL, got ${u.protocol}//…`);
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const schema = named ?? `conformance_${stamp}_${randomBytes(3).toString('hex')}`;
  const conn = {
    host: u.hostname || 'localhost',
    port: Number(u.port || 5432),
    user: decodeURIComponent(u.username) || os.userInfo().username,
    password: decodeURIComponent(u.password),
    dbname: decodeURIComponent(u.pathname.slice(1)) || 'postgres',
  };
  const connect = async (): Promise<pg.Client> => {
    const client = new pg.Client({ host: conn.host, port: conn.port, user: conn.user, password: conn.password, database: conn.dbname });
    await client.connect();
    return client;
  };
  return {
    output: { type: 'postgres', ...conn, schema, threads },
    // A named schema is dropped afterwards, so it must be ours: refuse one that is there already.
    check: async () => {
      if (named === undefined) return;
      const client = await connect();
      try {
        const found = await client.query(`select 1 from pg_namespace where nspname = $1`, [schema]);
        if (found.rows.length > 0) throw new UsageError(`--schema ${schema}: that schema exists already; drop it first or pick another name`);
      } finally {
        await client.end();
      }
    },
    describe: `PostgreSQL ${conn.user}@${conn.host}:${conn.port}/${conn.dbname}, schema ${schema}`,
    // The schema and any custom schemas built from it (`<schema>_<custom>`, dbt's generate_schema_name).
    drop: async () => {
      const client = await connect();
      try {
        const found = await client.query<{ nspname: string }>(`select nspname from pg_namespace where nspname = $1 or nspname like $2`, [schema, `${schema}\\_%`]);
        for (const { nspname } of found.rows) await client.query(`drop schema if exists "${nspname.replace(/"/g, '""')}" cascade`);
        console.log(`\ndropped schema${found.rows.length === 1 ? '' : 's'} ${found.rows.map((r) => r.nspname).join(', ') || '(none created)'}`);
      } finally {
        await client.end();
      }
    },
  };
}

/** Runs the CLI in the project folder, its output indented under ours; resolves with its exit code. */
function tsdbt(args: string[], projectDir: string, dist: boolean): Promise<number> {
  const entry = dist ? [path.join(REPO_ROOT, 'bin/tsdbt.js')] : ['--import', import.meta.resolve('tsx'), path.join(REPO_ROOT, 'src/cli/bin.ts')];
  console.log(`\n$ tsdbt ${args.join(' ')}`);
  // TSDBT_PROFILES_DIR / DBT_PROFILES_DIR would win over --profiles-dir.
  const { TSDBT_PROFILES_DIR: _t, DBT_PROFILES_DIR: _d, ...env } = process.env;
  if (process.stdout.isTTY) env.FORCE_COLOR ??= '1';
  const child = spawn(process.execPath, [...entry, ...args], { cwd: projectDir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const [stream, out] of [[child.stdout, process.stdout], [child.stderr, process.stderr]] as const) {
    createInterface({ input: stream, crlfDelay: Infinity }).on('line', (line) => out.write(`  │ ${line}\n`));
  }
  return new Promise((resolve) => {
    child.on('error', (err) => {
      console.error(`  cannot start tsdbt: ${err.message}`);
      resolve(127);
    });
    child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : 1)));
  });
}

function readJson<T>(file: string): T | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch {
    return undefined;
  }
}

async function main(): Promise<number> {
  const started = Date.now();
  const { projectDir, options, buildArgs } = parseArgs(process.argv);
  const { profile, targetPath } = readProjectFile(projectDir);
  const threads = Number(options.threads ?? 4);
  const serverUrl = options.chdb ? undefined : (options.server ?? process.env.TSDBT_CONFORMANCE_URL);

  if (options.schema !== undefined && !serverUrl) throw new UsageError('--schema names a server schema: give --server too');
  const server = serverUrl ? serverTarget(serverUrl, threads, options.schema) : undefined; // a bad URL stops us before mkdtemp
  await server?.check?.();
  const tmp = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-conformance-'));
  const target = server ?? (options.chdb ? chdbTarget(tmp, threads) : pgliteTarget(tmp, threads));
  // YAML is a superset of JSON.
  const profiles = { [profile]: { target: 'conformance', outputs: { conformance: target.output } } };
  writeFileSync(path.join(tmp, 'profiles.yml'), `${JSON.stringify(profiles, null, 2)}\n`, { mode: 0o600 });
  console.log(`conformance: ${projectDir}\n  profile ${profile} → ${target.describe}\n  profiles dir ${tmp}`);

  // Ctrl-C reaches the children too; stay alive long enough to clean up after them.
  let interrupted = false;
  process.on('SIGINT', () => {
    interrupted = true;
  });

  const common = ['--project-dir', projectDir, '--profiles-dir', tmp];
  const steps = (options.step ?? ['build --full-refresh']).map(splitWords);
  let depsCode = 0;
  let depsSeconds = 0;
  const ran: { command: string; exitCode: number; seconds: number }[] = [];
  const results: NonNullable<RunResultsLike['results']> = [];
  let summary: ConformanceSummary | undefined;
  try {
    const t = Date.now();
    depsCode = await tsdbt(['deps', ...common], projectDir, options.dist === true);
    depsSeconds = (Date.now() - t) / 1000;
    if (depsCode !== 0) console.log(`deps exited with code ${depsCode} (output above); going on anyway`);
    const resultsFile = path.join(targetPath, 'run_results.json');
    for (const [command = 'build', ...args] of steps) {
      if (interrupted) break;
      const stepStarted = Date.now();
      const previous = existsSync(resultsFile) ? statSync(resultsFile).mtimeMs : undefined;
      const exitCode = await tsdbt([command, ...args, ...common, ...buildArgs], projectDir, options.dist === true);
      ran.push({ command: [command, ...args].join(' '), exitCode, seconds: (Date.now() - stepStarted) / 1000 });
      // An unchanged run_results.json is a previous step's or run's.
      const fresh = existsSync(resultsFile) && statSync(resultsFile).mtimeMs !== previous;
      const stepResults = fresh ? readJson<RunResultsLike>(resultsFile) : undefined;
      if (stepResults) results.push(...(stepResults.results ?? []));
      else console.log(`${command} wrote no ${fresh ? 'readable ' : ''}${path.relative(projectDir, resultsFile)} (exit code ${exitCode})`);
    }
    console.log('');
    if (results.length > 0) {
      summary = summarise({ results }, readJson<ManifestLike>(path.join(targetPath, 'manifest.json')));
      console.log(formatSummary(summary));
    } else {
      console.log('no step wrote results: nothing to summarise');
    }
  } finally {
    if (options.keep) console.log(`\nkept: ${target.drop ? `schema ${String(target.output.schema)}` : `embedded database in ${tmp}`} (profiles.yml in ${tmp})`);
    else {
      await target.drop?.().catch((err: Error) => console.error(`could not drop the schema: ${err.message}`));
      rmSync(tmp, { recursive: true, force: true });
    }
  }

  const wallSeconds = (Date.now() - started) / 1000;
  const failedSteps = ran.filter((r) => r.exitCode !== 0);
  // A step that writes no results (debug) passes on its exit code alone.
  const ok = (summary === undefined || summary.ok) && failedSteps.length === 0 && ran.length === steps.length && !interrupted;
  for (const step of failedSteps) console.log(`\n\`${step.command}\` exited with code ${step.exitCode}`);
  const timings = [`deps ${depsSeconds.toFixed(1)}s`, ...ran.map((r) => `${r.command} ${r.seconds.toFixed(1)}s`)].join(', ');
  console.log(`\nwall time ${wallSeconds.toFixed(1)}s (${timings}) — ${ok ? 'OK' : 'FAILED'}`);
  if (options.json) {
    const report = { project: projectDir, target: target.describe, ok, depsExitCode: depsCode, steps: ran, wallSeconds, depsSeconds, ...summary };
    writeFileSync(path.resolve(options.json), `${JSON.stringify(report, null, 2)}\n`);
  }
  return interrupted ? 130 : ok ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof CommanderError) process.exitCode = err.exitCode === 0 ? 0 : 2; // commander printed its message (or the help)
    else if (err instanceof UsageError) {
      process.stderr.write(`conformance: ${err.message}\n`);
      process.exitCode = 2;
    } else {
      process.stderr.write(`conformance: ${(err as Error)?.stack ?? String(err)}\n`);
      process.exitCode = 1;
    }
  },
);
