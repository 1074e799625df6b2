// The overview and a page per resource: models, sources, seeds, snapshots, analyses, exposures,
// semantic models, metrics, saved queries, groups, data tests, unit tests and macros, each with
// what dbt docs shows for it, the tests on it with their last status, and sources' last freshness.
import type { SiteEntry, SiteNode } from '../site-types.js';
import { box, el, html, link, safeUrl } from './dom.js';
import { columnLink } from './column-view.js';
import { DRAW_LIMIT, graphRoute } from './graph-view.js';
import { lineageSelector } from './selection.js';
import { GRAPH_TYPES, RESOURCE_TYPES, TYPE_LABEL, type Site } from './site.js';

const nodeRoute = (id: string) => `node/${encodeURIComponent(id)}`;

function nodeLink(site: Site, id: string): HTMLElement {
  const n = site.get(id);
  return link(n ? (n.resourceType === 'source' ? `${n.sourceName ?? ''}.${n.name}` : n.name) : id, nodeRoute(id), { title: id });
}

function status(value: string | null | undefined): HTMLElement {
  const text = value ?? 'not run';
  return el('span', text, { class: `status ${text.replace(/\s+/g, '-')}` });
}

function section(main: HTMLElement, title: string, id?: string): void {
  main.append(el('h2', title, id ? { id: `${id}-heading` } : undefined));
}

function table(headers: string[], rows: (string | Node | null)[][], attrs?: Record<string, string>): HTMLTableElement {
  const t = el('table', null, attrs);
  t.append(box('tr', null, ...headers.map((h) => el('th', h))));
  for (const row of rows) t.append(box('tr', null, ...row.map((cell) => (cell instanceof Node ? box('td', null, cell) : el('td', cell ?? '')))));
  return t;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

function ago(seconds: number | null): string {
  if (seconds === null) return '';
  const units: [number, string][] = [[86400, 'day'], [3600, 'hour'], [60, 'minute']];
  for (const [size, unit] of units) if (seconds >= size) return `${Math.floor(seconds / size)} ${unit}${Math.floor(seconds / size) === 1 ? '' : 's'} ago`;
  return `${Math.round(seconds)} seconds ago`;
}

/** The project's front page: what it holds, the last run, where to go. */
export function renderOverview(main: HTMLElement, site: Site): void {
  main.textContent = '';
  const { data } = site;
  main.append(el('h1', data.project), el('p', `Generated ${data.generatedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')} by tsdbt docs generate.`, { class: 'muted' }));
  const counts = new Map<string, number>();
  for (const n of data.nodes) counts.set(n.resourceType, (counts.get(n.resourceType) ?? 0) + 1);
  section(main, 'Resources');
  main.append(
    table(
      ['Type', 'Count'],
      RESOURCE_TYPES.filter(([type]) => counts.has(type)).map(([type, label]) => [label, String(counts.get(type))]),
      { class: 'counts', id: 'counts' },
    ),
  );
  const drawable = data.nodes.filter((n) => GRAPH_TYPES.has(n.resourceType)).length;
  main.append(box('p', null, link(drawable <= DRAW_LIMIT ? 'The whole lineage graph' : 'The lineage graph (select a part of it)', graphRoute({})), drawable <= DRAW_LIMIT ? ` (${drawable} nodes)` : ''));
  const runs = data.nodes.filter((n) => n.lastRun);
  if (runs.length) {
    section(main, 'Last run');
    const byStatus = new Map<string, number>();
    for (const n of runs) byStatus.set(n.lastRun?.status ?? '', (byStatus.get(n.lastRun?.status ?? '') ?? 0) + 1);
    main.append(el('p', data.runGeneratedAt ? `target/run_results.json of ${data.runGeneratedAt.replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}` : '', { class: 'muted' }));
    main.append(table(['Status', 'Nodes'], [...byStatus].sort().map(([s, c]) => [status(s), String(c)]), { id: 'run-summary' }));
    const failing = runs.filter((n) => ['fail', 'error', 'warn', 'runtime error'].includes(n.lastRun?.status ?? ''));
    if (failing.length) main.append(table(['Node', 'Status', 'Message'], failing.map((n) => [nodeLink(site, n.id), status(n.lastRun?.status), n.lastRun?.message ?? '']), { id: 'run-problems' }));
  }
}

export function renderNode(main: HTMLElement, site: Site, id: string): void {
  main.textContent = '';
  const n = site.node(id);
  if (!n) {
    main.append(el('p', `No such node: ${id}`));
    return;
  }
  const nav = el('nav', null, { class: 'links' });
  if (GRAPH_TYPES.has(n.resourceType)) nav.append(link('Lineage graph', graphRoute({ select: lineageSelector(n) }), { id: 'lineage-link' }));
  main.append(nav);
  const kind = el('span', TYPE_LABEL[n.resourceType] ?? n.resourceType, { class: 'kind' });
  kind.style.background = `var(--c-${n.resourceType})`;
  main.append(box('p', { class: 'kind-line' }, kind, ' ', el('span', n.id, { class: 'muted' })));
  main.append(el('h1', n.name));
  if (n.label && n.label !== n.name) main.append(el('p', n.label, { class: 'label' }));
  main.append(details(site, n));
  if (n.descriptionHtml) main.append(html(n.descriptionHtml, { class: 'description' }));

  const props = n.properties ?? {};
  switch (n.resourceType) {
    case 'exposure':
      break; // type, maturity, owner and url are in the details; what it reads is below
    case 'semantic_model':
      semanticModel(main, site, n, props);
      break;
    case 'metric':
      section(main, 'Definition', 'definition');
      main.append(el('pre', json({ type: props.type, type_params: props.type_params, filter: props.filter }), { id: 'metric-definition' }));
      break;
    case 'saved_query':
      savedQuery(main, site, props);
      break;
    case 'group':
      group(main, site, n);
      break;
    case 'unit_test':
      unitTest(main, props);
      break;
    case 'test':
      section(main, 'Test', 'test');
      main.append(
        table(['Node', 'Column', 'Test', 'Arguments'], [[box('span', null, ...n.parents.flatMap((p, i) => [i ? ', ' : '', nodeLink(site, p)])), n.testColumn ?? '', n.testName ?? 'singular', n.testKwargs ? el('code', json(n.testKwargs)) : '']], { id: 'test-of' }),
      );
      break;
    default:
      break;
  }
  if (n.freshness !== undefined) freshness(main, n);
  if (n.columns.length) columns(main, site, n);
  const tests = site.testsOf(n.id);
  if (tests.length) {
    section(main, 'Tests', 'tests');
    main.append(
      table(
        ['Test', 'Kind', 'Column', 'Last status', 'Message'],
        tests.map((t) => [nodeLink(site, t.id), TYPE_LABEL[t.resourceType] ?? t.resourceType, t.testColumn ?? '', status(t.lastRun?.status), t.lastRun?.message ?? (t.lastRun?.failures ? `${t.lastRun.failures} failing rows` : '')]),
        { id: 'tests' },
      ),
    );
  }
  if (n.columnLineage) lineageTable(main, site, n);
  const parents = [...new Set(n.parents)];
  const children = [...new Set(n.children)].filter((c) => !['test', 'unit_test'].includes(site.get(c)?.resourceType ?? ''));
  for (const [title, ids, sectionId] of [['Depends on', parents, 'depends-on'], ['Referenced by', children, 'referenced-by']] as const) {
    if (!ids.length) continue;
    section(main, title, sectionId);
    const ul = el('ul', null, { id: sectionId });
    for (const pid of ids) {
      const p = site.get(pid);
      ul.append(box('li', null, nodeLink(site, pid), p ? el('span', ` (${TYPE_LABEL[p.resourceType] ?? p.resourceType})`, { class: 'muted' }) : null));
    }
    main.append(ul);
  }
  if (n.rawSql !== null) {
    section(main, n.resourceType === 'macro' ? 'Macro' : 'Source code');
    main.append(el('pre', n.rawSql, { id: 'raw-sql' }));
  }
  if (n.compiledSql !== null) {
    section(main, 'Compiled SQL');
    main.append(el('pre', n.compiledSql, { id: 'compiled-sql' }));
  }
  section(main, 'Config');
  main.append(el('pre', json(n.config), { id: 'config' }));
}

function details(site: Site, n: SiteNode): HTMLTableElement {
  const rows: [string, string | Node][] = [];
  const p = n.properties ?? {};
  const owner = p.owner as { name?: unknown; email?: unknown } | undefined;
  rows.push(['Type', TYPE_LABEL[n.resourceType] ?? n.resourceType]);
  if (n.resourceType === 'exposure') {
    if (p.type) rows.push(['Exposure type', String(p.type)]);
    if (p.maturity) rows.push(['Maturity', String(p.maturity)]);
    if (p.url) rows.push(['URL', safeUrl(p.url)]);
  }
  if (owner && (owner.name || owner.email)) rows.push(['Owner', [owner.name, owner.email ? `<${String(owner.email)}>` : ''].filter(Boolean).join(' ')]);
  rows.push(['Package', n.package], ['Path', n.path]);
  if (n.relation) rows.push(['Relation', n.relation]);
  if (typeof n.config.materialized === 'string' && !['test', 'unit_test', 'source'].includes(n.resourceType)) rows.push(['Materialization', n.config.materialized]);
  if (typeof n.config.access === 'string') rows.push(['Access', n.config.access]);
  if (typeof n.config.group === 'string') rows.push(['Group', site.get(`group.${n.package}.${n.config.group}`) ? nodeLink(site, `group.${n.package}.${n.config.group}`) : n.config.group]);
  if (n.version !== null && n.version !== undefined) rows.push(['Version', `${String(n.version)}${n.latestVersion !== null && n.latestVersion !== undefined ? ` (latest: ${String(n.latestVersion)})` : ''}`]);
  const contract = n.config.contract as { enforced?: unknown } | undefined;
  if (contract?.enforced === true) rows.push(['Contract', 'enforced']);
  if (n.tags.length) rows.push(['Tags', box('span', null, ...n.tags.map((t) => el('span', t, { class: 'tag' })))]);
  if (n.rowCount !== null) rows.push(['Rows', String(n.rowCount)]);
  if (n.lastRun) {
    const r = n.lastRun;
    rows.push(['Last run', box('span', { id: 'last-run' }, status(r.status), ` in ${r.seconds.toFixed(2)} s${r.failures ? `, ${r.failures} failing rows` : ''}${r.message ? ` (${r.message})` : ''}`)]);
  }
  const t = el('table', null, { class: 'details', id: 'details' });
  for (const [k, v] of rows) t.append(box('tr', null, el('th', k), box('td', null, v)));
  return t;
}

function columns(main: HTMLElement, site: Site, n: SiteNode): void {
  section(main, 'Columns', 'columns');
  const tests = site.testsOf(n.id);
  const t = el('table', null, { id: 'columns' });
  t.append(box('tr', null, ...['Column', 'Type', 'Description', 'Tests'].map((h) => el('th', h))));
  for (const c of n.columns) {
    const cell = el('td');
    c.tests.forEach((name, i) => {
      const test = tests.find((x) => x.testName === name && x.testColumn === c.name);
      if (i) cell.append(' ');
      cell.append(test ? box('span', { class: 'column-test', 'data-test': test.id }, link(name, nodeRoute(test.id)), ' ', status(test.lastRun?.status)) : el('span', name));
    });
    const desc = html(c.descriptionHtml);
    t.append(box('tr', null, el('td', c.name), el('td', c.type ?? ''), box('td', null, desc), cell));
  }
  main.append(t);
}

function lineageTable(main: HTMLElement, site: Site, n: SiteNode): void {
  section(main, 'Column lineage', 'column-lineage');
  const l = n.columnLineage;
  if (!l) return;
  if ('error' in l) {
    main.append(el('p', `Not available: ${l.error}`, { id: 'lineage-error' }));
    return;
  }
  const t = el('table', null, { id: 'column-lineage' });
  for (const [column, ups] of Object.entries(l.columns)) {
    const td = el('td');
    ups.forEach((u, i) => {
      if (i) td.append(', ');
      td.append(nodeLink(site, u.node), `.${u.column}`);
    });
    t.append(box('tr', null, box('td', null, columnLink(n, column)), td));
  }
  main.append(t);
}

function freshness(main: HTMLElement, n: SiteNode): void {
  section(main, 'Freshness', 'freshness');
  const f = n.freshness;
  const criteria = (n.properties?.freshness ?? null) as Record<string, unknown> | null;
  if (!f) {
    main.append(el('p', criteria ? 'No freshness check in target/sources.json yet (run tsdbt source freshness).' : 'No freshness criteria.', { id: 'freshness', class: 'muted' }));
    return;
  }
  const rows: [string, string | Node][] = [['Status', status(f.status)]];
  if (f.maxLoadedAt) rows.push(['Last loaded', `${f.maxLoadedAt} (${ago(f.ageSeconds)})`]);
  if (f.snapshottedAt) rows.push(['Checked at', f.snapshottedAt]);
  if (f.criteria) rows.push(['Criteria', el('code', JSON.stringify(f.criteria))]);
  if (f.error) rows.push(['Error', f.error]);
  const t = el('table', null, { class: 'details', id: 'freshness' });
  for (const [k, v] of rows) t.append(box('tr', null, el('th', k), box('td', null, v)));
  main.append(t);
}

const list = (value: unknown): Record<string, unknown>[] => (Array.isArray(value) ? value.filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null) : []);
const str = (value: unknown) => (value === undefined || value === null ? '' : typeof value === 'string' ? value : JSON.stringify(value));

function semanticModel(main: HTMLElement, site: Site, n: SiteNode, p: Record<string, unknown>): void {
  section(main, 'Semantic model', 'semantic-model');
  const rows: [string, string | Node][] = [['Model', n.parents[0] ? nodeLink(site, n.parents[0]) : str(p.model)]];
  if (p.defaults) rows.push(['Defaults', el('code', JSON.stringify(p.defaults))]);
  if (p.primary_entity) rows.push(['Primary entity', str(p.primary_entity)]);
  const t = el('table', null, { class: 'details' });
  for (const [k, v] of rows) t.append(box('tr', null, el('th', k), box('td', null, v)));
  main.append(t);
  for (const [title, key, cols] of [
    ['Entities', 'entities', ['name', 'type', 'expr', 'description']],
    ['Dimensions', 'dimensions', ['name', 'type', 'type_params', 'expr', 'description']],
    ['Measures', 'measures', ['name', 'agg', 'expr', 'agg_time_dimension', 'description']],
  ] as const) {
    const items = list(p[key]);
    if (!items.length) continue;
    main.append(el('h3', title));
    main.append(table([...cols], items.map((item) => cols.map((c) => str(item[c]))), { id: key }));
  }
}

function savedQuery(main: HTMLElement, site: Site, p: Record<string, unknown>): void {
  const q = (p.query_params ?? {}) as Record<string, unknown>;
  section(main, 'Query', 'query');
  const rows: [string, string | Node][] = [];
  const metrics = Array.isArray(q.metrics) ? q.metrics.map(String) : [];
  rows.push(['Metrics', box('span', null, ...metrics.flatMap((m, i) => [i ? ', ' : '', site.data.nodes.find((x) => x.resourceType === 'metric' && x.name === m) ? link(m, nodeRoute((site.data.nodes.find((x) => x.resourceType === 'metric' && x.name === m) as SiteEntry).id)) : m]))]);
  if (q.group_by) rows.push(['Group by', el('code', (Array.isArray(q.group_by) ? q.group_by : [q.group_by]).map(String).join(', '))]);
  // manifest.json's where: {where_filters: [{where_sql_template}]}, as dbt writes it.
  const whereFilters = (q.where as { where_filters?: { where_sql_template?: unknown }[] } | null)?.where_filters;
  if (Array.isArray(whereFilters) && whereFilters.length > 0) rows.push(['Where', el('code', whereFilters.map((f) => String(f.where_sql_template)).join(' and '))]);
  const t = el('table', null, { class: 'details', id: 'query-params' });
  for (const [k, v] of rows) t.append(box('tr', null, el('th', k), box('td', null, v)));
  main.append(t);
  const exports = list(p.exports);
  if (exports.length) {
    main.append(el('h3', 'Exports'));
    main.append(table(['name', 'config'], exports.map((e) => [str(e.name), str(e.config)]), { id: 'exports' }));
  }
}

function group(main: HTMLElement, site: Site, n: SiteEntry): void {
  const members = site.membersOf(n.name);
  section(main, 'Members', 'members');
  if (!members.length) main.append(el('p', 'No resource is in this group.', { class: 'muted' }));
  else main.append(table(['Resource', 'Type', 'Access'], members.map((m) => [nodeLink(site, m.id), TYPE_LABEL[m.resourceType] ?? m.resourceType, str(m.config.access) || 'protected']), { id: 'members' }));
}

function rowsView(rows: unknown): Node {
  if (typeof rows === 'string') return el('pre', rows);
  const items = list(rows);
  if (!items.length) return el('p', '(no rows)', { class: 'muted' });
  const cols = [...new Set(items.flatMap((r) => Object.keys(r)))];
  return table(cols, items.map((r) => cols.map((c) => str(r[c]))));
}

function unitTest(main: HTMLElement, p: Record<string, unknown>): void {
  section(main, 'Given', 'given');
  for (const g of list(p.given)) {
    main.append(el('h3', str(g.input)));
    main.append(rowsView(g.rows));
  }
  section(main, 'Expect', 'expect');
  main.append(rowsView((p.expect as { rows?: unknown } | undefined)?.rows));
  const overrides = p.overrides as Record<string, Record<string, unknown>> | undefined;
  if (overrides && Object.values(overrides).some((o) => o && Object.keys(o).length)) {
    section(main, 'Overrides');
    main.append(el('pre', json(overrides)));
  }
}
