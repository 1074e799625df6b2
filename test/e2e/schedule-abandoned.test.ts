// A scheduler killed with kill -9 in the middle of a run never writes the run's end: its row in
// tsdbt_runs stays `running`. The next scheduler to take the run lock marks it `abandoned` (no
// scheduler can still be building it). Real processes, killed for real; the moment to kill is
// decided by the scheduler's own output (the run's `started` line, written once its `running` row
// is recorded), and its build is held at a gate the test controls until then, so it cannot finish
// first: an advisory lock on PostgreSQL, an HTTP source that does not answer on chDB.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pgServer } from '../support/postgres-targets.js';
import { cliArgs, REPO_ROOT } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

interface Scheduler {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `re` in the output; rejects if the process exits first. */
  waitFor(re: RegExp): Promise<RegExpMatchArray>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function startScheduler(dir: string, args: string[]): Scheduler {
  const child = spawn(process.execPath, cliArgs(['schedule', '--project-dir', dir, '--profiles-dir', dir, ...args]), {
    cwd: REPO_ROOT,
    env: { ...process.env, NO_COLOR: '1', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const onData = (d: Buffer) => {
    output += d.toString();
    for (const l of [...listeners]) l();
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    output: () => output,
    exited,
    waitFor: (re) =>
      new Promise((resolve, reject) => {
        const check = () => {
          const m = re.exec(output);
          if (!m) return;
          listeners.delete(check);
          resolve(m);
        };
        listeners.add(check);
        check();
        void exited.then(({ code, signal }) => {
          if (!listeners.has(check)) return;
          listeners.delete(check);
          reject(new Error(`the scheduler exited (${code ?? signal}) before printing ${re}:\n${output}`));
        });
      }),
  };
}

const STARTED = /Run ([0-9a-f-]{36}) \(tick at [^)]*\): started/;

interface Gate {
  /** The --vars that send the build through the gate. */
  vars: string;
  /** Resolves once the build waits at the gate. */
  reached(): Promise<void>;
  open(): Promise<void>;
}

/**
 * Kills a scheduler once its run is recorded `running` and its build waits at the gate, then starts
 * another and stops it after its first build. Returns both run ids and the second one's output.
 */
async function killMidRunThenRecover(p: WarehouseProject, gate: Gate, readRun?: (runId: string) => Promise<Record<string, unknown> | undefined>) {
  const first = startScheduler(p.dir, ['--once', '--vars', gate.vars]);
  let killedRun: string;
  let whileRunning: Record<string, unknown> | undefined;
  try {
    killedRun = (await first.waitFor(STARTED))[1] as string;
    await gate.reached();
    whileRunning = await readRun?.(killedRun);
    if (readRun) expect(whileRunning?.status, first.output()).toBe('running');
  } finally {
    first.child.kill('SIGKILL');
  }
  expect(await first.exited).toEqual({ code: null, signal: 'SIGKILL' });
  await gate.open();
  // Nothing changes it while no scheduler takes the lock.
  if (readRun) expect(await readRun(killedRun)).toEqual(whileRunning);
  const second = startScheduler(p.dir, ['--cron', '* * * * * *']);
  try {
    const finder = (await second.waitFor(STARTED))[1] as string;
    await second.waitFor(new RegExp(`Run ${finder}: (success|error)`));
    second.child.kill('SIGTERM');
    expect((await second.exited).code, second.output()).toBe(0);
    return { killedRun, finder, output: second.output(), whileRunning };
  } finally {
    second.child.kill('SIGKILL');
  }
}

const abandonedLine = (runId: string) => new RegExp(`Run ${runId} \\(started [^)]*\\) was still 'running' with no scheduler building it \\(its scheduler was killed or crashed\\): marked abandoned`);

describe('a scheduler killed with kill -9 mid-run, on the PostgreSQL server', () => {
  let p: WarehouseProject;
  beforeAll(() => {
    p = warehouseProject('server', {
      'models/gated.sql':
        "{{ config(materialized='table') }}\nselect 1 as id{% if var('gate', none) is not none %} from (select pg_advisory_xact_lock({{ var('gate') }})) as gate{% endif %}\n",
    });
  });
  afterAll(() => p.cleanup());

  it("leaves its run 'running'; the next scheduler to take the run lock marks it abandoned, then builds", async () => {
    const s = pgServer();
    const session = new pg.Client({ host: s.host, port: s.port, user: s.user, password: s.password, database: s.database });
    await session.connect();
    const key = 1 + Math.floor(Math.random() * 2 ** 30);
    await session.query('select pg_advisory_lock($1)', [key]);
    let opened = false;
    const gate: Gate = {
      vars: `{gate: ${key}}`,
      // The build's backend waits for the advisory lock the test holds (pg_locks shows it ungranted).
      async reached() {
        for (let i = 0; i < 600; i++) {
          const { rows } = await session.query<{ n: number }>("select count(*)::int as n from pg_locks where locktype = 'advisory' and not granted and classid = 0 and objid = $1", [key]);
          if (rows[0]?.n) return;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
        throw new Error('the build never reached the gate');
      },
      async open() {
        if (opened) return;
        opened = true;
        await session.query('select pg_advisory_unlock($1)', [key]);
        await session.end();
      },
    };
    try {
      const readRun = async (runId: string) => (await p.sql(`select status, started_at from ${p.schema}.tsdbt_runs where run_id = '${runId}'`))[0];
      const { killedRun, finder, output, whileRunning } = await killMidRunThenRecover(p, gate, readRun);
      const rows = await p.sql(`select run_id, status, started_at, ended_at, nodes_ok, error from ${p.schema}.tsdbt_runs where status <> 'skipped' order by started_at`);
      expect(rows, output).toEqual([
        { run_id: killedRun, status: 'abandoned', started_at: whileRunning?.started_at, ended_at: null, nodes_ok: 0, error: `its scheduler stopped without recording the end (killed, crashed or lost); found by run ${finder}, which took the run lock` },
        { run_id: finder, status: 'success', started_at: expect.any(Date) as unknown, ended_at: expect.any(Date) as unknown, nodes_ok: 1, error: null },
      ]);
      expect(output).toMatch(abandonedLine(killedRun));
      expect(await p.sql(`select id from ${p.schema}.gated`)).toEqual([{ id: 1 }]);
    } finally {
      await gate.open();
    }
  }, 300_000);
});

describe('a scheduler killed with kill -9 mid-run, on chDB', () => {
  let p: WarehouseProject;
  let gate: http.Server;
  let gateUrl: string;
  beforeAll(async () => {
    // An HTTP source that never answers while the gate is shut.
    gate = http.createServer(() => undefined);
    await new Promise<void>((resolve) => gate.listen(0, '127.0.0.1', resolve));
    gateUrl = `http://127.0.0.1:${(gate.address() as AddressInfo).port}/rows.csv`;
    p = warehouseProject('chdb', {
      'models/gated.sql': "{{ config(materialized='table') }}\nselect 1 as id{% if var('gate', none) is not none %} from url('{{ var('gate') }}', 'CSV', 'x String'){% endif %}\n",
    });
  });
  afterAll(async () => {
    gate.closeAllConnections();
    await new Promise((resolve) => gate.close(resolve));
    await p.cleanup();
  });

  it("leaves its run 'running'; the next scheduler marks it abandoned, then builds", async () => {
    // The test process opens chDB's data directory only once both schedulers are gone (one process
    // at a time): the 'running' row is known from the first scheduler's `started` line.
    const gateEntered = new Promise<void>((resolve) => gate.once('request', () => resolve()));
    const before = Date.now();
    let killedAt = 0;
    const reached = async () => {
      await gateEntered;
      killedAt = Date.now();
    };
    const { killedRun, finder, output } = await killMidRunThenRecover(p, { vars: `{gate: '${gateUrl}'}`, reached, open: () => Promise.resolve(gate.closeAllConnections()) });
    const rows = await p.sql(`select run_id, status, toString(started_at) as started_at, ended_at, nodes_ok, error from \`${p.schema}\`.tsdbt_runs final where status <> 'skipped' order by started_at`);
    // Its start is kept: the time it was recorded at, within the first scheduler's lifetime.
    const started = Date.parse(`${String(rows[0]?.started_at).replace(' ', 'T')}Z`);
    expect(started).toBeGreaterThanOrEqual(before);
    expect(started).toBeLessThanOrEqual(killedAt);
    expect(rows, output).toEqual([
      { run_id: killedRun, status: 'abandoned', started_at: expect.any(String) as unknown, ended_at: null, nodes_ok: 0, error: `its scheduler stopped without recording the end (killed, crashed or lost); found by run ${finder}, which took the run lock` },
      { run_id: finder, status: 'success', started_at: expect.any(String) as unknown, ended_at: expect.any(String) as unknown, nodes_ok: 1, error: null },
    ]);
    expect(output).toMatch(abandonedLine(killedRun));
  }, 300_000);
});
