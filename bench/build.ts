// `npm run bench` (part 2): tsdbt's cost per node. A project of 300 trivial models (every third a
// table, the rest views, each reading the one before) is built twice with `tsdbt run` on the
// PostgreSQL server (the first build creates every relation, the second replaces them), and the
// same DDL is run by one plain `pg` session as the reference. Prints both times, their ratio and
// tsdbt's overhead per node. Server settings: TSDBT_PG_HOST/PORT/USER/PASSWORD/DBNAME (defaults:
// the test set-up's); BENCH_BUILD_MODELS changes the size.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { benchServer as server } from './pg-server.js';
import { runCommand } from '../src/app/commands.js';
import { createInvocation } from '../src/app/invocation.js';

const MODELS = Number(process.env.BENCH_BUILD_MODELS ?? 300);
const SCHEMA = 'bench_build';

const kindOf = (i: number) => (i % 3 === 0 ? 'table' : 'view');
const selectOf = (i: number, from: (j: number) => string) => (i === 0 ? 'select 1 as id, 2 as value' : `select id, value + 1 as value from ${from(i - 1)}`);

function writeProject(dir: string): void {
  mkdirSync(path.join(dir, 'models'));
  writeFileSync(path.join(dir, 'dbt_project.yml'), 'name: bench_build\nprofile: bench\n');
  const output = { type: 'postgres', host: server.host, port: server.port, user: server.user, password: server.password, dbname: server.database, schema: SCHEMA, threads: 1 };
  writeFileSync(path.join(dir, 'profiles.yml'), JSON.stringify({ bench: { target: 'b', outputs: { b: output } } }));
  for (let i = 0; i < MODELS; i++) {
    writeFileSync(path.join(dir, 'models', `m${i}.sql`), `{{ config(materialized='${kindOf(i)}') }}\n${selectOf(i, (j) => `{{ ref('m${j}') }}`)}\n`);
  }
}

async function tsdbtRun(dir: string): Promise<number> {
  const inv = createInvocation({ projectDir: dir, write: () => {}, writeError: (l) => process.stderr.write(`${l}\n`), env: { ...process.env, TSDBT_PROFILES_DIR: dir } });
  const started = performance.now();
  const code = await runCommand(inv, 'run');
  if (code !== 0) throw new Error(`tsdbt run failed with exit code ${code}`);
  return (performance.now() - started) / 1000;
}

/** The reference: the same relations built by one session, each statement sent on its own. */
async function plainRun(client: pg.Client, replace: boolean): Promise<number> {
  const started = performance.now();
  const name = (i: number) => `"${SCHEMA}_ref"."m${i}"`;
  for (let i = 0; i < MODELS; i++) {
    if (replace) await client.query(`drop ${kindOf(i)} if exists ${name(i)} cascade`);
    await client.query(`create ${kindOf(i)} ${name(i)} as (${selectOf(i, name)})`);
  }
  return (performance.now() - started) / 1000;
}

const client = new pg.Client(server);
try {
  await client.connect();
} catch (err) {
  console.log(`\nbuild benchmark skipped: no PostgreSQL server at ${server.host}:${server.port} (${(err as Error).message}); start one (npm run test:all does) or set TSDBT_PG_*`);
  process.exit(0);
}
console.log(`\ntsdbt build benchmark (PostgreSQL server): ${MODELS} trivial models, tsdbt run against the same DDL from one plain session`);
const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bench-build-'));
try {
  await client.query(`drop schema if exists ${SCHEMA} cascade; drop schema if exists ${SCHEMA}_ref cascade; create schema ${SCHEMA}_ref`);
  writeProject(dir);
  for (const [label, replace] of [['first build', false], ['rebuild', true]] as const) {
    const reference = await plainRun(client, replace);
    const tsdbt = await tsdbtRun(dir);
    const perNode = ((tsdbt - reference) / MODELS) * 1000;
    console.log(`  ${label.padEnd(11)}  tsdbt ${tsdbt.toFixed(2)}s  plain session ${reference.toFixed(2)}s  ratio ${(tsdbt / reference).toFixed(2)}x  overhead ${perNode.toFixed(1)} ms per node`);
  }
} finally {
  await client.query(`drop schema if exists ${SCHEMA} cascade; drop schema if exists ${SCHEMA}_ref cascade`);
  await client.end();
  rmSync(dir, { recursive: true, force: true });
}
