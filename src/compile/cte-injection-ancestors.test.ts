import { describe, expect, it } from 'vitest';
import { ephemeralAncestors, ephemeralIds } from './cte-injection.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';

// dbt's _recursively_prepend_ctes: a node's ephemeral parents, and theirs through ephemeral nodes
// only, each once, parents first; a table or view parent stops the walk.
const node = (id: string, materialized: string, parents: string[]) => ({ unique_id: id, config: { materialized }, depends_on: { nodes: parents, macros: [] } }) as unknown as ManifestNode;

describe('ephemeralAncestors', () => {
  const nodes = [
    node('model.p.base', 'ephemeral', []),
    node('model.p.hidden', 'ephemeral', ['model.p.table']),
    node('model.p.table', 'table', ['model.p.behind_table']),
    node('model.p.behind_table', 'ephemeral', []),
    node('model.p.mid', 'ephemeral', ['model.p.base', 'model.p.hidden']),
    node('model.p.top', 'view', ['model.p.mid', 'model.p.base', 'model.p.table']),
    node('model.p.plain', 'view', ['model.p.table']),
  ];
  const manifest = { nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])) } as unknown as Manifest;
  const byId = (id: string) => manifest.nodes[id] as ManifestNode;

  it('finds the manifest\'s ephemeral nodes', () => {
    expect([...ephemeralIds(manifest)].sort()).toEqual(['model.p.base', 'model.p.behind_table', 'model.p.hidden', 'model.p.mid']);
  });

  it('walks ephemeral parents only, parents first, each once (with the ids given or found)', () => {
    const ids = ephemeralIds(manifest);
    expect(ephemeralAncestors(manifest, byId('model.p.top'), ids)).toEqual(['model.p.base', 'model.p.hidden', 'model.p.mid']);
    expect(ephemeralAncestors(manifest, byId('model.p.top'))).toEqual(['model.p.base', 'model.p.hidden', 'model.p.mid']);
    expect(ephemeralAncestors(manifest, byId('model.p.plain'), ids)).toEqual([]);
    expect(ephemeralAncestors(manifest, byId('model.p.top'), new Set())).toEqual([]);
  });
});
