// `npm run bench` (part 2): tsdbt's cost per node. A project of 300 trivial models (every third a
// table, the rest views, each reading the one before) is built with `tsdbt run` from the built CLI
// (a fresh process, as users run it: start-up, parse and connection included) on the PostgreSQL
// server, twice: the first build creates every relation, the rebuild replaces them (keeping the
// views on each replaced relation alive, which the reference does not do). The reference, measured
// in the same run: psql running the same DDL from a file in one session (`drop ... cascade` and
// `create`, each statement its own transaction), or, without psql, one plain `pg` session. Prints
// the medians of BENCH_BUILD_RUNS (default 3), their ratio and tsdbt's overhead per node; issue
// 18's goal is a ratio under 1.5 (under 2 ms per node). Each side's CPU time is printed too (the
// process's, and the server backend's where the server runs on this machine), with the load
// average: on a loaded machine the wall times say little, the CPU times still say where the time
// went. Server settings: TSDBT_PG_HOST/PORT/USER/PASSWORD/DBNAME (defaults: the test set-up's);
// BENCH_BUILD_MODELS changes the size, BENCH_BUILD_SCHEMA the schema (bench_build; its reference's is
// <schema>_ref), so that two benches on one server do not drop each other's; BENCH_BUILD_CLI another
// build's bin/tsdbt.js.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { benchServer as server } from './pg-server.js';
import { backendCpu, runMeasured } from './process-cpu.js';
import { recordRow } from './summary.js';
import { splitText, WireSplit } from './wire-split.js';

const MODELS = Number(process.env.BENCH_BUILD_MODELS ?? 300);
const RUNS = Number(process.env.BENCH_BUILD_RUNS ?? 3);
const SCHEMA = process.env.BENCH_BUILD_SCHEMA ?? 'bench_build';
const REFERENCE_SCHEMA = `${SCHEMA}_ref`;
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// The command users run: bin/tsdbt.js, which runs the bundled CLI (dist/bundle/); BENCH_BUILD_CLI
// runs another build's bin/tsdbt.js instead (an older checkout's, to compare two builds in turn).
const cli = process.env.BENCH_BUILD_CLI ?? path.join(root, 'bin', 'tsdbt.js');

/** application_name of each side's session, to find its server backend. */
const TSDBT_APPLICATION = `tsdbt-bench-build-${process.pid}`;
const REFERENCE_APPLICATION = `tsdbt-bench-build-ref-${process.pid}`;

/** One measured build: wall seconds, and CPU seconds of the client process and of its server backend (null: unknown). */
interface Sample {
  seconds: number;
  cpu: number | null;
  serverCpu: number | null;
}

const kindOf = (i: number) => (i % 3 === 0 ? 'table' : 'view');
const selectOf = (i: number, from: (j: number) => string) => (i === 0 ? 'select 1 as id, 2 as value' : `select id, value + 1 as value from ${from(i - 1)}`);

/** profiles.yml in `profilesDir`, for the server at `host`:`port` (the wire split's proxy in its own folder). */
function writeProfile(profilesDir: string, host: string, port: number): void {
  const output = { type: 'postgres', host, port, user: server.user, password: server.password, dbname: server.database, schema: SCHEMA, threads: 1, application_name: TSDBT_APPLICATION };
  writeFileSync(path.join(profilesDir, 'profiles.yml'), JSON.stringify({ bench: { target: 'b', outputs: { b: output } } }));
}

function writeProject(dir: string): void {
  mkdirSync(path.join(dir, 'models'));
  writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: bench_build\nprofile: bench\n');
  writeProfile(dir, server.host, server.port);
  for (let i = 0; i < MODELS; i++) {
    writeFileSync(path.join(dir, 'models', `m${i}.sql`), `{{ config(materialized='${kindOf(i)}') }}\n${selectOf(i, (j) => `{{ ref('m${j}') }}`)}\n`);
  }
}

/** The reference's DDL: every relation created (first build), or dropped and created (rebuild). */
function referenceStatements(replace: boolean): string[] {
  const name = (i: number) => `"${REFERENCE_SCHEMA}"."m${i}"`;
  const statements: string[] = [];
  for (let i = 0; i < MODELS; i++) {
    if (replace) statements.push(`drop ${kindOf(i)} if exists ${name(i)} cascade`);
    statements.push(`create ${kindOf(i)} ${name(i)} as (${selectOf(i, name)})`);
  }
  return statements;
}

async function tsdbtRun(dir: string, client: pg.Client, profilesDir = dir): Promise<Sample> {
  const run = await runMeasured(process.execPath, [cli, 'run', '--project-dir', dir, '--profiles-dir', profilesDir], {}, client, TSDBT_APPLICATION);
  if (run.status !== 0) throw new Error(`tsdbt run exited ${run.status}:\n${run.stdout}\n${run.stderr}`);
  return run;
}

const hasPsql = spawnSync('psql', ['--version'], { encoding: 'utf8' }).status === 0;

/** The same DDL from psql (a process and one session, as the issue measured it), or from one pg session. */
async function referenceRun(dir: string, client: pg.Client, replace: boolean, via: { host: string; port: number } = server): Promise<Sample> {
  const statements = referenceStatements(replace);
  if (hasPsql) {
    const file = path.join(dir, replace ? 'rebuild.sql' : 'first.sql');
    writeFileSync(file, statements.map((s) => `${s};`).join('\n'));
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-h', via.host, '-p', String(via.port), '-U', server.user, '-d', server.database, '-f', file];
    // Plain text on the wire, which the wire split reads (no effect on a local server without TLS).
    const env = { ...process.env, PGPASSWORD: server.password, PGAPPNAME: REFERENCE_APPLICATION, PGSSLMODE: 'disable', PGGSSENCMODE: 'disable' };
    const run = await runMeasured('psql', args, { env }, client, REFERENCE_APPLICATION);
    if (run.status !== 0) throw new Error(`psql exited ${run.status}: ${run.stderr}`);
    return run;
  }
  const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
  const backend = rows[0]?.pid ?? 0;
  const serverBefore = backendCpu(backend);
  const cpu = process.cpuUsage();
  const started = performance.now();
  for (const statement of statements) await client.query(statement);
  const used = process.cpuUsage(cpu);
  const serverAfter = backendCpu(backend);
  return { seconds: (performance.now() - started) / 1000, cpu: (used.user + used.system) / 1e6, serverCpu: serverBefore === null || serverAfter === null ? null : serverAfter - serverBefore };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
/** The median of the known values, as `1.23s`, or `?`. */
const medianText = (values: (number | null)[]) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length === 0 ? '?' : `${median(known).toFixed(2)}s`;
};
/** `(CPU 1.10s + server 0.40s)`: the medians of a side's CPU times. */
const cpuText = (samples: Sample[]) => `(CPU ${medianText(samples.map((s) => s.cpu))} + server ${medianText(samples.map((s) => s.serverCpu))})`;
const loadText = () => os.loadavg().map((l) => l.toFixed(1)).join(' ');

/**
 * One more build of each side, unmeasured, through a proxy that counts round trips and splits the
 * time between client and server (wire-split.ts): where tsdbt's overhead is, per node.
 */
async function printWireSplit(dir: string, client: pg.Client): Promise<void> {
  const split = new WireSplit(server);
  const port = await split.listen();
  const profilesDir = path.join(dir, 'wire-split');
  mkdirSync(profilesDir, { recursive: true });
  writeProfile(profilesDir, '127.0.0.1', port);
  const pass = async (run: () => Promise<Sample>) => {
    split.sessions.length = 0;
    const started = performance.now();
    await run();
    return splitText(split.sessions, MODELS, started);
  };
  try {
    await client.query(`drop schema if exists ${SCHEMA} cascade; drop schema if exists ${REFERENCE_SCHEMA} cascade; create schema ${REFERENCE_SCHEMA}`);
    const lines: [string, string][] = [];
    const via = { host: '127.0.0.1', port };
    lines.push([`first build ${referenceName}`, await pass(() => referenceRun(dir, client, false, via))]);
    // The proxy's profile (its port) is another connection, which a parse keys on: parsed once
    // before, unmeasured, so the split's first build starts warm as the measured runs do.
    const parsed = spawnSync(process.execPath, [cli, 'parse', '--project-dir', dir, '--profiles-dir', profilesDir], { encoding: 'utf8' });
    if (parsed.status !== 0) throw new Error(`tsdbt parse exited ${parsed.status}:\n${parsed.stdout}\n${parsed.stderr}`);
    lines.push(['first build tsdbt', await pass(() => tsdbtRun(dir, client, profilesDir))]);
    lines.push([`rebuild ${referenceName}`, await pass(() => referenceRun(dir, client, true, via))]);
    lines.push(['rebuild tsdbt', await pass(() => tsdbtRun(dir, client, profilesDir))]);
    console.log('  on the wire (one more build of each, through a counting proxy):');
    for (const [label, text] of lines) console.log(`    ${label.padEnd(22)} ${text}`);
  } finally {
    await split.close();
  }
}

const client = new pg.Client(server);
try {
  await client.connect();
} catch (err) {
  console.log(`\nbuild benchmark skipped: no PostgreSQL server at ${server.host}:${server.port} (${(err as Error).message}); start one (npm run test:all does) or set TSDBT_PG_*`);
  process.exit(0);
}
const referenceName = hasPsql ? 'psql' : 'one pg session';
console.log(`\ntsdbt build benchmark (PostgreSQL server): ${MODELS} trivial models, \`tsdbt run\` (built CLI, fresh process) against the same DDL from ${referenceName}, median of ${RUNS} (load average ${loadText()})`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bench-build-'));
try {
  writeProject(dir);
  const times = { first: { tsdbt: [] as Sample[], reference: [] as Sample[] }, rebuild: { tsdbt: [] as Sample[], reference: [] as Sample[] } };
  for (let run = 0; run < RUNS; run++) {
    await client.query(`drop schema if exists ${SCHEMA} cascade; drop schema if exists ${REFERENCE_SCHEMA} cascade; create schema ${REFERENCE_SCHEMA}`);
    times.first.reference.push(await referenceRun(dir, client, false));
    times.first.tsdbt.push(await tsdbtRun(dir, client));
    times.rebuild.reference.push(await referenceRun(dir, client, true));
    times.rebuild.tsdbt.push(await tsdbtRun(dir, client));
  }
  for (const [label, t] of [['first build', times.first], ['rebuild', times.rebuild]] as const) {
    const tsdbt = median(t.tsdbt.map((s) => s.seconds));
    const reference = median(t.reference.map((s) => s.seconds));
    const ratio = tsdbt / reference;
    const perNode = ((tsdbt - reference) / MODELS) * 1000;
    console.log(`  ${label.padEnd(11)}  tsdbt ${tsdbt.toFixed(2)}s ${cpuText(t.tsdbt)}  ${referenceName} ${reference.toFixed(2)}s ${cpuText(t.reference)}  ratio ${ratio.toFixed(2)}x  overhead ${perNode.toFixed(1)} ms per node (goal: < 1.5x, < 2 ms per node)`);
    recordRow({ measure: `tsdbt run, ${MODELS} trivial models (${label}) vs ${referenceName}`, value: `${tsdbt.toFixed(2)} s vs ${reference.toFixed(2)} s = ${ratio.toFixed(2)}x, ${perNode.toFixed(1)} ms/node`, goal: '< 1.5x', ratio: ratio / 1.5 });
  }
  await printWireSplit(dir, client);
  console.log(`  load average at the end: ${loadText()}`);
} finally {
  await client.query(`drop schema if exists ${SCHEMA} cascade; drop schema if exists ${REFERENCE_SCHEMA} cascade`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
}
