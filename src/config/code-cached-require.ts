// A CommonJS file loaded with V8's code cache, as bin.js loads the bundled CLI
// (scripts/cli-bundle-loader.ts): dbt's JSON-schema validators (dist/jsonschemas/validators.cjs,
// 1.6 MB of ajv's generated code) took ~40 ms of CPU to compile and run in every parse that checks
// a file or a config() call, ~12 ms from the cache.
//
// The cache sits beside the file, else in the user's cache folder ($XDG_CACHE_HOME or ~/.cache,
// tsdbt/), named after the file's name, size and time and V8's flags (a cache made under other
// flags is rejected: `run`'s flags must not throw out `parse`'s cache), and holds what the process
// that wrote it compiled: written at the exit when there was none or V8 rejected it. Nothing here
// can fail the load: an unreadable cache is compiled without, an unwritable place is skipped, and a
// half-written cache is never read (written aside, then renamed into place).
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

/** The module's exports, from its code cache where one fits. */
export function codeCachedRequire(file: string): unknown {
  const text = readFileSync(file, 'latin1');
  const name = cacheName(file);
  const places = cachePlaces(path.dirname(file));
  const cachedData = readCacheFile(places, name);
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${text}\n})`;
  const script = new vm.Script(wrapped, { filename: file, cachedData });
  if (cachedData === undefined || script.cachedDataRejected === true) {
    process.once('exit', () => {
      try {
        const data = script.createCachedData();
        places.some((place) => writeCache(place, name, data));
      } catch {
        // no cache this time
      }
    });
  }
  const module = { exports: {} as unknown };
  (script.runInThisContext() as (...args: unknown[]) => void)(module.exports, createRequire(file), module, file, path.dirname(file));
  return module.exports;
}

/** The cache `name` from the first of `places` that has it. */
export function readCacheFile(places: readonly string[], name: string): Buffer | undefined {
  for (const place of places) {
    try {
      return readFileSync(path.join(place, name));
    } catch {
      // none there
    }
  }
  return undefined;
}

/** `<file's stem>-<digest of its size, time and V8's flags>.cache`. */
function cacheName(file: string): string {
  const stat = statSync(file);
  const flags = (globalThis as Record<symbol, unknown>)[Symbol.for('tsdbt.v8Flags')] ?? '';
  const digest = createHash('sha1').update(`${path.basename(file)}\0${stat.size}\0${stat.mtimeMs}\0${process.version}\0${String(flags)}`).digest('hex').slice(0, 16);
  return `${stemOf(file)}-${digest}.cache`;
}

function stemOf(file: string): string {
  return path.basename(file).replace(/\.[^.]*$/, '');
}

/** Beside the file (in `dir`), else the user's cache folder. */
export function cachePlaces(dir: string): string[] {
  try {
    return [dir, path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'tsdbt')];
  } catch {
    return [dir]; // no home folder
  }
}

/**
 * Writes a code cache `name` into `place` (false when it cannot: the caller tries its next place),
 * aside and then renamed into place, then removes the files there that `isStale` names (older
 * builds' caches; a failure to remove leaves them for the next write). bin.js writes the CLI's
 * caches through it too (scripts/cli-bundle-loader.ts).
 */
export function writeCacheFile(place: string, name: string, data: Buffer, isStale: (file: string) => boolean): boolean {
  const cacheFile = path.join(place, name);
  const aside = `${cacheFile}.${process.pid}`;
  try {
    mkdirSync(place, { recursive: true });
    writeFileSync(aside, data);
    renameSync(aside, cacheFile);
  } catch {
    try {
      rmSync(aside, { force: true });
    } catch {
      // nothing was written
    }
    return false;
  }
  try {
    for (const old of readdirSync(place)) if (old !== name && isStale(old)) rmSync(path.join(place, old), { force: true });
  } catch {
    // left for the next write
  }
  return true;
}

/** Writes the module's cache into `place`, removing the file's caches of other digests there. */
function writeCache(place: string, name: string, data: Buffer): boolean {
  const stem = name.slice(0, name.lastIndexOf('-') + 1);
  return writeCacheFile(place, name, data, (old) => old.startsWith(stem) && /^[\w-]+-[0-9a-f]{16}\.cache$/.test(old));
}
