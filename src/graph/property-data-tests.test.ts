import { describe, expect, it } from 'vitest';
import { versionTests } from './property-data-tests.js';
import { DeferredPatch, type PatchSource } from '../manifest/node-patch.js';
import type { ManifestNode } from '../manifest/types.js';

// dbt's parse_versioned_tests builds a version's tests from its entry (the node's patch). A node read
// from partial_parse.bin holds its `_patch` as a DeferredPatch until asked for (node-patch.ts).
describe('versionTests', () => {
  const entry = { name: 'orders', tests: [{ unique: { column_name: 'id' } }], testedColumns: [{ name: 'id', tests: ['not_null'] }] };

  it("reads a cached node's deferred entry", () => {
    const reads: number[] = [];
    const source: PatchSource = { at: (index) => (reads.push(index), index === 3 ? entry : undefined) };
    const node = { unique_id: 'model.p.orders.v1', _patch: new DeferredPatch(source, 3) } as unknown as ManifestNode;
    expect(versionTests(node)).toEqual({ tests: entry.tests, columns: entry.testedColumns });
    expect(reads).toEqual([3]);
  });

  it('reads an entry the node holds itself', () => {
    const node = { unique_id: 'model.p.orders.v1', _patch: entry } as unknown as ManifestNode;
    expect(versionTests(node)).toEqual({ tests: entry.tests, columns: entry.testedColumns });
  });
});
