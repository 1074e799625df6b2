// Bundles the docs site's page script (browser/main.ts, with the CLI's own selection code from
// src/selection/ and elkjs's page side) into one script with esbuild; ELK's 1.2 MB worker script
// rides in front of it as a carried text (site-encoding.ts: the comment of a function, ELK_CARRIER).
// The site writer (site-writer.ts) writes that part as a file of its own, tsdbt-docs-elk.js, which
// the page loads only when it starts ELK (browser/layout.ts), so the first view loads and scans
// 1.2 MB less; static_index.html keeps both parts in its one script. `npm run build` runs this once
// (scripts/build-docs-app.ts writes dist/docs/tsdbt-docs-app.js), so the installed CLI only
// copies the file and needs no bundler at run time (esbuild stays a devDependency); run from the
// sources (tests, tsx) the site is bundled on first use, so it always shows the current code.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { carried, carrierScript, ELK_CARRIER } from './site-encoding.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The page script's entry: src/docs/browser/main.ts (this file's folder holds it in the sources). */
export const DOCS_APP_ENTRY = path.join(here, 'browser', 'main.ts');

/** The page script: ELK's worker script as a carried text (one line, site-assets.ts's docsScripts splits it off), then an IIFE. */
export async function bundleDocsApp(): Promise<string> {
  const esbuild = await import('esbuild');
  const require = createRequire(import.meta.url);
  const elkWorker = await readFile(require.resolve('elkjs/lib/elk-worker.min.js'), 'utf8');
  const result = await esbuild.build({
    entryPoints: [DOCS_APP_ENTRY],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    target: 'es2020',
    minify: true,
    legalComments: 'inline',
    // ASCII (other characters escaped): the browser keeps the script one byte a character.
    charset: 'ascii',
    logLevel: 'silent',
  });
  const text = result.outputFiles[0]?.text ?? '';
  // The script may be inlined in static_index.html: no `</script` may end its element early (the carried text has no "<").
  return carrierScript(ELK_CARRIER.global, carried(JSON.stringify(elkWorker))) + text.replace(/<\/(script)/gi, '<\\/$1');
}

