// dbt's global project macros shipped with tsdbt (generic tests, naming, helpers) and the target
// adapter's own, read once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SharedCodeCache, TemplateSource } from '../jinja/engine/index.js';
import { sharedCacheName } from '../jinja/engine/code-cache.js';

let cached: TemplateSource[] | null = null;
const adapterCache = new Map<string, TemplateSource[]>();

function macroDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '../global_project/macros'), path.join(here, '../../src/global_project/macros')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`tsdbt's global macros are missing (looked in ${candidates.join(', ')})`);
  return found;
}

function sqlFiles(dir: string, shownAs: string): TemplateSource[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ path: `${shownAs}/${f}`, source: readFileSync(path.join(dir, f), 'utf8') }));
}

/**
 * dbt's macros for a target: the global project's (`tsdbt/global_project/macros/<file>`), then the
 * target adapter's own (`tsdbt/adapters/<folder>/macros/<file>`: its `<adapter>__`
 * implementations), both in dbt's namespace, as dbt loads dbt-core's and the adapter plugin's.
 */
export function globalMacroFiles(adapterMacroDir: string | null = null): TemplateSource[] {
  cached ??= sqlFiles(macroDir(), 'tsdbt/global_project/macros');
  if (!adapterMacroDir) return cached;
  let files = adapterCache.get(adapterMacroDir);
  if (!files) {
    files = [...cached, ...sqlFiles(adapterMacroDir, `tsdbt/adapters/${path.basename(path.dirname(adapterMacroDir))}/macros`)];
    adapterCache.set(adapterMacroDir, files);
  }
  return files;
}

/**
 * Where the bundled CLI keeps the code of these macro files for every project it parses (beside
 * the bundle, else the user's cache folder, as bin.js keeps V8's code cache): a cold parse reads
 * it instead of parsing them (jinja/engine/code-cache.ts). Unbundled runs (tsx, dist/cli) keep
 * none, so no test writes outside its own folders.
 */
export function builtinCodeCache(): SharedCodeCache | undefined {
  const here = path.dirname(fileURLToPath(import.meta.url));
  if (!existsSync(path.join(here, 'cli.cjs'))) return undefined;
  // builtin-templates-<engine fingerprint>.bin: builds side by side keep their own (code-cache.ts sharedCacheName).
  const name = sharedCacheName('builtin-templates');
  const files = [path.join(here, name)];
  try {
    files.push(path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tsdbt', name));
  } catch {
    // no home folder
  }
  return { files, holds: (templatePath) => templatePath.startsWith('tsdbt/global_project/') || templatePath.startsWith('tsdbt/adapters/') };
}
