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
import type { NodeResult } from '../manifest/results.js';
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
  const scheduler = new Scheduler(inv, options);
  // Bound first: a port that cannot be served is a user error before anything runs.
  const server = await scheduler.serveHealth();
  process.on('SIGINT', scheduler.onSignal);
  process.on('SIGTERM', scheduler.onSignal);
  options.signal?.addEventListener('abort', scheduler.onSignal, { once: true });
  const loader = scheduler.startLoader();
  try {
    if (options.once) return await scheduler.runOneTick();
    return await scheduler.runTicks();
  } finally {
    scheduler.stop.abort();
    await loader;
    await server?.close();
    process.off('SIGINT', scheduler.onSignal);
    process.off('SIGTERM', scheduler.onSignal);
  }
}

/** What one run's builds came to (the last attempt's, its results kept from the attempt before when it threw). */
interface BuildState {
  status: RunStatus;
  results: NodeResult[];
  error: string | null;
}

const tickText = (at: Date, runId: string) => `Run ${runId} (tick at ${at.toISOString()})`;

/**
 * One scheduler's state across its ticks: the build running (never two), the exit code of the last
 * run, the signals received. The ticks, the runs they start and the signal handler all share it.
 */
class Scheduler {
  readonly stop = new AbortController();
  private readonly logger: Invocation['logger'];
  private readonly clock: ScheduleClock;
  private readonly schedule: ReturnType<typeof tickSchedule>;
  private readonly project: ReturnType<typeof loadProject>;
  private readonly lockName: string;
  private readonly selected: string;
  private readonly metrics: ScheduleMetrics;
  private readonly health: SchedulerHealth;
  private running: Promise<void> | null = null;
  private runningId: string | null = null;
  private currentBuild: AbortController | null = null;
  private lastExit = EXIT_OK;
  private signals = 0;
  /** Ticks skipped while a build ran: written once the build ends (an embedded warehouse admits one connection at a time). */
  private readonly skipped: RunRecord[] = [];

  constructor(
    private readonly inv: Invocation,
    private readonly options: ScheduleOptions,
  ) {
    this.logger = inv.logger;
    this.clock = options.clock ?? realClock;
    this.schedule = tickSchedule(options.cron);
    this.project = loadProject(inv);
    this.lockName = runLockName(this.project.config.name, this.project.target);
    this.selected = [...(inv.options.select ?? []), ...(inv.options.exclude ?? []).map((e) => `--exclude ${e}`)].join(' ') || '(all)';
    this.metrics = new ScheduleMetrics();
    this.health = new SchedulerHealth(this.schedule, this.clock.now());
  }

  /** Serves /health and /metrics when `--port` is given. */
  async serveHealth(): Promise<Awaited<ReturnType<typeof serveMetrics>> | null> {
    const { options } = this;
    const server = options.port !== undefined ? await serveMetrics(this.metrics, options.port, () => this.health.report(this.clock.now())) : null;
    if (server) {
      this.logger.info(`Serving /health and /metrics on http://127.0.0.1:${server.port}`);
      options.onListening?.(server.port);
    }
    return server;
  }

  // First signal: cancel the running build cleanly, release the lock, exit 0. Second: at once.
  readonly onSignal = (): void => {
    this.signals++;
    if (this.signals > 1) process.exit(130);
    this.logger.info('Stopping: cancelling the running build (relations keep their previous version); a second signal exits at once');
    this.stop.abort();
    this.currentBuild?.abort();
  };

  /** `--with-loader`: the Kafka loader, running until the scheduler stops. */
  startLoader(): Promise<number> | null {
    const { options, metrics } = this;
    return options.withLoader
      ? loadCommand(this.inv, { once: false, brokers: options.brokers, progressInterval: 5, signal: this.stop.signal, onProgress: (source, result, rate) => metrics.recordLoader(source, result, rate) }).catch((err: unknown) => {
          this.logger.error(`the loader stopped: ${asTsdbtError(err).message}`);
          return EXIT_NODE_FAILURE;
        })
      : null;
  }

  /** `--once`: one tick now. */
  async runOneTick(): Promise<number> {
    const now = this.clock.now();
    const final = await this.runOnce(now, this.tick(now));
    this.options.onRunFinished?.(final);
    return this.lastExit;
  }

  /** Ticks on the schedule until stopped (or `maxTicks`), each starting a run unless the previous one is still building. */
  async runTicks(): Promise<number> {
    const { clock, options, stop } = this;
    this.logger.info(`Scheduling build on '${this.schedule.expression}' (UTC); Ctrl-C or SIGTERM stops`);
    let last = clock.now();
    let ticks = 0;
    while (!stop.signal.aborted && (options.maxTicks === undefined || ticks < options.maxTicks)) {
      await clock.sleepUntil(this.schedule.next(last), stop.signal);
      if (stop.signal.aborted) break;
      // Catch-up: ticks missed while the process slept become this one tick.
      last = clock.now();
      ticks++;
      const runId = this.tick(last);
      if (this.running) {
        this.logger.info(`${tickText(last, runId)}: skipped, the previous build (run ${this.runningId}) is still running`, 'ScheduleSkipped', { run_id: runId, reason: 'running' });
        this.metrics.recordRun(runId, 'skipped', 0, last, []);
        // Written once the build ends: an embedded warehouse admits one connection at a time.
        this.skipped.push({ runId, startedAt: last, endedAt: last, status: 'skipped', selected: this.selected, nodesOk: 0, nodesError: 0, nodesSkipped: 0, error: 'the previous build was still running' });
        continue;
      }
      this.runningId = runId;
      this.running = this.runOnce(last, runId)
        .catch((err: unknown) => {
          this.logger.error(`Run ${runId} failed: ${asTsdbtError(err).message}`);
          return null;
        })
        .then((final) => this.runEnded(final));
    }
    await this.running;
    return EXIT_OK;
  }

  /** After a run: the ticks skipped meanwhile are recorded, and everyone told once the scheduler is idle again. */
  private async runEnded(final: RunRecord | null): Promise<void> {
    const alsoSkipped: RunRecord[] = [];
    while (this.skipped.length) {
      for (const r of this.skipped.splice(0)) {
        await this.record(r);
        alsoSkipped.push(r);
      }
    }
    this.running = null;
    this.runningId = null;
    // Told once the scheduler is idle again: the next tick can build.
    for (const r of [...(final ? [final] : []), ...alsoSkipped]) this.options.onRunFinished?.(r);
  }

  private tick(at: Date): string {
    this.health.ticked(at);
    this.metrics.recordTick(at);
    return newRunId(at);
  }

  private async withAdapter<T>(fn: (adapter: Adapter) => Promise<T>): Promise<T> {
    const adapter = await openAdapter(this.inv, this.project);
    try {
      return await fn(adapter);
    } finally {
      await adapter.close();
    }
  }

  private record(r: RunRecord): Promise<void> {
    return this.withAdapter((adapter) => recordRun(adapter, r)).catch((err: unknown) => this.logger.warn(`could not record run ${r.runId} in tsdbt_runs: ${asTsdbtError(err).message}`));
  }

  /** A run that did not build: recorded and counted. */
  private async finishWithoutBuild(r: RunRecord): Promise<RunRecord> {
    await this.record(r);
    this.metrics.recordRun(r.runId, r.status, 0, r.endedAt ?? r.startedAt, []);
    return r;
  }

  /** One tick's run: takes the run lock and builds, or skips; resolves with its final record. */
  private async runOnce(tickAt: Date, runId: string): Promise<RunRecord> {
    const { clock, logger } = this;
    const triedAt = clock.now();
    const base: RunRecord = { runId, startedAt: triedAt, endedAt: null, status: 'running', selected: this.selected, nodesOk: 0, nodesError: 0, nodesSkipped: 0, error: null };
    let lock: Awaited<ReturnType<Adapter['acquireRunLock']>>;
    try {
      lock = await this.withAdapter((adapter) => adapter.acquireRunLock(this.lockName));
    } catch (err) {
      // The warehouse could not be asked: a failed run of this scheduler, not a standby.
      const error = `could not take the run lock: ${asTsdbtError(err).message}`;
      logger.error(`${tickText(tickAt, runId)}: error, ${error}`, 'ScheduleRunFinished', { run_id: runId, status: 'error', error });
      const failed: RunRecord = { ...base, endedAt: clock.now(), status: 'error', error };
      this.health.buildFinished(runId, 'error', failed.endedAt ?? triedAt);
      // As a build that cannot reach its warehouse: the invocation could not run (--once exits 2).
      this.lastExit = EXIT_USAGE_OR_PROJECT_ERROR;
      return this.finishWithoutBuild(failed);
    }
    if (!lock) {
      logger.info(`${tickText(tickAt, runId)}: skipped, another scheduler is building ${this.lockName} (standby)`, 'ScheduleSkipped', { run_id: runId, reason: 'locked' });
      this.health.standby();
      return this.finishWithoutBuild({ ...base, endedAt: clock.now(), status: 'skipped', error: 'another scheduler holds the run lock' });
    }
    return this.buildHoldingLock(tickAt, base, lock);
  }

  /** The run's builds while this scheduler holds the run lock: recorded (started, then final) and released. */
  private async buildHoldingLock(tickAt: Date, base: RunRecord, lock: NonNullable<Awaited<ReturnType<Adapter['acquireRunLock']>>>): Promise<RunRecord> {
    const { clock, logger, metrics, health } = this;
    const { runId } = base;
    // The start is taken once the lock is held: a build that waited on the previous holder's
    // release never appears to start before that one ended.
    const startedAt = clock.now();
    const started = performance.now();
    const begun: RunRecord = { ...base, startedAt };
    health.buildStarted(startedAt);
    const build: BuildState = { status: 'error', results: [], error: null };
    let endedAt = startedAt;
    let final: RunRecord = begun;
    try {
      await this.markAbandoned(begun);
      logger.info(`${tickText(tickAt, runId)}: started, building ${this.selected}`, 'ScheduleRunStarted', { run_id: runId, started_at: startedAt.toISOString() });
      await this.buildWithRetries(runId, build);
      // The end is taken and written while the lock is still held: the next holder starts after
      // it, and the next holder's sweep of runs still `running` (marked abandoned) cannot read this
      // one before its end is written and then overwrite that end.
      endedAt = clock.now();
      final = finalRecord(begun, endedAt, build);
      await this.record(final);
      // Copied under the lock too: another scheduler on this project writes the same run_results.json.
      this.keepRunResults(runId);
    } finally {
      await lock.release();
    }
    metrics.recordRun(runId, build.status, (performance.now() - started) / 1000, endedAt, build.results);
    health.buildFinished(runId, build.status, endedAt);
    this.lastExit = build.status === 'success' ? EXIT_OK : EXIT_NODE_FAILURE;
    logger.info(`Run ${runId}: ${build.status} (${final.nodesOk} ok, ${final.nodesError} error, ${final.nodesSkipped} skipped)`, 'ScheduleRunFinished', { run_id: runId, ...final });
    return final;
  }

  /** Holding the lock, no other scheduler is building: a run still `running` lost its scheduler. Marks those abandoned, and records this one as started. */
  private async markAbandoned(begun: RunRecord): Promise<void> {
    const { runId } = begun;
    const abandoned = await this.withAdapter(async (adapter) => {
      const marked = await markAbandonedRuns(adapter, runId);
      await recordRun(adapter, begun);
      return marked;
    }).catch((err: unknown) => {
      this.logger.warn(`could not record run ${runId} in tsdbt_runs: ${asTsdbtError(err).message}`);
      return [];
    });
    for (const r of abandoned) {
      this.logger.warn(`Run ${r.runId} (started ${r.startedAt.toISOString()}) was still 'running' with no scheduler building it (its scheduler was killed or crashed): marked abandoned`, 'ScheduleRunAbandoned', { run_id: r.runId, found_by: runId });
    }
  }

  /** Builds, and builds again after a retriable failure (with backoff) up to `--retries` times, unless stopped. */
  private async buildWithRetries(runId: string, build: BuildState): Promise<void> {
    const attempts = 1 + Math.max(0, this.options.retries ?? 2);
    for (let attempt = 1; attempt <= attempts; attempt++) {
      const retriable = await this.attemptBuild(runId, build);
      if (!retriable || attempt === attempts || this.stop.signal.aborted) break;
      const delay = RETRY_BASE_MS * 2 ** (attempt - 1);
      this.logger.warn(`Run ${runId}: ${build.error ?? 'failed'}; retriable, retrying in ${(delay / 1000).toFixed(1)}s (attempt ${attempt + 1} of ${attempts})`, 'ScheduleRetry', { run_id: runId, attempt, delay_ms: delay });
      await realClock.sleepUntil(new Date(Date.now() + delay), this.stop.signal);
    }
  }

  /** One `build`, cancelled by `--timeout` or a stop; its outcome goes into `state`. True when it failed retriably. */
  private async attemptBuild(runId: string, state: BuildState): Promise<boolean> {
    const { options, logger, clock } = this;
    const build = new AbortController();
    this.currentBuild = build;
    let timedOut = false;
    const cancelTimer = options.timeoutSeconds
      ? longTimeout(options.timeoutSeconds * 1000, () => {
          timedOut = true;
          logger.warn(`Run ${runId}: over the ${options.timeoutSeconds}s timeout, cancelling it`);
          build.abort();
        })
      : null;
    let retriable = false;
    // The build's invocation_id is the run id: run_results.json and Jinja's invocation_id name this run.
    // It is a `build` (flags.WHICH and invocation_args_dict.which from its parse on, as dbt's Command names it), not `schedule`.
    const buildInv = createInvocation({ ...this.inv.options, which: 'build', invocationId: runId, abortSignal: build.signal, now: () => clock.now() });
    try {
      const outcome = await runCommandWithResults(buildInv, 'build');
      state.results = outcome.results;
      state.status = timedOut ? 'timeout' : this.stop.signal.aborted ? 'cancelled' : outcome.code === EXIT_OK ? 'success' : 'error';
      const failed = state.results.filter((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success');
      state.error = state.status === 'success' ? null : (failed[0]?.message ?? state.status);
      retriable = state.status === 'error' && failed.length > 0 && failed.every((r) => r.retriable);
    } catch (err) {
      state.status = 'error';
      state.error = asTsdbtError(err).message;
      retriable = err instanceof TsdbtError && err.retriable;
    } finally {
      cancelTimer?.();
      this.currentBuild = null;
      buildInv.logger.closeLogFile(); // each tick's dbt.log handle (the process runs for days)
    }
    return retriable;
  }

  /** The build's run_results.json, kept as target/runs/<run id>/run_results.json. */
  private keepRunResults(runId: string): void {
    const runResults = path.join(this.project.targetDir, 'run_results.json');
    if (existsSync(runResults)) {
      const dir = path.join(this.project.targetDir, 'runs', runId);
      mkdirSync(dir, { recursive: true });
      copyFileSync(runResults, path.join(dir, 'run_results.json'));
    }
  }
}

/** The run's final row: its end, status and node counts. */
function finalRecord(begun: RunRecord, endedAt: Date, { status, results, error }: BuildState): RunRecord {
  const count = (pred: (r: NodeResult) => boolean) => results.filter(pred).length;
  return {
    ...begun,
    endedAt,
    status,
    nodesOk: count((r) => r.status === 'success' || r.status === 'pass' || r.status === 'warn'),
    nodesError: count((r) => r.status === 'error' || r.status === 'fail' || r.status === 'partial success'),
    nodesSkipped: count((r) => r.status === 'skipped'),
    error,
  };
}
