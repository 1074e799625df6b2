// The column-lineage cache file (target/column_lineage.bin): what one docs generate keeps, the next
// reads back; a file another version wrote, or an unreadable one, reads as an empty cache.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { serialize } from 'node:v8';
import { afterEach, describe, expect, it } from 'vitest';
import type { CachedLineage } from './column-lineage.js';
import { LINEAGE_CACHE_FILE, readLineageCache, writeLineageCache } from './lineage-cache.js';

describe('lineage cache file', () => {
  const dirs: string[] = [];
  const temp = () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-lineage-cache-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

  const entry: CachedLineage = { lookups: [['orders', 'analytics', 'model.p.orders', ['id', 'amount']], ['raw', null, null, null]], lineage: { columns: { id: [{ node: 'model.p.orders', column: 'id' }] } } };

  it('reads back the entries this run used (only those), into a fresh cache', () => {
    const dir = path.join(temp(), 'target');
    writeLineageCache(dir, { entries: new Map([['old', entry]]), used: new Map([['k1', entry]]) });
    const read = readLineageCache(dir);
    expect([...read.entries]).toEqual([['k1', entry]]);
    expect(read.used.size).toBe(0);
  });

  it('reads a missing file, one written by other code, or an unreadable one as an empty cache', () => {
    const dir = temp();
    expect(readLineageCache(dir).entries.size).toBe(0);
    writeFileSync(path.join(dir, LINEAGE_CACHE_FILE), serialize({ code: 'another tsdbt', entries: new Map([['k1', entry]]) }));
    expect(readLineageCache(dir).entries.size).toBe(0);
    writeFileSync(path.join(dir, LINEAGE_CACHE_FILE), 'not a cache');
    expect(readLineageCache(dir).entries.size).toBe(0);
  });
});
