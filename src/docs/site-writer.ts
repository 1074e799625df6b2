// Writes the docs site into target/: index.html, its style, its script and the project's data as
// a script (`window.TSDBT_DOCS = ...`), so the page opens from file:// without fetch, a server or
// the network; with `--static`, also static_index.html (dbt's name), one self-contained file with
// the style, the data and the script inside, to share by mail or object storage.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { docsAppScript } from './site-assets.js';
import { SITE_CSS } from './site-style.js';
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
export const DOCS_SITE_FILES = ['index.html', 'tsdbt-docs.css', 'tsdbt-docs-app.js', 'tsdbt-docs-data.js'] as const;

/** The single-file site `--static` writes beside them. */
export const STATIC_SITE_FILE = 'static_index.html';

/** The data as a script: JSON with "<" escaped, so no text can end or open a tag when it is inlined. */
function dataScript(data: SiteData): string {
  return `window.TSDBT_DOCS = ${JSON.stringify(data).replace(/</g, '\\u003c')};\n`;
}

export async function writeDocsSite(targetDir: string, data: SiteData, options: { static?: boolean } = {}): Promise<string[]> {
  await mkdir(targetDir, { recursive: true });
  const [script, json] = [await docsAppScript(), dataScript(data)];
  const written: string[] = [...DOCS_SITE_FILES];
  await Promise.all([
    writeFile(path.join(targetDir, 'index.html'), page('<link rel="stylesheet" href="tsdbt-docs.css">', '<script src="tsdbt-docs-data.js"></script>\n<script src="tsdbt-docs-app.js"></script>')),
    writeFile(path.join(targetDir, 'tsdbt-docs.css'), SITE_CSS),
    writeFile(path.join(targetDir, 'tsdbt-docs-app.js'), script),
    writeFile(path.join(targetDir, 'tsdbt-docs-data.js'), json),
  ]);
  if (options.static) {
    // The script text has no `</script` (bundle-app.ts escapes it), the data none either ("<" is \u003c).
    await writeFile(path.join(targetDir, STATIC_SITE_FILE), page(`<style>${SITE_CSS}</style>`, `<script>${json}</script>\n<script>${script}</script>`));
    written.push(STATIC_SITE_FILE);
  }
  return written;
}
