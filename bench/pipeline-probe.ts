// What pipelining a run's nodes would buy (issue 18's build row), measured without tsdbt: one pg
// session sends the 300 nodes of bench/build.ts's project as tsdbt sends them (BEGIN, the CREATE
// and COMMIT in one simple-query message), after `BENCH_PROBE_WORK_MS` (default 1) of client CPU per
// node, the time tsdbt spends per node outside the server. Modes, alternating, each its median:
//   psql-like  the bare CREATEs one by one, no client work (the build bench's reference);
//   serial     tsdbt's messages one by one, the client's work before each (tsdbt today);
//   pipelined  each node's message sent once the one before it is sent, at most 2 on the wire: the
//              client's work for a node overlaps the server's for the one before. A node's message
//              starts with a guard that fails unless the message before it committed (its last
//              statement, after COMMIT, records that in a session setting), so a node whose
//              upstream failed does not run, as tsdbt skips it. (A failure inside BEGIN ... COMMIT
//              also leaves the session in an aborted transaction, so the messages already sent
//              after it fail with 25P02 until the client's ROLLBACK.)
// Run: node --import tsx bench/pipeline-probe.ts (BENCH_PROBE_ROUNDS, default 5; TSDBT_PG_* as bench/build.ts).
// BENCH_PROBE_FAIL_AT=<k> checks the guard instead: node k (a table: k a multiple of 3) fails, and
// the pipelined build must leave exactly the k relations before it (every later node is stopped).
import pg from 'pg';
import { benchServer as server } from './pg-server.js';

const NODES = 300;
const WORK_MS = Number(process.env.BENCH_PROBE_WORK_MS ?? 1);
const ROUNDS = Number(process.env.BENCH_PROBE_ROUNDS ?? 5);
const SCHEMA = process.env.BENCH_PROBE_SCHEMA ?? 'bench_pipeline_probe';

const kindOf = (i: number) => (i % 3 === 0 ? 'table' : 'view');
const name = (i: number) => `"${SCHEMA}"."m${i}"`;
const FAIL_AT = process.env.BENCH_PROBE_FAIL_AT === undefined ? -1 : Number(process.env.BENCH_PROBE_FAIL_AT);
const selectOf = (i: number) => (i === FAIL_AT ? 'select 1 / 0 as id' : i === 0 ? 'select 1 as id, 2 as value' : `select id, value + 1 as value from ${name(i - 1)}`);
const comment = (what: string) => `/* {"app": "tsdbt", "dbt_version": "1.10.23", "profile_name": "bench", "target_name": "b", ${what}} */`;
const bare = Array.from({ length: NODES }, (_, i) => `create ${kindOf(i)} ${name(i)} as (${selectOf(i)})`);
const asTsdbt = bare.map((create, i) => [`${comment('"connection_name": "master"')} begin`, `${comment(`"node_id": "model.bench_build.m${i}"`)} ${create}`, `${comment('"connection_name": "master"')} commit`].join(' ;\n'));

/** Busy for `ms` of CPU, as tsdbt's render, statements, results and log lines of a node are. */
function work(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end);
}

/** pg's protocol connection under a Client (not in pg's types): written to directly to pipeline. */
interface WireConnection {
  query(text: string): void;
  on(event: string, listener: (...args: unknown[]) => void): void;
  eventNames(): (string | symbol)[];
  listeners(event: string | symbol): ((...args: unknown[]) => void)[];
  removeAllListeners(event: string | symbol): void;
}

async function serial(client: pg.Client, messages: string[], workMs: number): Promise<void> {
  for (const message of messages) {
    work(workMs);
    await client.query(message);
  }
}

/** Sends the messages at most two on the wire, past pg's one-query-at-a-time queue (the Client is idle meanwhile). */
async function pipelined(client: pg.Client, workMs: number): Promise<void> {
  const wire = (client as unknown as { connection: WireConnection }).connection;
  const saved = new Map(wire.eventNames().filter((e) => !['error', 'end', 'close'].includes(String(e))).map((e) => [e, wire.listeners(e)]));
  for (const event of saved.keys()) wire.removeAllListeners(event);
  const ready: (() => void)[] = [];
  let errors = 0;
  wire.on('readyForQuery', () => ready.shift()?.());
  wire.on('errorMessage', () => errors++);
  try {
    const onWire: Promise<void>[] = [];
    for (let i = 0; i < NODES; i++) {
      work(workMs);
      const guard = i === 0 ? '' : `select 1 / (current_setting('tsdbt.committed', true) = '${i - 1}')::int ;\n`;
      const text = `${guard}${asTsdbt[i]} ;\nselect set_config('tsdbt.committed', '${i}', false)`;
      while (onWire.length >= 2) await onWire.shift();
      onWire.push(new Promise<void>((resolve) => ready.push(resolve)));
      wire.query(text);
    }
    await Promise.all(onWire);
  } finally {
    for (const event of ['readyForQuery', 'errorMessage']) wire.removeAllListeners(event);
    for (const [event, listeners] of saved) for (const listener of listeners) wire.on(String(event), listener);
  }
  if (errors > 0) throw new Error(`${errors} statements failed`);
}

const client = new pg.Client(server);
await client.connect();
if (FAIL_AT >= 0) {
  await client.query(`drop schema if exists "${SCHEMA}" cascade; create schema "${SCHEMA}"`);
  const failed = await pipelined(client, 0).then(() => 'no error', (err: Error) => err.message);
  // The failed node's BEGIN left the session in an aborted transaction (later messages fail with
  // 25P02 until a ROLLBACK): a run would roll back here, as tsdbt does after a failed trip.
  await client.query('rollback');
  const { rows } = await client.query<{ n: number }>(`select count(*)::int as n from pg_catalog.pg_class c join pg_catalog.pg_namespace s on s.oid = c.relnamespace where s.nspname = $1 and c.relkind in ('r', 'v')`, [SCHEMA]);
  console.log(`node ${FAIL_AT} failing: ${failed}; relations built: ${rows[0]?.n} (expected ${FAIL_AT})`);
  await client.query(`drop schema if exists "${SCHEMA}" cascade`);
  await client.end();
  process.exit(rows[0]?.n === FAIL_AT ? 0 : 1);
}
const modes: [string, () => Promise<void>][] = [
  ['psql-like', () => serial(client, bare, 0)],
  [`serial, ${WORK_MS} ms client work a node`, () => serial(client, asTsdbt, WORK_MS)],
  [`pipelined, ${WORK_MS} ms client work a node`, () => pipelined(client, WORK_MS)],
];
const times = new Map<string, number[]>();
try {
  for (let round = 0; round < ROUNDS; round++) {
    for (const [label, run] of modes) {
      await client.query(`drop schema if exists "${SCHEMA}" cascade; create schema "${SCHEMA}"`);
      const started = performance.now();
      await run();
      times.set(label, [...(times.get(label) ?? []), performance.now() - started]);
    }
  }
  console.log(`pipeline probe: ${NODES} nodes, median of ${ROUNDS} (wall ms)`);
  for (const [label, values] of times) console.log(`  ${label.padEnd(36)} ${[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]?.toFixed(0)}  (${values.map((v) => v.toFixed(0)).join(' ')})`);
} finally {
  await client.query(`drop schema if exists "${SCHEMA}" cascade`);
  await client.end();
}
