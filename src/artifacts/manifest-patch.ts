// manifest.json rewritten as a copy of the previous one with a few parts overwritten in place,
// when nothing but those parts can differ and each keeps its length (manifest-writer.ts): a
// `tsdbt compile` of an unchanged 10,000-model project so copies 60 MB in the kernel instead of
// reading them into memory and writing them out again.
import { closeSync, copyFileSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import type { ManifestLayout } from './manifest-layout.js';

/**
 * Writes `file` as its copy with each of `texts` (top-level key -> its JSON text) written over the
 * bytes the layout says that part has, through a temporary file and a rename. Returns false, and
 * writes nothing, unless `keys` are the layout's parts in its order and each text has exactly
 * the byte length of the part it replaces (then every other byte is where it was).
 */
export function patchManifestCopy(file: string, layout: ManifestLayout, keys: readonly string[], texts: ReadonlyMap<string, string>): boolean {
  const parts = Object.keys(layout.parts);
  if (parts.length !== keys.length || parts.some((key, i) => key !== keys[i])) return false;
  const patches: Array<[number, Buffer]> = [];
  for (const [key, text] of texts) {
    const range = layout.parts[key];
    if (!range) return false;
    const bytes = Buffer.from(text);
    if (bytes.length !== range[1] - range[0]) return false;
    patches.push([range[0], bytes]);
  }
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    copyFileSync(file, tmp);
    const fd = openSync(tmp, 'r+');
    try {
      for (const [at, bytes] of patches) for (let done = 0; done < bytes.length; ) done += writeSync(fd, bytes, done, bytes.length - done, at + done);
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
