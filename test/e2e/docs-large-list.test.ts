// The docs site of a large project in headless Chromium: its data written by the site writer for
// 3,000 models and 6,000 tests (no project built), opened from file://. The list shows its first
// rows first and the rest after them, in chunks (what a MutationObserver sees of #list's buttons),
// ending with the 2,000 listed in order; a search replaces it with its matches only; and a model
// page shows its own SQL and tests, read from the pages the page loads after the first view.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeDocsSite } from '../../src/docs/site-writer.js';
import type { SiteData, SiteNode } from '../../src/docs/site-types.js';
import { removeDir, testdir } from '../support/testdir.js';
import { siteNode } from '../support/site-node.js';

const MODELS = 3000;

const node = siteNode;

function bigSite(): SiteData {
  const nodes: SiteNode[] = [];
  for (let i = 0; i < MODELS; i++) {
    const id = `model.big.model_${i}`;
    const tests = ['not_null', 'unique'].map((t) => `test.big.${t}_model_${i}_id`);
    nodes.push(node(id, 'model', `models/layer_${Math.floor(i / 500)}/model_${i}.sql`, { rawSql: `select ${i} as id`, children: tests, columns: [{ name: 'id', type: 'integer', descriptionHtml: '', tests: ['not_null', 'unique'] }] }));
    for (const t of tests) nodes.push(node(t, 'test', `models/layer_${Math.floor(i / 500)}/schema.yml`, { schema: null, parents: [id], testType: 'generic', testName: t.split('.')[2]?.startsWith('unique') ? 'unique' : 'not_null', testColumn: 'id' }));
  }
  return { project: 'big', generatedAt: '2026-11-26T12:00:00.000Z', runGeneratedAt: null, freshnessGeneratedAt: null, nodes };
}

/** Records, in the page, the number of buttons in #list after each change the list goes through. */
const RECORD_LIST = `window.__listCounts = [];
new MutationObserver(() => {
  const n = document.querySelectorAll('#list button').length;
  if (n > 0 && n !== window.__listCounts[window.__listCounts.length - 1]) window.__listCounts.push(n);
}).observe(document, { childList: true, subtree: true });`;

describe('the docs site of 3,000 models in headless Chromium', () => {
  let dir: string;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    dir = testdir({}, 'tsdbt-docs-large-');
    await writeDocsSite(dir, bigSite());
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    if (dir) removeDir(dir);
  });

  async function open(hash: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.on('pageerror', (e) => errors.push(e.message));
    await page.addInitScript(RECORD_LIST);
    await page.goto(`${pathToFileURL(path.join(dir, 'index.html')).href}${hash}`);
    return page;
  }

  const listDone = (page: Page) => page.waitForFunction("document.querySelector('#list')?.getAttribute('aria-busy') === 'false'");
  const listed = (page: Page) => page.locator('#list button').evaluateAll((bs: { getAttribute(name: string): string | null }[]) => bs.map((b) => b.getAttribute('data-id') ?? ''));

  it('writes the entries and the pages apart, and shows the first rows of the list before the rest', async () => {
    expect(readdirSync(dir).sort()).toEqual(['index.html', 'tsdbt-docs-app.js', 'tsdbt-docs-data.js', 'tsdbt-docs-elk.js', 'tsdbt-docs-pages.js', 'tsdbt-docs.css']);
    const page = await open('#!/overview');
    await listDone(page);
    const counts = await page.evaluate<number[]>('window.__listCounts');
    // Drawn in steps: the first rows, then chunks, up to the 2,000 listed (the models only: no tests until a search).
    expect(counts.length).toBeGreaterThan(2);
    expect(counts[0]).toBeGreaterThan(40);
    expect(counts[0]).toBeLessThan(200);
    expect(counts[counts.length - 1]).toBe(2000);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    const ids = await listed(page);
    expect(ids.every((id) => id.startsWith('model.'))).toBe(true);
    // Folder by folder, by name within each (as one render of the whole list gave them).
    expect(ids.slice(0, 3)).toEqual(['model.big.model_0', 'model.big.model_1', 'model.big.model_10']);
    expect(new Set(ids).size).toBe(2000);
    expect(await page.locator('#list p.more').textContent()).toBe(`${MODELS - 2000} more: refine the search`);
    expect((await page.locator('#list h3').allTextContents()).slice(0, 4)).toEqual(['big / models/layer_0', 'big / models/layer_1', 'big / models/layer_2', 'big / models/layer_3']);
    await page.close();
  });

  it('replaces the list with a search’s matches, tests included, and opens a model page from it', async () => {
    const page = await open('#!/overview');
    await listDone(page);
    await page.fill('#search', 'model_2999_');
    await listDone(page);
    expect((await listed(page)).sort()).toEqual(['test.big.not_null_model_2999_id', 'test.big.unique_model_2999_id']);
    await page.fill('#search', 'model_2999');
    await listDone(page);
    expect((await listed(page)).sort()).toEqual(['model.big.model_2999', 'test.big.not_null_model_2999_id', 'test.big.unique_model_2999_id']);
    await page.click('#list button[data-id="model.big.model_2999"]');
    await page.waitForFunction("document.querySelector('main h1')?.textContent === 'model_2999'");
    expect(await page.locator('#raw-sql').textContent()).toBe('select 2999 as id');
    expect(await page.locator('#tests tr td:first-child').allTextContents()).toEqual(['not_null_model_2999_id', 'unique_model_2999_id']);
    expect(await page.locator('#list button.active').getAttribute('data-id')).toBe('model.big.model_2999');
    await page.close();
  });

  it('raised no error', () => {
    expect(errors).toEqual([]);
  });
});
