// The compact index of the last `tsdbt parse`: every file and folder parsing read (project and
// package files, dbt_project.yml files, the profiles.yml candidates, the folders searched) with
// its size and modification time, the env vars read with their values, and what the parse
// printed. "Nothing changed" is then one read of this index and one stat per input: no file is
// read, nothing is rendered, manifest.json is not rewritten (issue 18: under 0.2 s for 10,000
// models). Any doubt is a miss, and a miss is the ordinary parse (which reuses
// partial_parse.bin when the contents, rather than the stamps, are unchanged).
//
// This module imports nothing heavy: it runs before the Jinja engine and the YAML parser load.
import { createHash, randomBytes } from 'node:crypto';
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { tsdbtBuild } from '../artifacts/metadata.js';
import { isWalked } from '../project/discover.js';
import { fileStamps, fileSystemNow, SMUDGED, type Stamp, trustedStamp } from './file-stamps.js';
import type { InvocationOptions } from './invocation.js';
import type { SourceLocation } from '../errors/tsdbt-error.js';

const FILE = 'partial_parse.index.json';
/** The SQL files' entries, read only when a file changed (most of the index's size: 2 MB at 10,000 models). */
const SQL_FILES = 'partial_parse.sqlfiles.json';
const FORMAT = 4;
/**
 * manifest.json (and its manifest.layout.json) as the indexed parse wrote it, kept by a hard link
 * when a command replaces it with compiled code (compile, run, build...): what the next parse with
 * nothing changed writes, put back by a rename (`restoreParsedManifest`).
 */
const PARSED_MANIFEST = 'partial_parse.manifest.json';
const PARSED_LAYOUT = 'partial_parse.manifest.layout.json';

export { fileSystemNow, SMUDGED, type Stamp, trustedStamp };


/**
 * Files and their stamps, column by column: the paths as one text, a line each (PATH_SEPARATOR),
 * and two arrays of numbers, not one small array or string per file: JSON.parse then makes three
 * objects instead of 10,000 strings that the collector copies (the read and the stat of every file
 * ~18% cheaper at 10,000 files, issue 18). A path holding the separator gets no index (`writeParseIndex`).
 */
export interface StampedFiles {
  paths: string;
  sizes: number[];
  mtimes: number[];
}

export interface ParseIndex {
  format: number;
  /** tsdbt's version and the options parsing reads. */
  key: string;
  /** Env vars read while loading and parsing, with the value they had (null: unset). */
  envReads: Record<string, string | null>;
  files: StampedFiles;
  /** The folders searched: mtime, and a digest of the entries a parse walks (`listingDigest`). */
  dirs: [string, number, string][];
  /** manifest.json as this parse wrote it: rewritten or removed since, the index is not used. */
  manifest: Stamp;
  replay: ParseReplay;
  /** The partial_parse.bin generation (and manifest.layout.json basis) this parse wrote. */
  generation: string;
  /** Which partial_parse.sqlfiles.json goes with this index (its `token`). */
  sqlFilesToken: string;
}

/**
 * The root project's SQL files (absolute path) that each make one node: what an edit of their
 * text alone needs. Kept in a file of its own beside the index.
 */
export type SqlFiles = Record<string, SqlFileEntry>;

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

/** A warning the parse gave: its text, dbt event and the file and line it points at. */
export interface ParseIndexWarning {
  text: string;
  event: string;
  location?: SourceLocation;
}

/** What the parse printed besides its timing line, and dbt_project.yml's warn-error flags, to do again. */
export interface ParseReplay {
  infoLines: string[];
  /** Warnings with their dbt event (what --warn-error-options names). */
  warnings: ParseIndexWarning[];
  warnErrorFlags: Record<string, unknown>;
  /** dbt ran its JSON-schema checks on the parse's adapter (app/jsonschema-gate.ts): --warn-error makes their warnings errors. */
  dbtSchemaChecks?: boolean;
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
  const relevant = [FORMAT, tsdbtBuild(), projectDir, o.vars ?? null, o.target ?? null, o.profile ?? null, o.profilesDir ?? null, o.threads ?? null, Boolean(o.fullRefresh), Boolean(o.storeFailures)];
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

/** A folder's listing digest that matches no folder (`listingDigest` gives base64 or ''). */
const SMUDGED_LISTING = '*';

/**
 * Told why the last parse cannot be reused or patched (for `--debug`: "Unable to do partial
 * parsing because ..."); answers null, so that `return miss('...')` gives up.
 */
export type Miss = (reason: string) => null;

/** Between the paths of `StampedFiles.paths`. */
const PATH_SEPARATOR = '\n';

/** The files of `files`, in order. */
export function stampedPaths(files: StampedFiles): string[] {
  return files.paths === '' ? [] : files.paths.split(PATH_SEPARATOR);
}

/** The files in this order, as `StampedFiles.paths` holds them; null when one holds the separator. */
export function joinPaths(paths: string[]): string | null {
  return paths.some((p) => p.includes(PATH_SEPARATOR)) ? null : paths.join(PATH_SEPARATOR);
}

const sameStamp = (a: Stamp, b: Stamp) => a[0] === b[0] && a[1] === b[1];

/**
 * Writes the index after a parse wrote manifest.json; `clock` is `fileSystemNow` before the parse
 * read anything. An input modified at or after `clock` may have changed after it was read (while
 * the parse ran, or in the clock tick it started in) without its stamp showing it: its stamp is
 * smudged (`trustedStamp`), and a folder's listing is not trusted, so the next parse reads again.
 */
export function writeParseIndex(targetDir: string, key: string, inputs: ParseInputs, replay: ParseReplay, generation: string, sqlFiles: SqlFiles, clock: number): void {
  const file = path.join(targetDir, FILE);
  rmSync(file, { force: true });
  dropParsedManifest(targetDir);
  const manifest = stampOf(path.join(targetDir, 'manifest.json'));
  if (manifest[0] < 0) return;
  const paths = [...new Set(inputs.files)];
  const joined = joinPaths(paths);
  if (joined === null) return; // a file name with a line break: parsed each time
  const files: StampedFiles = { paths: joined, sizes: [], mtimes: [] };
  for (const f of paths) {
    const [size, mtime] = trustedStamp(stampOf(f), clock);
    files.sizes.push(size);
    files.mtimes.push(mtime);
  }
  const dirs = [...new Set(inputs.dirs)].map((d): [string, number, string] => {
    const mtime = stampOf(d)[1];
    return mtime < clock ? [d, mtime, listingDigest(d)] : [d, NaN, SMUDGED_LISTING];
  });
  const sqlFilesToken = saveSqlFiles(targetDir, sqlFiles);
  saveParseIndex(targetDir, { format: FORMAT, key, envReads: inputs.envReads, files, dirs, manifest, replay, generation, sqlFilesToken });
}

/** Writes the SQL files' entries with a new token, which the index that goes with them must name; returns it. */
export function saveSqlFiles(targetDir: string, sqlFiles: SqlFiles): string {
  const token = randomBytes(8).toString('hex');
  writeAtomically(path.join(targetDir, SQL_FILES), JSON.stringify({ token, entries: sqlFiles }));
  return token;
}

/** Writes an index (temp file + rename); its SQL files' entries are written by `saveSqlFiles`. */
export function saveParseIndex(targetDir: string, index: ParseIndex): void {
  mkdirSync(targetDir, { recursive: true });
  writeAtomically(path.join(targetDir, FILE), JSON.stringify(index));
}

function writeAtomically(file: string, text: string | Buffer): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The SQL files' entries that go with `index`, or null (missing, damaged, or of another index). */
export function readSqlFiles(targetDir: string, index: ParseIndex): SqlFiles | null {
  try {
    const stored = JSON.parse(readFileSync(path.join(targetDir, SQL_FILES), 'utf8')) as { token?: unknown; entries?: SqlFiles };
    return stored.token === index.sqlFilesToken && stored.entries ? stored.entries : null;
  } catch {
    return null;
  }
}

/**
 * The entries of `files` alone (those it has) from the SQL files' entries that go with `index`, or
 * null (missing, damaged, or of another index): what a parse after an edit of a few files needs,
 * without parsing the 10,000 others' (2 MB of JSON at 10,000 models). Each is found by its key,
 * as JSON.stringify wrote it (a key's quotes are never escaped, a string value's are), and parsed
 * alone.
 */
export function readSqlFileEntries(targetDir: string, index: ParseIndex, files: string[]): SqlFiles | null {
  const bytes = sqlFilesBytes(targetDir, index);
  if (bytes === null) return null;
  const entries: SqlFiles = {};
  try {
    for (const file of files) {
      const range = entryRange(bytes, file);
      if (range) entries[file] = JSON.parse(bytes.toString('utf8', range[0], range[1])) as SqlFileEntry;
    }
  } catch {
    return null;
  }
  return entries;
}

/**
 * partial_parse.sqlfiles.json's bytes if they go with `index`, else null: searched as bytes, never
 * decoded whole (2 MB at 10,000 models). In UTF-8 the bytes of `"`, `\\`, `{` and `}` occur in no
 * other character, so the JSON's structure is found as it is in the text.
 */
function sqlFilesBytes(targetDir: string, index: ParseIndex): Buffer | null {
  let bytes: Buffer;
  try {
    bytes = readFileSync(path.join(targetDir, SQL_FILES));
  } catch {
    return null;
  }
  const prefix = Buffer.from(sqlFilesPrefix(index.sqlFilesToken));
  return bytes.subarray(0, prefix.length).equals(prefix) ? bytes : null;
}

const sqlFilesPrefix = (token: string) => `{"token":${JSON.stringify(token)},"entries":{`;

const [OPEN_BRACE, COMMA, QUOTE, BACKSLASH, CLOSE_BRACE] = ['{', ',', '"', '\\', '}'].map((c) => c.charCodeAt(0));

/** Where a file's entry (its object) is in the bytes, found by its key as JSON.stringify wrote it. */
function entryRange(bytes: Buffer, file: string): [number, number] | null {
  const key = Buffer.from(`${JSON.stringify(file)}:{`);
  let at = bytes.indexOf(key);
  while (at >= 0 && bytes[at - 1] !== OPEN_BRACE && bytes[at - 1] !== COMMA) at = bytes.indexOf(key, at + 1);
  if (at < 0) return null;
  const start = at + key.length - 1;
  return [start, objectEnd(bytes, start)];
}

/**
 * The SQL files' entries that go with `index`, some replaced by `changed` (each already there),
 * under a new token, ready to write (`writeSqlFiles`): the bytes `saveSqlFiles` would write for
 * all of them, made without parsing and stringifying the 10,000 others. Null when the stored
 * entries are not `index`'s or one of `changed` is not among them.
 */
export function patchedSqlFiles(targetDir: string, index: ParseIndex, changed: SqlFiles): { token: string; bytes: Buffer } | null {
  const bytes = sqlFilesBytes(targetDir, index);
  if (bytes === null) return null;
  const ranges: [number, number, string][] = [];
  for (const [file, entry] of Object.entries(changed)) {
    const range = entryRange(bytes, file);
    if (!range) return null;
    ranges.push([range[0], range[1], JSON.stringify(entry)]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  const token = randomBytes(8).toString('hex');
  const parts: Buffer[] = [Buffer.from(sqlFilesPrefix(token))];
  let at = Buffer.byteLength(sqlFilesPrefix(index.sqlFilesToken));
  for (const [start, end, replacement] of ranges) {
    parts.push(bytes.subarray(at, start), Buffer.from(replacement));
    at = end;
  }
  parts.push(bytes.subarray(at));
  return { token, bytes: Buffer.concat(parts) };
}

/** Writes the SQL files' entries `patchedSqlFiles` made. */
export function writeSqlFiles(targetDir: string, patched: { bytes: Buffer }): void {
  writeAtomically(path.join(targetDir, SQL_FILES), patched.bytes);
}

/** The end (exclusive) of the flat JSON object (no nested objects) starting at `start`. */
function objectEnd(bytes: Buffer, start: number): number {
  let inString = false;
  for (let i = start + 1; i < bytes.length; i++) {
    const c = bytes[i];
    if (inString) {
      if (c === BACKSLASH) i++;
      else if (c === QUOTE) inString = false;
    } else if (c === QUOTE) inString = true;
    else if (c === CLOSE_BRACE) return i + 1;
  }
  return bytes.length;
}

/**
 * manifest.json was written again by a command (`tsdbt ls`, run-operation...) from the same parse
 * the index describes (`generation`), without compiled code: the same file but for its metadata.
 * When the index was current just before (`before`: the file's stamp then), it takes the new
 * stamp `after`; otherwise it is left as it is (and stays unused).
 */
export function keepParseIndexAfterRewrite(targetDir: string, before: Stamp, generation: string, after: Stamp): void {
  const index = readParseIndex(targetDir);
  if (!index || index.generation !== generation || !sameStamp(index.manifest, before)) return;
  saveParseIndex(targetDir, { ...index, manifest: after });
}

/** The index in `targetDir`, or null: none yet, damaged, or of another format (the ordinary parse). */
function readParseIndex(targetDir: string): ParseIndex | null {
  try {
    const index = JSON.parse(readFileSync(path.join(targetDir, FILE), 'utf8')) as ParseIndex;
    return index.format === FORMAT ? index : null;
  } catch {
    return null;
  }
}

/** Drops the index (a parse that patched the files it describes, then failed to describe them again). */
export function removeParseIndex(targetDir: string): void {
  rmSync(path.join(targetDir, FILE), { force: true });
  dropParsedManifest(targetDir);
}

/**
 * Before a command replaces manifest.json (`before`: its stamp now): when the file is the one the
 * index describes, it and its layout are kept under a second name (hard links: no byte copied),
 * so a parse after a compile, run or build, whose manifest.json holds compiled code, can put the
 * parse's own file back instead of parsing again. Returns whether they were kept.
 */
export function keepParsedManifest(targetDir: string, before: Stamp): boolean {
  const index = before[0] < 0 ? null : readParseIndex(targetDir);
  if (!index || !sameStamp(index.manifest, before)) return false;
  try {
    linkOver(path.join(targetDir, 'manifest.layout.json'), path.join(targetDir, PARSED_LAYOUT));
    linkOver(path.join(targetDir, 'manifest.json'), path.join(targetDir, PARSED_MANIFEST));
    return true;
  } catch {
    dropParsedManifest(targetDir); // no hard links here: the next parse parses again, as before
    return false;
  }
}

/** Removes the kept manifest.json of the indexed parse (`keepParsedManifest`). */
export function dropParsedManifest(targetDir: string): void {
  rmSync(path.join(targetDir, PARSED_MANIFEST), { force: true });
  rmSync(path.join(targetDir, PARSED_LAYOUT), { force: true });
}

function linkOver(from: string, to: string): void {
  rmSync(to, { force: true });
  if (statSync(from, { throwIfNoEntry: false })) linkSync(from, to);
}

/**
 * manifest.json is not the indexed parse's (a compile, run or build wrote compiled code into it):
 * when the parse's own file was kept (`keepParsedManifest`) and is untouched (the index's stamp),
 * it is renamed back with its layout, as the parse wrote them. Returns whether it was.
 */
function restoreParsedManifest(targetDir: string, index: ParseIndex): boolean {
  const kept = path.join(targetDir, PARSED_MANIFEST);
  if (!sameStamp(stampOf(kept), index.manifest)) return false;
  const layout = path.join(targetDir, PARSED_LAYOUT);
  // The layout first: one left beside the other manifest.json by a crash between the two renames
  // does not match that file's stamp, and is ignored (manifest-layout.ts).
  if (stampOf(layout)[0] >= 0) renameSync(layout, path.join(targetDir, 'manifest.layout.json'));
  else rmSync(path.join(targetDir, 'manifest.layout.json'), { force: true });
  renameSync(kept, path.join(targetDir, 'manifest.json'));
  return true;
}

/** A digest of the entries of `dir` a parse walks (names, and which are folders); '' when it does not exist. */
export function listingDigest(dir: string): string {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return '';
  }
  const names = entries.filter((e) => isWalked(e.name)).map((e) => `${e.isDirectory() ? 'd' : 'f'}${e.name}`);
  return createHash('sha1').update(names.sort().join('\0')).digest('base64');
}

/** A file's size and mtime now ([-1, 0] when it does not exist). */
export function stampOf(file: string): Stamp {
  const stat = statSync(file, { throwIfNoEntry: false });
  return stat ? [stat.size, stat.mtimeMs] : [-1, 0];
}

/** The last parse's index, and what changed since (`currentParseIndex`). */
export interface CurrentParseIndex {
  index: ParseIndex;
  /** The files whose stamps changed (none: nothing changed). */
  changed: string[];
  /** Their entries, when some changed. */
  sqlFiles: SqlFiles | null;
  /** The stamps to keep for them once they are read (`trustedStamp`: taken before their text is read). */
  stamps: Record<string, Stamp>;
}

/**
 * The index, with the files whose stamps changed since (none: nothing changed), when only files
 * it lists changed and every one of them is a SQL file of its SQL files' entries (same options,
 * env values, folders and manifest.json); else null. The entries are read only when a file
 * changed, and only the changed files' (`readSqlFiles` reads them all).
 */
export function currentParseIndex(targetDir: string, key: string, env: NodeJS.ProcessEnv, miss: Miss = () => null): CurrentParseIndex | null {
  const index = readParseIndex(targetDir);
  if (!index) return miss(`there is no usable ${FILE} (none written by the last parse, or of another tsdbt)`);
  if (index.key !== key) return miss('tsdbt or the options parsing reads (--vars, --target, --profile, --profiles-dir, --threads, --full-refresh, --store-failures) changed');
  for (const [name, value] of Object.entries(index.envReads)) if ((env[name] ?? null) !== value) return miss(`env var ${name} changed`);
  if (!sameStamp(stampOf(path.join(targetDir, 'manifest.json')), index.manifest) && !restoreParsedManifest(targetDir, index)) return miss('manifest.json was written or removed since the last parse');
  // dbt writes semantic_manifest.json with every manifest.json: one removed since is written again.
  if (stampOf(path.join(targetDir, 'semantic_manifest.json'))[0] < 0) return miss('semantic_manifest.json was removed');
  // A folder's mtime also moves when a file in it is replaced by a rename (sed -i, editors' safe
  // writes) or a hidden file comes and goes (swap files): only a change of what is walked counts.
  for (const [dir, mtime, digest] of index.dirs) if (stampOf(dir)[1] !== mtime && listingDigest(dir) !== digest) return miss(`a file or folder was added to or removed from ${dir}`);
  const changed: string[] = [];
  const { paths, sizes, mtimes } = index.files;
  const stampNow = fileStamps(path.join(targetDir, FILE));
  // Each path is cut from the one text as it is checked (a slice: no copy), and dies young.
  let start = 0;
  for (let i = 0; i < sizes.length; i++) {
    let end = paths.indexOf(PATH_SEPARATOR, start);
    if (end < 0) end = paths.length;
    const file = paths.slice(start, end);
    start = end + 1;
    const stamp = stampNow(file);
    if (stamp ? stamp[0] === sizes[i] && stamp[1] === mtimes[i] : sizes[i] === -1) continue;
    changed.push(file);
  }
  if (start !== (sizes.length === 0 ? 0 : paths.length + 1)) return miss(`${FILE} is damaged`); // not one path per stamp
  if (changed.length === 0) return { index, changed, sqlFiles: null, stamps: {} };
  const sqlFiles = readSqlFileEntries(targetDir, index, changed);
  if (!sqlFiles) return miss(`${SQL_FILES} is missing or not the last parse's`);
  const other = changed.find((file) => !sqlFiles[file]);
  if (other !== undefined) return miss(`${other} changed, and it is not a root-project SQL file of one node`);
  // Stamped again after the clock is read, before their text is (parse-text-edit.ts, parse-jinja-edit.ts).
  const now = fileSystemNow(targetDir);
  const stamps = Object.fromEntries(changed.map((file) => [file, trustedStamp(stampOf(file), now)]));
  return { index, changed, sqlFiles, stamps };
}
