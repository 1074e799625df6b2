// Splicing a big file by byte range (file-splice.ts): `spliceInPlace` makes the same bytes as
// `writeSpliced`'s new file, in the same file (its inode kept), moving runs larger than its copy
// buffer both ways; it leaves alone what it cannot do safely (runs moving both ways, a hard link).
import { linkSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RangeReader, spliceInPlace, writeSpliced, type Piece } from './file-splice.js';

describe('spliceInPlace', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-file-splice-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // 3 MB: more than the 1 MB copy buffer, so a moved run is moved in several steps.
  const original = Buffer.from(Array.from({ length: 3 << 20 }, (_, i) => 97 + ((i * 7 + (i >> 12)) % 26)));
  const file = path.join(dir, 'manifest.json');
  const expected = (pieces: Piece[]) => Buffer.concat(pieces.map((p) => ('bytes' in p ? p.bytes : original.subarray(...p.copy))));
  /** Splices `pieces` into a fresh copy of `original` in place; the result, whether it did, and whether the inode stayed. */
  const splice = (pieces: Piece[], prepare: () => void = () => {}) => {
    writeFileSync(file, original);
    prepare();
    const inode = statSync(file).ino;
    const reader = new RangeReader(file);
    let done: boolean;
    try {
      done = spliceInPlace(reader, pieces);
    } finally {
      reader.close();
    }
    return { done, bytes: readFileSync(file), sameInode: statSync(file).ino === inode };
  };
  const edit = (at: number, end: number, text: string): Piece[] => [{ copy: [0, at] }, { bytes: Buffer.from(text) }, { copy: [end, original.length] }];

  it('writes what writeSpliced writes, in the same file, when a node grows, shrinks or keeps its length', () => {
    for (const pieces of [
      edit(1_100_000, 1_100_010, 'a longer node text than before'), // grows: the rest moves towards the end
      edit(1_100_000, 1_100_500, 'short'), // shrinks: the rest moves towards the start, the file is cut
      edit(12, 40, 'x'.repeat(28)), // same length: only those bytes written
      // the metadata and a node both grow, as a Jinja edit's patch does
      [{ copy: [0, 12] }, { bytes: Buffer.from('{"metadata": 1}') }, { copy: [20, 2_000_000] }, { bytes: Buffer.from('node') }, { copy: [2_000_002, original.length] }] as Piece[],
      edit(original.length - 5, original.length, 'the end, longer'),
    ]) {
      const { done, bytes, sameInode } = splice(pieces);
      expect(done).toBe(true);
      expect(sameInode).toBe(true);
      expect(bytes.equals(expected(pieces))).toBe(true);
      // writeSpliced gives the same bytes in a new file
      const reader = new RangeReader(file);
      writeFileSync(`${file}.old`, original);
      const old = new RangeReader(`${file}.old`);
      try {
        writeSpliced(`${file}.new`, old, pieces);
      } finally {
        old.close();
        reader.close();
      }
      expect(readFileSync(`${file}.new`).equals(bytes)).toBe(true);
    }
  });

  it('writes nothing when runs move both ways, or the file has another name (a hard link keeps the old bytes)', () => {
    const mixed: Piece[] = [{ copy: [0, 100] }, { bytes: Buffer.from('longer') }, { copy: [101, 5000] }, { copy: [5100, original.length] }];
    const both = splice(mixed);
    expect(both.done).toBe(false);
    expect(both.bytes.equals(original)).toBe(true);
    const link = path.join(dir, 'partial_parse.manifest.json');
    rmSync(link, { force: true });
    const linked = splice(edit(100, 110, 'longer than ten'), () => linkSync(file, link));
    expect(linked.done).toBe(false);
    expect(linked.bytes.equals(original)).toBe(true);
    expect(readFileSync(link).equals(original)).toBe(true);
  });
});
