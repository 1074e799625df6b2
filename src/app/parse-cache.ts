// Partial parsing: when nothing that parsing reads has changed (project files, dbt_project.yml,
// the target, --vars, the env vars templates read, tsdbt itself), the manifest of the previous
// parse is reused from target/partial_parse.bin instead of rendering every file again.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { deserialize, serialize } from 'node:v8';
import type { Manifest, ManifestNode } from '../graph/types.js';
import type { ProjectFile } from '../project/types.js';
import { tsdbtVersion } from '../artifacts/metadata.js';

const FILE = 'partial_parse.bin';
const FORMAT = 2;

export interface ParseCacheInputs {
  targetDir: string;
  /** Everything besides files that parsing depends on (project config, target, vars...). */
  settings: unknown;
  files: ProjectFile[];
  /** Text of tsdbt's own global macros. */
  globalMacros: string[];
}

interface CacheEntry {
  format: number;
  key: string;
  /** Env vars templates read while parsing, with the value they had (null: unset). */
  envReads: Record<string, string | null>;
  manifest: Manifest;
  disabled: ManifestNode[];
}

/** The key of everything parsing reads except env vars. */
export function parseCacheKey(inputs: ParseCacheInputs): string {
  const hash = createHash('sha256');
  hash.update(`${FORMAT}\0${tsdbtVersion()}\0${JSON.stringify(inputs.settings)}\0`);
  for (const text of inputs.globalMacros) hash.update(text).update('\0');
  for (const file of inputs.files) hash.update(`${file.kind}\0${file.path}\0${file.content ?? unreadStamp(file.absPath)}\0`);
  return hash.digest('hex');
}

/** A file parsing does not read as text (a seed, checksummed at parse time): its size and modification time. */
function unreadStamp(absPath: string): string {
  try {
    const stat = statSync(absPath);
    return `${stat.size}:${stat.mtimeMs}`;
  } catch {
    return '';
  }
}

/** The cached manifest, if it was parsed from the same inputs and env. */
export function readParseCache(targetDir: string, key: string, env: NodeJS.ProcessEnv): { manifest: Manifest; disabled: ManifestNode[]; envReads: Record<string, string | null> } | null {
  const file = path.join(targetDir, FILE);
  if (!existsSync(file)) return null;
  try {
    const entry = deserialize(readFileSync(file)) as CacheEntry;
    if (entry.format !== FORMAT || entry.key !== key) return null;
    for (const [name, value] of Object.entries(entry.envReads)) if ((env[name] ?? null) !== value) return null;
    return { manifest: entry.manifest, disabled: entry.disabled, envReads: entry.envReads };
  } catch {
    return null; // a damaged or foreign cache is simply ignored
  }
}

/** Writes the cache atomically (temp file + rename), so a crash never leaves a torn cache. */
export function writeParseCache(targetDir: string, key: string, envReads: Record<string, string | null>, manifest: Manifest, disabled: ManifestNode[]): void {
  mkdirSync(targetDir, { recursive: true });
  const file = path.join(targetDir, FILE);
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, serialize({ format: FORMAT, key, envReads, manifest, disabled } satisfies CacheEntry));
  renameSync(tmp, file);
}

/** An env object that records every variable read through it. */
export function recordingEnv(env: NodeJS.ProcessEnv, reads: Record<string, string | null>): NodeJS.ProcessEnv {
  return new Proxy(env, {
    get(target, name, receiver) {
      const value = Reflect.get(target, name, receiver) as unknown;
      if (typeof name === 'string') reads[name] = typeof value === 'string' ? value : null;
      return value;
    },
  });
}
