// The docs site's page script (bundled by src/docs/bundle-app.ts): reads the project's data
// (site-source.ts: tsdbt-docs-data.js or inlined in static_index.html; the list is drawn first, every
// other view once the data tests' entries are decoded, a frame later) and routes `#!/overview`,
// `#!/node/<id>`, `#!/graph?select=..&exclude=..` and `#!/columns?node=..&column=..`. The list, the
// overview and the graph need only the entries and show at once; a node's page and the column
// view wait for the pages' text (a line saying so meanwhile).
import { parseDepth, renderColumns } from './column-view.js';
import { renderGraph } from './graph-view.js';
import { IdleSteps } from './idle-steps.js';
import { warmUpSteps } from './layout.js';
import { el } from './dom.js';
import { renderNode, renderOverview } from './pages.js';
import { Sidebar } from './sidebar.js';
import { Site } from './site.js';
import { loadPages, readEntries } from './site-source.js';

const entries = readEntries();
const site = new Site(entries.index, entries.withTests, loadPages());
const main = document.getElementById('main') as HTMLElement;
const title = document.getElementById('title') as HTMLElement;
title.textContent = `${site.data.project} docs`;
title.addEventListener('click', () => go('overview'));

function current(): string {
  return location.hash.replace(/^#!?\/?/, '');
}

function go(route: string): void {
  if (current() === route) void show();
  else location.hash = `#!/${route}`;
}

const sidebar = new Sidebar(site, document.getElementById('list') as HTMLElement, document.getElementById('search') as HTMLInputElement, go);
document.getElementById('tab-project')?.addEventListener('click', () => sidebar.setView('project'));
document.getElementById('tab-database')?.addEventListener('click', () => sidebar.setView('database'));

async function show(): Promise<void> {
  // Every view but the list reads the data tests (counts, tests of a node, selection through them): drawn once they are in.
  if (!site.hasTests) {
    const route = current();
    await site.testsLoaded;
    if (current() === route) await show();
    return;
  }
  // Scrolled back first, while the page's layout is still clean: after any change to the page,
  // setting scrollTop would force a layout of the whole page (its list of every resource).
  main.scrollTop = 0;
  const route = current();
  const [path = '', query = ''] = route.split('?', 2) as [string, string?];
  const params = new URLSearchParams(query);
  main.classList.remove('wide');
  // Graphs take the whole window (the list comes back with its button in the graph's toolbar).
  document.body.classList.toggle('graph-mode', /^(graph|columns)\b/.test(path));
  if ((path.startsWith('node/') || path === 'columns') && !site.hasPages) {
    main.textContent = '';
    main.append(el('p', 'Loading…', { class: 'muted', id: 'loading' }));
    if (path.startsWith('node/')) sidebar.setActive(decodeURIComponent(path.slice('node/'.length)));
    try {
      await site.pagesLoaded;
    } catch (err) {
      main.textContent = '';
      main.append(el('p', String((err as Error).message), { class: 'error', id: 'loading' }));
      return;
    }
    if (current() === route) await show();
    return;
  }
  if (path.startsWith('node/')) {
    const id = decodeURIComponent(path.slice('node/'.length));
    sidebar.setActive(id);
    renderNode(main, site, id);
    return;
  }
  sidebar.setActive(null);
  if (path === 'graph' || path.startsWith('graph/')) {
    // `#!/graph/+model+` (links of earlier sites) selects like `?select=+model+`.
    const legacy = path.startsWith('graph/') ? decodeURIComponent(path.slice('graph/'.length)) : '';
    renderGraph(main, site, { select: params.get('select') ?? legacy, exclude: params.get('exclude') ?? '', all: params.get('all') === '1' }, go);
    return;
  }
  if (path === 'columns') {
    await renderColumns(main, site, { node: params.get('node') ?? '', column: params.get('column') ?? '', up: parseDepth(params.get('up'), null), down: parseDepth(params.get('down'), 0) }, go);
    return;
  }
  renderOverview(main, site);
}

window.addEventListener('hashchange', () => void show());
sidebar.setView('project');
void show();
// A search typed before the data tests were in lists them too.
void site.testsLoaded.then(() => sidebar.refreshSearch());
// Opened on a column view, its layout starts ELK; otherwise ELK is warmed up once the pages are
// loaded and the reader has not changed the route for two seconds (its worker compiles 1.6 MB of
// script and lays out four graphs, about a second of CPU: not while the first view, nor a graph
// the reader just asked for, is being drawn). (Pages that did not load are reported by the page
// that needs them.)
const warmUp = new IdleSteps(warmUpSteps());
window.addEventListener('hashchange', () => warmUp.busy());
site.pagesLoaded.then(
  () => {
    if (!current().startsWith('columns')) warmUp.start();
  },
  () => undefined,
);
