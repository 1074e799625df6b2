// The docs site in a real browser: the example project (plus an exposure, a group, a semantic
// model with metrics and a saved query, a unit test and a source with freshness criteria:
// test/support/docs-fixtures.ts) is built, checked for freshness and documented with --static,
// then index.html is opened from file:// in headless Chromium (Debian's, driven by playwright-core)
// with every request that is not a file refused. Screenshots of each view are saved under the
// repository's target/docs-screenshots/ for people; the test asserts on the DOM: arrowheads at
// the children, no two boxes overlapping, every edge of the selection drawn, the drawing filling
// its frame, the selection box selecting what the CLI selects, column lineage at three depths, a
// page per resource type with tests' last status and sources' freshness, and static_index.html
// working on its own.
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { loadProject } from '../../src/app/project-loader.js';
import { selectForInvocation } from '../../src/app/select.js';
import { sourceFreshnessCommand } from '../../src/app/source-freshness.js';
import { DOCS_FIXTURE_FILES, withMartsGroup } from '../support/docs-fixtures.js';
import { readDocsSite } from '../support/docs-site.js';
import { REPO_ROOT } from '../support/run-cli.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

// Functions the test runs in the page (page.evaluate, evaluateAll, waitForFunction) use the
// browser's globals; the test itself is compiled without the DOM library, so what they read of the
// DOM is declared here.
interface PageRect {
  left: number;
  top: number;
  right: number;
  bottom: number;
}
/** An element as the page functions read it (the SVG drawing's paths have getTotalLength and the rest). */
interface PageElement {
  textContent: string | null;
  getAttribute(name: string): string | null;
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  closest(selector: string): PageElement | null;
  getBoundingClientRect(): PageRect;
  getTotalLength(): number;
  getPointAtLength(length: number): { x: number; y: number };
  getScreenCTM(): { a: number; b: number; c: number; d: number; e: number; f: number } | null;
}
declare const document: Pick<PageElement, 'querySelector' | 'querySelectorAll'>;
declare const location: { hash: string };

const SHOTS = path.join(REPO_ROOT, 'target', 'docs-screenshots');
const P = 'session_analytics';
/** What the fixtures declare downstream of the marts (all drawn in the graph). */
const DECLARED_DOWNSTREAM = [
  `exposure.${P}.partner_export`,
  `exposure.${P}.sessions_dashboard`,
  `metric.${P}.average_session_duration`,
  `metric.${P}.session_count`,
  `metric.${P}.total_session_duration`,
  `saved_query.${P}.sessions_by_day`,
  `semantic_model.${P}.sessions`,
];
const CLI_TYPES = /^(model|seed|snapshot|source|analysis)\./;

interface Box {
  id: string;
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The drawing of a graph or column view: boxes, edges (with where each ends), the frame. */
async function drawing(page: Page, svgSelector: string, boxSelector: string) {
  return page.evaluate(
    ({ svgSelector, boxSelector }) => {
      const svg = document.querySelector(svgSelector);
      if (!svg) throw new Error(`no ${svgSelector} in the page`);
      const rect = (e: PageElement | null | undefined): PageRect => {
        if (!e) throw new Error('a drawn element without its rect');
        const r = e.getBoundingClientRect();
        return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
      };
      const boxes = [...svg.querySelectorAll(boxSelector)].map((g) => ({ id: g.getAttribute('data-id') ?? '', ...rect(g.querySelector('rect')) }));
      // The arrowheads, all in one path: triangles (corner, tip, corner).
      const heads = [...(svg.querySelector('path.arrows')?.getAttribute('d') ?? '').matchAll(/M(-?[\d.]+),(-?[\d.]+) L(-?[\d.]+),(-?[\d.]+) L(-?[\d.]+),(-?[\d.]+)z/g)].map((h) => h.slice(1).map(Number));
      const edges = [...svg.querySelectorAll('path.edge')].map((p) => {
        const length = p.getTotalLength();
        const end = p.getPointAtLength(length);
        const before = p.getPointAtLength(Math.max(0, length - 0.5));
        const m = p.getScreenCTM();
        if (!m) throw new Error('a path without a screen matrix');
        // An arrowhead with its tip at the edge's end, pointing the way the edge ends.
        const arrowhead = heads.some(([ax = 0, ay = 0, tx = 0, ty = 0, bx = 0, by = 0]) => {
          const [cx, cy] = [(ax + bx) / 2, (ay + by) / 2];
          const along = ((tx - cx) * (end.x - before.x) + (ty - cy) * (end.y - before.y)) / (Math.hypot(tx - cx, ty - cy) * Math.hypot(end.x - before.x, end.y - before.y));
          return Math.hypot(tx - end.x, ty - end.y) < 0.2 && along > 0.99;
        });
        return { from: p.getAttribute('data-from') ?? '', to: p.getAttribute('data-to') ?? '', arrowhead, end: { x: m.a * end.x + m.c * end.y + m.e, y: m.b * end.x + m.d * end.y + m.f } };
      });
      const texts = [...svg.querySelectorAll('text')].map((t) => ({ text: t.textContent ?? '', ...rect(t), box: rect(t.closest('g.node, g.table')?.querySelector('rect')) }));
      return { frame: rect(svg), boxes, edges, texts, arrow: svg.querySelector('marker#arrow path') !== null, legend: [...document.querySelectorAll('#legend span')].map((s) => s.getAttribute('data-type')) };
    },
    { svgSelector, boxSelector },
  );
}

function overlapping(boxes: Box[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i] as Box;
      const b = boxes[j] as Box;
      if (Math.min(a.right, b.right) - Math.max(a.left, b.left) > 0.5 && Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top) > 0.5) out.push([a.id, b.id]);
    }
  }
  return out;
}

describe('the docs site in headless Chromium', () => {
  let p: WarehouseProject;
  let browser: Browser;
  let url: string;
  let site: { nodes: { id: string; parents: string[]; resourceType: string }[] };
  /** What `tsdbt ls --select ... --exclude ...` selects (tests left out), by the CLI's code path. */
  let cliSelect: (select: string, exclude?: string) => string[];
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    p = warehouseProject('pglite', {}, { example: true });
    for (const [file, text] of Object.entries(DOCS_FIXTURE_FILES)) p.write(file, text);
    p.write('dbt_project.yml', withMartsGroup(readFileSync(path.join(p.dir, 'dbt_project.yml'), 'utf8')));
    const built = await p.run('build');
    expect(built.code, built.output).toBe(0);
    const inv = (options: { select?: string[]; exclude?: string[] } = {}) =>
      createInvocation({ projectDir: p.dir, write: () => {}, writeError: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir }, ...options });
    expect(await sourceFreshnessCommand(inv())).toBe(0);
    expect(await docsGenerateCommand(inv(), { compile: true, emptyCatalog: false, static: true })).toBe(0);
    site = readDocsSite(path.join(p.dir, 'target'));
    cliSelect = (select, exclude) => {
      const i = inv({ select: [select], exclude: exclude ? [exclude] : [] });
      const project = loadProject(i);
      return [...selectForInvocation(i, project.parsed.manifest, project.parsed.dag, project)].filter((id) => CLI_TYPES.test(id)).sort();
    };
    mkdirSync(SHOTS, { recursive: true });
    url = pathToFileURL(path.join(p.dir, 'target', 'index.html')).href;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await p?.cleanup();
  });

  /** A page that may read files and blobs only: any other request is recorded and refused. */
  async function open(hash = '', file = url): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.route('**/*', (route) => {
      const target = route.request().url();
      if (target.startsWith('file:') || target.startsWith('blob:') || target.startsWith('data:')) return route.continue();
      requests.push(target);
      return route.abort();
    });
    await page.goto(`${file}${hash}`);
    return page;
  }

  /** Sets the hash and waits for the drawing of that selection to be ready. */
  async function graph(page: Page, select: string, exclude = ''): Promise<void> {
    const q = new URLSearchParams();
    if (select) q.set('select', select);
    if (exclude) q.set('exclude', exclude);
    await page.evaluate((h) => (location.hash = h), `#!/graph?${q.toString()}`);
    await page.waitForFunction(([s, e]) => {
      const svg = document.querySelector('#graph');
      return svg !== null && svg.getAttribute('data-select') === s && svg.getAttribute('data-exclude') === e && ['ready', 'error', 'empty'].includes(svg.getAttribute('data-state') ?? '');
    }, [select, exclude]);
  }

  it('shows the overview and finds a model whose page lists columns, tests with their last status, lineage and SQL', async () => {
    const page = await open();
    await expect.poll(() => page.locator('main h1').textContent()).toBe(P);
    const counts = await page.locator('#counts tr td:first-child').allTextContents();
    expect(counts).toEqual(expect.arrayContaining(['Models', 'Sources', 'Seeds', 'Snapshots', 'Exposures', 'Semantic models', 'Metrics', 'Saved queries', 'Groups', 'Unit tests', 'Data tests']));
    expect(await page.locator('#run-summary').textContent()).toMatch(/pass/);
    await page.screenshot({ path: path.join(SHOTS, 'index.png') });
    await page.fill('#search', 'mart_session');
    const found = await page.locator('#list button').evaluateAll((bs: PageElement[]) => bs.map((b) => b.getAttribute('title') ?? ''));
    expect(found.length).toBeGreaterThan(1);
    expect(found.every((id) => id.includes('mart_session'))).toBe(true);
    await page.locator(`#list button[title="model.${P}.mart_session_metrics"]`).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('mart_session_metrics');
    const columns = await page.locator('#columns tr td:first-child').allTextContents();
    expect(columns).toEqual(expect.arrayContaining(['session_id', 'user_id', 'session_start', 'duration_seconds', 'page_views']));
    const types = await page.locator('#columns tr td:nth-child(2)').allTextContents();
    expect(types[columns.indexOf('duration_seconds')]).toMatch(/integer|bigint|numeric/);
    // Each column test with its last status, and the tests table (data tests and the unit test).
    expect(await page.locator(`#columns .column-test[data-test^="test.${P}.unique_mart_session_metrics_session_id."] .status`).textContent()).toBe('pass');
    const tests = await page.locator('#tests tr').evaluateAll((rows: PageElement[]) => rows.slice(1).map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
    expect(tests).toEqual(expect.arrayContaining([['single_event_session_lasts_zero_seconds', 'unit test', '', 'pass', ''], ['unique_mart_session_metrics_session_id', 'data test', 'session_id', 'pass', '']]));
    expect(tests.length).toBeGreaterThan(8);
    expect(await page.locator('#details').textContent()).toMatch(/Groupanalytics/);
    expect(await page.locator('#compiled-sql').textContent()).toMatch(/from "[^"]+"\."[^"]+"\."int_sessions"/);
    expect(await page.locator('#depends-on li a').allTextContents()).toContain('int_sessions');
    expect(await page.locator('#referenced-by li a').allTextContents()).toEqual(expect.arrayContaining(['sessions_dashboard', 'sessions', 'session_metrics_snapshot']));
    const lineageRows = await page.locator('#column-lineage tr').evaluateAll((rows: PageElement[]) => rows.map((r) => r.textContent ?? ''));
    expect(lineageRows).toContain('duration_secondsint_sessions.session_end, int_sessions.session_start');
    await page.screenshot({ path: path.join(SHOTS, 'model.png') });
    await page.close();
  });

  it('draws the graph around +int_sessions+: every edge with an arrowhead at the child, no overlapping boxes, fitted to the frame', async () => {
    const page = await open();
    await graph(page, '+int_sessions+');
    const d = await drawing(page, '#graph', 'g.node');
    const expected = [...cliSelect('+int_sessions+'), ...DECLARED_DOWNSTREAM].sort();
    expect(d.boxes.map((b) => b.id).sort()).toEqual(expected);
    const byId = new Map(site.nodes.map((n) => [n.id, n]));
    const expectedEdges = expected.flatMap((id) => [...new Set(byId.get(id)?.parents ?? [])].filter((p) => expected.includes(p)).map((p) => `${p} -> ${id}`)).sort();
    expect(expectedEdges.length).toBeGreaterThan(15);
    expect(d.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual(expectedEdges);
    expect(d.arrow).toBe(true);
    const boxOf = new Map(d.boxes.map((b) => [b.id, b]));
    for (const e of d.edges) {
      expect(e.arrowhead, `${e.from} -> ${e.to}`).toBe(true);
      // The edge ends (where its arrowhead is) on the left side of the child's box: data flows to it.
      const child = boxOf.get(e.to) as Box;
      expect(Math.abs(e.end.x - child.left), `${e.from} -> ${e.to}`).toBeLessThan(2);
      expect(e.end.y).toBeGreaterThanOrEqual(child.top - 1);
      expect(e.end.y).toBeLessThanOrEqual(child.bottom + 1);
    }
    expect(overlapping(d.boxes)).toEqual([]);
    for (const t of d.texts) expect(t.right, t.text).toBeLessThanOrEqual(t.box.right);
    // Fitted: every box inside the frame, the drawing spanning most of it one way or the other.
    const left = Math.min(...d.boxes.map((b) => b.left));
    const right = Math.max(...d.boxes.map((b) => b.right));
    const top = Math.min(...d.boxes.map((b) => b.top));
    const bottom = Math.max(...d.boxes.map((b) => b.bottom));
    expect(left).toBeGreaterThanOrEqual(d.frame.left);
    expect(right).toBeLessThanOrEqual(d.frame.right);
    expect(top).toBeGreaterThanOrEqual(d.frame.top);
    expect(bottom).toBeLessThanOrEqual(d.frame.bottom);
    expect(Math.max((right - left) / (d.frame.right - d.frame.left), (bottom - top) / (d.frame.bottom - d.frame.top))).toBeGreaterThan(0.8);
    expect(await page.locator('#graph g.node.focus').getAttribute('data-id')).toBe(`model.${P}.int_sessions`);
    // Laid out by the layered layout in the page, as graphs of every size (ELK's worker took
    // hundreds of milliseconds even for a graph this small).
    expect(await page.locator('#graph').getAttribute('data-layout')).toBe('layered');
    expect(d.legend).toEqual(['model', 'seed', 'snapshot', 'exposure', 'semantic_model', 'metric', 'saved_query']);
    await page.screenshot({ path: path.join(SHOTS, 'graph-int_sessions.png') });
    // Zoom buttons change the scale; fit brings the whole drawing back.
    const fitted = Number(await page.locator('#graph').getAttribute('data-scale'));
    await page.click('#zoom-in');
    expect(Number(await page.locator('#graph').getAttribute('data-scale'))).toBeCloseTo(fitted * 1.25, 3);
    await page.click('#zoom-fit');
    expect(Number(await page.locator('#graph').getAttribute('data-scale'))).toBeCloseTo(fitted, 3);
    // Pointing at a box highlights its edges (the ones in and out of it), and only while pointing.
    const hot = () => page.locator('#graph path.edge.hot').evaluateAll((ps: PageElement[]) => ps.map((p) => `${p.getAttribute('data-from') ?? ''} -> ${p.getAttribute('data-to') ?? ''}`).sort());
    const id = `model.${P}.int_sessions`;
    await page.locator(`#graph g.node[data-id="${id}"]`).hover();
    expect(await hot()).toEqual(expectedEdges.filter((e) => e.startsWith(`${id} ->`) || e.endsWith(`-> ${id}`)));
    expect(await hot()).not.toEqual([]);
    // Its tooltip says what it is (made when the pointer first reaches the box).
    expect(await page.locator(`#graph g.node[data-id="${id}"] > title`).textContent()).toBe(`model ${id}`);
    await page.mouse.move(1, 1);
    expect(await hot()).toEqual([]);
    // A click on a box opens its page.
    await page.locator(`#graph g.node[data-id="model.${P}.stg_events"]`).click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('stg_events');
    await page.close();
  });

  it('draws a second graph without reading the frame size from the page (a forced layout), and fits it again when the frame is resized', async () => {
    const page = await open();
    await graph(page, '+int_sessions+');
    // Counts reads of a frame's size through the layout-forcing DOM properties from here on.
    await page.evaluate(() => {
      type Proto = { prototype: object };
      const w = globalThis as unknown as { frameReads: number; Element: Proto; HTMLElement: Proto };
      w.frameReads = 0;
      for (const name of ['clientWidth', 'clientHeight', 'offsetWidth', 'offsetHeight']) {
        const own = Object.getOwnPropertyDescriptor(w.Element.prototype, name) ?? Object.getOwnPropertyDescriptor(w.HTMLElement.prototype, name);
        if (!own?.get) continue;
        Object.defineProperty(w.HTMLElement.prototype, name, {
          configurable: true,
          get(this: { classList: { contains(c: string): boolean } }) {
            if (this.classList.contains('frame')) w.frameReads++;
            return own.get?.call(this) as number;
          },
        });
      }
    });
    await graph(page, '+stg_events+');
    expect(await page.evaluate(() => (globalThis as unknown as { frameReads: number }).frameReads)).toBe(0);
    const fittedIn = async () => {
      const d = await drawing(page, '#graph', 'g.node');
      const [left, right] = [Math.min(...d.boxes.map((b) => b.left)), Math.max(...d.boxes.map((b) => b.right))];
      const [top, bottom] = [Math.min(...d.boxes.map((b) => b.top)), Math.max(...d.boxes.map((b) => b.bottom))];
      const inside = left >= d.frame.left - 0.5 && right <= d.frame.right + 0.5 && top >= d.frame.top - 0.5 && bottom <= d.frame.bottom + 0.5;
      return inside && Math.max((right - left) / (d.frame.right - d.frame.left), (bottom - top) / (d.frame.bottom - d.frame.top)) > 0.8;
    };
    expect(await fittedIn()).toBe(true);
    const scale = await page.locator('#graph').getAttribute('data-scale');
    // A narrower window: the drawing, untouched since it was fitted, is fitted to the new frame.
    await page.setViewportSize({ width: 700, height: 500 });
    await expect.poll(() => page.locator('#graph').getAttribute('data-scale')).not.toBe(scale);
    expect(await fittedIn()).toBe(true);
    await page.close();
  });

  it('leaves out the labels of a graph zoomed out too far to read them (boxes and tooltips stay), and draws them again zoomed in', async () => {
    const page = await open();
    await graph(page, '+int_sessions+');
    const scale = async () => Number(await page.locator('#graph').getAttribute('data-scale'));
    // The width each label is drawn at (0: not drawn), and each box's.
    const drawnWidths = () => page.locator('#graph g.node').evaluateAll((gs: PageElement[]) => gs.map((g) => [g.querySelector('text')?.getBoundingClientRect(), g.querySelector('rect')?.getBoundingClientRect()].map((r) => (r ? r.right - r.left : -1))));
    const near = await drawnWidths();
    expect(near.length).toBeGreaterThan(3);
    for (const [label, box] of near) {
      expect(label).toBeGreaterThan(0);
      expect(box).toBeGreaterThan(0);
    }
    // Zoomed out step by step: the labels (12px) go once they would be under 6 pixels, all at once.
    let readable = await scale();
    for (let i = 0; i < 30 && (await drawnWidths()).every(([label]) => (label as number) > 0); i++) {
      readable = await scale();
      await page.click('#zoom-out');
    }
    const far = await drawnWidths();
    expect(far.map(([label]) => label)).toEqual(near.map(() => 0));
    for (const [, box] of far) expect(box).toBeGreaterThan(0);
    expect(12 * (await scale())).toBeLessThan(6);
    expect(12 * readable).toBeGreaterThan(4);
    const id = `model.${P}.int_sessions`;
    await page.locator(`#graph g.node[data-id="${id}"] rect`).hover();
    expect(await page.locator(`#graph g.node[data-id="${id}"] > title`).textContent()).toBe(`model ${id}`);
    await page.click('#zoom-in');
    for (const [label] of await drawnWidths()) expect(label).toBeGreaterThan(0);
    await page.close();
  });

  it('draws a graph opened after a page of another kind fitted to the frame from the start (not to the 0 x 0 of the frame taken off the page, then again)', async () => {
    const page = await open();
    await graph(page, '+int_sessions+');
    await page.evaluate((h) => (location.hash = h), `#!/node/model.${P}.stg_events`);
    await page.waitForFunction(() => document.querySelector('main h1')?.textContent === 'stg_events');
    // The scale of each drawing as it is finished (before the page is laid out and the frame's
    // size observed): the one a reader sees first.
    await page.evaluate(() => {
      type Changed = { target: Pick<PageElement, 'getAttribute'> };
      type Observer = new (callback: (changes: Changed[]) => void) => { observe(node: unknown, options: object): void };
      const w = globalThis as unknown as { scalesWhenReady: string[]; MutationObserver: Observer; document: { body: unknown } };
      w.scalesWhenReady = [];
      new w.MutationObserver((changes) => {
        for (const c of changes) if (c.target.getAttribute('data-state') === 'ready') w.scalesWhenReady.push(c.target.getAttribute('data-scale') ?? '');
      }).observe(w.document.body, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
    });
    await graph(page, '+stg_events+');
    // Two frames later the frame's size has been observed: the drawing keeps the scale it was drawn with.
    await page.evaluate(() => {
      const w = globalThis as unknown as { requestAnimationFrame(callback: () => void): void };
      return new Promise<void>((resolve) => w.requestAnimationFrame(() => w.requestAnimationFrame(resolve)));
    });
    const final = await page.locator('#graph').getAttribute('data-scale');
    expect(await page.evaluate(() => (globalThis as unknown as { scalesWhenReady: string[] }).scalesWhenReady)).toEqual([final]);
    await page.close();
  });

  it('selects with the CLI selection syntax in the box: tag:marts+, unions, intersections, --exclude, and says what is wrong with a bad selector', async () => {
    const page = await open();
    await graph(page, '+int_sessions+');
    await page.fill('#select', 'tag:marts+');
    await page.click('#update');
    await page.waitForFunction(() => document.querySelector('#graph')?.getAttribute('data-select') === 'tag:marts+' && document.querySelector('#graph')?.getAttribute('data-state') === 'ready');
    const drawn = (await drawing(page, '#graph', 'g.node')).boxes.map((b) => b.id).sort();
    expect(drawn).toEqual([...cliSelect('tag:marts+'), ...DECLARED_DOWNSTREAM].sort());
    expect(drawn).toContain(`snapshot.${P}.session_metrics_snapshot`);
    await page.screenshot({ path: path.join(SHOTS, 'graph-tag_marts.png') });
    for (const [select, exclude] of [
      ['path:models/staging tag:marts', ''],
      ['tag:marts,config.materialized:incremental', ''],
      ['+mart_session_metrics', 'resource_type:seed stg_events'],
      ['@stg_user_profiles', 'user_sessions+'],
    ] as const) {
      await graph(page, select, exclude);
      const ids = (await drawing(page, '#graph', 'g.node')).boxes.map((b) => b.id).filter((id) => CLI_TYPES.test(id)).sort();
      expect(ids, `--select ${select} --exclude ${exclude}`).toEqual(cliSelect(select, exclude));
    }
    await graph(page, 'colour:red');
    expect(await page.locator('#selection-error').textContent()).toMatch(/invalid selector 'colour:red': unknown selection method 'colour'/);
    await page.close();
  });

  it('draws the column lineage of mart_session_metrics.duration_seconds at one, two and three hops: a box per model listing its columns, an edge per column', async () => {
    const page = await open(`#!/node/model.${P}.mart_session_metrics`);
    await page.locator('#column-lineage a', { hasText: 'duration_seconds' }).click();
    const mart = `model.${P}.mart_session_metrics`;
    const expected: Record<number, { boxes: Record<string, string[]>; edges: string[] }> = {
      1: {
        boxes: { [mart]: ['duration_seconds'], [`model.${P}.int_sessions`]: ['session_end', 'session_start'] },
        edges: [`model.${P}.int_sessions|session_end -> ${mart}|duration_seconds`, `model.${P}.int_sessions|session_start -> ${mart}|duration_seconds`],
      },
      2: {
        boxes: { [`model.${P}.stg_events`]: ['event_ts'] },
        edges: [`model.${P}.stg_events|event_ts -> model.${P}.int_sessions|session_end`, `model.${P}.stg_events|event_ts -> model.${P}.int_sessions|session_start`],
      },
      3: { boxes: { [`seed.${P}.raw_click_events`]: ['event_ts'] }, edges: [`seed.${P}.raw_click_events|event_ts -> model.${P}.stg_events|event_ts`] },
    };
    const boxes: Record<string, string[]> = {};
    const edges: string[] = [];
    for (const depth of [1, 2, 3]) {
      await page.selectOption('#depth-down', '0');
      await page.waitForFunction(() => document.querySelector('#column-graph')?.getAttribute('data-down') === '0' && document.querySelector('#column-graph')?.getAttribute('data-state') === 'ready');
      await page.selectOption('#depth-up', String(depth));
      await page.waitForFunction((n) => document.querySelector('#column-graph')?.getAttribute('data-up') === String(n) && document.querySelector('#column-graph')?.getAttribute('data-state') === 'ready', depth);
      Object.assign(boxes, (expected[depth] as { boxes: Record<string, string[]> }).boxes);
      edges.push(...(expected[depth] as { edges: string[] }).edges);
      const drawn = await page.locator('#column-graph g.table').evaluateAll((gs: PageElement[]) => gs.map((g) => [g.getAttribute('data-id'), [...g.querySelectorAll('g.row')].map((r) => r.getAttribute('data-column')).sort()]));
      expect(Object.fromEntries(drawn), `${depth} hops`).toEqual(boxes);
      const d = await drawing(page, '#column-graph', 'g.table');
      expect(d.edges.map((e) => `${e.from} -> ${e.to}`).sort(), `${depth} hops`).toEqual([...edges].sort());
      expect(overlapping(d.boxes), `${depth} hops`).toEqual([]);
      for (const t of d.texts) {
        expect(t.left, t.text).toBeGreaterThanOrEqual(t.box.left);
        expect(t.right, t.text).toBeLessThanOrEqual(t.box.right);
      }
      for (const e of d.edges) expect(e.arrowhead, `${e.from} -> ${e.to}`).toBe(true);
      await page.screenshot({ path: path.join(SHOTS, `columns-${depth}-hops.png`) });
    }
    expect(await page.locator('#column-graph g.row.focus').getAttribute('data-column')).toBe('duration_seconds');
    await page.close();
  });

  it('has a page for exposures, semantic models, metrics, saved queries, groups, unit tests, data tests and sources (with their freshness), and a Database view', async () => {
    const page = await open(`#!/node/exposure.${P}.sessions_dashboard`);
    await expect.poll(() => page.locator('main h1').textContent()).toBe('sessions_dashboard');
    expect(await page.locator('#details').textContent()).toMatch(/Exposure typedashboardMaturityhighURLhttps:\/\/bi\.example\.com\/sessionsOwnerAnn Analyst <ann@example\.com>/);
    expect(await page.locator('#details a[href="https://bi.example.com/sessions"]').count()).toBe(1);
    expect(await page.locator('#depends-on li a').allTextContents()).toEqual(['mart_session_metrics', 'user_sessions']);
    await page.click('#lineage-link');
    await page.waitForFunction(() => document.querySelector('#graph')?.getAttribute('data-state') === 'ready');
    expect(await page.locator('#graph g.node.focus').getAttribute('data-id')).toBe(`exposure.${P}.sessions_dashboard`);
    expect(await page.locator(`#graph path.edge[data-to="exposure.${P}.sessions_dashboard"]`).count()).toBe(2);
    await page.screenshot({ path: path.join(SHOTS, 'graph-exposure.png') });
    // Project text stays text: no markup from a label or description, no javascript: link.
    await page.evaluate(() => (location.hash = '#!/node/exposure.session_analytics.partner_export'));
    await expect.poll(() => page.locator('main h1').textContent()).toBe('partner_export');
    expect(await page.locator('main p.label').textContent()).toBe('<b>Partner</b> export');
    expect(await page.locator('main .description').textContent()).toMatch(/<img src=x onerror=alert\(1\)>/);
    expect(await page.locator('main img, main b, a[href^="javascript"]').count()).toBe(0);

    const visit = async (id: string, name: string) => {
      await page.evaluate((h) => (location.hash = h), `#!/node/${id}`);
      await expect.poll(() => page.locator('main h1').textContent()).toBe(name);
    };
    await visit(`semantic_model.${P}.sessions`, 'sessions');
    expect(await page.locator('#semantic-model-heading + table a').textContent()).toBe('mart_session_metrics');
    expect(await page.locator('#measures tr td:first-child').allTextContents()).toEqual(['session_count', 'total_duration_seconds']);
    await visit(`metric.${P}.average_session_duration`, 'average_session_duration');
    expect(JSON.parse((await page.locator('#metric-definition').textContent()) ?? '{}')).toMatchObject({ type: 'ratio', type_params: { numerator: 'total_session_duration', denominator: 'session_count' } });
    expect(await page.locator('#depends-on li a').allTextContents()).toEqual(['total_session_duration', 'session_count']);
    await visit(`saved_query.${P}.sessions_by_day`, 'sessions_by_day');
    expect(await page.locator('#query-params a').allTextContents()).toEqual(['session_count', 'average_session_duration']);
    await visit(`group.${P}.analytics`, 'analytics');
    expect((await page.locator('#members tr td:first-child').allTextContents()).sort()).toEqual(['mart_session_metrics', 'user_sessions']);
    expect(await page.locator('#details').textContent()).toMatch(/OwnerAnalytics team <analytics@example\.com>/);
    await visit(`unit_test.${P}.mart_session_metrics.single_event_session_lasts_zero_seconds`, 'single_event_session_lasts_zero_seconds');
    expect(await page.locator('#last-run .status').textContent()).toBe('pass');
    expect(await page.locator('#expect-heading + table').textContent()).toBe('session_idduration_secondss10');
    await visit(`source.${P}.landed.raw_click_events`, 'raw_click_events');
    expect(await page.locator('#freshness tr').evaluateAll((rows: PageElement[]) => rows.map((r) => r.querySelector('th')?.textContent))).toEqual(['Status', 'Last loaded', 'Checked at', 'Criteria']);
    expect(await page.locator('#freshness .status').textContent()).toBe('warn');
    await page.screenshot({ path: path.join(SHOTS, 'source-freshness.png') });
    const test = site.nodes.find((n) => n.id.startsWith(`test.${P}.not_null_mart_session_metrics_duration_seconds`))?.id as string;
    await visit(test, 'not_null_mart_session_metrics_duration_seconds');
    expect(await page.locator('#test-of td').allTextContents()).toEqual(['mart_session_metrics', 'duration_seconds', 'not_null', '{\n  "column_name": "duration_seconds",\n  "model": "{{ get_where_subquery(ref(\'mart_session_metrics\')) }}"\n}']);
    expect(await page.locator('#last-run .status').textContent()).toBe('pass');
    // The Database view: relations by database and schema.
    await page.click('#tab-database');
    expect(await page.locator('#list h2').allTextContents()).toEqual(['postgres']);
    const schemas = await page.locator('#list h3').allTextContents();
    expect(schemas).toEqual([p.schema, `${p.schema}_raw`, `${p.schema}_snapshots`]);
    expect(await page.locator('#list button').allTextContents()).toEqual(expect.arrayContaining(['mart_session_metrics', 'raw_click_events', 'session_metrics_snapshot']));
    expect(await page.locator('#list button', { hasText: 'int_events_sessionized' }).count()).toBe(0); // ephemeral: no relation
    await page.screenshot({ path: path.join(SHOTS, 'database-view.png') });
    await page.close();
  });

  it('shows the list, the search and the overview from the entries alone: the pages are loaded after, by the page', async () => {
    // index.html loads the entries and the page's script only; the page adds the pages' script.
    const index = readFileSync(path.join(p.dir, 'target', 'index.html'), 'utf8');
    expect(index.match(/<script src="[^"]+"><\/script>/g)).toEqual(['<script src="tsdbt-docs-data.js"></script>', '<script src="tsdbt-docs-app.js"></script>']);
    // A copy of the site without the pages: what shows without them, and what says they are missing.
    const partial = path.join(p.dir, 'target-without-pages');
    rmSync(partial, { recursive: true, force: true });
    cpSync(path.join(p.dir, 'target'), partial, { recursive: true });
    rmSync(path.join(partial, 'tsdbt-docs-pages.js'));
    const page = await open(`#!/node/model.${P}.mart_session_metrics`, pathToFileURL(path.join(partial, 'index.html')).href);
    await expect.poll(() => page.locator('#loading').textContent()).toMatch(/tsdbt-docs-pages\.js is missing beside index\.html/);
    expect(await page.locator('main h1').count()).toBe(0);
    expect(await page.locator('#list button.active').getAttribute('data-id')).toBe(`model.${P}.mart_session_metrics`);
    const listed = await page.locator('#list button').evaluateAll((bs: PageElement[]) => bs.map((b) => b.getAttribute('data-id')));
    expect(listed).toEqual(expect.arrayContaining([`model.${P}.mart_session_metrics`, `model.${P}.int_sessions`, `source.${P}.landed.raw_click_events`, `exposure.${P}.sessions_dashboard`]));
    await page.fill('#search', 'int_sess');
    expect(await page.locator('#list button').evaluateAll((bs: PageElement[]) => bs.map((b) => b.getAttribute('data-id')))).toContain(`model.${P}.int_sessions`);
    await page.evaluate(() => (location.hash = '#!/overview'));
    await expect.poll(() => page.locator('main h1').textContent()).toBe(P);
    expect(await page.locator('#counts tr td:first-child').allTextContents()).toEqual(expect.arrayContaining(['Models', 'Sources', 'Data tests']));
    // The graph needs the entries only.
    await graph(page, '+int_sessions+');
    expect(await page.locator('#graph g.node').count()).toBeGreaterThan(5);
    await page.close();
  });

  it("loads ELK's worker script (tsdbt-docs-elk.js) for the column view only: without it the list and the graph show, and the column view says it is missing", async () => {
    const app = readFileSync(path.join(p.dir, 'target', 'tsdbt-docs-app.js'), 'utf8');
    expect(app).not.toContain('TSDBT_ELK_WORKER = function');
    expect(readFileSync(path.join(p.dir, 'target', 'tsdbt-docs-elk.js'), 'utf8')).toMatch(/^window\.TSDBT_ELK_WORKER = function \(\) \{\/\*"/);
    const partial = path.join(p.dir, 'target-without-elk');
    rmSync(partial, { recursive: true, force: true });
    cpSync(path.join(p.dir, 'target'), partial, { recursive: true });
    rmSync(path.join(partial, 'tsdbt-docs-elk.js'));
    const page = await open(`#!/graph?select=${encodeURIComponent('+int_sessions+')}`, pathToFileURL(path.join(partial, 'index.html')).href);
    await page.waitForFunction(() => document.querySelector('#graph')?.getAttribute('data-state') === 'ready');
    expect(await page.locator('#graph g.node').count()).toBeGreaterThan(5);
    expect(await page.locator('#list button').count()).toBeGreaterThan(5);
    await page.evaluate((h) => (location.hash = h), `#!/columns?node=${encodeURIComponent(`model.${P}.mart_session_metrics`)}&column=duration_seconds`);
    await page.waitForFunction(() => document.querySelector('#column-graph')?.getAttribute('data-state') === 'error');
    expect(await page.locator('#main').textContent()).toMatch(/tsdbt-docs-elk\.js is missing beside index\.html/);
    await page.close();
  });

  it('static_index.html is the whole site in one file: no other file, no network', async () => {
    const file = path.join(p.dir, 'target', 'static_index.html');
    const html = readFileSync(file, 'utf8');
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/);
    // The entries, the page's script and the pages: the data as elements the browser does not run.
    expect(html.match(/<\/script>/g)).toHaveLength(3);
    expect(html.match(/<script type="application\/(json|x-ndjson)" id="tsdbt-docs-(data|pages)">/g)).toHaveLength(2);
    const page = await open(`#!/graph?select=${encodeURIComponent('+sessions_dashboard')}`, pathToFileURL(file).href);
    await page.waitForFunction(() => document.querySelector('#graph')?.getAttribute('data-state') === 'ready');
    expect(await page.locator('#graph g.node').count()).toBeGreaterThan(5);
    await page.evaluate(() => (location.hash = '#!/node/model.session_analytics.mart_session_metrics'));
    await expect.poll(() => page.locator('main h1').textContent()).toBe('mart_session_metrics');
    await page.close();
  });

  it('made no request beyond its own files and raised no error', () => {
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
  });
});
