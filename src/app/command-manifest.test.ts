import { mkdtempSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../manifest/types.js';
import { writeCommandManifest, writeStartManifest } from './command-manifest.js';

const node = (id: string, extra: Record<string, unknown> = {}) =>
  ({ unique_id: id, resource_type: 'model', name: id.split('.').pop(), package_name: 'p', config: { enabled: true, materialized: 'view', pre_hook: [], post_hook: [], tags: [], meta: {} }, depends_on: { nodes: [], macros: [] }, columns: {}, refs: [], sources: [], raw_code: 'select 1', ...extra }) as unknown as ManifestNode;

describe('writeStartManifest (the manifest.json a run writes before running nodes)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-start-manifest-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  let invocation = 0;
  const inv = (options: Record<string, unknown> = {}) => ({ invocationId: `i${++invocation}`, now: () => new Date(0), env: {}, options: options as never });
  const project = (targetDir: string, generation: string, nodes: Record<string, ManifestNode>) => ({
    parsed: { manifest: { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] } as unknown as Manifest },
    targetDir,
    target: { type: 'postgres' } as never,
    config: { name: 'p' },
    basis: { loadedFrom: generation, generation, changed: [] },
  });
  const written = (dir: string) => JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { metadata: { invocation_id: string }; nodes: Record<string, Record<string, unknown>> };

  it('writes the parse when target/ has no manifest.json, or one of another parse', async () => {
    const dir = mkdtempSync(path.join(root, 'fresh-'));
    await writeStartManifest(inv(), project(dir, 'g1', { 'model.p.a': node('model.p.a') }));
    expect(written(dir).metadata.invocation_id).toBe(`i${invocation}`);
    await writeStartManifest(inv(), project(dir, 'g2', { 'model.p.a': node('model.p.a'), 'model.p.b': node('model.p.b') }));
    expect(written(dir).metadata.invocation_id).toBe(`i${invocation}`);
    expect(Object.keys(written(dir).nodes)).toEqual(['model.p.a', 'model.p.b']);
  });

  it("keeps a manifest.json tsdbt wrote of the same parse (the last run's, compiled code included), whole", async () => {
    const dir = mkdtempSync(path.join(root, 'same-'));
    const compiled = { 'model.p.a': node('model.p.a', { compiled: true, compiled_code: 'select 1 -- compiled' }) };
    await writeCommandManifest(inv(), project(dir, 'g1', compiled)); // the end of the last run
    const before = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    const lastRun = `i${invocation}`;
    await writeStartManifest(inv(), project(dir, 'g1', { 'model.p.a': node('model.p.a') }));
    expect(readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe(before);
    expect(written(dir).metadata.invocation_id).toBe(lastRun);
    expect(written(dir).nodes['model.p.a']?.compiled_code).toBe('select 1 -- compiled');
  });

  it('writes the parse over a manifest.json changed by another writer since, and nothing with --no-write-json', async () => {
    const dir = mkdtempSync(path.join(root, 'other-'));
    const nodes = { 'model.p.a': node('model.p.a') };
    await writeCommandManifest(inv(), project(dir, 'g1', nodes));
    const file = path.join(dir, 'manifest.json');
    writeFileSync(file, '{"changed": true}');
    await writeStartManifest(inv(), project(dir, 'g1', nodes));
    expect(written(dir).metadata.invocation_id).toBe(`i${invocation}`);
    // The same size, another mtime.
    const { mtime } = statSync(file);
    utimesSync(file, mtime, new Date(mtime.getTime() - 60_000));
    await writeStartManifest(inv(), project(dir, 'g1', nodes));
    expect(written(dir).metadata.invocation_id).toBe(`i${invocation}`);
    const kept = readFileSync(file, 'utf8');
    rmSync(path.join(dir, 'manifest.layout.json'));
    await writeStartManifest(inv({ writeJson: false }), project(dir, 'g2', nodes));
    expect(readFileSync(file, 'utf8')).toBe(kept);
  });
});
