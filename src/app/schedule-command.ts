// `tsdbt schedule`: runs `build` (with any selection) every 5 minutes, or on `--cron`, until stopped;
// `--once` for a single tick. Never overlapping: a tick that finds the previous build running is
// skipped and recorded, and a run lock in the warehouse (PostgreSQL advisory lock; a lease table on
// a ClickHouse server) keeps two schedulers on one target from building at once, so a second one
// is a safe standby. Each run: a per-run `--timeout`, `--retries` with backoff on retriable errors
// (connection lost, serialization failure; never SQL errors), a row in `<schema>.tsdbt_runs`, and
// its run_results.json under target/runs/<run id>/ (one run id everywhere: see schedule/run-id.ts).
// The holder of the run lock first marks `abandoned` the runs a killed scheduler left `running`.
// `--with-loader` runs the Kafka loader in the same process; `--port` serves /health (see
// schedule/health.ts) and /metrics on 127.0.0.1, bound before anything runs. SIGTERM / SIGINT: the
// running build is cancelled cleanly (every relation keeps its previous version), the lock is
// released, exit 0; a second signal exits at once.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Adapter } from '../adapters/adapter.js';
import { EXIT_NODE_FAILURE, EXIT_OK, EXIT_USAGE_OR_PROJECT_ERROR } from '../errors/exit-codes.js';
import { TsdbtError, asTsdbtError } from '../errors/tsdbt-error.js';
import type { NodeResult } from '../execution/results.js';
import { longTimeout, realClock, type ScheduleClock } from '../schedule/clock.js';
import { SchedulerHealth } from '../schedule/health.js';
import { ScheduleMetrics, serveMetrics } from '../schedule/metrics.js';
import { markAbandonedRuns, recordRun, type RunRecord, type RunStatus } from '../schedule/run-history.js';
import { newRunId } from '../schedule/run-id.js';
import { tickSchedule } from '../schedule/ticks.js';
import { runCommandWithResults } from './commands.js';
import { openAdapter } from './execute-plan.js';
import { createInvocation, type Invocation } from './invocation.js';
import { loadCommand } from './load-command.js';
import { loadProject } from './project-loader.js';

export { realClock, timerClock, type ScheduleClock, type Timers } from '../schedule/clock.js';

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
  /** Told when each tick's run is recorded (its final row), skipped ticks included, once the scheduler can build again. */
  onRunFinished?: (record: RunRecord) => void;
}

const RETRY_BASE_MS = 1_000;

/** The run lock two schedulers of one project on one target share (Adapter.acquireRunLock). */
export function runLockName(projectName: string, target: { name: string; schema: string }): string {
  return `${projectName}/${target.name}/${target.schema}`;
}

export async function scheduleCommand(inv: Invocation, options: ScheduleOptions): Promise<number> {
  const { logger } = inv;
  const clock = options.clock ?? realClock;
  const schedule = tickSchedule(options.cron);
  const project = loadProject(inv);
  const target = project.target;
  const lockName = runLockName(project.config.name, target);
  const selected = [...(inv.options.select ?? []), ...(inv.options.exclude ?? []).map((e) => `--exclude ${e}`)].join(' ') || '(all)';
  const metrics = new ScheduleMetrics();
  const health = new SchedulerHealth(schedule, clock.now());
  // Bound first: a port that cannot be served is a user error before anything runs.
  const server = options.port !== undefined ? await serveMetrics(metrics, options.port, () => health.report(clock.now())) : null;
  if (server) {
    logger.info(`Serving /health and /metrics on http://127.0.0.1:${server.port}`);
    options.onListening?.(server.port);
  }
  const stop = new AbortController();
  let running: Promise<void> | null = null;
  let runningId: string | null = null;
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
    withAdapter((adapter) => recordRun(adapter, r)).catch((err: unknown) => logger.warn(`could not record run ${r.runId} in tsdbt_runs: ${asTsdbtError(err).message}`));
  const tickText = (at: Date, runId: string) => `Run ${runId} (tick at ${at.toISOString()})`;

  /** A run that did not build: recorded and counted. */
  const finishWithoutBuild = async (r: RunRecord): Promise<RunRecord> => {
    await record(r);
    metrics.recordRun(r.runId, r.status, 0, r.endedAt ?? r.startedAt, []);
    return r;
  };

  /** One tick's run: takes the run lock and builds, or skips; resolves with its final record. */
  const runOnce = async (tickAt: Date, runId: string): Promise<RunRecord> => {
    const triedAt = clock.now();
    const base: RunRecord = { runId, startedAt: triedAt, endedAt: null, status: 'running', selected, nodesOk: 0, nodesError: 0, nodesSkipped: 0, error: null };
    let lock: Awaited<ReturnType<Adapter['acquireRunLock']>>;
    try {
      lock = await withAdapter((adapter) => adapter.acquireRunLock(lockName));
    } catch (err) {
      // The warehouse could not be asked: a failed run of this scheduler, not a standby.
      const error = `could not take the run lock: ${asTsdbtError(err).message}`;
      logger.error(`${tickText(tickAt, runId)}: error, ${error}`, 'ScheduleRunFinished', { run_id: runId, status: 'error', error });
      const failed: RunRecord = { ...base, endedAt: clock.now(), status: 'error', error };
      health.buildFinished(runId, 'error', failed.endedAt ?? triedAt);
      // As a build that cannot reach its warehouse: the invocation could not run (--once exits 2).
      lastExit = EXIT_USAGE_OR_PROJECT_ERROR;
      return finishWithoutBuild(failed);
    }
    if (!lock) {
      logger.info(`${tickText(tickAt, runId)}: skipped, another scheduler is building ${lockName} (standby)`, 'ScheduleSkipped', { run_id: runId, reason: 'locked' });
      health.standby();
      return finishWithoutBuild({ ...base, endedAt: clock.now(), status: 'skipped', error: 'another scheduler holds the run lock' });
    }
    // The start is taken once the lock is held: a build that waited on the previous holder's
    // release never appears to start before that one ended.
    const startedAt = clock.now();
    const started = performance.now();
    const begun: RunRecord = { ...base, startedAt };
    health.buildStarted(startedAt);
    let status: RunStatus = 'error';
    let results: NodeResult[] = [];
    let error: string | null = null;
    let endedAt = startedAt;
    let final: RunRecord = begun;
    const count = (pred: (r: NodeResult) => boolean) => results.filter(pred).length;
    try {
      // Holding the lock, no other scheduler is building: a run still `running` lost its scheduler.
      const abandoned = await withAdapter(async (adapter) => {
        const marked = await markAbandonedRuns(adapter, runId);
        await recordRun(adapter, begun);
        return marked;
      }).catch((err: unknown) => {
        logger.warn(`could not record run ${runId} in tsdbt_runs: ${asTsdbtError(err).message}`);
        return [];
      });
      for (const r of abandoned) {
        logger.warn(`Run ${r.runId} (started ${r.startedAt.toISOString()}) was still 'running' with no scheduler building it (its scheduler was killed or crashed): marked abandoned`, 'ScheduleRunAbandoned', { run_id: r.runId, found_by: runId });
      }
      logger.info(`${tickText(tickAt, runId)}: started, building ${selected}`, 'ScheduleRunStarted', { run_id: runId, started_at: startedAt.toISOString() });
      const attempts = 1 + Math.max(0, options.retries ?? 2);
      for (let attempt = 1; attempt <= attempts; attempt++) {
        const build = new AbortController();
        currentBuild = build;
        let timedOut = false;
        const cancelTimer = options.timeoutSeconds
          ? longTimeout(options.timeoutSeconds * 1000, () => {
              timedOut = true;
              logger.warn(`Run ${runId}: over the ${options.timeoutSeconds}s timeout, cancelling it`);
              build.abort();
            })
          : null;
        let retriable = false;
        try {
          // The build's invocation_id is the run id: run_results.json and Jinja's invocation_id name this run.
          const outcome = await runCommandWithResults(createInvocation({ ...inv.options, invocationId: runId, abortSignal: build.signal, now: () => clock.now() }), 'build');
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
          cancelTimer?.();
          currentBuild = null;
        }
        if (!retriable || attempt === attempts || stop.signal.aborted) break;
        const delay = RETRY_BASE_MS * 2 ** (attempt - 1);
        logger.warn(`Run ${runId}: ${error ?? 'failed'}; retriable, retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${attempts})`, 'ScheduleRetry', { run_id: runId, attempt, delay_ms: delay });
        await realClock.sleepUntil(new Date(Date.now() + delay), stop.signal);
      }
      // The end is taken and written while the lock is still held: the next holder starts after
      // it, and the next holder's sweep of runs still `running` (marked abandoned) cannot read this
      // one before its end is written and then overwrite that end.
      endedAt = clock.now();
      final = {
        ...begun,
        endedAt,
        status,
        nodesOk: count((r) => r.status === 'success' || r.status === 'pass' || r.status === 'warn'),
        nodesError: count((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success'),
        nodesSkipped: count((r) => r.status === 'skipped'),
        error,
      };
      await record(final);
      // Copied under the lock too: another scheduler on this project writes the same run_results.json.
      const runResults = path.join(project.targetDir, 'run_results.json');
      if (existsSync(runResults)) {
        const dir = path.join(project.targetDir, 'runs', runId);
        mkdirSync(dir, { recursive: true });
        copyFileSync(runResults, path.join(dir, 'run_results.json'));
      }
    } finally {
      await lock.release();
    }
    metrics.recordRun(runId, status, (performance.now() - started) / 1000, endedAt, results);
    health.buildFinished(runId, status, endedAt);
    lastExit = status === 'success' ? EXIT_OK : EXIT_NODE_FAILURE;
    logger.info(`Run ${runId}: ${status} (${final.nodesOk} ok, ${final.nodesError} error, ${final.nodesSkipped} skipped)`, 'ScheduleRunFinished', { run_id: runId, ...final });
    return final;
  };

  const tick = (at: Date): string => {
    health.ticked(at);
    metrics.recordTick(at);
    return newRunId(at);
  };

  const loader = options.withLoader
    ? loadCommand(inv, { once: false, brokers: options.brokers, progressInterval: 5, signal: stop.signal, onProgress: (source, result, rate) => metrics.recordLoader(source, result, rate) }).catch((err: unknown) => {
        logger.error(`the loader stopped: ${asTsdbtError(err).message}`);
        return EXIT_NODE_FAILURE;
      })
    : null;

  try {
    if (options.once) {
      const now = clock.now();
      const final = await runOnce(now, tick(now));
      options.onRunFinished?.(final);
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
      const runId = tick(last);
      if (running) {
        logger.info(`${tickText(last, runId)}: skipped, the previous build (run ${runningId}) is still running`, 'ScheduleSkipped', { run_id: runId, reason: 'running' });
        metrics.recordRun(runId, 'skipped', 0, last, []);
        // Written once the build ends: an embedded warehouse admits one connection at a time.
        skipped.push({ runId, startedAt: last, endedAt: last, status: 'skipped', selected, nodesOk: 0, nodesError: 0, nodesSkipped: 0, error: 'the previous build was still running' });
        continue;
      }
      runningId = runId;
      running = runOnce(last, runId)
        .catch((err: unknown) => {
          logger.error(`Run ${runId} failed: ${asTsdbtError(err).message}`);
          return null;
        })
        .then(async (final) => {
          const alsoSkipped: RunRecord[] = [];
          while (skipped.length) {
            for (const r of skipped.splice(0)) {
              await record(r);
              alsoSkipped.push(r);
            }
          }
          running = null;
          runningId = null;
          // Told once the scheduler is idle again: the next tick can build.
          for (const r of [...(final ? [final] : []), ...alsoSkipped]) options.onRunFinished?.(r);
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
