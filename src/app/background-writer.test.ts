import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { fileWriter, packBatch } from './background-writer.js';

/** compiled.index.json's entries (absolute path -> [hash, size, mtimeMs, ctimeMs, ino]), in its order: per folder, a line with its path and a line with its files'. */
function indexEntries(indexFile: string): Map<string, unknown[]> {
  const [header, ...lines] = readFileSync(indexFile, 'utf8').split('\n');
  expect(header).toBe('{"version":2}');
  const entries = new Map<string, unknown[]>();
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const folder = JSON.parse(lines[i] as string) as string;
    for (const [name, entry] of Object.entries(JSON.parse(lines[i + 1] as string) as Record<string, unknown[]>)) entries.set(path.join(folder, name), entry);
  }
  return entries;
}

/** `files` grouped by folder, the folders in the order first given: the index's order. */
function byFolder(files: readonly string[]): string[] {
  const folders = new Map<string, string[]>();
  for (const file of files) folders.set(path.dirname(file), [...(folders.get(path.dirname(file)) ?? []), file]);
  return [...folders.values()].flat();
}

describe('fileWriter', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-writer-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([10, 1500])('writes %i files with their folders, in place or from a worker, all on disk once close() resolves', async (count) => {
    const root = path.join(dir, `n${count}`);
    const writer = fileWriter(count);
    for (let i = 0; i < count; i++) writer.write(path.join(root, `f${i % 7}`, `${i}.sql`), `select ${i}`);
    await writer.close();
    const written = readdirSync(root).flatMap((folder) => readdirSync(path.join(root, folder)).map((f) => readFileSync(path.join(root, folder, f), 'utf8')));
    expect(written.length).toBe(count);
    expect(new Set(written)).toEqual(new Set(Array.from({ length: count }, (_, i) => `select ${i}`)));
  });

  it('rejects naming the file it could not write', async () => {
    const blocker = path.join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    const writer = fileWriter(1500);
    for (let i = 0; i < 1500; i++) writer.write(path.join(dir, 'ok', `${i}.sql`), 'x');
    writer.write(path.join(blocker, 'inside.sql'), 'x');
    await expect(writer.close()).rejects.toThrow(`could not write ${path.join(blocker, 'inside.sql')}`);
  });

  it.each([10, 150, 1500])('with an index, rewrites only the files of %i whose text changed, or that were deleted or edited since', async (count) => {
    const root = path.join(dir, `indexed${count}`);
    const indexFile = path.join(root, 'index.json');
    const file = (i: number) => path.join(root, 'out', `${i}.sql`);
    const writeAll = async (text: (i: number) => string) => {
      const writer = fileWriter(count, { indexFile });
      for (let i = 0; i < count; i++) writer.write(file(i), text(i));
      await writer.close();
    };
    await writeAll((i) => `select ${i}`);
    const mtime = (i: number) => statSync(file(i)).mtimeMs;
    const before = Array.from({ length: count }, (_, i) => mtime(i));
    unlinkSync(file(1));
    writeFileSync(file(2), 'edited');
    await writeAll((i) => (i === 0 ? 'select zero' : `select ${i}`));
    expect([0, 1, 2].map((i) => readFileSync(file(i), 'utf8'))).toEqual(['select zero', 'select 1', 'select 2']);
    expect(mtime(0)).not.toBe(before[0]);
    expect(Array.from({ length: count - 3 }, (_, k) => mtime(k + 3))).toEqual(before.slice(3));
  });

  it('writes a few files without reading or writing the index, which then never skips a file they changed', async () => {
    const root = path.join(dir, 'few');
    const indexFile = path.join(root, 'index.json');
    const file = (i: number) => path.join(root, 'out', `${i}.sql`);
    const writeMany = async (text: (i: number) => string) => {
      const writer = fileWriter(150, { indexFile });
      for (let i = 0; i < 150; i++) writer.write(file(i), text(i));
      await writer.close();
    };
    await writeMany((i) => `select ${i}`);
    const index = readFileSync(indexFile, 'utf8');
    // A compile of one node: its file is written, the index neither read into nor rewritten.
    const few = fileWriter(1, { indexFile });
    few.write(file(0), 'select zero');
    await few.close();
    expect(readFileSync(file(0), 'utf8')).toBe('select zero');
    expect(readFileSync(indexFile, 'utf8')).toBe(index);
    // The whole compile again: file 0's entry (the text of the first write) no longer matches the file.
    const before = statSync(file(1)).mtimeMs;
    await writeMany((i) => `select ${i}`);
    expect(readFileSync(file(0), 'utf8')).toBe('select 0');
    expect(statSync(file(1)).mtimeMs).toBe(before);
  });

  it('packs a batch as UTF-8 bytes with each path and text length first', () => {
    const packed = Buffer.from(packBatch([['a/é.sql', 'select \'ü\' -- 🦆'], ['b.sql', '']]));
    const pathLength = packed.readUInt32LE(0);
    const textLength = packed.readUInt32LE(4);
    expect(packed.toString('utf8', 8, 8 + pathLength)).toBe('a/é.sql');
    expect(packed.toString('utf8', 8 + pathLength, 8 + pathLength + textLength)).toBe("select 'ü' -- 🦆");
    const next = 8 + pathLength + textLength;
    expect([packed.readUInt32LE(next), packed.readUInt32LE(next + 4)]).toEqual([5, 0]);
    expect(packed.toString('utf8', next + 8)).toBe('b.sql');
    expect(packed.length).toBe(next + 8 + 5);
  });

  it('writes non-ASCII paths and texts from the worker as they were given', async () => {
    const root = path.join(dir, 'utf8');
    const writer = fileWriter(1200);
    for (let i = 0; i < 1200; i++) writer.write(path.join(root, `é${i % 3}`, `${i}.sql`), `select 'ü${i}' as "🦆"`);
    await writer.close();
    expect(readFileSync(path.join(root, 'é2', '1199.sql'), 'utf8')).toBe(`select 'ü1199' as "🦆"`);
    expect(readFileSync(path.join(root, 'é0', '0.sql'), 'utf8')).toBe(`select 'ü0' as "🦆"`);
  });

  it('creates several files at once from the worker, its index listing them by folder in the order given', async () => {
    const root = path.join(dir, 'concurrent');
    const indexFile = path.join(root, 'index.json');
    const files = Array.from({ length: 1500 }, (_, i) => path.join(root, `f${i % 5}`, `${i}.sql`));
    const writer = fileWriter(files.length, { indexFile });
    for (const file of files) writer.write(file, `select '${path.basename(file)}'`);
    await writer.close();
    const index = indexEntries(indexFile);
    expect([...index.keys()]).toEqual(byFolder(files));
    for (const file of [files[0], files[777], files[1499]] as string[]) {
      const stat = statSync(file);
      expect(index.get(file)?.slice(1)).toEqual([stat.size, stat.mtimeMs, stat.ctimeMs, stat.ino]);
      expect(readFileSync(file, 'utf8')).toBe(`select '${path.basename(file)}'`);
    }
  });

  it('splits the folders between its workers and merges their parts of the index: unchanged files of every folder skipped, entries by folder in the order given', async () => {
    const root = path.join(dir, 'folders');
    const indexFile = path.join(root, 'index.json');
    const files = Array.from({ length: 1500 }, (_, i) => path.join(root, `f${i % 4}`, i % 3 ? 'a' : 'b', `${i}.sql`));
    const writeAll = async (text: (i: number) => string) => {
      const writer = fileWriter(files.length, { indexFile });
      files.forEach((file, i) => writer.write(file, text(i)));
      await writer.close();
    };
    await writeAll((i) => `select ${i}`);
    const before = files.map((file) => statSync(file).mtimeMs);
    await writeAll((i) => (i === 5 ? 'select five' : `select ${i}`));
    expect(readFileSync(files[5] as string, 'utf8')).toBe('select five');
    expect(files.map((file) => statSync(file).mtimeMs).filter((m, i) => i !== 5 && m !== before[i])).toEqual([]);
    const index = indexEntries(indexFile);
    expect([...index.keys()]).toEqual(byFolder(files));
    expect(index.get(files[5] as string)?.[1]).toBe('select five'.length);
  });

  it('does not stat the files of a folder it had to create again (target/compiled removed since the index was written)', async () => {
    const root = path.join(dir, 'removed');
    const indexFile = path.join(root, 'index.json');
    const file = (i: number) => path.join(root, 'out', `${i}.sql`);
    const writeMany = async () => {
      const writer = fileWriter(150, { indexFile });
      for (let i = 0; i < 150; i++) writer.write(file(i), `select ${i}`);
      await writer.close();
    };
    await writeMany();
    rmSync(path.join(root, 'out'), { recursive: true });
    const stat = vi.spyOn(fs, 'statSync');
    try {
      await writeMany();
      expect(stat.mock.calls.filter(([p]) => String(p).startsWith(path.join(root, 'out')))).toEqual([]);
    } finally {
      stat.mockRestore();
    }
    expect(readFileSync(file(149), 'utf8')).toBe('select 149');
  });

  it("parses the index's entries of the folders it writes in only, and keeps the other folders' as they were", async () => {
    const root = path.join(dir, 'per-folder');
    const indexFile = path.join(root, 'index.json');
    const file = (folder: string, i: number) => path.join(root, folder, `${i}.sql`);
    const first = fileWriter(150, { indexFile });
    for (const folder of ['a', 'b', 'c']) for (let i = 0; i < 50; i++) first.write(file(folder, i), `select ${i}`);
    await first.close();
    const before = readFileSync(indexFile, 'utf8').split('\n');
    const aEntries = before[before.indexOf(JSON.stringify(path.join(root, 'a'))) + 1];
    const parse = vi.spyOn(JSON, 'parse');
    try {
      // Folder a alone, one file changed: the index is rewritten.
      const again = fileWriter(150, { indexFile });
      for (let i = 0; i < 50; i++) again.write(file('a', i), i === 7 ? 'select seven' : `select ${i}`);
      await again.close();
      const entriesParsed = parse.mock.calls.map(([text]) => String(text)).filter((text) => text.startsWith('{"') && text.includes('.sql"'));
      expect(entriesParsed).toEqual([aEntries]);
    } finally {
      parse.mockRestore();
    }
    const after = readFileSync(indexFile, 'utf8').split('\n');
    for (const folder of ['b', 'c']) {
      const at = (lines: string[]) => lines[lines.indexOf(JSON.stringify(path.join(root, folder))) + 1];
      expect(at(after)).toBe(at(before));
    }
    const index = indexEntries(indexFile);
    expect(index.size).toBe(150);
    expect(index.get(file('a', 7))?.[1]).toBe('select seven'.length);
    expect(readFileSync(file('a', 7), 'utf8')).toBe('select seven');
  });

  it.each([150, 1500])('leaves the index of %i files as it was when no file was written', async (count) => {
    const root = path.join(dir, `unchanged${count}`);
    const indexFile = path.join(root, 'index.json');
    const writeAll = async () => {
      const writer = fileWriter(count, { indexFile });
      for (let i = 0; i < count; i++) writer.write(path.join(root, 'out', `${i}.sql`), `select ${i}`);
      await writer.close();
    };
    await writeAll();
    const before = statSync(indexFile);
    await writeAll();
    const after = statSync(indexFile);
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
  });
});
