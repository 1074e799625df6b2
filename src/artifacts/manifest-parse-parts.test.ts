import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { writeManifest, type ManifestWriteInput } from './manifest-writer.js';

const node = (id: string, parents: string[]) =>
  ({ unique_id: id, resource_type: 'model', name: id.split('.').pop(), package_name: 'p', raw_code: 'select 1', config: { enabled: true, materialized: 'view', pre_hook: [], post_hook: [], tags: [], meta: {} }, depends_on: { nodes: parents, macros: [] }, columns: {}, refs: [], sources: [], line: 1 }) as unknown as ManifestNode;

type Written = { metadata: { invocation_id: string }; parent_map: unknown; child_map: unknown; nodes: Record<string, { compiled_code?: string }> };

// manifest.json's parent_map, child_map, group_map and disabled come from the parse alone: a
// command writing it again from the parse the file was written from copies them.
describe('manifest.json parts the parse decides', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-parse-parts-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const setUp = () => {
    const out = mkdtempSync(path.join(dir, 'w-'));
    const nodes = { 'model.p.a': node('model.p.a', []), 'model.p.b': node('model.p.b', ['model.p.a']) };
    const manifest = { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: { 'model.p.a': [], 'model.p.b': ['model.p.a'] }, child_map: { 'model.p.a': ['model.p.b'], 'model.p.b': [] }, warnings: [] } as unknown as Manifest;
    const input = (invocationId: string): ManifestWriteInput => ({ manifest, targetDir: out, invocationId, generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p' });
    return { manifest, input };
  };
  const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Written;
  const unreadable = (manifest: Manifest) => {
    for (const key of ['parent_map', 'child_map'] as const) {
      Object.defineProperty(manifest, key, { enumerable: true, configurable: true, get: () => { throw new Error(`${key} read`); } });
    }
  };

  it('copies them, reading neither map, when written again from the same parse (nodes unchanged, or compiled since)', async () => {
    const { manifest, input } = setUp();
    const first = await writeManifest(input('one'), undefined, 'gen-1');
    unreadable(manifest);
    const again = await writeManifest(input('two'), { layout: first.layout, basis: 'gen-1', changed: new Set() }, 'gen-1');
    expect(read(again.file)).toMatchObject({ metadata: { invocation_id: 'two' }, parent_map: { 'model.p.b': ['model.p.a'] }, child_map: { 'model.p.a': ['model.p.b'] } });
    // A node compiled now: its text is written, the maps still copied.
    Object.assign(manifest.nodes['model.p.b'] as object, { compiled: true, compiled_code: 'select 2' });
    const compiled = await writeManifest(input('three'), { layout: again.layout, basis: 'gen-1', changed: new Set() }, 'gen-1');
    const written = read(compiled.file);
    expect(written.nodes['model.p.b']?.compiled_code).toBe('select 2');
    expect(written.parent_map).toEqual({ 'model.p.a': [], 'model.p.b': ['model.p.a'] });
  });

  it('writes them afresh from a new parse, even with no node parsed again', async () => {
    const { manifest, input } = setUp();
    const first = await writeManifest(input('one'), undefined, 'gen-1');
    manifest.parent_map = { 'model.p.a': [], 'model.p.b': [] };
    const next = await writeManifest(input('two'), { layout: first.layout, basis: 'gen-1', changed: new Set() }, 'gen-2');
    expect(read(next.file).parent_map).toEqual({ 'model.p.a': [], 'model.p.b': [] });
  });
});
