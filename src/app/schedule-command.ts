// `tsdbt schedule`: runs `build` (with any selection) every 5 minutes, or on `--cron`, until stopped;
// `--once` for a single tick. Never overlapping: a tick that finds the previous build running is
// skipped and recorded, and a run lock in the warehouse (PostgreSQL advisory lock; a lease table on
// a ClickHouse server) keeps two schedulers on one target from building at once, so a second one
// is a safe standby. Each run: a per-run `--timeout`, `--retries` with backoff on retriable errors
// (connection lost, serialization failure; never SQL errors), a row in `<schema>.tsdbt_runs`, and
// its run_results.json under target/runs/<run id>/. `--with-loader` runs the Kafka loader in the
// same process; `--port` serves /health and /metrics on 127.0.0.1. SIGTERM / SIGINT: the running
// build is cancelled cleanly (every relation keeps its previous version), the lock is released,
// exit 0; a second signal exits at once.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { EXIT_NODE_FAILURE, EXIT_OK } from '../errors/exit-codes.js';
import { TsdbtError, asTsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execution/results.js';
import { ScheduleMetrics, serveMetrics } from '../schedule/metrics.js';
import { recordRun, type RunRecord, type RunStatus } from '../schedule/run-history.js';
import { tickSchedule } from '../schedule/ticks.js';
import { runCommandWithResults } from './commands.js';
import { openAdapter } from './execute-plan.js';
import { createInvocation, type Invocation } from './invocation.js';
import { loadCommand } from './load-command.js';
import { loadProject } from './project-loader.js';

/** The scheduler's clock: real by default; tests pass one that jumps to each tick. */
export interface ScheduleClock {
  now(): Date;
  /** Resolves at `at`, or early when `signal` aborts. */
  sleepUntil(at: Date, signal: AbortSignal): Promise<void>;
}

export const realClock: ScheduleClock = {
  now: () => new Date(),
  sleepUntil: (at, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, Math.max(0, at.getTime() - Date.now()));
      function done() {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      }
      signal.addEventListener('abort', done, { once: true });
    }),
};

export interface ScheduleOptions {
  cron?: string;
  once?: boolean;
  withLoader?: boolean;
  /** Port of /health and /metrics (0: any free port); none when undefined. */
  port?: number;
  /** Seconds a build may run before it is cancelled (status `timeout`). */
  timeoutSeconds?: number;
  /** Retries of a build that failed with a retriable error (default 2). */
  retries?: number;
  brokers?: string;
  clock?: ScheduleClock;
  /** Stop after this many ticks (tests). */
  maxTicks?: number;
  /** Told the bound port of /health and /metrics. */
  onListening?: (port: number) => void;
  /** Stops the scheduler as SIGTERM does (tests). */
  signal?: AbortSignal;
  /** Told when each tick's run is recorded (its final row). */
  onRunFinished?: (record: RunRecord) => void;
}

const RETRY_BASE_MS = 1_000;

export async function scheduleCommand(inv: Invocation, options: ScheduleOptions): Promise<number> {
  const { logger } = inv;
  const clock = options.clock ?? realClock;
  const schedule = tickSchedule(options.cron);
  const project = loadProject(inv);
  const target = project.target;
  const lockName = `${project.config.name}/${target.name}/${target.schema}`;
  const selected = [...(inv.options.select ?? []), ...(inv.options.exclude ?? []).map((e) => `--exclude ${e}`)].join(' ') || '(all)';
  const metrics = new ScheduleMetrics();
  const stop = new AbortController();
  let running: Promise<void> | null = null;
  let currentBuild: AbortController | null = null;
  let lastExit = EXIT_OK;

  // First signal: cancel the running build cleanly, release the lock, exit 0. Second: at once.
  let signals = 0;
  const onSignal = () => {
    signals++;
    if (signals > 1) process.exit(130);
    logger.info('Stopping: cancelling the running build (relations keep their previous version); a second signal exits at once');
    stop.abort();
    currentBuild?.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  options.signal?.addEventListener('abort', onSignal, { once: true });

  const withAdapter = async <T>(fn: (adapter: Adapter) => Promise<T>): Promise<T> => {
    const adapter = await openAdapter(inv, project);
    try {
      return await fn(adapter);
    } finally {
      await adapter.close();
    }
  };
  const record = (r: RunRecord) =>
    withAdapter((adapter) => recordRun(adapter, r)).catch((err: unknown) => logger.warn(`could not record run ${r.runId} in tsdbt_runs: ${(err as Error).message}`));

  const runOnce = async (tickAt: Date): Promise<void> => {
    const runId = `${tickAt.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${Math.random().toString(16).slice(2, 8)}`;
    const triedAt = clock.now();
    const lock = await withAdapter((adapter) => adapter.acquireRunLock(lockName));
    // The start is taken once the lock is held: a build that waited on the previous holder's
    // release never appears to start before that one ended.
    const startedAt = lock ? clock.now() : triedAt;
    const started = performance.now();
    const base: RunRecord = { runId, startedAt, endedAt: null, status: 'running', selected, nodesOk: 0, nodesError: 0, nodesSkipped: 0, error: null };
    if (!lock) {
      logger.info(`Tick ${runId}: skipped, another scheduler is building ${lockName} (standby)`, 'ScheduleSkipped', { run_id: runId, reason: 'locked' });
      const skipped: RunRecord = { ...base, endedAt: clock.now(), status: 'skipped', error: 'another scheduler holds the run lock' };
      await record(skipped);
      metrics.recordRun('skipped', 0, clock.now(), []);
      options.onRunFinished?.(skipped);
      return;
    }
    let status: RunStatus = 'error';
    let results: NodeResult[] = [];
    let error: string | null = null;
    let endedAt = startedAt;
    try {
      await record(base);
      const attempts = 1 + Math.max(0, options.retries ?? 2);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const build = new AbortController();
        currentBuild = build;
        let timedOut = false;
        const timer = options.timeoutSeconds
          ? setTimeout(() => {
              timedOut = true;
              logger.warn(`Run ${runId}: over the ${options.timeoutSeconds}s timeout, cancelling it`);
              build.abort();
            }, options.timeoutSeconds * 1000)
          : null;
        let retriable = false;
        try {
          const outcome = await runCommandWithResults(createInvocation({ ...inv.options, abortSignal: build.signal, now: () => clock.now() }), 'build');
          results = outcome.results;
          status = timedOut ? 'timeout' : stop.signal.aborted ? 'cancelled' : outcome.code === EXIT_OK ? 'success' : 'error';
          const failed = results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success');
          error = status === 'success' ? null : (failed[0]?.message ?? status);
          retriable = status === 'error' && failed.length > 0 && failed.every((r) => r.retriable);
        } catch (err) {
          status = 'error';
          error = asTsdbtError(err).message;
          retriable = err instanceof TsdbtError && err.retriable;
        } finally {
          if (timer) clearTimeout(timer);
          currentBuild = null;
        }
        if (!retriable || attempt === attempts || stop.signal.aborted) break;
        const delay = RETRY_BASE_MS * 2 ** (attempt - 1);
        logger.warn(`Run ${runId}: ${error ?? 'failed'}; retriable, retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${attempts})`, 'ScheduleRetry', { run_id: runId, attempt, delay_ms: delay });
        await realClock.sleepUntil(new Date(Date.now() + delay), stop.signal);
      }
      // The end is taken while the lock is still held: the next holder starts after it.
      endedAt = clock.now();
    } finally {
      await lock.release();
    }
    const count = (pred: (r: NodeResult) => boolean) => results.filter(pred).length;
    const final: RunRecord = {
      ...base,
      endedAt,
      status,
      nodesOk: count((r) => r.status === 'success' || r.status === 'pass' || r.status === 'warn'),
      nodesError: count((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success'),
      nodesSkipped: count((r) => r.status === 'skipped'),
      error,
    };
    await record(final);
    options.onRunFinished?.(final);
    const runResults = path.join(project.targetDir, 'run_results.json');
    if (existsSync(runResults)) {
      const dir = path.join(project.targetDir, 'runs', runId);
      mkdirSync(dir, { recursive: true });
      copyFileSync(runResults, path.join(dir, 'run_results.json'));
    }
    metrics.recordRun(status, (performance.now() - started) / 1000, endedAt, results);
    lastExit = status === 'success' ? EXIT_OK : EXIT_NODE_FAILURE;
    logger.info(`Run ${runId}: ${status} (${final.nodesOk} ok, ${final.nodesError} error, ${final.nodesSkipped} skipped)`, 'ScheduleRunFinished', { run_id: runId, ...final });
  };

  const server = options.port !== undefined ? await serveMetrics(metrics, options.port, () => metrics.health(clock.now(), staleAfter())) : null;
  if (server) {
    logger.info(`Serving /health and /metrics on http://127.0.0.1:${server.port}`);
    options.onListening?.(server.port);
  }
  // Degraded when no run ended within two intervals of the schedule.
  const staleAfter = () => {
    const now = clock.now();
    const first = schedule.next(now);
    return (2 * (schedule.next(first).getTime() - first.getTime())) / 1000;
  };
  const loader = options.withLoader
    ? loadCommand(inv, { once: false, brokers: options.brokers, progressInterval: 5, signal: stop.signal, onProgress: (source, result, rate) => metrics.recordLoader(source, result, rate) }).catch((err: unknown) => {
        logger.error(`the loader stopped: ${(err as Error).message}`);
        return EXIT_NODE_FAILURE;
      })
    : null;

  try {
    if (options.once) {
      await runOnce(clock.now());
      return lastExit;
    }
    logger.info(`Scheduling build on '${schedule.expression}' (UTC); Ctrl-C or SIGTERM stops`);
    let last = clock.now();
    let ticks = 0;
    const skipped: RunRecord[] = [];
    while (!stop.signal.aborted && (options.maxTicks === undefined || ticks < options.maxTicks)) {
      await clock.sleepUntil(schedule.next(last), stop.signal);
      if (stop.signal.aborted) break;
      // Catch-up: ticks missed while the process slept become this one tick.
      last = clock.now();
      ticks++;
      if (running) {
        const runId = `${last.toISOString()}-skipped`;
        logger.info(`Tick at ${last.toISOString()}: skipped, the previous build is still running`, 'ScheduleSkipped', { reason: 'running' });
        metrics.recordRun('skipped', 0, last, []);
        // Written once the build ends: an embedded warehouse admits one connection at a time.
        skipped.push({ runId, startedAt: last, endedAt: last, status: 'skipped', selected, nodesOk: 0, nodesError: 0, nodesSkipped: 0, error: 'the previous build was still running' });
        continue;
      }
      running = runOnce(last)
        .catch((err: unknown) => logger.error(`Run failed: ${(err as Error).message}`))
        .then(async () => {
          for (const r of skipped.splice(0)) await record(r);
        })
        .finally(() => {
          running = null;
        });
    }
    await running;
    return EXIT_OK;
  } finally {
    stop.abort();
    await loader;
    await server?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
