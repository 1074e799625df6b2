// dbt's global project macros shipped with tsdbt (generic tests, naming, helpers), read once.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TemplateSource } from '../jinja/engine/index.js';

let cached: TemplateSource[] | null = null;

function macroDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, '../global_project/macros'), path.join(here, '../../src/global_project/macros')];
  const found = candidates.find((c) => existsSync(c));
  if (!found) throw new Error(`tsdbt's global macros are missing (looked in ${candidates.join(', ')})`);
  return found;
}

/** The global project's macro files, with paths shown as `tsdbt/global_project/macros/<file>`. */
export function globalMacroFiles(): TemplateSource[] {
  if (cached) return cached;
  const dir = macroDir();
  cached = readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()
    .map((f) => ({ path: `tsdbt/global_project/macros/${f}`, source: readFileSync(path.join(dir, f), 'utf8') }));
  return cached;
}
