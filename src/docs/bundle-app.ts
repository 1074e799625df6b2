// Bundles the docs site's page script (browser/main.ts, with the CLI's own selection code from
// src/selection/ and elkjs) into one script with esbuild; ELK's 1.2 MB worker script rides in front
// of it as a carried text (site-encoding.ts: the comment of a function), which the browser skips
// rather than parses as a string before the first view, and the page reads when it starts ELK. `npm run build` runs this once
// (scripts/build-docs-app.ts writes dist/docs/tsdbt-docs-app.js), so the installed CLI only
// copies the file and needs no bundler at run time (esbuild stays a devDependency); run from the
// sources (tests, tsx) the site is bundled on first use, so it always shows the current code.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { carried, carrierScript } from './site-encoding.js';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The page script's entry: src/docs/browser/main.ts (this file's folder holds it in the sources). */
export const DOCS_APP_ENTRY = path.join(here, 'browser', 'main.ts');

/** The global that holds ELK's worker script (the page starts the worker from a Blob of it). */
const ELK_CARRIER = 'TSDBT_ELK_WORKER';
const ENCODING = path.join(here, 'site-encoding.ts');

/** The page script: ELK's worker script as a carried text, then an IIFE. */
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
    plugins: [
      {
        // `import source from 'tsdbt:elk-worker-source'`: reads the text of elkjs's worker script.
        name: 'elk-worker-source',
        setup(build) {
          build.onResolve({ filter: /^tsdbt:elk-worker-source$/ }, (args) => ({ path: args.path, namespace: 'elk-worker-source' }));
          build.onLoad({ filter: /.*/, namespace: 'elk-worker-source' }, () => ({
            contents: `import { carriedText } from ${JSON.stringify(ENCODING)};\nexport default () => JSON.parse(carriedText(Function.prototype.toString.call(window.${ELK_CARRIER})));`,
            loader: 'js',
            resolveDir: here,
          }));
        },
      },
    ],
  });
  const text = result.outputFiles[0]?.text ?? '';
  // The script may be inlined in static_index.html: no `</script` may end its element early (the carried text has no "<").
  return carrierScript(ELK_CARRIER, carried(JSON.stringify(elkWorker))) + text.replace(/<\/(script)/gi, '<\\/$1');
}
