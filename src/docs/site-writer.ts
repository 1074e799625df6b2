// Writes the docs site into target/: index.html, its style, its script (ELK's worker script, which
// only the column view needs, apart in tsdbt-docs-elk.js, site-assets.ts) and the project's data as
// two scripts (site-encoding.ts: every node's entry, which the first view needs, and the rest of
// each node's page, read when it opens), so the page opens from file:// without fetch, a server or
// the network; with `--static`, also static_index.html (dbt's name), one self-contained file with
// the style, the data and the script inside, to share by mail or object storage.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docsScripts } from './site-assets.js';
import { SITE_CSS } from './site-style.js';
import { carrierScript, DATA_CARRIER, ELK_CARRIER, encodeEntries, encodePages, PAGES_CARRIER } from './site-encoding.js';
import type { SiteData } from './site-types.js';

const page = (head: string, body: string) => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsdbt docs</title>
${head}
</head>
<body>
<aside id="side"><header><h1 id="title">docs</h1><div id="tabs" role="tablist"><button id="tab-project" role="tab">Project</button><button id="tab-database" role="tab">Database</button></div><input id="search" type="search" placeholder="Search models, sources, exposures, metrics..." autocomplete="off"></header><div id="list"></div></aside>
<main id="main"></main>
${body}
</body>
</html>
`;

/** The files of the site, as written into target/ (`tsdbt docs serve` serves these and no others). */
export const DOCS_SITE_FILES = ['index.html', 'tsdbt-docs.css', 'tsdbt-docs-app.js', 'tsdbt-docs-data.js', 'tsdbt-docs-pages.js', 'tsdbt-docs-elk.js'] as const;

/** The single-file site `--static` writes beside them. */
export const STATIC_SITE_FILE = 'static_index.html';

/** A text of the data inlined in static_index.html: a script element the browser does not run (the text has no "<"). */
const dataElement = (id: string, type: string, text: string) => `<script type="${type}" id="${id}">${text}</script>`;

export async function writeDocsSite(targetDir: string, data: SiteData, options: { static?: boolean } = {}): Promise<string[]> {
  const entries = await writeSiteEntries(targetDir, data);
  return writeSitePages(targetDir, data, entries, options);
}

/**
 * The site but for its pages: index.html, the style, the scripts and the entries, which need no
 * node's page (its SQL, columns, lineage...): `docs generate` writes them while the column lineage
 * is traced. Returns the entries' text, for writeSitePages.
 */
export async function writeSiteEntries(targetDir: string, data: SiteData): Promise<string> {
  await mkdir(targetDir, { recursive: true });
  const [{ elk, app }, entries] = [await docsScripts(), encodeEntries(data)];
  // The pages' script is not in the page: the page's script loads it once the first view is drawn,
  // and ELK's when it starts ELK (the column view, or its warm-up while the reader is idle).
  const scripts = [DATA_CARRIER.file, 'tsdbt-docs-app.js'].map((file) => `<script src="${file}"></script>`).join('\n');
  await Promise.all([
    writeFile(path.join(targetDir, 'index.html'), page('<link rel="stylesheet" href="tsdbt-docs.css">', scripts)),
    writeFile(path.join(targetDir, 'tsdbt-docs.css'), SITE_CSS),
    writeFile(path.join(targetDir, 'tsdbt-docs-app.js'), app),
    writeFile(path.join(targetDir, ELK_CARRIER.file), elk),
    writeFile(path.join(targetDir, DATA_CARRIER.file), carrierScript(DATA_CARRIER.global, entries)),
  ]);
  return entries;
}

/** The pages (tsdbt-docs-pages.js) and, with `static`, static_index.html; returns the site's files. */
export async function writeSitePages(targetDir: string, data: SiteData, entries: string, options: { static?: boolean } = {}): Promise<string[]> {
  const pages = encodePages(data);
  const written: string[] = [...DOCS_SITE_FILES];
  await writeFile(path.join(targetDir, PAGES_CARRIER.file), carrierScript(PAGES_CARRIER.global, pages));
  if (options.static) {
    const { elk, app } = await docsScripts();
    // The script text has no `</script` (bundle-app.ts escapes it), the data none either (no "<" at all).
    const body = [dataElement(DATA_CARRIER.element, 'application/json', entries), `<script>${elk}${app}</script>`, dataElement(PAGES_CARRIER.element, 'application/x-ndjson', pages)].join('\n');
    await writeFile(path.join(targetDir, STATIC_SITE_FILE), page(`<style>${SITE_CSS}</style>`, body));
    written.push(STATIC_SITE_FILE);
  }
  return written;
}
