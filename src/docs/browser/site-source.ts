// Where the page finds the site's data (site-encoding.ts): in static_index.html, the text of a
// <script type="application/json"> element; beside index.html, the comment of the function a data
// script sets on window. The entries come first (tsdbt-docs-data.js, before the page's script, or
// the element before it; the data tests' entries, its second line, decoded once the first list is
// drawn); the pages' text once the first view is drawn: index.html does not load
// tsdbt-docs-pages.js, the page adds its script then (in static_index.html, the element after the
// page's script is read once the document is parsed).
import { carriedText, DATA_CARRIER, decodeMainEntries, ELK_CARRIER, PAGES_CARRIER, SitePages, withTestEntries, type Carrier } from '../site-encoding.js';
import type { SiteEntry, SiteIndex } from '../site-types.js';

function carriedBy(carrier: Carrier): string | null {
  const element = document.getElementById(carrier.element);
  if (element) return element.textContent ?? '';
  const holder = (window as unknown as Record<string, unknown>)[carrier.global];
  return typeof holder === 'function' ? carriedText(Function.prototype.toString.call(holder)) : null;
}

/**
 * The site's header and every node's entry but the data tests', and the data tests' put in, once
 * the first view is drawn (every node's entry, in order).
 */
export function readEntries(): { index: SiteIndex; withTests: Promise<SiteEntry[]> } {
  const text = carriedBy(DATA_CARRIER);
  if (text === null) throw new Error(`No docs data: ${DATA_CARRIER.file} did not load (run tsdbt docs generate again).`);
  const main = decodeMainEntries(text);
  return { index: main.index, withTests: firstViewDrawn().then(() => withTestEntries(main, text)) };
}

const parsed = (): Promise<unknown> => (document.readyState === 'loading' ? new Promise((resolve) => document.addEventListener('DOMContentLoaded', resolve, { once: true })) : Promise.resolve());

/** After the next frame is drawn (or a moment, where frames are not drawn: a hidden tab). */
const afterPaint = (): Promise<void> =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, 100);
    requestAnimationFrame(() => setTimeout(() => (clearTimeout(timer), resolve()), 0));
  });

function loadScript(file: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.createElement('script');
    script.src = file;
    script.onload = () => resolve();
    script.onerror = () => reject(new Error(`A script of the docs site did not load: ${file} is missing beside index.html (run tsdbt docs generate again).`));
    document.body.append(script);
  });
}

/** Once the document is parsed and the first view drawn. */
async function firstViewDrawn(): Promise<void> {
  await parsed();
  await afterPaint();
}

/** The nodes' pages: read once the document is parsed and the first view drawn. */
export async function loadPages(): Promise<SitePages> {
  await firstViewDrawn();
  if (!document.getElementById(PAGES_CARRIER.element)) await loadScript(PAGES_CARRIER.file);
  const text = carriedBy(PAGES_CARRIER);
  if (text === null) throw new Error(`The pages of the docs site did not load (${PAGES_CARRIER.file}).`);
  return new SitePages(text);
}

/**
 * ELK's worker script: in static_index.html's script already; beside index.html, loaded from
 * tsdbt-docs-elk.js the first time it is asked for (not with the page: the first view does not need it).
 */
export async function loadElkWorkerSource(): Promise<string> {
  if (carriedBy(ELK_CARRIER) === null) await loadScript(ELK_CARRIER.file);
  const text = carriedBy(ELK_CARRIER);
  if (text === null) throw new Error(`ELK's worker script did not load (${ELK_CARRIER.file}).`);
  return JSON.parse(text) as string;
}
