// manifest.json rewritten as the previous one with a few parts overwritten, when nothing but those
// parts can differ and each keeps its length (manifest-writer.ts). A `tsdbt compile` of an
// unchanged 10,000-model project changes only the metadata (invocation id, times): those bytes
// are written over the file's own, in one write within one page; larger patches go onto a copy of
// the file (the kernel's copy, no 60 MB read into memory and written out again) and a rename.
import { closeSync, copyFileSync, lstatSync, openSync, readSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { ManifestLayout } from './manifest-layout.js';

/** A patch: the file offset and the bytes to write there. */
type Patch = readonly [at: number, bytes: Buffer];

/**
 * Writes `file` with each of `texts` (top-level key -> its JSON text) written over the bytes the
 * layout says that part has. Returns false, and writes nothing, unless `keys` are the layout's
 * parts in its order and each text has exactly the byte length of the part it replaces (then
 * every other byte is where it was). The file is never left half written: the patch is one write
 * of at most a page in place (patchInPlace), or a copy patched and renamed over it.
 */
export function patchManifestCopy(file: string, layout: ManifestLayout, keys: readonly string[], texts: ReadonlyMap<string, string>): boolean {
  const parts = Object.keys(layout.parts);
  if (parts.length !== keys.length || parts.some((key, i) => key !== keys[i])) return false;
  const patches: Patch[] = [];
  for (const [key, text] of texts) {
    const range = layout.parts[key];
    if (!range) return false;
    const bytes = Buffer.from(text);
    if (bytes.length !== range[1] - range[0]) return false;
    patches.push([range[0], bytes]);
  }
  if (patchInPlace(file, patches)) return true;
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    copyFileSync(file, tmp);
    const fd = openSync(tmp, 'r+');
    try {
      for (const [at, bytes] of patches) writeAll(fd, bytes, at);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw err;
  }
  return true;
}

/** A write within one page is made whole or not at all: the kernel checks for a fatal signal between the pages of a write. */
const PAGE = 4096;

/**
 * Writes the patches whose bytes differ from the file's into the file itself when they all lie
 * within one page: one write, which a killed command has made whole or not at all (PAGE), instead of
 * copying 60 MB and renaming the copy over the file (the copy, the old file's blocks freed, and
 * the 60 MB written back to disk while compile's writer creates its files). Returns false, having
 * written nothing, when they do not (or the file is a link, whose other names a rename leaves
 * as they were).
 */
function patchInPlace(file: string, patches: readonly Patch[]): boolean {
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (!stat?.isFile() || stat.nlink !== 1) return false;
  const fd = openSync(file, 'r+');
  try {
    const changed = patches.filter(([at, bytes]) => !bytesAt(fd, at, bytes.length).equals(bytes));
    if (changed.length === 0) return true;
    const start = Math.min(...changed.map(([at]) => at));
    const end = Math.max(...changed.map(([at, bytes]) => at + bytes.length));
    if (Math.floor(start / PAGE) !== Math.floor((end - 1) / PAGE)) return false;
    const window = bytesAt(fd, start, end - start);
    for (const [at, bytes] of changed) bytes.copy(window, at - start);
    writeAll(fd, window, start);
    return true;
  } finally {
    closeSync(fd);
  }
}

/** The `length` bytes of `fd` at `at` (fewer where the file ends before). */
function bytesAt(fd: number, at: number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  let done = 0;
  for (let read = -1; done < length && read !== 0; done += read) read = readSync(fd, bytes, done, length - done, at + done);
  return bytes.subarray(0, done);
}

function writeAll(fd: number, bytes: Buffer, at: number): void {
  for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
}
