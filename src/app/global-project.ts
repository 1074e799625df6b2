// dbt's global project macros shipped with tsdbt (generic tests, naming, helpers) and the target
// adapter's own, read once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateSource } from '../jinja/engine/index.js';

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
