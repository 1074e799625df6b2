// Every SQL panel of the Grafana dashboard (grafana/provisioning/dashboards/tsdbt/) runs against the
// example project's marts as Grafana would run it for a fixed time range (variables, then the data
// source's macros: test/support/grafana-dashboard.ts), on the PostgreSQL server and on ClickHouse
// (chDB), and returns what the TypeScript oracle computes from the seed files: sessions per 5
// minutes, the median duration, the conversion. A renamed mart column fails here, not in Grafana.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/run-cli.js';
import { epochSeconds, expectedFromSeeds } from '../support/sessionize.js';
import { expandClickHouseMacros, expandPostgresMacros, interpolateVariables, loadDashboard, panelQueries, type PanelQuery, type TimeRange } from '../support/grafana-dashboard.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

// Part of the seed data's five days: sessions before and after it must be left out.
const RANGE: TimeRange = { from: new Date('2024-03-05T00:00:00Z'), to: new Date('2024-03-07T12:00:00Z') };

/** What each panel must show, from the oracle's sessions (not from the warehouse). */
function expectedPanels() {
  const from = RANGE.from.getTime() / 1000;
  const to = RANGE.to.getTime() / 1000;
  const all = expectedFromSeeds(REPO_ROOT).sessions;
  const sessions = all.filter((s) => epochSeconds(s.session_start) >= from && epochSeconds(s.session_start) <= to);
  const buckets = new Map<number, number>();
  for (const s of sessions) {
    const bucket = Math.floor(epochSeconds(s.session_start) / 300) * 300;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + 1);
  }
  // The median as PostgreSQL's percentile_cont and ClickHouse's quantileExactInclusive take it:
  // the middle value, or the mean of the two middle ones.
  const durations = sessions.map((s) => s.duration_seconds).sort((a, b) => a - b);
  const mid = (durations.length - 1) / 2;
  const median = ((durations[Math.floor(mid)] as number) + (durations[Math.ceil(mid)] as number)) / 2;
  return {
    total: all.length,
    inRange: sessions.length,
    perFiveMinutes: [...buckets].sort(([a], [b]) => a - b).map(([time, n]) => ({ time, sessions: n })),
    median,
    conversion: sessions.filter((s) => s.purchased).length / sessions.length,
  };
}

const expected = expectedPanels();

const WAREHOUSES = [
  { kind: 'server', plugin: 'grafana-postgresql-datasource', variable: 'pg_schema', expand: expandPostgresMacros },
  { kind: 'chdb', plugin: 'grafana-clickhouse-datasource', variable: 'ch_database', expand: expandClickHouseMacros },
] as const;

/** A time column as Unix seconds: PostgreSQL's epoch number, or ClickHouse's DateTime text (UTC). */
const unixSeconds = (v: unknown): number => (typeof v === 'string' && v.includes(' ') ? Date.parse(`${v.replace(' ', 'T')}Z`) / 1000 : Number(v));

it('spans part of the seed sessions (so the time filter matters)', () => {
  expect(expected.inRange).toBeGreaterThan(100);
  expect(expected.inRange).toBeLessThan(expected.total);
  expect(expected.perFiveMinutes.length).toBeGreaterThan(50);
});

describe.each(WAREHOUSES)('the dashboard SQL on $kind ($plugin)', ({ kind, plugin, variable, expand }) => {
  let p: WarehouseProject;
  const queries = panelQueries(loadDashboard()).filter((q) => q.type === plugin);
  const run = async (q: PanelQuery) => p.sql(expand(interpolateVariables(q.text, { [variable]: p.schema }), RANGE));
  const byTitle = (title: string) => {
    const found = queries.filter((q) => q.panel.title === title);
    expect(found, title).toHaveLength(1);
    return found[0] as PanelQuery;
  };

  beforeAll(async () => {
    p = warehouseProject(kind, {}, { example: true });
    const build = await p.run('build');
    expect(build.code, build.output).toBe(0);
  }, 300_000);
  afterAll(() => p?.cleanup());

  it('has the three mart panels, and nothing else reads this warehouse', () => {
    expect(queries.map((q) => q.panel.title).sort()).toEqual(['Conversion', 'Median session duration', 'Sessions per 5 minutes']);
    for (const q of queries) expect(q.text, q.panel.title).toMatch(new RegExp(`\\$\\{${variable}\\}\\.mart_session_metrics\\b`));
  });

  it('sessions per 5 minutes: one row per window with sessions, counted as the oracle counts them', async () => {
    const rows = await run(byTitle('Sessions per 5 minutes'));
    expect(Object.keys(rows[0] ?? {})).toEqual(['time', 'sessions']);
    expect(rows.map((r) => ({ time: unixSeconds(r.time), sessions: Number(r.sessions) }))).toEqual(expected.perFiveMinutes);
  });

  it('median session duration', async () => {
    const rows = await run(byTitle('Median session duration'));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.median_duration_seconds)).toBe(expected.median);
  });

  it('conversion: sessions with a purchase over all sessions', async () => {
    const rows = await run(byTitle('Conversion'));
    expect(rows).toHaveLength(1);
    expect(Number(rows[0]?.conversion)).toBeCloseTo(expected.conversion, 12);
    expect(expected.conversion).toBeGreaterThan(0);
  });
});

describe("the macro expansion, against Grafana's own examples", () => {
  const range: TimeRange = { from: new Date(1415792726_000), to: new Date(1447328726_120) };

  it('PostgreSQL: $__timeFilter as RFC 3339 (trailing zeros of the fraction dropped), $__timeGroupAlias as epoch buckets', () => {
    expect(expandPostgresMacros("SELECT $__timeGroupAlias(t, '5m'), 1 FROM x WHERE $__timeFilter(t)", range)).toBe(
      `SELECT floor(extract(epoch from t)/300)*300 AS "time", 1 FROM x WHERE t BETWEEN '2014-11-12T11:45:26Z' AND '2015-11-12T11:45:26.12Z'`,
    );
  });

  it('ClickHouse: $__timeFilter in whole seconds (the plugin README: time >= toDateTime(1415792726) AND ...)', () => {
    expect(expandClickHouseMacros('SELECT 1 WHERE $__timeFilter(time)', range)).toBe('SELECT 1 WHERE time >= toDateTime(1415792726) AND time <= toDateTime(1447328726)');
  });

  it('refuses a macro or variable it does not expand, rather than sending it on', () => {
    expect(() => expandClickHouseMacros('SELECT $__timeInterval(t)', range)).toThrow(/timeInterval is not implemented/);
    expect(() => expandPostgresMacros('SELECT 1 FROM ${schema}.t', range)).toThrow(/not interpolated: \$\{schema\}/);
    expect(interpolateVariables('${a}.t, $a, $__timeFilter(x), ${b}', { a: 's' })).toBe('s.t, s, $__timeFilter(x), ${b}');
  });
});
