// A new embedded PostgreSQL database starts as a copy of a template data directory instead of
// running PGlite's initdb (seconds of WASM work on every fresh `target/`, `tsdbt clean`, CI
// checkout and test project; opening a copied directory costs what opening an existing one does).
// The template is made once per PGlite version by PGlite itself, closed, then moved into
// place by a rename, so a reader never sees half a template; it lives in the `.cache/tsdbt` folder
// of the node_modules that holds PGlite (the find-cache-dir convention), or `TSDBT_CACHE_DIR`.
// Copying into the new directory puts PG_VERSION (what makes a folder a database for PGlite) in
// last: a copy cut short is no database, and the next open starts it again.
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { isAlive } from './process-identity.js';

const MARKER = 'PG_VERSION';

/** PGlite's package folder and version, or null when it cannot be found on disk. */
function pgliteInstall(): { dir: string; version: string } | null {
  try {
    // The package exports no package.json: found from its entry file, upwards.
    let dir = path.dirname(createRequire(import.meta.url).resolve('@electric-sql/pglite'));
    for (; dir !== path.dirname(dir); dir = path.dirname(dir)) {
      if (!existsSync(path.join(dir, 'package.json'))) continue;
      const { name, version } = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (name === '@electric-sql/pglite') return version ? { dir, version } : null;
    }
    return null;
  } catch {
    return null;
  }
}

/** Where the template of this PGlite lives: `$TSDBT_CACHE_DIR/pglite-<version>` or `<node_modules>/.cache/tsdbt/pglite-<version>`. */
export function pgliteTemplateDir(env: NodeJS.ProcessEnv = process.env): string | null {
  const install = pgliteInstall();
  if (!install) return null;
  // <node_modules>/@electric-sql/pglite -> <node_modules>
  const cacheRoot = env.TSDBT_CACHE_DIR || path.join(install.dir, '..', '..', '.cache', 'tsdbt');
  return path.join(cacheRoot, `pglite-${install.version}`);
}

/**
 * Fills the empty (or half-copied) data directory `dataDir` from the template, making the template
 * first with `create` (which must leave a closed PGlite database in the folder it is given).
 * Files named in `keep` (the directory's lock) stay. Returns false when no template can be had
 * (no cache folder, not writable): the caller lets PGlite create the database as before.
 */
export async function fillFromTemplate(dataDir: string, keep: ReadonlySet<string>, create: (dir: string) => Promise<void>, env: NodeJS.ProcessEnv = process.env): Promise<boolean> {
  const template = pgliteTemplateDir(env);
  if (!template) return false;
  try {
    if (!existsSync(path.join(template, MARKER))) await makeTemplate(template, create);
    for (const entry of readdirSync(dataDir)) if (!keep.has(entry)) rmSync(path.join(dataDir, entry), { recursive: true, force: true });
    for (const entry of readdirSync(template)) {
      if (entry !== MARKER) cpSync(path.join(template, entry), path.join(dataDir, entry), { recursive: true });
    }
    cpSync(path.join(template, MARKER), path.join(dataDir, MARKER));
    return true;
  } catch {
    // A cache folder that cannot be written (a read-only install): PGlite's initdb in place.
    rmSync(path.join(dataDir, MARKER), { force: true });
    return false;
  }
}

/** Makes the template in a folder of its own and renames it into place (another process may win the race: theirs is kept). */
async function makeTemplate(template: string, create: (dir: string) => Promise<void>): Promise<void> {
  mkdirSync(path.dirname(template), { recursive: true });
  removeAbandonedBuilds(template);
  const building = `${template}.${process.pid}.${Date.now()}.tmp`;
  try {
    await create(building);
    try {
      renameSync(building, template);
    } catch (err) {
      if (!existsSync(path.join(template, MARKER))) throw err;
    }
  } finally {
    rmSync(building, { recursive: true, force: true });
  }
}

/** Folders of templates being made by processes that are gone (killed while making one). */
function removeAbandonedBuilds(template: string): void {
  const prefix = `${path.basename(template)}.`;
  for (const entry of readdirSync(path.dirname(template))) {
    const pid = entry.startsWith(prefix) && entry.endsWith('.tmp') ? Number(entry.slice(prefix.length).split('.')[0]) : NaN;
    if (Number.isInteger(pid) && pid > 0 && !isAlive(pid)) rmSync(path.join(path.dirname(template), entry), { recursive: true, force: true });
  }
}
