// `tsdbt schedule` with a controllable clock (ticks arrive when the test says, at the times it
// says) and builds that wait at a gate the test opens: three ticks make three builds; ticks while
// a build runs skip; two scheduler processes on one PostgreSQL target never build at the same time
// (the run history says so), and SIGTERM releases the lock; /metrics parses as Prometheus text and
// /health reports the last run.
import { spawn } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { Kafka, logLevel } from 'kafkajs';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { scheduleCommand } from '../../src/app/schedule-command.js';
import { pgServer } from '../support/postgres-targets.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { manualClock, runQueue } from '../support/schedule-clock.js';
import { WAREHOUSES, warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const START = new Date('2026-01-01T00:00:00Z');

/**
 * A gate a build waits at until the test opens it: the model takes a transaction-level advisory
 * lock the test holds (`{{ var('gate') }}` is its key), so "a build still running" is a state the
 * test controls, not a matter of how long a sleep takes.
 */
async function closedGate() {
  const s = pgServer();
  const session = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
  await session.connect();
  const key = 1 + Math.floor(Math.random() * 2 ** 30);
  await session.query('select pg_advisory_lock($1)', [key]);
  let open = false;
  return {
    vars: `{gate: ${key}}`,
    async open() {
      if (open) return;
      open = true;
      await session.query('select pg_advisory_unlock($1)', [key]);
      await session.end();
    },
  };
}

const GATED_MODEL = "{{ config(materialized='table') }}\nselect 1 as id{% if var('gate', none) is not none %} from (select pg_advisory_xact_lock({{ var('gate') }})) as gate{% endif %}\n";

const invocation = (p: WarehouseProject, lines: string[], vars?: string) =>
  createInvocation({ projectDir: p.dir, vars, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });

const history = (p: WarehouseProject) =>
  p.sql(`select status, to_char(started_at, 'HH24:MI') as at, error, nodes_ok from ${p.schema}.tsdbt_runs order by started_at, status`);

describe.each(WAREHOUSES)('tsdbt schedule on %s', (kind) => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject(kind, { 'models/m.sql': 'select 1 as id\n', 'tests/m_has_rows.sql': "select 1 from {{ ref('m') }} having count(*) = 0\n" });
  });
  afterAll(() => p.cleanup());

  it('builds once per tick: three ticks, three builds, each in the history and under target/runs', async () => {
    const lines: string[] = [];
    const clock = manualClock(START);
    const runs = runQueue();
    const scheduler = scheduleCommand(invocation(p, lines), { clock, maxTicks: 3, onRunFinished: (r) => runs.push(r) });
    for (let i = 0; i < 3; i++) {
      await clock.tick();
      expect((await runs.next()).status, lines.join('\n')).toBe('success');
    }
    expect(await scheduler, lines.join('\n')).toBe(0);
    expect(await history(p)).toEqual([
      { status: 'success', at: '00:05', error: null, nodes_ok: 2 },
      { status: 'success', at: '00:10', error: null, nodes_ok: 2 },
      { status: 'success', at: '00:15', error: null, nodes_ok: 2 },
    ]);
    const folders = readdirSync(path.join(p.dir, 'target', 'runs'));
    expect(folders.sort()).toEqual(runs.all.map((r) => r.runId).sort());
    for (const run of folders) expect(existsSync(path.join(p.dir, 'target', 'runs', run, 'run_results.json'))).toBe(true);
  });
});

describe('a build still running on the PostgreSQL server', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', { 'models/gated.sql': GATED_MODEL });
  });
  afterAll(() => p.cleanup());

  it('makes the ticks that come while it runs skip, and records them', async () => {
    const lines: string[] = [];
    let started: () => void = () => undefined;
    const buildStarted = new Promise<void>((resolve) => (started = resolve));
    const write = (l: string) => {
      lines.push(l);
      if (/: started, building/.test(l)) started();
    };
    const gate = await closedGate();
    const clock = manualClock(START);
    const runs = runQueue();
    try {
      const inv = createInvocation({ projectDir: p.dir, vars: gate.vars, write, writeError: write, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
      const scheduler = scheduleCommand(inv, { clock, maxTicks: 4, cron: '*/5 * * * *', onRunFinished: (r) => runs.push(r) });
      // 00:05 starts the build (it holds the run lock, then waits at the gate); 00:10, 00:15 and
      // 00:20 find it running.
      await clock.tick();
      await buildStarted;
      for (let i = 0; i < 3; i++) await clock.tick();
      await gate.open();
      expect(await scheduler, lines.join('\n')).toBe(0);
    } finally {
      await gate.open();
    }
    expect(runs.all.map((r) => r.status)).toEqual(['success', 'skipped', 'skipped', 'skipped']);
    expect(await history(p), lines.join('\n')).toEqual([
      { status: 'success', at: '00:05', error: null, nodes_ok: 1 },
      { status: 'skipped', at: '00:10', error: 'the previous build was still running', nodes_ok: 0 },
      { status: 'skipped', at: '00:15', error: 'the previous build was still running', nodes_ok: 0 },
      { status: 'skipped', at: '00:20', error: 'the previous build was still running', nodes_ok: 0 },
    ]);
    expect(lines.join('\n')).toMatch(/Run [0-9a-f-]{36} \(tick at 2026-01-01T00:10:00.000Z\): skipped, the previous build \(run [0-9a-f-]{36}\) is still running/);
  });

  it('serves /metrics as Prometheus text and /health with the last run', async () => {
    const lines: string[] = [];
    const gate = await closedGate();
    const clock = manualClock(START);
    const runs = runQueue();
    const stop = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const scheduler = scheduleCommand(invocation(p, lines, gate.vars), { clock, port: 0, onListening: (n) => listening(n), signal: stop.signal, onRunFinished: (r) => runs.push(r) });
    let metrics: string;
    let health: Response;
    try {
      const port = await bound;
      await clock.tick(); // builds, waiting at the gate
      await clock.tick(); // skipped: the build still runs
      await gate.open();
      expect((await runs.next()).status).toBe('success');
      expect((await runs.next()).status).toBe('skipped');
      metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      health = await fetch(`http://127.0.0.1:${port}/health`);
    } finally {
      stop.abort();
      await gate.open();
    }
    expect(await scheduler, lines.join('\n')).toBe(0);
    // Every line is a comment or `name{labels} value`.
    for (const line of metrics.split('\n').filter(Boolean)) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|[a-zA-Z_:][\w:]*(\{[^}]*\})? -?(\d+(\.\d+)?(e[+-]?\d+)?|NaN|\+Inf|-Inf))$/);
    expect(metrics, metrics).toMatch(/^tsdbt_last_run_success 1$/m);
    expect(metrics).toMatch(/^tsdbt_node_duration_seconds\{node="model\.demo\.gated"\} \d+(\.\d+)?(e-\d+)?$/m);
    expect(metrics).toMatch(/^tsdbt_runs_total\{status="success"\} 1$/m);
    expect(metrics).toMatch(/^tsdbt_runs_total\{status="skipped"\} 1$/m);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok', last_run_status: 'success' });
  });
});

describe('two scheduler processes on one PostgreSQL target', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', { 'models/slow.sql': "{{ config(materialized='table') }}\n" + 'select pg_sleep(0.8)::text as slept, 1 as id\n' });
  });
  afterAll(() => p.cleanup());

  const cli = (...args: string[]) => cliArgs(['schedule', '--project-dir', p.dir, '--profiles-dir', p.dir, ...args]);

  it('never build at the same time, and SIGTERM releases the lock', async () => {
    let output = '';
    const children = [0, 1].map(() => {
      const child = spawn(process.execPath, cli('--cron', '* * * * * *'), { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      return child;
    });
    const exited = children.map((child) => new Promise<number | null>((resolve) => child.once('exit', resolve)));
    const runs = async () => (await p.sql(`select status, error, started_at, ended_at from ${p.schema}.tsdbt_runs where status <> 'running' order by started_at`).catch(() => [])) as { status: string; error: string | null; started_at: Date; ended_at: Date }[];
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const done = await runs();
      if (done.filter((r) => r.status === 'success').length >= 3 && done.some((r) => r.error === 'another scheduler holds the run lock')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    for (const child of children) child.kill('SIGTERM');
    expect(await Promise.all(exited), output).toEqual([0, 0]);
    const done = await runs();
    const builds = done.filter((r) => r.status === 'success' || r.status === 'cancelled');
    expect(builds.filter((r) => r.status === 'success').length, output).toBeGreaterThanOrEqual(3);
    expect(done.some((r) => r.status === 'skipped' && r.error === 'another scheduler holds the run lock'), output).toBe(true);
    // Every run's end was written before its lock went to the other scheduler, whose sweep of runs
    // still `running` would otherwise overwrite a just-finished run with `abandoned`.
    expect(done.filter((r) => r.status === 'abandoned' || r.status === 'running'), output).toEqual([]);
    for (let i = 1; i < builds.length; i++) {
      const previous = builds[i - 1] as { ended_at: Date };
      expect((builds[i] as { started_at: Date }).started_at.getTime(), 'builds overlap').toBeGreaterThanOrEqual(previous.ended_at.getTime());
    }
    // The lock went with the processes: a new scheduler builds at once.
    const once = await new Promise<number | null>((resolve) => spawn(process.execPath, cli('--once'), { cwd: REPO_ROOT, stdio: 'ignore' }).once('exit', resolve));
    expect(once).toBe(0);
    const [last] = await p.sql(`select status from ${p.schema}.tsdbt_runs where status <> 'running' order by ended_at desc limit 1`);
    expect(last).toEqual({ status: 'success' });
  }, 300_000);
});

describe('tsdbt schedule --with-loader', () => {
  const topic = `sched_${Date.now().toString(36)}`;
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      'models/counted.sql': "{{ config(materialized='table') }}\nselect count(*)::int as n from {{ source('raw', 'events') }}\n",
    });
    p.write(
      'models/sources.yml',
      `version: 2\nsources:\n  - name: raw\n    schema: ${p.schema}_raw\n    tables:\n      - name: events\n        meta: {kafka: {topic: ${topic}, key: event_id, batch_ms: 100}}\n        columns:\n          - {name: event_id, data_type: text}\n`,
    );
  });
  afterAll(() => p.cleanup());

  it('keeps the source loaded in the same process while the builds read it, with the loader in /metrics', async () => {
    const brokers = inject('kafkaBrokers');
    const kafka = new Kafka({ clientId: 'test-producer', brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const producer = kafka.producer();
    await producer.connect();
    await producer.send({ topic, messages: Array.from({ length: 300 }, (_v, i) => ({ key: `e${i}`, value: JSON.stringify({ event_id: `e${i}` }) })) });
    await producer.disconnect();
    const lines: string[] = [];
    const stop = new AbortController();
    const clock = manualClock(START);
    const runs = runQueue();
    let listening: (port: number) => void = () => undefined;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const scheduler = scheduleCommand(invocation(p, lines), { withLoader: true, brokers, clock, port: 0, onListening: (n) => listening(n), signal: stop.signal, onRunFinished: (r) => runs.push(r) });
    const counted = async () => Number((await p.sql(`select n from ${p.schema}.counted`).catch(() => [{ n: 0 }]))[0]?.n ?? 0);
    let metrics = '';
    try {
      const port = await bound;
      // The loader runs on its own: watch its gauges until it has loaded all 300 (bounded), then
      // one tick builds on what it loaded.
      const deadline = Date.now() + 60_000;
      while (Date.now() < deadline && !/^tsdbt_loader_lag_messages\{source="source\.demo\.raw\.events",partition="0"\} 0$/m.test(metrics)) {
        await new Promise((r) => setTimeout(r, 100));
        metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      }
      await clock.tick();
      expect((await runs.next()).status, lines.join('\n')).toBe('success');
    } finally {
      stop.abort();
    }
    expect(await scheduler, lines.join('\n')).toBe(0);
    expect(await counted(), lines.join('\n')).toBe(300);
    expect(metrics).toMatch(/^tsdbt_loader_rows_loaded\{source="source\.demo\.raw\.events"\} 300$/m);
    expect(metrics).toMatch(/^tsdbt_loader_lag_messages\{source="source\.demo\.raw\.events",partition="0"\} 0$/m);
    expect(await p.sql(`select count(*)::int as n from ${p.schema}_raw.events`)).toEqual([{ n: 300 }]);
  }, 300_000);
});

describe('per-run timeout and retries', () => {
  let p: WarehouseProject;
  beforeAll(async () => {
    p = warehouseProject('server', {
      // Fails with a serialization failure (SQLSTATE 40001, retriable) the first time only: the
      // sequence advances outside the transaction the failure rolls back.
      'models/flaky.sql':
        "{{ config(materialized='table', pre_hook=\"do $$ begin if nextval('\" ~ target.schema ~ \".flaky_attempts') = 1 then raise exception 'could not serialize access' using errcode = '40001'; end if; end $$\") }}\nselect 1 as id\n",
      // Waits at a gate the test never opens while the build runs: only the timeout can end it.
      'models/gated.sql': "{{ config(materialized='table', enabled=var('gate', none) is not none) }}\nselect 1 as id from (select pg_advisory_xact_lock({{ var('gate', 0) }})) as gate\n",
    });
    await p.sql(`create schema if not exists ${p.schema}; create sequence ${p.schema}.flaky_attempts`);
  });
  afterAll(() => p.cleanup());

  it('retries a build that failed with a retriable error, and succeeds', async () => {
    const lines: string[] = [];
    const code = await scheduleCommand(invocation(p, lines), { once: true, retries: 2 });
    expect(code, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/could not serialize access.*; retriable, retrying in 1\.0s \(attempt 2 of 3\)/s);
    const [row] = await p.sql(`select status, nodes_ok from ${p.schema}.tsdbt_runs`);
    expect(row).toEqual({ status: 'success', nodes_ok: 1 });
  });

  it('cancels a build over its timeout and records it', async () => {
    const lines: string[] = [];
    const gate = await closedGate();
    try {
      const inv = createInvocation({ projectDir: p.dir, vars: gate.vars, select: ['gated'], write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
      // Returns at all only if the timeout cancelled the statement waiting at the gate.
      const code = await scheduleCommand(inv, { once: true, timeoutSeconds: 1 });
      expect(code, lines.join('\n')).toBe(1);
    } finally {
      await gate.open();
    }
    expect(lines.join('\n')).toMatch(/over the 1s timeout, cancelling it/);
    const rows = await p.sql(`select status from ${p.schema}.tsdbt_runs order by started_at desc limit 1`);
    expect(rows).toEqual([{ status: 'timeout' }]);
    expect(await p.sql(`select count(*)::int as n from information_schema.tables where table_schema = '${p.schema}' and table_name = 'gated'`)).toEqual([{ n: 0 }]);
  });
});
