// Bundles the docs site's page script (browser/main.ts, with the CLI's own selection code from
// src/selection/ and elkjs) into one script with esbuild. `npm run build` runs this once
// (scripts/build-docs-app.ts writes dist/docs/tsdbt-docs-app.js), so the installed CLI only
// copies the file and needs no bundler at run time (esbuild stays a devDependency); run from the
// sources (tests, tsx) the site is bundled on first use, so it always shows the current code.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The page script's entry: src/docs/browser/main.ts (this file's folder holds it in the sources). */
export const DOCS_APP_ENTRY = path.join(here, 'browser', 'main.ts');

/** The page script: an IIFE with ELK's worker source inside (the page starts the worker from a Blob). */
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
    charset: 'utf8',
    logLevel: 'silent',
    plugins: [
      {
        // `import source from 'tsdbt:elk-worker-source'`: the text of elkjs's worker script.
        name: 'elk-worker-source',
        setup(build) {
          build.onResolve({ filter: /^tsdbt:elk-worker-source$/ }, (args) => ({ path: args.path, namespace: 'elk-worker-source' }));
          build.onLoad({ filter: /.*/, namespace: 'elk-worker-source' }, () => ({ contents: `export default ${JSON.stringify(elkWorker)};`, loader: 'js' }));
        },
      },
    ],
  });
  const text = result.outputFiles[0]?.text ?? '';
  // The script may be inlined in static_index.html: no `</script` may end its element early.
  return text.replace(/<\/(script)/gi, '<\\/$1');
}
