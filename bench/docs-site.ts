// `npm run bench` (part 4): the docs site of a generated 5,000-model project. Prints how long
// `tsdbt docs generate --empty-catalog` takes and how big the site's data is, then, in headless
// Chromium (Debian's, driven by playwright-core), the time to first list, a search, opening a
// model page, and drawing the lineage graph around one model and of the whole project. The
// reference in the same run: the same page with a 100-model project. BENCH_DOCS_MODELS changes 5,000.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { docsGenerateCommand } from '../src/app/docs-command.js';
import { createInvocation } from '../src/app/invocation.js';
import { generateProject } from './generate-project.js';

async function measure(browser: Browser, models: number): Promise<Record<string, number>> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-bench-docs-'));
  try {
    generateProject(dir, models);
    const inv = createInvocation({ projectDir: dir, write: () => {}, env: { ...process.env, TSDBT_PROFILES_DIR: '', DBT_PROFILES_DIR: '', HOME: dir } });
    const t0 = performance.now();
    await docsGenerateCommand(inv, { compile: true, emptyCatalog: true });
    const generateSeconds = (performance.now() - t0) / 1000;
    const dataMb = statSync(path.join(dir, 'target', 'tsdbt-docs-data.js')).size / 1e6;
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    const url = pathToFileURL(path.join(dir, 'target', 'index.html')).href;
    const t1 = performance.now();
    await page.goto(`${url}#!/node/model.bench.model_0`);
    await page.waitForSelector('#list button');
    await page.waitForSelector('main h1');
    const firstListMs = performance.now() - t1;
    const t2 = performance.now();
    await page.fill('#search', `model_${models - 1}`);
    await page.waitForFunction(`document.querySelectorAll('#list button').length <= 20 && document.querySelector('#list button[title="model.bench.model_${models - 1}"]') !== null`);
    const searchMs = performance.now() - t2;
    const t3 = performance.now();
    await page.click(`#list button[title="model.bench.model_${models - 1}"]`);
    await page.waitForFunction(`document.querySelector('main h1') && document.querySelector('main h1').textContent === 'model_${models - 1}'`);
    const openMs = performance.now() - t3;
    const t4 = performance.now();
    await page.goto(`${url}#!/graph/${encodeURIComponent(`+model_${models - 1}+`)}`);
    await page.waitForSelector('#graph g');
    const focusedGraphMs = performance.now() - t4;
    const t5 = performance.now();
    await page.goto(`${url}#!/graph/`);
    await page.waitForFunction(`document.querySelectorAll('#graph g').length >= ${models}`);
    const wholeGraphMs = performance.now() - t5;
    await page.close();
    return { models, generateSeconds, dataMb, firstListMs, searchMs, openMs, focusedGraphMs, wholeGraphMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const big = Number(process.env.BENCH_DOCS_MODELS ?? 5_000);
  const small = await measure(browser, 100);
  const large = await measure(browser, big);
  for (const r of [small, large]) {
    console.log(
      `docs site, ${r.models} models: generate ${r.generateSeconds?.toFixed(1)}s, data ${r.dataMb?.toFixed(1)} MB; first list ${Math.round(r.firstListMs ?? 0)} ms, search ${Math.round(r.searchMs ?? 0)} ms, open a model ${Math.round(r.openMs ?? 0)} ms, focused lineage ${Math.round(r.focusedGraphMs ?? 0)} ms, whole lineage ${Math.round(r.wholeGraphMs ?? 0)} ms`,
    );
  }
  console.log(`docs site: ${big} models vs 100: search ${((large.searchMs ?? 0) / (small.searchMs ?? 1)).toFixed(1)}x, open ${((large.openMs ?? 0) / (small.openMs ?? 1)).toFixed(1)}x (goal: stays responsive, under 200 ms per interaction)`);
} finally {
  await browser.close();
}
