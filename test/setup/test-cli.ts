// The CLI the tests spawn: bundled from the current sources once per test run, as `npm run build`
// bundles it for users (scripts/bundle-cli.ts), with the docs site's page script beside it. A
// spawned `tsdbt` then loads one prebuilt file with V8's code cache, instead of transforming every
// TypeScript module it reaches through tsx (a `parse` of a one-model project: 4.0 s of CPU through
// tsx, 1.5 s bundled, on the 2-core machine), and the tests run the CLI users run. The folder is
// named by the digest of what it holds (dbt's compiled JSON schemas included) (dist/test-cli-<digest>/, at dist/bundle/'s depth, where the
// bundle finds the macros and package.json), so test runs of the same sources share it and no run
// sees another's half-written files. TSDBT_TEST_CLI=sources runs the sources through tsx instead.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleCli } from '../../scripts/bundle-cli.js';
import { bundleDocsApp } from '../../src/docs/bundle-app.js';
import { DOCS_APP_FILE } from '../../src/docs/site-assets.js';
import { cachedValidatorsFile, VALIDATORS_FILE } from '../../src/config/jsonschema-validators.js';

const DIST = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../dist');
const PREFIX = 'test-cli-';
/** Other sources' bundles are removed once this old (a run of other sources may still use a newer one). */
const STALE_MS = 6 * 3600_000;

/** Bundles the CLI of the current sources; returns its folder (holding bin.js), or '' for the tsx route. */
export async function buildTestCli(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  if (env.TSDBT_TEST_CLI === 'sources') return '';
  mkdirSync(DIST, { recursive: true });
  const aside = path.join(DIST, `.${PREFIX}${process.pid}-${Date.now()}`);
  try {
    await bundleCli(aside);
    writeFileSync(path.join(aside, DOCS_APP_FILE), await bundleDocsApp());
    // dbt's JSON schemas compiled (src/config/jsonschema-validators.ts finds them beside the bundle).
    copyFileSync(cachedValidatorsFile(), path.join(aside, VALIDATORS_FILE));
    const digest = createHash('sha1');
    for (const file of readdirSync(aside).sort()) digest.update(file).update(readFileSync(path.join(aside, file)));
    const folder = path.join(DIST, `${PREFIX}${digest.digest('hex').slice(0, 16)}`);
    if (!existsSync(folder)) {
      try {
        renameSync(aside, folder);
      } catch (err) {
        if (!existsSync(folder)) throw err; // another run of the same sources got there first
      }
    }
    removeStale(folder);
    return folder;
  } finally {
    rmSync(aside, { recursive: true, force: true });
  }
}

function removeStale(keep: string): void {
  for (const name of readdirSync(DIST)) {
    const full = path.join(DIST, name);
    if (!name.startsWith(PREFIX) || full === keep) continue;
    try {
      if (Date.now() - statSync(full).mtimeMs > STALE_MS) rmSync(full, { recursive: true, force: true });
    } catch {
      // removed meanwhile
    }
  }
}
