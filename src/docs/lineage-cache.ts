// The column-lineage cache of `docs generate`: target/column_lineage.bin keeps each traced
// statement's lineage with the relations it looked up (column-lineage.ts LineageCache), so the
// next `docs generate` parses only the models whose SQL or upstream columns changed. The file
// names the code that wrote it (tsdbt's version, the lineage modules' text, node-sql-parser's
// version): written by other code, it is ignored; unreadable, it is ignored too (a cache, never
// an error).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import { bundleDigest, tsdbtVersion } from '../artifacts/metadata.js';
import type { CachedLineage, LineageCache } from './column-lineage.js';

export const LINEAGE_CACHE_FILE = 'column_lineage.bin';

let codeDigest: string | null = null;

/** What computes lineage: tsdbt's version, the text of column-lineage and statement-shapes (compiled or source), node-sql-parser's version. */
function lineageCode(): string {
  if (codeDigest) return codeDigest;
  const hash = createHash('sha1').update(tsdbtVersion());
  const sources = ['column-lineage.js', 'column-lineage.ts', 'statement-shapes.js', 'statement-shapes.ts'].map((file) => fileURLToPath(new URL(`./${file}`, import.meta.url))).filter((full) => existsSync(full));
  for (const full of sources) hash.update(readFileSync(full));
  // The bundled CLI (dist/bundle/) has no column-lineage file: the bundle's digest stands for its code.
  if (sources.length === 0) hash.update(bundleDigest(path.dirname(fileURLToPath(import.meta.url))) ?? '');
  try {
    const pkg = createRequire(import.meta.url).resolve('node-sql-parser/package.json');
    hash.update((JSON.parse(readFileSync(pkg, 'utf8')) as { version?: string }).version ?? '');
  } catch {
    // Resolved differently (bundled): its version is in tsdbt's own.
  }
  return (codeDigest = hash.digest('base64'));
}

interface CacheFile {
  code: string;
  entries: Map<string, CachedLineage>;
}

/** The cache left in `targetDir` by the last `docs generate` of the same code, or an empty one. */
export function readLineageCache(targetDir: string): LineageCache {
  const file = path.join(targetDir, LINEAGE_CACHE_FILE);
  const empty = (): LineageCache => ({ entries: new Map(), used: new Map() });
  if (!existsSync(file)) return empty();
  try {
    const saved = deserialize(readFileSync(file)) as CacheFile;
    if (saved?.code !== lineageCode() || !(saved.entries instanceof Map)) return empty();
    return { entries: saved.entries, used: new Map() };
  } catch {
    return empty();
  }
}

/** Keeps this run's entries (those of statements no longer in the project are dropped). */
export function writeLineageCache(targetDir: string, cache: LineageCache): void {
  const file = path.join(targetDir, LINEAGE_CACHE_FILE);
  const temporary = `${file}.${process.pid}.tmp`;
  mkdirSync(targetDir, { recursive: true });
  writeFileSync(temporary, serialize({ code: lineageCode(), entries: cache.used } satisfies CacheFile));
  renameSync(temporary, file);
}
