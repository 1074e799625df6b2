import { describe, expect, it } from 'vitest';
import type { ManifestNode } from '../manifest/types.js';
import { shareEqualConfigs } from './shared-configs.js';

const node = (config: Record<string, unknown>) => {
  const full = { enabled: true, materialized: 'test', tags: ['a'], meta: { owner: 'x' }, pre_hook: [], post_hook: [], ...config };
  return { config: full, tags: full.tags, meta: full.meta, unrendered_config: {}, docs: { show: true }, checksum: { name: 'sha256', checksum: 'abc' }, depends_on: { nodes: ['model.p.m'], macros: ['macro.dbt.test_not_null'] }, columns: {}, sources: [] } as unknown as ManifestNode;
};

describe('shareEqualConfigs', () => {
  it('makes equal configs, unrendered configs, docs, checksums, macro lists and empty columns one frozen object, with tags and meta following the config', () => {
    const nodes = [node({}), node({}), node({ severity: 'warn' })];
    shareEqualConfigs(nodes);
    const [a, b, c] = nodes as [ManifestNode, ManifestNode, ManifestNode];
    expect(b.config).toBe(a.config);
    expect(b.tags).toBe(a.config.tags);
    expect(b.meta).toBe(a.config.meta);
    expect(b.unrendered_config).toBe(a.unrendered_config);
    expect(c.docs).toBe(a.docs);
    expect(c.checksum).toBe(a.checksum);
    expect(c.depends_on.macros).toBe(a.depends_on.macros);
    expect(c.depends_on.nodes).not.toBe(a.depends_on.nodes);
    expect(c.columns).toBe(a.columns);
    expect(c.sources).toBe(a.sources);
    expect(c.config).not.toBe(a.config);
    expect(c.config).toMatchObject({ severity: 'warn', tags: ['a'] });
    expect(() => a.config.tags.push('b')).toThrow(TypeError);
    expect(() => (a.config.meta.owner = 'y')).toThrow(TypeError);
  });

  it('keeps apart configs that differ in key order and leaves alone what is not plain data', () => {
    const ordered = [node({ alias: 'x', schema: 's' }), node({ schema: 's', alias: 'x' })];
    shareEqualConfigs(ordered);
    expect(ordered[1]?.config).not.toBe(ordered[0]?.config);
    const odd = [node({ where: undefined }), node({ where: undefined }), node({ at: new Date(0) }), node({ at: new Date(0) }), node({ n: Number.NaN }), node({ n: Number.NaN })];
    shareEqualConfigs(odd);
    for (let i = 0; i < odd.length; i += 2) {
      expect(odd[i + 1]?.config).not.toBe(odd[i]?.config);
      expect(Object.isFrozen(odd[i]?.config)).toBe(false);
    }
  });
});
