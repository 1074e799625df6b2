// partial_parse.bin's edits (parse-cache-file.ts): a patch writes the chunks it replaces beside the
// base instead of rewriting it; readers see base and edits as one; edits of another base, or torn
// ones, are ignored; edits grown past a quarter of the base are folded into a new base.
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serialize } from 'node:v8';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { CACHE_FILE, CacheChunks, EDITS_FILE, readCacheChunks, writeChunks } from './parse-cache-file.js';

describe("partial_parse.bin's edits", () => {
  const targetDir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-cache-file-'));
  afterAll(() => rmSync(targetDir, { recursive: true, force: true }));
  const base = path.join(targetDir, CACHE_FILE);
  const edits = path.join(targetDir, EDITS_FILE);
  const header = (generation: string) => serialize({ generation });
  /** A base of a header and `count` chunks of `size` bytes each (chunk i filled with i). */
  const writeBase = (generation: string, count: number, size: number) => writeChunks(base, [header(generation), ...Array.from({ length: count }, (_, i) => Buffer.alloc(size, i + 1))]);
  const texts = () => readCacheChunks(targetDir).map((c) => c.toString('hex'));
  /** Replaces chunks through a CacheChunks, as a patch does. */
  const replace = (chunks: [number, Buffer][]) => {
    const cache = new CacheChunks(targetDir);
    try {
      cache.replace(new Map(chunks));
    } finally {
      cache.close();
    }
  };
  const chunk = (i: number) => {
    const cache = new CacheChunks(targetDir);
    try {
      return cache.read(i);
    } finally {
      cache.close();
    }
  };
  beforeEach(() => rmSync(edits, { force: true }));

  it('writes the replaced chunks beside the base, which keeps its bytes, and reads both as one', () => {
    writeBase('g1', 8, 100);
    const before = readFileSync(base);
    replace([[0, header('g2')], [3, Buffer.from('three')]]);
    replace([[0, header('g3')], [5, Buffer.from('five')]]);
    expect(readFileSync(base).equals(before)).toBe(true);
    expect(existsSync(edits)).toBe(true);
    const all = readCacheChunks(targetDir);
    expect(all.map((c) => c.length)).toEqual([header('g3').length, 100, 100, 5, 100, 4, 100, 100, 100]);
    expect(all[0]?.equals(header('g3'))).toBe(true);
    expect([all[3]?.toString(), all[5]?.toString()]).toEqual(['three', 'five']);
    expect(chunk(3).toString()).toBe('three');
    expect(chunk(1).equals(Buffer.alloc(100, 1))).toBe(true);
  });

  it('ignores edits of another base and torn edits', () => {
    writeBase('g1', 4, 100);
    const plain = texts();
    replace([[0, header('g2')], [2, Buffer.from('two')]]);
    expect(texts()).not.toEqual(plain);
    // A whole parse wrote a new base since (a crash before it removed the edits).
    writeBase('g1b', 4, 100);
    const all = readCacheChunks(targetDir);
    expect(all[0]?.equals(header('g1b'))).toBe(true);
    expect(all[2]?.equals(Buffer.alloc(100, 2))).toBe(true);
    expect(chunk(2).equals(Buffer.alloc(100, 2))).toBe(true);
    writeBase('g1', 4, 100);
    replace([[0, header('g2')], [2, Buffer.from('two')]]);
    writeFileSync(edits, readFileSync(edits).subarray(0, 20));
    expect(texts()).toEqual(plain);
    expect(chunk(2).equals(Buffer.alloc(100, 2))).toBe(true);
  });

  it('folds edits grown past a quarter of the base into a new base, and drops them', () => {
    writeBase('g1', 8, 100);
    const inode = statSync(base).ino;
    replace([[0, header('g2')], [1, Buffer.alloc(90, 9)]]);
    expect(existsSync(edits)).toBe(true);
    replace([[0, header('g3')], [6, Buffer.alloc(150, 7)]]);
    expect(existsSync(edits)).toBe(false);
    expect(statSync(base).ino).not.toBe(inode);
    const all = readCacheChunks(targetDir);
    expect(all[0]?.equals(header('g3'))).toBe(true);
    expect(all[1]?.equals(Buffer.alloc(90, 9))).toBe(true);
    expect(all[6]?.equals(Buffer.alloc(150, 7))).toBe(true);
    expect(all[2]?.equals(Buffer.alloc(100, 2))).toBe(true);
  });
});
