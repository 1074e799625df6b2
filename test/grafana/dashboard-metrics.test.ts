// Every PromQL expression of the Grafana dashboard parses (Prometheus' own grammar, once Grafana's
// variables are replaced) and names only metrics tsdbt exports: a real
// scheduler (a manual clock, one tick, one build with a failing test) is scraped at /metrics, and
// so are the loader's metrics, from the registry the scheduler feeds with `--with-loader` (the
// loader's own run is test/e2e/schedule.test.ts, "tsdbt schedule --with-loader"). A metric renamed
// in src/schedule/metrics.ts fails here, not in Grafana.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { scheduleCommand } from '../../src/app/schedule-command.js';
import { ScheduleMetrics, serveMetrics } from '../../src/schedule/metrics.js';
import { interpolatePromql, loadDashboard, panelQueries, promqlMetricNames, type TimeRange } from '../support/grafana-dashboard.js';
import { manualClock, runQueue } from '../support/schedule-clock.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

const RANGE: TimeRange = { from: new Date('2026-01-01T00:00:00Z'), to: new Date('2026-01-01T06:00:00Z') };
/** Each PromQL target as Prometheus receives it: Grafana's variables ($__range...) replaced. */
const expressions = panelQueries(loadDashboard())
  .filter((q) => q.type === 'prometheus')
  .map((q) => ({ ...q, text: interpolatePromql(q.text, RANGE) }));

/** The metric names with at least one sample in a /metrics text (HELP and TYPE lines alone do not count). */
function sampled(text: string): Set<string> {
  return new Set(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('#'))
      .map((l) => /^[a-zA-Z_:][\w:]*/.exec(l)?.[0] ?? ''),
  );
}

async function scrape(port: number): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/metrics`);
  expect(response.status).toBe(200);
  return response.text();
}

describe('the dashboard PromQL', () => {
  let p: WarehouseProject;
  let scheduler = '';
  let loader = '';
  beforeAll(async () => {
    p = warehouseProject('server', {
      'models/m.sql': 'select 1 as id\n',
      'tests/m_is_empty.sql': "select id from {{ ref('m') }}\n",
    });
    const lines: string[] = [];
    const clock = manualClock(new Date('2026-01-01T00:00:00Z'));
    const runs = runQueue();
    const stop = new AbortController();
    let listening: (port: number) => void = () => undefined;
    const bound = new Promise<number>((resolve) => (listening = resolve));
    const inv = createInvocation({ projectDir: p.dir, write: (l) => lines.push(l), writeError: (l) => lines.push(l), env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    const done = scheduleCommand(inv, { clock, port: 0, onListening: (n) => listening(n), signal: stop.signal, onRunFinished: (r) => runs.push(r) });
    try {
      const port = await bound;
      await clock.tick();
      expect((await runs.next()).status, lines.join('\n')).toBe('error'); // the test fails
      scheduler = await scrape(port);
    } finally {
      stop.abort();
    }
    expect(await done, lines.join('\n')).toBe(0);

    const metrics = new ScheduleMetrics();
    metrics.recordLoader('source.demo.raw.events', { loaded: 10, duplicates: 0, deadLetters: 0, messages: 10, gaps: 0, lost: 0, lag: { 0: 3 } }, 2);
    const server = await serveMetrics(metrics, 0, () => {
      throw new Error('/health is not asked here');
    });
    try {
      loader = await scrape(server.port);
    } finally {
      await server.close();
    }
  });
  afterAll(() => p?.cleanup());

  it('has the schedule and loader panels', () => {
    expect(expressions.map((q) => q.panel.title)).toEqual(['Last run', 'Since last success', 'Failing tests', 'Runs by status', 'Tests not passing (last build)', 'Node durations', 'Loader lag', 'Loader rows/s']);
    expect(new Set(expressions.flatMap((q) => promqlMetricNames(q.text)))).toEqual(
      new Set([
        'tsdbt_last_run_success',
        'tsdbt_last_run_timestamp_seconds',
        'tsdbt_tests_failing',
        'tsdbt_runs_total',
        'tsdbt_node_status',
        'tsdbt_node_duration_seconds',
        'tsdbt_loader_lag_messages',
        'tsdbt_loader_rows_per_second',
      ]),
    );
  });

  it.each(expressions.map((q) => [q.panel.title, q.text] as const))('%s: every metric it names is on /metrics', (_title, expr) => {
    const exported = new Set([...sampled(scheduler), ...sampled(loader)]);
    const names = promqlMetricNames(expr);
    expect(names.length, expr).toBeGreaterThan(0);
    for (const name of names) expect(exported, `${name} in ${expr}`).toContain(name);
    // The loader's metrics alone come from the registry; the rest from the running scheduler.
    for (const name of names.filter((n) => !n.startsWith('tsdbt_loader_'))) expect(sampled(scheduler), name).toContain(name);
  });

  it('reads a failing test in the last build as the failing-tests panels do', () => {
    expect(scheduler).toMatch(/^tsdbt_tests_failing 1$/m);
    expect(scheduler).toMatch(/^tsdbt_node_status\{node="test\.demo\.m_is_empty",status="fail"\} 1$/m);
    expect(scheduler).toMatch(/^tsdbt_node_status\{node="model\.demo\.m",status="success"\} 1$/m);
  });
});

describe('promqlMetricNames and interpolatePromql', () => {
  it.each([
    ['sum by (status) (increase(tsdbt_runs_total[$__range]))', ['tsdbt_runs_total']],
    ['time() - max(max_over_time((a_seconds and (b_success == 1))[1d:1m]))', ['a_seconds', 'b_success']],
    ['x{node=~"(unit_)?test\\\\..+", status=~"fail|error"} offset 5m', ['x']],
    ['rate(y[$__rate_interval]) / on (instance) group_left (job) z > bool 1e3', ['y', 'z']],
  ])('%s', (expr, names) => {
    expect(promqlMetricNames(interpolatePromql(expr, RANGE))).toEqual(names);
  });

  it('refuses what Prometheus would refuse, and a variable it does not replace', () => {
    expect(() => promqlMetricNames('sum(x')).toThrow(/not PromQL/);
    expect(() => promqlMetricNames('sum by status (x)')).toThrow(/not PromQL/);
    expect(() => interpolatePromql('x{node="$node"}', RANGE)).toThrow(/not interpolated: \$node/);
    expect(interpolatePromql('increase(x[$__range]) / ${__range}', RANGE)).toBe('increase(x[21600s]) / 21600s');
  });
});
