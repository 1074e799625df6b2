// What the scheduler exposes on 127.0.0.1: `/health` (ok, or degraded with the last run's age and
// status, as HTTP 503) and `/metrics` in Prometheus' text format (prom-client), so Grafana can chart
// and alert on runs, models, tests and the loader.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Counter, Gauge, Registry } from 'prom-client';
import type { NodeResult } from '../execution/results.js';
import type { LoadResult } from '../loader/kafka-loader.js';
import type { RunStatus } from './run-history.js';

export class ScheduleMetrics {
  readonly registry = new Registry();
  private readonly runs = new Counter({ name: 'tsdbt_runs_total', help: 'Scheduled runs by status', labelNames: ['status'], registers: [this.registry] });
  private readonly lastStatus = new Gauge({ name: 'tsdbt_last_run_success', help: '1 when the last run succeeded, 0 when it failed', registers: [this.registry] });
  private readonly lastDuration = new Gauge({ name: 'tsdbt_last_run_duration_seconds', help: 'Duration of the last run', registers: [this.registry] });
  private readonly lastEnd = new Gauge({ name: 'tsdbt_last_run_timestamp_seconds', help: 'When the last run ended (Unix time)', registers: [this.registry] });
  private readonly rows = new Gauge({ name: 'tsdbt_node_rows_affected', help: 'Rows affected per node in the last run', labelNames: ['node'], registers: [this.registry] });
  private readonly nodeSeconds = new Gauge({ name: 'tsdbt_node_duration_seconds', help: 'Execution time per node in the last run', labelNames: ['node'], registers: [this.registry] });
  private readonly testFailures = new Gauge({ name: 'tsdbt_test_failures', help: 'Failing rows per data test in the last run', labelNames: ['test'], registers: [this.registry] });
  private readonly loaderLag = new Gauge({ name: 'tsdbt_loader_lag_messages', help: 'Messages still to load per source partition', labelNames: ['source', 'partition'], registers: [this.registry] });
  private readonly loaderRows = new Gauge({ name: 'tsdbt_loader_rows_loaded', help: 'Rows loaded since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderRate = new Gauge({ name: 'tsdbt_loader_rows_per_second', help: 'Recent loader throughput per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderDead = new Gauge({ name: 'tsdbt_loader_dead_letters', help: 'Messages sent to the dead-letter table since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderGaps = new Gauge({ name: 'tsdbt_loader_offset_gaps', help: 'Offsets passed over without a readable message (transaction markers, aborted or compacted messages) since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });
  private readonly loaderLost = new Gauge({ name: 'tsdbt_loader_messages_lost', help: 'Messages never loaded (deleted by retention first, or passed over by offset_reset: latest) since the scheduler started, per source', labelNames: ['source'], registers: [this.registry] });

  last: { status: RunStatus; endedAt: Date } | null = null;

  recordRun(status: RunStatus, seconds: number, endedAt: Date, results: NodeResult[]): void {
    this.runs.inc({ status });
    if (status === 'skipped') return;
    this.last = { status, endedAt };
    this.lastStatus.set(status === 'success' ? 1 : 0);
    this.lastDuration.set(seconds);
    this.lastEnd.set(endedAt.getTime() / 1000);
    for (const r of results) {
      if (r.failures !== null && r.failures !== undefined) this.testFailures.set({ test: r.unique_id }, r.failures);
      const affected = r.adapter_response.rows_affected;
      if (typeof affected === 'number') this.rows.set({ node: r.unique_id }, affected);
      this.nodeSeconds.set({ node: r.unique_id }, r.execution_time);
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

  /** ok, or degraded when the last run failed or is older than `staleAfterSeconds`. */
  health(now: Date, staleAfterSeconds: number): { status: 'ok' | 'degraded'; last_run_status: RunStatus | null; last_run_age_seconds: number | null } {
    if (!this.last) return { status: 'ok', last_run_status: null, last_run_age_seconds: null };
    const age = Math.round((now.getTime() - this.last.endedAt.getTime()) / 1000);
    const degraded = this.last.status !== 'success' || age > staleAfterSeconds;
    return { status: degraded ? 'degraded' : 'ok', last_run_status: this.last.status, last_run_age_seconds: age };
  }
}

/** Serves /health and /metrics on 127.0.0.1:`port` (0: any free port); resolves with the bound port. */
export async function serveMetrics(metrics: ScheduleMetrics, port: number, health: () => ReturnType<ScheduleMetrics['health']>): Promise<{ port: number; close(): Promise<void> }> {
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
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return { port: (server.address() as AddressInfo).port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
