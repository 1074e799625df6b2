import * as fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { manifestJson, writeManifest, type ManifestWriteInput } from './manifest-writer.js';

// readFileSync watched: the patched write must not read the previous manifest.json back.
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof fs>();
  return { ...real, readFileSync: vi.fn(real.readFileSync) };
});

const node = (id: string, type: string, extra: Record<string, unknown> = {}) =>
  ({ unique_id: id, resource_type: type, name: id.split('.').pop(), package_name: 'p', config: { enabled: true, materialized: 'view', pre_hook: [], post_hook: [], tags: [], meta: {} }, depends_on: { nodes: [], macros: [] }, columns: {}, refs: [], sources: [], ...extra }) as unknown as ManifestNode;

describe('manifest.json of an unchanged compile, patched on a copy of the previous one', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsdbt-manifest-patch-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
  const readsOf = (file: string) => vi.mocked(fs.readFileSync).mock.calls.filter(([f]) => f === file).length;

  const setUp = () => {
    const out = fs.mkdtempSync(path.join(dir, 'p-'));
    const nodes = Object.fromEntries(['a', 'b', 'c'].map((n) => node(`model.p.${n}`, 'model', { raw_code: `select '${n}'`, compiled: true, compiled_code: `select '${n}' as x` })).map((n) => [n.unique_id, n]));
    nodes['unit_test.p.a.t'] = node('unit_test.p.a.t', 'unit_test', { unit_test: { model: 'a', given: [], expect: { rows: [] } } });
    const manifest = { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: { 'model.p.b': ['model.p.a'] }, child_map: {}, warnings: [] } as unknown as Manifest;
    const input = (invocationId: string): ManifestWriteInput => ({ manifest, targetDir: out, invocationId, generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' });
    return { manifest, input, file: path.join(out, 'manifest.json') };
  };

  it('writes the new metadata and maps over a copy, reading nothing back, when only they changed and kept their lengths', async () => {
    const { manifest, input, file } = setUp();
    const first = await writeManifest(input('one'), undefined, 'gen-1');
    manifest.parent_map = { 'model.p.b': ['model.p.c'] }; // same length, other text
    const reads = readsOf(file);
    // Another parse (gen-2, from gen-1 with no node parsed again): the maps are written, not copied (manifest-parse-parts.ts).
    const again = await writeManifest(input('two'), { layout: first.layout, basis: 'gen-1', changed: new Set() }, 'gen-2');
    expect(readsOf(file)).toBe(reads); // the previous file was not read back
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(manifestJson(input('two'))));
    expect(again.layout).toMatchObject({ basis: 'gen-2', parts: first.layout.parts, nodes: first.layout.nodes, compiled: first.layout.compiled, compiledHashes: first.layout.compiledHashes });
    expect(again.layout.stamp[0]).toBe(fs.statSync(file).size);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['manifest.json']);
  });

  it('writes the file from its parts when a fresh part changes length, or a node compiles to other text', async () => {
    const { manifest, input, file } = setUp();
    const first = await writeManifest(input('one'), undefined, 'gen-1');
    const reads = readsOf(file);
    const longer = await writeManifest(input('three'), { layout: first.layout, basis: 'gen-1', changed: new Set() }, 'gen-1');
    expect(readsOf(file)).toBe(reads + 1); // read back to copy its nodes
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(manifestJson(input('three'))));
    (manifest.nodes['model.p.b'] as unknown as Record<string, unknown>).compiled_code = "select 'B' as x";
    await writeManifest(input('four'), { layout: longer.layout, basis: 'gen-1', changed: new Set() }, 'gen-1');
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual(manifestJson(input('four')));
  });

  // An unchanged compile's manifest.json differs from the last one only in its metadata (the
  // invocation id and times): those bytes are written into the file itself, not onto a 60 MB copy.
  it('writes a patch within one page into the file itself, and a larger one or a linked file onto a copy', async () => {
    const { manifest, input, file } = setUp();
    for (let i = 0; i < 60; i++) manifest.nodes[`model.p.m${i}`] = node(`model.p.m${i}`, 'model', { raw_code: `select ${i}` });
    const first = await writeManifest(input('one'), undefined, 'gen-1');
    expect(first.layout.stamp[0]).toBeGreaterThan(3 * 4096);
    const inode = fs.statSync(file).ino;
    const reads = readsOf(file);
    const metadataOnly = await writeManifest(input('two'), { layout: first.layout, basis: 'gen-1', changed: new Set() }, 'gen-1');
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(manifestJson(input('two'))));
    expect(fs.statSync(file).ino).toBe(inode);
    expect(metadataOnly.layout.stamp).toEqual([fs.statSync(file).size, fs.statSync(file).mtimeMs]);
    // The maps are written afresh after another parse (gen-2): a page or more from the metadata.
    manifest.parent_map = { 'model.p.b': ['model.p.c'] };
    const mapsToo = await writeManifest(input('six'), { layout: metadataOnly.layout, basis: 'gen-1', changed: new Set() }, 'gen-2');
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(manifestJson(input('six'))));
    expect(fs.statSync(file).ino).not.toBe(inode);
    expect(mapsToo.layout.stamp[0]).toBe(first.layout.stamp[0]);
    // A second name of the file keeps what it held: the patched file is a copy renamed over the first name.
    const other = path.join(path.dirname(file), 'kept.json');
    fs.linkSync(file, other);
    const before = fs.readFileSync(other, 'utf8');
    await writeManifest(input('ten'), { layout: mapsToo.layout, basis: 'gen-2', changed: new Set() }, 'gen-2');
    expect(fs.readFileSync(file, 'utf8')).toBe(JSON.stringify(manifestJson(input('ten'))));
    expect(fs.readFileSync(other, 'utf8')).toBe(before);
    expect(readsOf(file)).toBe(reads + 3); // this test's own reads: every write was a patch
  });
});
