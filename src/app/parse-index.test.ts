import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { currentParseIndex, fileSystemNow, patchedSqlFiles, readSqlFileEntries, readSqlFiles, saveSqlFiles, stampedPaths, stampedPosition, writeParseIndex, writeSqlFiles, type ParseIndex, type SqlFileEntry, type SqlFiles } from './parse-index.js';

const entry = (id: string, chunk: number): SqlFileEntry => ({ id, cacheKey: `model:${id}.sql`, chunk, position: chunk * 3, skeleton: `s${chunk}` });

describe('the SQL files entries of the parse index', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-sqlfiles-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  // Paths with quotes, backslashes and braces, and a value that spells another entry's key.
  const files: SqlFiles = {
    '/p/models/a.sql': entry('model.p.a', 0),
    '/p/models/we"ird\\{b}.sql': entry('model.p.b', 1),
    '/p/models/c.sql': { ...entry('model.p.c', 2), id: '"/p/models/d.sql":{"id":"fake"}' },
    '/p/models/d.sql': entry('model.p.d', 3),
    // Characters of several UTF-8 bytes, in a path and a value (the entries are searched as bytes).
    '/p/models/café_日本.sql': { ...entry('model.p.é', 4), skeleton: 'ü}"{' },
  };
  const token = saveSqlFiles(dir, files);
  const index = { sqlFilesToken: token } as ParseIndex;

  it('reads only the entries asked for, each as saved', () => {
    const wanted = ['/p/models/we"ird\\{b}.sql', '/p/models/d.sql', '/p/models/c.sql', '/p/models/café_日本.sql'];
    expect(readSqlFileEntries(dir, index, wanted)).toEqual(Object.fromEntries(wanted.map((f) => [f, files[f]])));
    expect(readSqlFileEntries(dir, index, ['/p/models/none.sql'])).toEqual({});
    expect(readSqlFiles(dir, index)).toEqual(files);
  });

  it('patches entries in as saving all of them would write them, under a new token', () => {
    const changed: SqlFiles = { '/p/models/d.sql': { ...entry('model.p.d', 3), skeleton: 'new"d' }, '/p/models/we"ird\\{b}.sql': { ...entry('model.p.b', 1), skeleton: 'new b' }, '/p/models/café_日本.sql': { ...entry('model.p.é', 4), skeleton: 'ñ' } };
    const patched = patchedSqlFiles(dir, index, changed);
    const other = path.join(dir, 'other');
    mkdirSync(other, { recursive: true });
    const expectedToken = saveSqlFiles(other, { ...files, ...changed });
    expect(patched?.bytes.toString('utf8').replace(patched.token, expectedToken)).toBe(readFileSync(path.join(other, 'partial_parse.sqlfiles.json'), 'utf8'));
    expect(patched?.token).not.toBe(token);
    expect(patchedSqlFiles(dir, index, { '/p/models/none.sql': entry('x', 9) })).toBeNull();
    expect(patchedSqlFiles(dir, { sqlFilesToken: 'other' } as ParseIndex, changed)).toBeNull();
    const copy = path.join(dir, 'copy');
    mkdirSync(copy, { recursive: true });
    writeSqlFiles(copy, patched ?? { bytes: Buffer.alloc(0) });
    expect(readSqlFiles(copy, { sqlFilesToken: patched?.token } as ParseIndex)).toEqual({ ...files, ...changed });
  });

  it('gives null for the entries of another index', () => {
    expect(readSqlFileEntries(dir, { sqlFilesToken: 'other' } as ParseIndex, ['/p/models/a.sql'])).toBeNull();
    expect(readSqlFileEntries(path.join(dir, 'missing'), index, ['/p/models/a.sql'])).toBeNull();
  });
});

describe("the parse index's files", () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-index-files-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'target');
  const replay = { infoLines: [], warnings: [], warnErrorFlags: {} };
  /** Writes `files` (and manifest.json after them, so none is racily clean) and indexes them. */
  function indexed(files: string[], missing: string[] = []): void {
    mkdirSync(target, { recursive: true });
    files.forEach((f, i) => {
      writeFileSync(f, `select ${i}`);
      utimesSync(f, 1_000_000, 1_000_000 + i);
    });
    writeFileSync(path.join(target, 'manifest.json'), '{}');
    writeFileSync(path.join(target, 'semantic_manifest.json'), '{}');
    writeParseIndex(target, 'k', { files: [...files, ...missing], dirs: [], envReads: {} }, replay, 'g1', {}, fileSystemNow(target));
  }

  it('holds the paths as one text, a line each, and finds the one file changed since', () => {
    const files = ['a.sql', 'b.sql', 'c.sql'].map((f) => path.join(dir, f));
    indexed(files, [path.join(dir, 'profiles.yml')]);
    const stored = JSON.parse(readFileSync(path.join(target, 'partial_parse.index.json'), 'utf8')) as ParseIndex;
    expect(stored.files).toEqual({ paths: [...files, path.join(dir, 'profiles.yml')].join('\n'), sizes: [8, 8, 8, -1], mtimes: [1e9, 1e9 + 1000, 1e9 + 2000, 0] });
    expect(stampedPaths(stored.files)).toEqual([...files, path.join(dir, 'profiles.yml')]);
    // A file's place in the stamps, found in the one text: whole paths only, not a path's prefix or suffix.
    const tricky = { paths: ['/p/models/a.sql.bak', '/p/models/a.sql', '/q/p/models/a.sql', '/p/models/b.sql'].join('\n'), sizes: [], mtimes: [] };
    expect(['/p/models/a.sql', '/p/models/b.sql', '/p/models/a.sql.bak', '/q/p/models/a.sql', 'models/a.sql', '/p/models/c.sql', ''].map((f) => stampedPosition(tricky, f))).toEqual([1, 3, 0, 2, -1, -1, -1]);
    expect([...files, path.join(dir, 'profiles.yml')].map((f) => stampedPosition(stored.files, f))).toEqual([0, 1, 2, 3]);
    expect(currentParseIndex(target, 'k', {})?.changed).toEqual([]);
    writeFileSync(files[1] as string, 'select 22');
    expect(currentParseIndex(target, 'k', {})?.changed ?? 'no index').toBe('no index'); // b.sql has no SQL file entry: an ordinary parse
    utimesSync(files[1] as string, 1_000_000, 1_000_001);
    writeFileSync(files[1] as string, 'select 1');
    utimesSync(files[1] as string, 1_000_000, 1_000_001);
    expect(currentParseIndex(target, 'k', {})?.changed).toEqual([]);
    writeFileSync(path.join(dir, 'profiles.yml'), 'x: 1\n');
    expect(currentParseIndex(target, 'k', {})).toBeNull();
    rmSync(path.join(dir, 'profiles.yml'));
  });

  it('writes the paths under the project folder without it, and finds and stamps them as absolute paths', () => {
    const project = path.join(dir, 'proj');
    const files = ['a.sql', 'b.sql'].map((f) => path.join(project, 'models', f));
    mkdirSync(path.join(project, 'models'), { recursive: true });
    mkdirSync(target, { recursive: true });
    const outside = path.join(dir, 'outside.yml');
    for (const f of [...files, outside]) {
      writeFileSync(f, 'select 1');
      utimesSync(f, 1_000_000, 1_000_000);
    }
    writeFileSync(path.join(target, 'manifest.json'), '{}');
    writeFileSync(path.join(target, 'semantic_manifest.json'), '{}');
    writeParseIndex(target, 'k', { files: [files[0] as string, outside, files[1] as string], dirs: [], envReads: {} }, replay, 'g1', {}, fileSystemNow(target), project);
    const stored = JSON.parse(readFileSync(path.join(target, 'partial_parse.index.json'), 'utf8')) as ParseIndex;
    expect(stored.files.root).toBe(project + path.sep);
    expect(stored.files.paths).toBe([path.join('models', 'a.sql'), outside, path.join('models', 'b.sql')].join('\n'));
    expect(stampedPaths(stored.files)).toEqual([files[0], outside, files[1]]);
    expect([files[1], outside, path.join('models', 'b.sql'), path.join(dir, 'models', 'b.sql')].map((f) => stampedPosition(stored.files, f as string))).toEqual([2, 1, -1, -1]);
    expect(currentParseIndex(target, 'k', {})?.changed).toEqual([]);
    writeFileSync(files[1] as string, 'select 22');
    writeFileSync(outside, 'x: 2');
    // Both seen as changed, by their absolute paths (no SQL file entries here: an ordinary parse).
    const missed: string[] = [];
    expect(currentParseIndex(target, 'k', {}, (reason) => (missed.push(reason), null))).toBeNull();
    expect(missed[0]).toContain(outside);
    // A relative input path keeps every path as given (no root).
    writeParseIndex(target, 'k', { files: [files[0] as string, 'relative.sql'], dirs: [], envReads: {} }, replay, 'g1', {}, fileSystemNow(target), project);
    const plain = JSON.parse(readFileSync(path.join(target, 'partial_parse.index.json'), 'utf8')) as ParseIndex;
    expect(plain.files.root).toBeUndefined();
    expect(plain.files.paths).toBe(`${files[0]}\nrelative.sql`);
  });

  it('writes no index when a path holds a line break (a parse each time), and none is read from a damaged one', () => {
    indexed([path.join(dir, 'line\nbreak.sql'), path.join(dir, 'a.sql')]);
    expect(existsSync(path.join(target, 'partial_parse.index.json'))).toBe(false);
    indexed([path.join(dir, 'a.sql'), path.join(dir, 'b.sql')]);
    const file = path.join(target, 'partial_parse.index.json');
    const stored = JSON.parse(readFileSync(file, 'utf8')) as ParseIndex;
    writeFileSync(file, JSON.stringify({ ...stored, files: { ...stored.files, sizes: [...stored.files.sizes, 8], mtimes: [...stored.files.mtimes, 1e9] } }));
    expect(currentParseIndex(target, 'k', {})).toBeNull();
  });
});

describe('the parse index of a parse while files were edited', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-index-racy-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const target = path.join(dir, 'target');
  const replay = { infoLines: [], warnings: [], warnErrorFlags: {} };
  const models = path.join(dir, 'models');
  const [a, b, c] = ['a.sql', 'b.sql', 'c.sql'].map((f) => path.join(models, f)) as [string, string, string];
  /** The first whole millisecond at or after `ms`, in utimes's seconds (which keep no finer than a microsecond). */
  const atOrAfter = (ms: number) => Math.ceil(ms) / 1000;

  it('keeps the stamps of files last modified before the clock, and smudges those modified in its tick or while the parse ran', () => {
    mkdirSync(models, { recursive: true });
    for (const f of [a, b, c]) {
      writeFileSync(f, 'select 1');
      utimesSync(f, 1_000_000, 1_000_000);
    }
    utimesSync(models, 1_000_000, 1_000_000);
    const clock = fileSystemNow(target);
    // The parse reads the three files; then b.sql is edited (same size) while it runs, and c.sql
    // carries the clock's own tick: an edit after the read in that tick would keep its mtime.
    writeFileSync(b, 'select 2');
    utimesSync(b, 1_000_000, (clock + 500) / 1000);
    utimesSync(c, 1_000_000, atOrAfter(clock));
    const cTime = statSync(c).mtimeMs;
    // manifest.json is written after both: an mtime later than either.
    mkdirSync(target, { recursive: true });
    writeFileSync(path.join(target, 'manifest.json'), '{}');
    writeFileSync(path.join(target, 'semantic_manifest.json'), '{}');
    utimesSync(path.join(target, 'manifest.json'), 1_000_000, (clock + 5000) / 1000);
    writeParseIndex(target, 'k', { files: [a, b, c], dirs: [models], envReads: {} }, replay, 'g1', {}, clock);
    const stored = JSON.parse(readFileSync(path.join(target, 'partial_parse.index.json'), 'utf8')) as ParseIndex;
    expect(cTime).toBeGreaterThanOrEqual(clock);
    expect(stored.files.sizes).toEqual([8, -2, -2]);
    expect(stored.files.mtimes).toEqual([1e9, 0, 0]);
    // The next parse reads b.sql and c.sql again (not SQL files of one node here: the whole parse).
    const reasons: string[] = [];
    expect(currentParseIndex(target, 'k', {}, (reason) => (reasons.push(reason), null))).toBeNull();
    expect(reasons).toEqual([`${b} changed, and it is not a root-project SQL file of one node`]);
  });

  it('keeps the stamp a file had when the parse read it: an edit after the read shows as a change, even one dated before the clock', () => {
    for (const f of [a, b, c]) {
      writeFileSync(f, 'select 1');
      utimesSync(f, 1_000_000, 1_000_000);
    }
    utimesSync(models, 1_000_000, 1_000_000);
    const clock = fileSystemNow(target);
    // The parse read a.sql at [8, 1e9] (discover.ts' stamp of the open file); it is then replaced
    // by a copy dated earlier than the clock (as `cp -p` or a checkout that keeps times would).
    const read = new Map([[a, [8, 1e9] as [number, number]]]);
    writeFileSync(a, 'select 22');
    utimesSync(a, 1_000_000, 1_000_005);
    writeFileSync(path.join(target, 'manifest.json'), '{}');
    utimesSync(path.join(target, 'manifest.json'), 1_000_000, (clock + 5000) / 1000);
    writeParseIndex(target, 'k', { files: [a, b, c], dirs: [models], envReads: {}, stamps: read }, replay, 'g1', {}, clock);
    const stored = JSON.parse(readFileSync(path.join(target, 'partial_parse.index.json'), 'utf8')) as ParseIndex;
    // a.sql as read; b.sql and c.sql, not in the parse's stamps, as they are now.
    expect(stored.files.sizes).toEqual([8, 8, 8]);
    expect(stored.files.mtimes).toEqual([1e9, 1e9, 1e9]);
    const reasons: string[] = [];
    expect(currentParseIndex(target, 'k', {}, (reason) => (reasons.push(reason), null))).toBeNull();
    expect(reasons).toEqual([`${a} changed, and it is not a root-project SQL file of one node`]);
    writeFileSync(a, 'select 1');
    utimesSync(a, 1_000_000, 1_000_000);
  });

  it('does not trust the listing of a folder modified at or after the clock', () => {
    utimesSync(b, 1_000_000, 1_000_000);
    utimesSync(c, 1_000_000, 1_000_000);
    const clock = fileSystemNow(target);
    utimesSync(models, 1_000_000, atOrAfter(clock)); // a file added in the clock's tick, after the walk
    writeParseIndex(target, 'k', { files: [a, b, c], dirs: [models], envReads: {} }, replay, 'g1', {}, clock);
    expect(currentParseIndex(target, 'k', {})).toBeNull();
    utimesSync(models, 1_000_000, 1_000_000);
    writeParseIndex(target, 'k', { files: [a, b, c], dirs: [models], envReads: {} }, replay, 'g1', {}, fileSystemNow(target));
    expect(currentParseIndex(target, 'k', {})?.changed).toEqual([]);
  });
});
