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
import { linkSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { tsdbtBuild } from '../artifacts/metadata.js';
import { isWalked } from '../project/discover.js';
import { fileStamps, fileSystemNow, SMUDGED, type Stamp, trustedStamp } from './file-stamps.js';
import type { InvocationOptions } from './invocation.js';
import type { Miss, ParseIndex, ParseInputs, ParseReplay, SqlFiles, StampedFiles } from './parse-index-types.js';
import { readSqlFileEntries, saveSqlFiles, SQL_FILES, writeAtomically } from './parse-index-sql-files.js';

export type { Miss, ParseIndex, ParseIndexWarning, ParseInputs, ParseReplay, SqlFileEntry, SqlFiles, StampedFiles } from './parse-index-types.js';
export { patchedSqlFiles, readSqlFileEntries, readSqlFiles, saveSqlFiles, writeSqlFiles } from './parse-index-sql-files.js';

const FILE = 'partial_parse.index.json';
const FORMAT = 5;
/**
 * manifest.json (and its manifest.layout.json) as the indexed parse wrote it, kept by a hard link
 * when a command replaces it with compiled code (compile, run, build...): what the next parse with
 * nothing changed writes, put back by a rename (`restoreParsedManifest`).
 */
const PARSED_MANIFEST = 'partial_parse.manifest.json';
const PARSED_LAYOUT = 'partial_parse.manifest.layout.json';

export { fileSystemNow, SMUDGED, type Stamp, trustedStamp };

/**
 * The options parsing reads (as the partial-parse cache's key does), with tsdbt's version. Not
 * --debug: where it changes what a parse warns (resource-names-with-spaces.ts), the index's replay
 * records it (ParseReplay.debug) and only that project's parse misses on a change of it.
 */
export function parseOptionsKey(projectDir: string, options: InvocationOptions): string {
  const o = options;
  const relevant = [FORMAT, tsdbtBuild(), projectDir, o.vars ?? null, o.target ?? null, o.profile ?? null, o.profilesDir ?? null, o.threads ?? null, Boolean(o.fullRefresh), Boolean(o.storeFailures)];
  return createHash('sha256').update(JSON.stringify(relevant)).digest('hex');
}

/** A folder's listing digest that matches no folder (`listingDigest` gives base64 or ''). */
const SMUDGED_LISTING = '*';

/** Between the paths of `StampedFiles.paths`. */
const PATH_SEPARATOR = '\n';

/** The files of `files`, in order (absolute paths). */
export function stampedPaths(files: StampedFiles): string[] {
  const root = files.root ?? '';
  return files.paths === '' ? [] : files.paths.split(PATH_SEPARATOR).map((p) => (root !== '' && !path.isAbsolute(p) ? root + p : p));
}

/** How `file` (absolute) is written in `files`: without the root when it lies under it. */
function storedForm(files: StampedFiles, file: string): string {
  const root = files.root ?? '';
  return root !== '' && file.startsWith(root) ? file.slice(root.length) : file;
}

/**
 * Where `file` is in `files` (its stamp's place in sizes and mtimes), or -1: found in the one text
 * and its separators counted, without cutting the text into 10,000 strings as `stampedPaths` does.
 */
export function stampedPosition(files: StampedFiles, absolute: string): number {
  const { paths } = files;
  const file = storedForm(files, absolute);
  if (file === '' || file.includes(PATH_SEPARATOR) || (file !== absolute) === path.isAbsolute(file)) return -1;
  for (let at = paths.indexOf(file); at >= 0; at = paths.indexOf(file, at + 1)) {
    const end = at + file.length;
    if ((at > 0 && paths[at - 1] !== PATH_SEPARATOR) || (end < paths.length && paths[end] !== PATH_SEPARATOR)) continue;
    let position = 0;
    for (let nl = paths.indexOf(PATH_SEPARATOR); nl >= 0 && nl < at; nl = paths.indexOf(PATH_SEPARATOR, nl + 1)) position++;
    return position;
  }
  return -1;
}

/**
 * The files in this order, as `StampedFiles.paths` holds them (those under `root`, a folder, without
 * it); null when one holds the separator. The root is kept only when every path is absolute, so
 * that a relative path in the text always means one under it.
 */
export function joinPaths(paths: string[], root = ''): Pick<StampedFiles, 'paths' | 'root'> | null {
  if (paths.some((p) => p.includes(PATH_SEPARATOR))) return null;
  const prefix = root === '' || !path.isAbsolute(root) || !paths.every((p) => path.isAbsolute(p)) ? '' : root.endsWith(path.sep) ? root : root + path.sep;
  return prefix === '' ? { paths: paths.join(PATH_SEPARATOR) } : { paths: paths.map((p) => (p.startsWith(prefix) && p.length > prefix.length ? p.slice(prefix.length) : p)).join(PATH_SEPARATOR), root: prefix };
}

const sameStamp = (a: Stamp, b: Stamp) => a[0] === b[0] && a[1] === b[1];

/**
 * Writes the index after a parse wrote manifest.json; `clock` is `fileSystemNow` before the parse
 * read anything. An input modified at or after `clock` may have changed after it was read (while
 * the parse ran, or in the clock tick it started in) without its stamp showing it: its stamp is
 * smudged (`trustedStamp`), and a folder's listing is not trusted, so the next parse reads again.
 * The paths under `root` (the project's folder) are written without it (`StampedFiles.root`).
 */
export function writeParseIndex(targetDir: string, key: string, inputs: ParseInputs, replay: ParseReplay, generation: string, sqlFiles: SqlFiles, clock: number, root = ''): void {
  const file = path.join(targetDir, FILE);
  rmSync(file, { force: true });
  dropParsedManifest(targetDir);
  const manifest = stampOf(path.join(targetDir, 'manifest.json'));
  if (manifest[0] < 0) return;
  const paths = [...new Set(inputs.files)];
  const joined = joinPaths(paths, root);
  if (joined === null) return; // a file name with a line break: parsed each time
  const files: StampedFiles = { paths: joined.paths, sizes: [], mtimes: [], ...(joined.root === undefined ? {} : { root: joined.root }) };
  for (const f of paths) {
    const [size, mtime] = trustedStamp(inputs.stamps?.get(f) ?? stampOf(f), clock);
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

/** Writes an index (temp file + rename); its SQL files' entries are written by `saveSqlFiles`. */
export function saveParseIndex(targetDir: string, index: ParseIndex): void {
  mkdirSync(targetDir, { recursive: true });
  writeAtomically(path.join(targetDir, FILE), JSON.stringify(index));
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
  const root = index.files.root ?? '';
  const stampNow = fileStamps(path.join(targetDir, FILE));
  // Each path is cut from the one text as it is checked (a slice: no copy), and dies young.
  let start = 0;
  for (let i = 0; i < sizes.length; i++) {
    let end = paths.indexOf(PATH_SEPARATOR, start);
    if (end < 0) end = paths.length;
    const stored = paths.slice(start, end);
    const file = root !== '' && !path.isAbsolute(stored) ? root + stored : stored;
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
