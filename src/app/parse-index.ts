// The compact index of the last `tsdbt parse`: every file and folder parsing read (project and
// package files, dbt_project.yml files, the profiles.yml candidates, the folders searched) with
// its size and modification time, the env vars read with their values, and what the parse
// printed. "Nothing changed" is then one read of this index and one stat per input: no file is
// read, nothing is rendered, manifest.json is not rewritten (issue 18: under 0.2 s for 10,000
// models). Any doubt is a miss, and a miss is the ordinary parse (which reuses
// partial_parse.bin when the contents, rather than the stamps, are unchanged).
//
// This module imports nothing heavy: it runs before the Jinja engine and the YAML parser load.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tsdbtVersion } from '../artifacts/metadata.js';
import type { InvocationOptions } from './invocation.js';

const FILE = 'partial_parse.index.json';
const FORMAT = 2;

/** A file's size and mtime; size -1: the file did not exist (a profiles.yml candidate). */
type Stamp = [size: number, mtimeMs: number];

export interface ParseIndex {
  format: number;
  /** tsdbt's version and the options parsing reads. */
  key: string;
  /** Env vars read while loading and parsing, with the value they had (null: unset). */
  envReads: Record<string, string | null>;
  files: [string, ...Stamp][];
  dirs: [string, number][];
  /** manifest.json as this parse wrote it: rewritten or removed since, the index is not used. */
  manifest: Stamp;
  replay: ParseReplay;
  /** The partial_parse.bin generation (and manifest.layout.json basis) this parse wrote. */
  generation: string;
  /** The root project's SQL files (absolute path) that each make one node: what an edit of their text alone needs. */
  sqlFiles: Record<string, SqlFileEntry>;
}

/** One SQL file's node: where it sits in partial_parse.bin and manifest.json, and its Jinja tags' digest. */
export interface SqlFileEntry {
  id: string;
  /** The cache's key of the file (`model:models/x.sql`). */
  cacheKey: string;
  /** Which node chunk of partial_parse.bin holds it. */
  chunk: number;
  /** Its place among manifest.json's nodes (manifest.layout.json's order). */
  position: number;
  /** tag-skeleton.ts digest of its text. */
  skeleton: string;
}

/** What the parse printed besides its timing line, and dbt_project.yml's warn-error flags, to do again. */
export interface ParseReplay {
  infoLines: string[];
  /** Warnings with their dbt event (what --warn-error-options names). */
  warnings: { text: string; event: string }[];
  warnErrorFlags: Record<string, unknown>;
}

/** What a parse read, collected by the project loader for the index. */
export interface ParseInputs {
  files: string[];
  dirs: string[];
  envReads: Record<string, string | null>;
}

/** The options parsing reads (as the partial-parse cache's key does), with tsdbt's version. */
export function parseOptionsKey(projectDir: string, options: InvocationOptions): string {
  const o = options;
  const relevant = [FORMAT, tsdbtVersion(), projectDir, o.vars ?? null, o.target ?? null, o.profile ?? null, o.profilesDir ?? null, o.threads ?? null, Boolean(o.fullRefresh), Boolean(o.storeFailures)];
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

/** Where the index of a project with the default target path lives (DBT_TARGET_PATH honoured). */
export function defaultIndexDir(projectDir: string, env: NodeJS.ProcessEnv): string {
  return path.resolve(projectDir, env.DBT_TARGET_PATH ?? 'target');
}

const sameStamp = (a: Stamp, b: Stamp) => a[0] === b[0] && a[1] === b[1];

/**
 * Writes the index after a parse wrote manifest.json. An input modified at or after manifest.json's
 * own mtime may have changed after it was read without its stamp showing it (timestamps are as
 * coarse as the kernel's clock tick): then no index is written, as git treats "racily clean" files.
 */
export function writeParseIndex(targetDir: string, key: string, inputs: ParseInputs, replay: ParseReplay, generation: string, sqlFiles: Record<string, SqlFileEntry>): void {
  const file = path.join(targetDir, FILE);
  rmSync(file, { force: true });
  const manifest = stampOf(path.join(targetDir, 'manifest.json'));
  if (manifest[0] < 0) return;
  const files = [...new Set(inputs.files)].map((f): [string, ...Stamp] => [f, ...stampOf(f)]);
  const dirs = [...new Set(inputs.dirs)].map((d): [string, number] => [d, stampOf(d)[1]]);
  if (files.some(([, , mtime]) => mtime >= manifest[1]) || dirs.some(([, mtime]) => mtime >= manifest[1])) return;
  saveParseIndex(targetDir, { format: FORMAT, key, envReads: inputs.envReads, files, dirs, manifest, replay, generation, sqlFiles });
}

/** Writes an index (temp file + rename). */
export function saveParseIndex(targetDir: string, index: ParseIndex): void {
  const file = path.join(targetDir, FILE);
  mkdirSync(targetDir, { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(index));
  renameSync(tmp, file);
}

/** Drops the index (a parse that patched the files it describes, then failed to describe them again). */
export function removeParseIndex(targetDir: string): void {
  rmSync(path.join(targetDir, FILE), { force: true });
}

/** A file's size and mtime now ([-1, 0] when it does not exist). */
export function stampOf(file: string): Stamp {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? [stat.size, stat.mtimeMs] : [-1, 0];
}

/**
 * The index, with the files whose stamps changed since (none: nothing changed), when only files
 * it lists changed and every one of them is a SQL file of `sqlFiles` (same options, env values,
 * folders and manifest.json); else null.
 */
export function currentParseIndex(targetDir: string, key: string, env: NodeJS.ProcessEnv): { index: ParseIndex; changed: string[] } | null {
  let index: ParseIndex;
  try {
    index = JSON.parse(readFileSync(path.join(targetDir, FILE), 'utf8')) as ParseIndex;
  } catch {
    return null; // none yet, or damaged: the ordinary parse
  }
  if (index.format !== FORMAT || index.key !== key) return null;
  for (const [name, value] of Object.entries(index.envReads)) if ((env[name] ?? null) !== value) return null;
  if (!sameStamp(stampOf(path.join(targetDir, 'manifest.json')), index.manifest)) return null;
  for (const [dir, mtime] of index.dirs) if (stampOf(dir)[1] !== mtime) return null;
  const changed: string[] = [];
  for (const [file, size, mtime] of index.files) {
    if (sameStamp(stampOf(file), [size, mtime])) continue;
    if (!index.sqlFiles[file]) return null;
    changed.push(file);
  }
  return { index, changed };
}
