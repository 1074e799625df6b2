import { describe, expect, it } from 'vitest';
import { withLazyDependencyMaps } from './lazy-maps.js';
import type { Manifest } from './types.js';

describe('withLazyDependencyMaps', () => {
  const rest = () => ({ projectName: 'p', nodes: {}, sources: {}, macros: {}, docs: {}, warnings: [] }) as unknown as Omit<Manifest, 'parent_map' | 'child_map'>;

  it('reads both maps once, when either is first asked for', () => {
    let reads = 0;
    const manifest = withLazyDependencyMaps(rest(), () => (reads++, { parent_map: { 'model.p.b': ['model.p.a'] }, child_map: { 'model.p.a': ['model.p.b'] } }));
    expect(reads).toBe(0);
    expect(manifest.child_map).toEqual({ 'model.p.a': ['model.p.b'] });
    expect(manifest.parent_map).toEqual({ 'model.p.b': ['model.p.a'] });
    expect(reads).toBe(1);
    // Plain properties once read: spread and JSON see the values.
    expect(JSON.parse(JSON.stringify({ ...manifest }))).toMatchObject({ parent_map: { 'model.p.b': ['model.p.a'] }, child_map: { 'model.p.a': ['model.p.b'] } });
  });

  it('keeps a map assigned before any read, and reads the other when asked', () => {
    let reads = 0;
    const manifest = withLazyDependencyMaps(rest(), () => (reads++, { parent_map: { old: [] }, child_map: { old: [] } }));
    manifest.parent_map = { new: [] };
    expect(reads).toBe(0);
    expect(manifest.child_map).toEqual({ old: [] });
    expect(manifest.parent_map).toEqual({ new: [] });
    expect(Object.keys(manifest)).toEqual(['projectName', 'nodes', 'sources', 'macros', 'docs', 'warnings', 'parent_map', 'child_map']);
  });
});
