// `tsdbt schedule` hardening (issue 15), with clocks the test drives: no real waiting, no sleeps.
// A yearly cron sleeps until its tick (setTimeout overflows past 24.8 days); /health is ok for a
// standby that ticks and degraded for a scheduler that stopped ticking; the last run's gauges are
// absent before any build; one run id names a run in the history, the logs, /metrics,
// run_results.json and the model's `invocation_id`; a port in use is a user error.
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdapter } from '../../src/adapters/index.js';
import { createInvocation } from '../../src/app/invocation.js';
import { runLockName, scheduleCommand, timerClock } from '../../src/app/schedule-command.js';
import { profilesYaml, serverTarget } from '../support/postgres-targets.js';
import { runTsdbt } from '../support/run-cli.js';
import { fakeTimers, manualClock, runQueue } from '../support/schedule-clock.js';
import { removeDir, testdir } from '../support/testdir.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';
import { readJsonLog } from '../support/json-log.js';

const RUN_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const invocation = (p: WarehouseProject, lines: string[]) =>
  createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });

async function get(port: number, url: string): Promise<{ status: number; text: string }> {
  const response = await fetch(`http://127.0.0.1:${port}${url}`);
  return { status: response.status, text: await response.text() };
}

describe('a yearly cron on PGlite', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('pglite', { 'models/m.sql': 'select 1 as id\n' });
  });
  afterAll(() => p.cleanup());

  it('sleeps until 1 January and builds once then: no burst of ticks (setTimeout overflows past 24.8 days)', async () => {
    const lines: string[] = [];
    const fake = fakeTimers(new Date('2026-01-01T00:00:00Z'));
    const runs = runQueue();
    const stop = new AbortController();
    const scheduler = scheduleCommand(invocation(p, lines), { cron: '0 0 1 1 *', clock: timerClock(fake.timers), signal: stop.signal, onRunFinished: (r) => runs.push(r) });
    await fake.armed();
    // A day before the tick: the scheduler still sleeps (one timer pending), nothing ran.
    fake.advanceTo(new Date('2026-12-31T00:00:00Z'));
    expect(fake.pending(), lines.join('\n')).toBe(1);
    expect(runs.all).toEqual([]);
    fake.advanceTo(new Date('2027-01-01T00:00:00Z'));
    const run = await runs.next();
    await fake.armed();
    stop.abort();
    expect(await scheduler, lines.join('\n')).toBe(0);
    expect(run).toMatchObject({ status: 'success', startedAt: new Date('2027-01-01T00:00:00Z') });
    expect(runs.all).toHaveLength(1);
    expect(await p.sql(`select status, started_at from ${p.schema}.tsdbt_runs`)).toEqual([{ status: 'success', started_at: new Date('2027-01-01T00:00:00Z') }]);
  });
});

describe('health, metrics and run ids of a scheduler on the PostgreSQL server', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', { 'models/m.sql': "{{ config(materialized='table') }}\nselect '{{ invocation_id }}'::text as invocation_id\n" });
  });
  afterAll(() => p.cleanup());

  it('is ok as a standby that ticks, degraded when a tick is overdue; last-run gauges absent before a build; one run id everywhere', async () => {
    const lines: string[] = [];
    const clock = manualClock(new Date('2026-01-01T00:00:00Z'));
    const runs = runQueue();
    const stop = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const scheduler = scheduleCommand(invocation(p, lines), { clock, port: 0, onListening: (n) => listening(n), signal: stop.signal, onRunFinished: (r) => runs.push(r) });
    const port = await bound;
    const health = async () => {
      const { status, text } = await get(port, '/health');
      return { http: status, ...(JSON.parse(text) as Record<string, unknown>) };
    };
    const other = await createAdapter(serverTarget(p.schema), { projectDir: p.dir, targetDir: path.join(p.dir, 'target') });
    try {
      // Before any build: no last-run gauges (a 0 would read as a failed run), health ok.
      let metrics = (await get(port, '/metrics')).text;
      expect(metrics).not.toMatch(/^tsdbt_last_run_/m);
      expect(await health()).toMatchObject({ http: 200, status: 'ok', role: 'starting', last_run_status: null });

      // 00:05: it builds.
      await clock.tick();
      const built = await runs.next();
      expect(built.status).toBe('success');
      expect(built.runId).toMatch(RUN_ID);
      metrics = (await get(port, '/metrics')).text;
      expect(metrics).toMatch(/^tsdbt_last_run_success 1$/m);
      expect(metrics).toContain(`tsdbt_last_run_info{run_id="${built.runId}",status="success"} 1`);
      expect(await health()).toMatchObject({ http: 200, status: 'ok', role: 'active', last_run_id: built.runId, last_run_status: 'success' });
      // The run id is the history's run_id, the build's invocation_id (run_results.json, the
      // model's rows) and the folder under target/runs, and it names the run in the log lines.
      expect(await p.sql(`select run_id, status from ${p.schema}.tsdbt_runs`)).toEqual([{ run_id: built.runId, status: 'success' }]);
      expect(await p.sql(`select invocation_id from ${p.schema}.m`)).toEqual([{ invocation_id: built.runId }]);
      const runResults = JSON.parse(readFileSync(path.join(p.dir, 'target', 'runs', built.runId, 'run_results.json'), 'utf8')) as { metadata: { invocation_id: string } };
      expect(runResults.metadata.invocation_id).toBe(built.runId);
      expect(lines.join('\n')).toContain(`Run ${built.runId} (tick at 2026-01-01T00:05:00.000Z): started, building (all)`);
      expect(lines.join('\n')).toContain(`Run ${built.runId}: success (1 ok, 0 error, 0 skipped)`);

      // Another scheduler holds the run lock: 00:10 to 00:25 skip, and this one is a healthy standby
      // (20 minutes after its last build, four 5-minute ticks later).
      const lock = await other.acquireRunLock(runLockName('demo', { name: 'test', schema: p.schema }));
      expect(lock).not.toBeNull();
      for (let i = 0; i < 4; i++) {
        await clock.tick();
        expect(await runs.next()).toMatchObject({ status: 'skipped', error: 'another scheduler holds the run lock' });
      }
      expect(await health()).toMatchObject({ http: 200, status: 'ok', role: 'standby', reasons: [], last_tick_at: '2026-01-01T00:25:00.000Z', last_run_status: 'success', last_run_age_seconds: 1200 });
      metrics = (await get(port, '/metrics')).text;
      expect(metrics).toMatch(/^tsdbt_runs_total\{status="skipped"\} 4$/m);
      expect(metrics).toMatch(/^tsdbt_last_tick_timestamp_seconds 1767227100$/m);
      const skipped = await p.sql(`select run_id from ${p.schema}.tsdbt_runs where status = 'skipped'`);
      expect(skipped).toHaveLength(4);
      for (const row of skipped) expect(row.run_id).toMatch(RUN_ID);
      await lock?.release();

      // 00:30: it builds again; then time passes with no tick: at 00:41 the tick due at 00:35 is
      // overdue by more than a tick (00:40 came too), so it is degraded.
      await clock.tick();
      expect((await runs.next()).status).toBe('success');
      clock.set(new Date('2026-01-01T00:39:59Z'));
      expect(await health()).toMatchObject({ http: 200, status: 'ok' });
      clock.set(new Date('2026-01-01T00:41:00Z'));
      expect(await health()).toMatchObject({ http: 503, status: 'degraded', reasons: ['the tick due at 2026-01-01T00:35:00.000Z has not happened (the scheduler is stuck)'] });
    } finally {
      stop.abort();
      await other.close();
    }
    expect(await scheduler, lines.join('\n')).toBe(0);
  });
});

describe('a warehouse that refuses connections', () => {
  let dir: string;
  beforeAll(async () => {
    // A port nothing listens on any more: connections are refused at once.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const closed = (probe.address() as net.AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/m.sql': 'select 1 as id\n', 'profiles.yml': profilesYaml('demo', { ...serverTarget('s'), host: '127.0.0.1', port: closed }) });
  });
  afterAll(() => removeDir(dir));

  const inv = (lines: string[]) => createInvocation({ projectDir: dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });

  it('makes each tick a failed run (not a standby, not a crash): /health degraded, --once exits 2', async () => {
    const lines: string[] = [];
    const clock = manualClock(new Date('2026-01-01T00:00:00Z'));
    const runs = runQueue();
    const stop = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const scheduler = scheduleCommand(inv(lines), { clock, port: 0, onListening: (n) => listening(n), signal: stop.signal, onRunFinished: (r) => runs.push(r) });
    try {
      const port = await bound;
      await clock.tick();
      const run = await runs.next();
      expect(run).toMatchObject({ status: 'error', error: expect.stringMatching(/^could not take the run lock: /) as unknown });
      const { status, text } = await get(port, '/health');
      expect(status).toBe(503);
      expect(JSON.parse(text)).toMatchObject({ status: 'degraded', role: 'active', reasons: [`the last build (run ${run.runId}) ended error`] });
      expect((await get(port, '/metrics')).text).toMatch(/^tsdbt_last_run_success 0$/m);
    } finally {
      stop.abort();
    }
    expect(await scheduler, lines.join('\n')).toBe(0);
    expect(lines.join('\n')).toMatch(/Run [0-9a-f-]{36} \(tick at 2026-01-01T00:05:00.000Z\): error, could not take the run lock: /);

    const once: string[] = [];
    expect(await scheduleCommand(inv(once), { once: true }), once.join('\n')).toBe(2);
  });
});

describe('JSON logs of a scheduled run on the PostgreSQL server', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', { 'models/m.sql': 'select 1 as id\n' });
  });
  afterAll(() => p.cleanup());

  it("name the run by its run id: the scheduler's lines in run_id, the build's lines in invocation_id", async () => {
    const lines: string[] = [];
    const runs = runQueue();
    const inv = createInvocation({ projectDir: p.dir, logFormat: 'json', write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await scheduleCommand(inv, { once: true, onRunFinished: (r) => runs.push(r) }), lines.join('\n')).toBe(0);
    const { runId } = await runs.next();
    const events = lines.map(readJsonLog);
    const scheduler = events.filter((e) => e.name.startsWith('ScheduleRun'));
    expect(scheduler.map((e) => [e.name, e.data.run_id])).toEqual([
      ['ScheduleRunStarted', runId],
      ['ScheduleRunFinished', runId],
    ]);
    // The build's own lines (its progress and summary) carry the run id as their invocation_id.
    const build = events.filter((e) => e.invocation_id === runId);
    expect(build.length).toBeGreaterThan(2);
    expect(build.some((e) => /Completed successfully/.test(e.msg))).toBe(true);
    expect(events.filter((e) => !e.name.startsWith('Schedule') && e.invocation_id !== runId && e.invocation_id !== inv.invocationId)).toEqual([]);
  });
});

describe('a port already in use', () => {
  let dir: string;
  let occupied: net.Server;
  let port: number;
  beforeAll(async () => {
    dir = testdir({ 'dbt_project.yml': 'name: demo\nprofile: demo\n', 'models/m.sql': 'select 1 as id\n', 'target/index.html': '<html></html>\n' });
    occupied = net.createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => occupied.close(resolve));
    removeDir(dir);
  });

  const expectPortError = (result: { code: number | null; stdout: string; stderr: string }, serving: string) => {
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(2);
    expect(output).toContain(`cannot serve ${serving} on 127.0.0.1:${port}: port ${port} is already in use by another program (or another tsdbt)`);
    expect(output).toContain(`hint: stop the program listening on port ${port}`);
    expect(output).toContain('pick another port with --port <port> (--port 0 takes any free port and prints it)');
    expect(output).not.toMatch(/internal error|tsdbt bug|\n\s+at /);
  };

  it('tsdbt schedule --port: a user error naming the port, exit 2, nothing built', async () => {
    const result = await runTsdbt(['schedule', '--project-dir', dir, '--port', String(port), '--once'], { env: { HOME: dir }, timeoutMs: 60_000 });
    expectPortError(result, '/health and /metrics');
    expect(existsSync(path.join(dir, 'target', 'runs'))).toBe(false);
  });

  it('a port out of range is a user error too', async () => {
    const result = await runTsdbt(['schedule', '--project-dir', dir, '--port', '70000', '--once'], { env: { HOME: dir }, timeoutMs: 60_000 });
    const output = result.stdout + result.stderr;
    expect(result.code, output).toBe(2);
    expect(output).toContain('cannot serve /health and /metrics: --port 70000 is not a TCP port');
    expect(output).toContain('hint: give --port a port from 1 to 65535, or 0 for any free port');
    expect(output).not.toMatch(/internal error|tsdbt bug|\n\s+at /);
  });

  it('tsdbt docs serve --port: the same', async () => {
    const result = await runTsdbt(['docs', 'serve', '--project-dir', dir, '--port', String(port)], { env: { HOME: dir }, timeoutMs: 60_000 });
    expectPortError(result, 'the docs site');
  });
});
