// partial_parse.sqlfiles.json, the index's companion: the root project's SQL files' entries, read
// only when a file changed, and then only the changed files' entries, found as bytes in the 2 MB
// (at 10,000 models) without decoding it whole; patched the same way after an edit.
import { randomBytes } from 'node:crypto';
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ParseIndex, SqlFileEntry, SqlFiles } from './parse-index-types.js';

/** The SQL files' entries, read only when a file changed (most of the index's size: 2 MB at 10,000 models). */
export const SQL_FILES = 'partial_parse.sqlfiles.json';

/** Writes the SQL files' entries with a new token, which the index that goes with them must name; returns it. */
export function saveSqlFiles(targetDir: string, sqlFiles: SqlFiles): string {
  const token = randomBytes(8).toString('hex');
  writeAtomically(path.join(targetDir, SQL_FILES), JSON.stringify({ token, entries: sqlFiles }));
  return token;
}

export function writeAtomically(file: string, text: string | Buffer): void {
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
