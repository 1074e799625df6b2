// The docs site's page script: the file `npm run build` bundled (dist/docs/tsdbt-docs-app.js, next
// to this module once compiled), or, run from the sources, bundled now from src/docs/browser/
// (bundle-app.ts) and kept for the rest of the process.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELK_CARRIER } from './site-encoding.js';

/** The prebuilt script's name, beside the compiled site-assets.js. */
export const DOCS_APP_FILE = 'tsdbt-docs-app.js';

let bundled: Promise<string> | null = null;

export function docsAppScript(): Promise<string> {
  // Beside this module in dist/docs/; from the bundled CLI (dist/bundle/), in dist/docs/.
  const here = path.dirname(fileURLToPath(import.meta.url));
  const prebuilt = [path.join(here, DOCS_APP_FILE), path.join(here, '..', 'docs', DOCS_APP_FILE)].find((file) => existsSync(file));
  if (prebuilt) return readFile(prebuilt, 'utf8');
  bundled ??= import('./bundle-app.js').then((m) => m.bundleDocsApp());
  return bundled;
}

/**
 * The page script's two parts: ELK's worker script (the carrier script in front, its first line:
 * the carried text holds no "/" unescaped, so the first `*\/};` ends it), which the site writes as
 * a file of its own, and the page's own script.
 */
export async function docsScripts(): Promise<{ elk: string; app: string }> {
  const built = await docsAppScript();
  const end = built.startsWith(`window.${ELK_CARRIER.global} = `) ? built.indexOf('*/};\n') : -1;
  return end === -1 ? { elk: '', app: built } : { elk: built.slice(0, end + 5), app: built.slice(end + 5) };
}
