// What the scheduler exposes on 127.0.0.1: `/health` (ok, or degraded as HTTP 503 with the reasons,
// see health.ts) and `/metrics` in Prometheus' text format (prom-client), so Grafana can chart and
// alert on runs, models, tests and the loader (grafana/ holds a dashboard of them). The last run's
// gauges are absent until this scheduler has finished a build (a 0 would read as a failed run, or
// as tests that pass; a standby never has one).
import http from 'node:http';
import { Counter, Gauge, Registry } from 'prom-client';
import type { NodeResult } from '../manifest/results.js';
import type { LoadResult } from '../loader/kafka-loader.js';
import type { HealthReport } from './health.js';
import { listenOn } from '../http/listen.js';
import type { RunStatus } from './run-history.js';

export class ScheduleMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'tsdbt_runs_total', help: 'Scheduled runs by status', labelNames: ['status'], registers: [this.registry] });
  // Registered at the first finished build: before it they have no value to show.
  private readonly lastStatus = new Gauge({ name: 'tsdbt_last_run_success', help: '1 when the last run succeeded, 0 when it failed', registers: [] });
  private readonly lastDuration = new Gauge({ name: 'tsdbt_last_run_duration_seconds', help: 'Duration of the last run', registers: [] });
  private readonly lastEnd = new Gauge({ name: 'tsdbt_last_run_timestamp_seconds', help: 'When the last run ended (Unix time)', registers: [] });
  private readonly lastInfo = new Gauge({ name: 'tsdbt_last_run_info', help: 'The last run: its run_id (tsdbt_runs.run_id, run_results.json invocation_id) and status; always 1', labelNames: ['run_id', 'status'], registers: [] });
  private readonly lastTick = new Gauge({ name: 'tsdbt_last_tick_timestamp_seconds', help: 'When the scheduler last ticked (Unix time), whether it built or skipped', registers: [] });
  private readonly rows = new Gauge({ name: 'tsdbt_node_rows_affected', help: 'Rows affected per node in the last run', labelNames: ['node'], registers: [this.registry] });
  private readonly nodeSeconds = new Gauge({ name: 'tsdbt_node_duration_seconds', help: 'Execution time per node in the last run', labelNames: ['node'], registers: [this.registry] });
  private readonly testFailures = new Gauge({ name: 'tsdbt_test_failures', help: 'Failing rows per data test in the last run', labelNames: ['test'], registers: [this.registry] });
  private readonly nodeStatus = new Gauge({ name: 'tsdbt_node_status', help: 'Each node of the last build with its status (success, error, skipped, pass, fail, warn, ...); always 1', labelNames: ['node', 'status'], registers: [this.registry] });
  private readonly testsFailing = new Gauge({ name: 'tsdbt_tests_failing', help: 'Data and unit tests that failed or errored in the last build', registers: [] });
  private readonly loaderLag = new Gauge({ name: 'tsdbt_loader_lag_messages', help: 'Messages still to load per source partition', labelNames: ['source', 'partition'], registers: [this.registry] });
  private readonly loaderRows = new Gauge({ name: 'tsdbt_loader_rows_loaded', help: 'Rows loaded since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderRate = new Gauge({ name: 'tsdbt_loader_rows_per_second', help: 'Recent loader throughput per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderDead = new Gauge({ name: 'tsdbt_loader_dead_letters', help: 'Messages sent to the dead-letter table since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderGaps = new Gauge({ name: 'tsdbt_loader_offset_gaps', help: 'Offsets passed over without a readable message (transaction markers, aborted or compacted messages) since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderLost = new Gauge({ name: 'tsdbt_loader_messages_lost', help: 'Messages never loaded (deleted by retention first, or passed over by offset_reset: latest) since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });

  private ticked = false;
  private built = false;

  recordTick(at: Date): void {
    if (!this.ticked) this.registry.registerMetric(this.lastTick);
    this.ticked = true;
    this.lastTick.set(at.getTime() / 1000);
  }

  recordRun(runId: string, status: RunStatus, seconds: number, endedAt: Date, results: NodeResult[]): void {
    this.runs.inc({ status });
    if (status === 'skipped') return;
    if (!this.built) for (const gauge of [this.lastStatus, this.lastDuration, this.lastEnd, this.lastInfo, this.testsFailing]) this.registry.registerMetric(gauge);
    this.built = true;
    this.lastInfo.reset();
    // Replaced by each build: a node that passes again (or is no longer built) leaves the failing set.
    this.nodeStatus.reset();
    this.testsFailing.set(results.filter((r) => isTest(r.unique_id) && (r.status === 'fail' || r.status === 'error')).length);
    this.lastInfo.set({ run_id: runId, status }, 1);
    this.lastStatus.set(status === 'success' ? 1 : 0);
    this.lastDuration.set(seconds);
    this.lastEnd.set(endedAt.getTime() / 1000);
    for (const r of results) {
      if (isTest(r.unique_id) && r.failures !== null && r.failures !== undefined) this.testFailures.set({ test: r.unique_id }, r.failures);
      const affected = r.adapter_response.rows_affected;
      // -1: dbt-postgres' "no count" (a view's CREATE VIEW).
      if (typeof affected === 'number' && affected >= 0) this.rows.set({ node: r.unique_id }, affected);
      this.nodeSeconds.set({ node: r.unique_id }, r.execution_time);
      this.nodeStatus.set({ node: r.unique_id, status: r.status }, 1);
    }
  }

  recordLoader(source: string, result: LoadResult, rowsPerSecond: number): void {
    for (const [partition, lag] of Object.entries(result.lag)) this.loaderLag.set({ source, partition }, lag);
    this.loaderRows.set({ source }, result.loaded);
    this.loaderRate.set({ source }, rowsPerSecond);
    this.loaderDead.set({ source }, result.deadLetters);
    this.loaderGaps.set({ source }, result.gaps);
    this.loaderLost.set({ source }, result.lost);
  }
}

/** A data test (`test.`) or unit test (`unit_test.`): the resource type leads its unique_id. */
function isTest(uniqueId: string): boolean {
  const resourceType = uniqueId.slice(0, uniqueId.indexOf('.'));
  return resourceType === 'test' || resourceType === 'unit_test';
}

/** Serves /health and /metrics on 127.0.0.1:`port` (0: any free port); resolves with the bound port. */
export async function serveMetrics(metrics: ScheduleMetrics, port: number, health: () => HealthReport): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/health') {
      const body = health();
      res.writeHead(body.status === 'ok' ? 200 : 503, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    } else if (req.url === '/metrics') {
      void metrics.registry.metrics().then((text) => {
        res.writeHead(200, { 'content-type': metrics.registry.contentType });
        res.end(text);
      });
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found: try /health or /metrics\n');
    }
  });
  const bound = await listenOn(server, port, { serving: '/health and /metrics', portFlag: '--port' });
  return { port: bound, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
