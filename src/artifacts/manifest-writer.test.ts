import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode } from '../graph/types.js';
import { manifestJson, writeManifest, type ManifestWriteInput } from './manifest-writer.js';

const node = (id: string, type: string, extra: Record<string, unknown> = {}) =>
  ({ unique_id: id, resource_type: type, name: id.split('.').pop(), package_name: 'p', config: { enabled: true, materialized: 'view', pre_hook: [], post_hook: [], tags: [], meta: {} }, depends_on: { nodes: [], macros: [] }, columns: {}, refs: [], sources: [], line: 3, ...extra }) as unknown as ManifestNode;

describe('writeManifest', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tsdbt-manifest-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('streams the same text JSON.stringify gives, leaving out tsdbt-only fields, through a rename', async () => {
    const nodes = Object.fromEntries([
      node('model.p.a', 'model', { _patch: { name: 'a' } }),
      node('seed.p.s', 'seed', { seed_file: '/abs/s.csv' }),
      node('unit_test.p.a.t', 'unit_test', { unit_test: { model: 'a', given: [], expect: { rows: [], format: 'dict' } } }),
      node('test.p.not_null_a_id.1234567890', 'test', { test_metadata: { name: 'not_null', namespace: null, kwargs: {} } }),
    ].map((n) => [n.unique_id, n]));
    const manifest = { projectName: 'p', nodes, sources: {}, macros: {}, docs: {}, parent_map: { 'model.p.a': [] }, child_map: { 'model.p.a': [] }, warnings: [] } as unknown as Manifest;
    const input: ManifestWriteInput = { manifest, targetDir: dir, invocationId: 'i', generatedAt: new Date(0), env: {}, adapterType: 'postgres', projectName: 'p', tsdbt: { column_lineage: {} } };
    await writeManifest(input);
    const text = readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    expect(text).toBe(JSON.stringify(manifestJson(input)));
    const written = JSON.parse(text) as { nodes: Record<string, Record<string, unknown>>; unit_tests: Record<string, unknown>; tsdbt: unknown };
    expect(Object.keys(written.nodes)).toEqual(['model.p.a', 'seed.p.s', 'test.p.not_null_a_id.1234567890']);
    expect(Object.keys(written.unit_tests)).toEqual(['unit_test.p.a.t']);
    for (const n of Object.values(written.nodes)) for (const key of ['line', 'seed_file', '_patch']) expect(n).not.toHaveProperty(key);
    expect(written.nodes['model.p.a']).toMatchObject({ access: 'protected', config: { 'pre-hook': [], 'post-hook': [] } });
    expect(written.tsdbt).toEqual({ column_lineage: {} });
    expect(readdirSync(dir)).toEqual(['manifest.json']);
  });
});
