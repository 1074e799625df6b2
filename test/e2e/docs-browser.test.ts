// The docs site in a real browser: the example project is built and documented, then index.html is
// opened from file:// in headless Chromium (Debian's, driven by playwright-core): search for a
// model, open it, check its columns, its compiled SQL, its column lineage and its upstream models, and draw the
// lineage graph around it (saved as target/lineage.png for people; the test asserts on the page).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInvocation } from '../../src/app/invocation.js';
import { docsGenerateCommand } from '../../src/app/docs-command.js';
import { warehouseProject, type WarehouseProject } from '../support/warehouse-project.js';

describe('the docs site in headless Chromium', () => {
  let p: WarehouseProject;
  let browser: Browser;
  beforeAll(async () => {
    p = warehouseProject('pglite', {}, { example: true });
    const built = await p.run('build');
    expect(built.code, built.output).toBe(0);
    const inv = createInvocation({ projectDir: p.dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: p.dir } });
    expect(await docsGenerateCommand(inv, { compile: true, emptyCatalog: false })).toBe(0);
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await p.cleanup();
  });

  it('finds a model, shows its columns, compiled SQL and lineage', async () => {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(pathToFileURL(path.join(p.dir, 'target', 'index.html')).href);
    await page.fill('#search', 'mart_session');
    const found = await page.locator('#list button').evaluateAll((bs) => bs.map((b) => b.getAttribute('title') ?? ''));
    expect(found.length).toBeGreaterThan(1);
    expect(found.length).toBeLessThan(20);
    expect(found.every((id) => id.includes('mart_session'))).toBe(true);
    await page.locator('#list button[title="model.session_analytics.mart_session_metrics"]').click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('mart_session_metrics');
    const columns = await page.locator('#columns tr td:first-child').allTextContents();
    expect(columns).toEqual(expect.arrayContaining(['session_id', 'user_id', 'session_start', 'duration_seconds', 'page_views']));
    const types = await page.locator('#columns tr td:nth-child(2)').allTextContents();
    expect(types[columns.indexOf('duration_seconds')]).toMatch(/integer|bigint|numeric/);
    expect(await page.locator('#compiled-sql').textContent()).toMatch(/from "[^"]+"\."[^"]+"\."int_sessions"/);
    expect(await page.locator('main ul li a').allTextContents()).toContain('int_sessions');
    const lineageRows = await page.locator('#column-lineage tr').evaluateAll((rows) => rows.map((r) => r.textContent ?? ''));
    expect(lineageRows).toContain('duration_secondsint_sessions.session_end, int_sessions.session_start');
    await page.click('nav a');
    await expect.poll(() => page.locator('#graph g').count()).toBeGreaterThan(3);
    const drawn = await page.locator('#graph g').evaluateAll((gs) => gs.map((g) => g.getAttribute('data-id')));
    expect(drawn).toContain('model.session_analytics.mart_session_metrics');
    expect(drawn).toContain('model.session_analytics.stg_events');
    expect(drawn).not.toContain('model.session_analytics.stg_user_profiles'); // not upstream or downstream of the focus
    await page.screenshot({ path: path.join(p.dir, 'target', 'lineage.png') });
    await page.locator('#graph g[data-id="model.session_analytics.stg_events"]').click();
    await expect.poll(() => page.locator('main h1').textContent()).toBe('stg_events');
    // A column's lineage in the graph: the nodes it comes from, labelled with their columns.
    await page.goto(`${pathToFileURL(path.join(p.dir, 'target', 'index.html')).href}#!/node/model.session_analytics.mart_session_metrics`);
    await page.locator('#column-lineage a', { hasText: 'duration_seconds' }).click();
    await expect.poll(() => page.locator('#graph g').count()).toBeGreaterThan(2);
    const labels = await page.locator('#graph g text').allTextContents();
    expect([...labels].sort()).toEqual(['int_sessions · session_end, session_start', 'mart_session_metrics · duration_seconds', 'raw_click_events · event_ts', 'stg_events · event_ts']);
    expect(errors).toEqual([]);
  }, 60_000);
});
