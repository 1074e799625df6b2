// The Grafana provisioning files (grafana/provisioning, copied into /etc/grafana/provisioning by the
// README's one-line step) parse as Grafana reads them, and fit together: the dashboard provider
// points at the folder holding the dashboard, every data source the dashboard picks by uid is
// provisioned with that uid and plugin id, panels reach their data source only through those
// variables, panel ids stay as they are (links and alerts name them), and the layout fits the grid.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../support/run-cli.js';
import { allPanels, DASHBOARD_FILE, loadDashboard, PROVISIONING_DIR, type Panel } from '../support/grafana-dashboard.js';

/** Where the README's step copies grafana/provisioning (the deb and rpm packages' provisioning path). */
const GRAFANA_PROVISIONING = '/etc/grafana/provisioning';

interface ProvisionedDataSource {
  name: string;
  uid: string;
  type: string;
  jsonData?: Record<string, unknown>;
}

/** The YAML files Grafana reads in one provisioning folder: *.yaml and *.yml, not subfolders. */
function yamlFiles(folder: string): { file: string; doc: Record<string, unknown> }[] {
  const dir = path.join(PROVISIONING_DIR, folder);
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => {
      const text = readFileSync(path.join(dir, e.name), 'utf8');
      return { file: `${folder}/${e.name}`, doc: parse(text, { strict: true, uniqueKeys: true }) as Record<string, unknown> };
    });
}

const datasourceFiles = yamlFiles('datasources');
const providerFiles = yamlFiles('dashboards');
const datasources = datasourceFiles.flatMap((f) => f.doc.datasources as ProvisionedDataSource[]);
const dashboard = loadDashboard();
const panels = allPanels(dashboard);
const variables = dashboard.templating.list;

describe('Grafana provisioning files', () => {
  it('are provisioning YAML, version 1: three data sources and one dashboard provider', () => {
    for (const { file, doc } of [...datasourceFiles, ...providerFiles]) expect(doc.apiVersion, file).toBe(1);
    expect(datasources.map((d) => [d.uid, d.type]).sort()).toEqual([
      ['tsdbt-clickhouse', 'grafana-clickhouse-datasource'],
      ['tsdbt-postgresql', 'grafana-postgresql-datasource'],
      ['tsdbt-prometheus', 'prometheus'],
    ]);
    for (const d of datasources) expect(d.name, d.uid).toMatch(/^tsdbt /);
    expect(providerFiles.flatMap((f) => f.doc.providers as unknown[])).toHaveLength(1);
  });

  it('point the dashboard provider at the folder the dashboard is copied to', () => {
    const [provider] = providerFiles.flatMap((f) => f.doc.providers as { type: string; options: { path: string } }[]);
    expect(provider?.type).toBe('file');
    const target = provider?.options.path ?? '';
    expect(target.startsWith(`${GRAFANA_PROVISIONING}/`), target).toBe(true);
    const inRepository = path.join(PROVISIONING_DIR, path.relative(GRAFANA_PROVISIONING, target));
    expect(readdirSync(inRepository)).toEqual([path.basename(DASHBOARD_FILE)]);
    expect(path.join(inRepository, path.basename(DASHBOARD_FILE))).toBe(DASHBOARD_FILE);
  });

  it('provision every data source the dashboard picks, with the uid and plugin id it picks', () => {
    const pickers = variables.filter((v) => v.type === 'datasource');
    expect(pickers.map((v) => v.name).sort()).toEqual(['clickhouse', 'postgres', 'prometheus']);
    for (const v of pickers) {
      const provisioned = datasources.find((d) => d.uid === v.current.value);
      expect(provisioned, `data source ${v.current.value} of $${v.name}`).toBeDefined();
      expect(provisioned?.type, v.name).toBe(v.query);
      expect(v.current.text, v.name).toBe(provisioned?.name);
    }
    expect(datasources.filter((d) => !pickers.some((v) => v.current.value === d.uid))).toEqual([]);
  });

  it('name in the README every environment variable they read', () => {
    const readme = readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('### Dashboard'));
    // Grafana expands $NAME and ${NAME} in values (os.ExpandEnv), not in keys or comments.
    const values = (node: unknown): string[] => (typeof node === 'string' ? [node] : node && typeof node === 'object' ? Object.values(node).flatMap(values) : []);
    const names = new Set([...datasourceFiles, ...providerFiles].flatMap((f) => values(f.doc).flatMap((v) => [...v.matchAll(/\$\{?([A-Za-z_]\w*)\}?/g)].map((m) => m[1] as string))));
    expect([...names].sort()).toEqual(['TSDBT_CH_HOST', 'TSDBT_CH_PASSWORD', 'TSDBT_CH_PORT', 'TSDBT_CH_SCHEMA', 'TSDBT_CH_USER', 'TSDBT_PG_DBNAME', 'TSDBT_PG_HOST', 'TSDBT_PG_PASSWORD', 'TSDBT_PG_PORT', 'TSDBT_PG_USER', 'TSDBT_PROMETHEUS_URL']);
    for (const name of names) expect(section, name).toContain(name);
  });
});

describe('the dashboard JSON', () => {
  it('is a classic dashboard model at schema version 41 (Grafana 12.0; Grafana 11 reads it as it is)', () => {
    expect(dashboard).toMatchObject({ uid: 'tsdbt-pipeline', id: null, schemaVersion: 41, editable: true, timezone: 'utc' });
    // What the migrations up to 41 leave: refresh a string (40), no timepicker.time_options (41).
    expect(typeof dashboard.refresh).toBe('string');
    expect(dashboard.timepicker).not.toHaveProperty('time_options');
  });

  it('keeps its panel ids (dashboard links and alert rules name them)', () => {
    expect(Object.fromEntries(panels.map((p) => [p.id, `${p.type}: ${p.title}`]))).toEqual({
      1: 'row: Schedule and loader (tsdbt schedule --port, /metrics)',
      2: 'stat: Last run',
      3: 'stat: Since last success',
      4: 'stat: Failing tests',
      5: 'bargauge: Runs by status',
      6: 'table: Tests not passing (last build)',
      7: 'timeseries: Node durations',
      8: 'timeseries: Loader lag',
      9: 'timeseries: Loader rows/s',
      10: 'row: Sessions on PostgreSQL (${pg_schema}.mart_session_metrics)',
      11: 'timeseries: Sessions per 5 minutes',
      12: 'stat: Median session duration',
      13: 'stat: Conversion',
      20: 'row: Sessions on ClickHouse (${ch_database}.mart_session_metrics)',
      21: 'timeseries: Sessions per 5 minutes',
      22: 'stat: Median session duration',
      23: 'stat: Conversion',
    });
  });

  it('reaches data sources only through the data source variables, of the same plugin', () => {
    const pickers = new Map(variables.filter((v) => v.type === 'datasource').map((v) => [v.name, v.query]));
    const refs = panels.filter((p) => p.type !== 'row').flatMap((p) => [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)].map((ref) => ({ panel: p.id, ref })));
    for (const { panel, ref } of refs) {
      const variable = /^\$\{(\w+)\}$/.exec(ref?.uid ?? '')?.[1] ?? '';
      expect(pickers.has(variable), `panel ${panel}: data source ${JSON.stringify(ref)}`).toBe(true);
      expect(ref?.type, `panel ${panel}`).toBe(pickers.get(variable));
    }
    for (const p of panels.filter((p) => p.type !== 'row')) expect(p.targets?.length, `panel ${p.id}`).toBeGreaterThan(0);
  });

  it('lays its panels on the 24-column grid without overlaps, each row above its panels', () => {
    const cells = new Map<string, number>();
    for (const p of panels) {
      const { x, y, w, h } = p.gridPos;
      expect(x + w, `panel ${p.id}`).toBeLessThanOrEqual(24);
      for (let i = x; i < x + w; i++) {
        for (let j = y; j < y + h; j++) {
          expect(cells.get(`${i},${j}`), `panel ${p.id} overlaps panel ${cells.get(`${i},${j}`)}`).toBeUndefined();
          cells.set(`${i},${j}`, p.id);
        }
      }
    }
    const rows = panels.filter((p) => p.type === 'row');
    const rowOf = (p: Panel) => rows.filter((r) => r.gridPos.y < p.gridPos.y).at(-1)?.id;
    const under = (rowId: number) => panels.filter((p) => p.type !== 'row' && rowOf(p) === rowId).map((p) => p.id);
    expect(under(1)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(under(10)).toEqual([11, 12, 13]);
    expect(under(20)).toEqual([21, 22, 23]);
  });
});
