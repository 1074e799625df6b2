// `npm run build` (after tsc): bundles the docs site's page script into dist/docs/tsdbt-docs-app.js,
// which the built CLI copies into each site (src/docs/site-assets.ts).
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleDocsApp } from '../src/docs/bundle-app.js';
import { DOCS_APP_FILE } from '../src/docs/site-assets.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const script = await bundleDocsApp();
writeFileSync(path.join(root, 'dist', 'docs', DOCS_APP_FILE), script);
console.log(`dist/docs/${DOCS_APP_FILE}: ${(script.length / 1e6).toFixed(2)} MB`);
