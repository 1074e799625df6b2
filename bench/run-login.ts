// How many of the main thread's turns a PostgreSQL login waits for while the thread works, as
// `tsdbt run` logs in while it loads the project (app/early-adapter.ts): pg's own SCRAM step (Web
// Crypto, seven awaited pool jobs) against tsdbt's (adapters/postgres/postgres-scram.ts, one turn).
// The main thread runs 10 ms chunks of work, handing the event loop a turn between them; the login's
// time and the chunks run meanwhile (a count that the machine's load changes little) are printed,
// medians of BENCH_LOGIN_RUNS alternated logins (default 7). Server: TSDBT_PG_* (bench/pg-server.ts).
// Run: node --import tsx bench/run-login.ts
import pg from 'pg';
import { benchServer } from './pg-server.js';
import { continueScram } from '../src/adapters/postgres/postgres-scram.js';

const RUNS = Number(process.env.BENCH_LOGIN_RUNS ?? 7);
const CHUNK_MS = 10;

type Handler = { _handleAuthSASLContinue(msg: { data: string }): unknown };

class TsdbtScram extends pg.Client {
  _handleAuthSASLContinue(msg: { data: string }): unknown {
    return continueScram(this as unknown as Parameters<typeof continueScram>[0], msg.data, () => (pg.Client.prototype as unknown as Handler)._handleAuthSASLContinue.call(this, msg));
  }
}

async function login(Client: typeof pg.Client): Promise<{ ms: number; chunks: number }> {
  let busy = true;
  let chunks = 0;
  const work = () => {
    const end = performance.now() + CHUNK_MS;
    while (performance.now() < end);
    chunks++;
    if (busy) setImmediate(work);
  };
  const started = performance.now();
  const client = new Client({ ...benchServer });
  const connected = client.connect();
  setImmediate(work);
  await connected;
  const ms = performance.now() - started;
  busy = false;
  await client.end();
  return { ms, chunks };
}

const sides = [
  ['pg (Web Crypto)', pg.Client],
  ['tsdbt (postgres-scram.ts)', TsdbtScram as typeof pg.Client],
] as const;
const samples = sides.map(() => [] as { ms: number; chunks: number }[]);
for (let run = 0; run < RUNS; run++) for (const [i, [, Client]] of sides.entries()) samples[i]?.push(await login(Client));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;
console.log(`PostgreSQL login while the main thread works in ${CHUNK_MS} ms chunks, median of ${RUNS}:`);
for (const [i, [label]] of sides.entries()) {
  const s = samples[i] ?? [];
  console.log(`  ${label.padEnd(26)} ${median(s.map((x) => x.ms)).toFixed(1)} ms, ${median(s.map((x) => x.chunks))} chunks meanwhile  | ${s.map((x) => `${x.ms.toFixed(0)}/${x.chunks}`).join(' ')}`);
}
