// The Grafana dashboard in grafana/provisioning (README.md, Scheduling: Dashboard), read the way
// Grafana reads it, for tests that run its queries: its panels (rows flattened), their SQL and
// PromQL targets, and the query text Grafana would send for a fixed time range.
//
// Grafana turns a panel's SQL into the statement the warehouse runs in two steps, and so do
// `interpolateVariables` and the two `expand*Macros` below, for the variables and macros this
// dashboard uses (anything else left in the text is an error, never passed through):
// 1. the browser replaces dashboard variables, `$name` and `${name}`, with their current value;
// 2. the data source's backend replaces its macros with SQL for the dashboard's time range:
//    - PostgreSQL (grafana/grafana pkg/tsdb/grafana-postgresql-datasource/macros.go):
//      `$__timeFilter(col)`       -> `col BETWEEN '<from>' AND '<to>'` (RFC 3339, UTC, no trailing zero fraction)
//      `$__timeGroupAlias(col, '5m')` -> `floor(extract(epoch from col)/300)*300 AS "time"`
//    - ClickHouse (grafana/clickhouse-datasource pkg/macros/macros.go):
//      `$__timeFilter(col)`       -> `col >= toDateTime(<from s>) AND col <= toDateTime(<to s>)`
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parser } from '@prometheus-io/lezer-promql';
import { REPO_ROOT } from './run-cli.js';

export const GRAFANA_DIR = path.join(REPO_ROOT, 'grafana');
export const PROVISIONING_DIR = path.join(GRAFANA_DIR, 'provisioning');
/** The dashboard file the provider in provisioning/dashboards/tsdbt.yaml loads. */
export const DASHBOARD_FILE = path.join(PROVISIONING_DIR, 'dashboards', 'tsdbt', 'tsdbt-pipeline.json');

export interface DataSourceRef {
  type: string;
  uid: string;
}

export interface Target {
  refId: string;
  datasource?: DataSourceRef;
  expr?: string;
  rawSql?: string;
  format?: string | number;
  queryType?: string;
  editorType?: string;
  instant?: boolean;
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: DataSourceRef;
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
  collapsed?: boolean;
}

export interface Variable {
  name: string;
  type: string;
  query: string;
  current: { text: string; value: string };
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  refresh: string;
  timepicker: Record<string, unknown>;
  panels: Panel[];
  templating: { list: Variable[] };
}

export function loadDashboard(file = DASHBOARD_FILE): Dashboard {
  return JSON.parse(readFileSync(file, 'utf8')) as Dashboard;
}

/** Every panel, rows included, with the panels of collapsed rows. */
export function allPanels(dashboard: Dashboard): Panel[] {
  return dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]);
}

export interface PanelQuery {
  panel: Panel;
  target: Target;
  /** The data source plugin id the query goes to. */
  type: string;
  text: string;
}

/** Each query of each panel, with the plugin it is for (the target's data source, else the panel's). */
export function panelQueries(dashboard: Dashboard): PanelQuery[] {
  return allPanels(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((target) => {
      const type = target.datasource?.type ?? panel.datasource?.type ?? '';
      return { panel, target, type, text: target.rawSql ?? target.expr ?? '' };
    }),
  );
}

/** Step 1: dashboard variables (`$name`, `${name}`) by their value; other `$...` text is left as is. */
export function interpolateVariables(text: string, values: Record<string, string>): string {
  return text.replace(/\$\{(\w+)\}|\$(\w+)/g, (match, braced: string | undefined, bare: string | undefined) => {
    const name = braced ?? bare ?? '';
    return Object.hasOwn(values, name) ? (values[name] as string) : match;
  });
}

export interface TimeRange {
  from: Date;
  to: Date;
}

/** Go's time.RFC3339Nano for a UTC time: no fraction when it is zero, trailing zeros dropped. */
function rfc3339Nano(at: Date): string {
  const [seconds, fraction = ''] = at.toISOString().replace(/Z$/, '').split('.');
  const digits = fraction.replace(/0+$/, '');
  return `${seconds}${digits ? `.${digits}` : ''}Z`;
}

/** Go's gtime.ParseInterval for the units these queries use: '5m' -> 300 s. */
function intervalSeconds(text: string): number {
  const match = /^'?(\d+)(s|m|h|d)'?$/.exec(text.trim());
  if (!match) throw new Error(`unsupported interval ${text}`);
  return Number(match[1]) * { s: 1, m: 60, h: 3600, d: 86400 }[match[2] as 's' | 'm' | 'h' | 'd'];
}

const MACRO = /\$(__\w+)\(([^)]*)\)/g;

function replaceMacros(sql: string, expand: (name: string, args: string[]) => string): string {
  const out = sql.replace(MACRO, (_m, name: string, args: string) => expand(name, args.split(',').map((a) => a.trim())));
  const left = /\$\S*/.exec(out);
  if (left) throw new Error(`not interpolated: ${left[0]} in\n${out}`);
  return out;
}

/** Step 2 on PostgreSQL (Grafana's built-in data source). */
export function expandPostgresMacros(sql: string, range: TimeRange): string {
  return replaceMacros(sql, (name, args) => {
    const column = args[0] ?? '';
    switch (name) {
      case '__timeFilter':
        return `${column} BETWEEN '${rfc3339Nano(range.from)}' AND '${rfc3339Nano(range.to)}'`;
      case '__timeGroupAlias': {
        const seconds = intervalSeconds(args[1] ?? '');
        return `floor(extract(epoch from ${column})/${seconds})*${seconds} AS "time"`;
      }
      default:
        throw new Error(`macro $${name} is not implemented here: add it as Grafana expands it`);
    }
  });
}

/** Step 2 on ClickHouse (the grafana-clickhouse-datasource plugin). */
export function expandClickHouseMacros(sql: string, range: TimeRange): string {
  const seconds = (at: Date) => Math.floor(at.getTime() / 1000);
  return replaceMacros(sql, (name, args) => {
    const column = args[0] ?? '';
    switch (name) {
      case '__timeFilter':
        return `${column} >= toDateTime(${seconds(range.from)}) AND ${column} <= toDateTime(${seconds(range.to)})`;
      default:
        throw new Error(`macro $${name} is not implemented here: add it as Grafana expands it`);
    }
  });
}

/**
 * Grafana's global variables in a PromQL expression, as the browser replaces them for the time
 * range before the query goes to Prometheus: `$__range` (the range, in seconds), `$__interval`
 * and `$__rate_interval` (as for a 15 s scrape interval and 1 minute resolution).
 */
export function interpolatePromql(expr: string, range: TimeRange): string {
  const values: Record<string, string> = {
    __range: `${Math.round((range.to.getTime() - range.from.getTime()) / 1000)}s`,
    __interval: '1m',
    __rate_interval: '1m15s',
  };
  const out = expr.replace(/\$\{(__\w+)\}|\$(__\w+)/g, (match, braced: string | undefined, bare: string | undefined) => values[braced ?? bare ?? ''] ?? match);
  const left = /\$\S*/.exec(out);
  if (left) throw new Error(`not interpolated: ${left[0]} in ${out}`);
  return out;
}

/**
 * The metric names a PromQL expression selects (the name of each vector selector), parsed with
 * Prometheus' own grammar (@prometheus-io/lezer-promql, the parser of Prometheus' and Grafana's
 * query editors); a syntax error throws.
 */
export function promqlMetricNames(expr: string): string[] {
  const names = new Set<string>();
  const errors: number[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) errors.push(node.from);
      if (node.name === 'Identifier' && node.node.parent?.name === 'VectorSelector') names.add(expr.slice(node.from, node.to));
    },
  });
  if (errors.length) throw new Error(`not PromQL, at ${errors[0]}: ${expr}`);
  return [...names];
}
