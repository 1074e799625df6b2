// Writes the docs site into target/: index.html, its style and script, and the project's data as
// a script (`window.TSDBT_DOCS = ...`), so the page opens from file:// without fetch, a server or
// the network.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SITE_CSS, SITE_JS } from './site-app.js';
import type { SiteData } from './site-data.js';

const INDEX_HTML = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>tsdbt docs</title>
<link rel="stylesheet" href="tsdbt-docs.css">
</head>
<body>
<aside id="side"><header><h1 id="title">docs</h1><input id="search" type="search" placeholder="Search models, sources, seeds, tests..." autocomplete="off"></header><div id="list"></div></aside>
<main id="main"></main>
<script src="tsdbt-docs-data.js"></script>
<script src="tsdbt-docs-app.js"></script>
</body>
</html>
`;

/** The files of the site, as written into target/ (`tsdbt docs serve` serves these and no others). */
export const DOCS_SITE_FILES = ['index.html', 'tsdbt-docs.css', 'tsdbt-docs-app.js', 'tsdbt-docs-data.js'] as const;

export async function writeDocsSite(targetDir: string, data: SiteData): Promise<void> {
  await mkdir(targetDir, { recursive: true });
  // JSON inside a script file: "<" escaped so no text can end or open a tag if the data is inlined.
  const json = JSON.stringify(data).replace(/</g, '\\u003c');
  await Promise.all([
    writeFile(path.join(targetDir, 'index.html'), INDEX_HTML),
    writeFile(path.join(targetDir, 'tsdbt-docs.css'), SITE_CSS),
    writeFile(path.join(targetDir, 'tsdbt-docs-app.js'), SITE_JS),
    writeFile(path.join(targetDir, 'tsdbt-docs-data.js'), `window.TSDBT_DOCS = ${json};\n`),
  ]);
}
