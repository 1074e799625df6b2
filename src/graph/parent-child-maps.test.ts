// parent_map and child_map as dbt writes them (dbt's Manifest.build_parent_and_child_maps: every
// node and source a key, each list sorted), made as text by buildParentChildMaps: the maps
// themselves only when asked for, and both texts what JSON.stringify of the maps gives.
import { describe, expect, it } from 'vitest';
import { buildParentChildMaps } from './dag.js';
import { dependencyMapTexts, knownMapJson, mapPart, MapText } from '../manifest/map-json.js';
import type { DeclaredResource, Manifest, ManifestNode } from '../manifest/types.js';

function manifestOf(parents: Record<string, string[]>): Manifest {
  const nodes = Object.fromEntries(Object.entries(parents).map(([id, deps]) => [id, { unique_id: id, depends_on: { nodes: deps, macros: [] } } as unknown as ManifestNode]));
  return { projectName: 'p', nodes, sources: { 'source.p.raw.t': {} as never }, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] };
}

const PARENTS = { 'model.p.c': ['model.p.b', 'model.p.a'], 'model.p.a': ['source.p.raw.t'], 'model.p.b': ['model.p.a', 'model.other.gone'] };
const PARENT_MAP = { 'model.p.c': ['model.p.a', 'model.p.b'], 'model.p.a': ['source.p.raw.t'], 'model.p.b': ['model.other.gone', 'model.p.a'], 'source.p.raw.t': [] };
const CHILD_MAP = { 'model.p.c': [], 'model.p.a': ['model.p.b', 'model.p.c'], 'model.p.b': ['model.p.c'], 'source.p.raw.t': ['model.p.a'], 'model.other.gone': ['model.p.b'] };

describe('buildParentChildMaps', () => {
  it('writes both maps as their JSON text without making them, and makes them from it when asked', () => {
    const manifest = manifestOf(PARENTS);
    buildParentChildMaps(manifest);
    // What the writers take: the texts, with the keys in dbt's order (nodes, sources, then other parents).
    expect(dependencyMapTexts(manifest)).toEqual({ parent_map: JSON.stringify(PARENT_MAP), child_map: JSON.stringify(CHILD_MAP) });
    expect(mapPart(manifest, 'child_map')).toBeInstanceOf(MapText);
    expect(JSON.stringify(mapPart(manifest, 'parent_map'))).toBe(JSON.stringify(PARENT_MAP));
    // Asked for: the maps, in the same order, their texts kept beside them.
    expect(Object.entries(manifest.child_map)).toEqual(Object.entries(CHILD_MAP));
    expect(Object.entries(manifest.parent_map)).toEqual(Object.entries(PARENT_MAP));
    expect(mapPart(manifest, 'parent_map')).toBe(manifest.parent_map);
    expect(knownMapJson(manifest.child_map)).toBe(JSON.stringify(CHILD_MAP));
  });

  it('takes a map assigned afterwards, not the text made before', () => {
    const manifest = manifestOf(PARENTS);
    buildParentChildMaps(manifest);
    manifest.parent_map = { 'model.p.a': [] };
    expect(dependencyMapTexts(manifest).parent_map).toBe('{"model.p.a":[]}');
    expect(dependencyMapTexts(manifest).child_map).toBe(JSON.stringify(CHILD_MAP));
  });

  it('makes the maps as objects when a key is an array index, which an object lists first', () => {
    const manifest = manifestOf({ 'model.p.a': ['7'], '12': [] });
    buildParentChildMaps(manifest);
    expect(mapPart(manifest, 'parent_map')).not.toBeInstanceOf(MapText);
    expect(JSON.stringify(manifest.parent_map)).toBe('{"12":[],"model.p.a":["7"],"source.p.raw.t":[]}');
    expect(dependencyMapTexts(manifest).child_map).toBe('{"7":["model.p.a"],"12":[],"model.p.a":[],"source.p.raw.t":[]}');
  });

  it("holds exposures, metrics, semantic models and saved queries as dbt's do, and a node's metric() calls; not groups", () => {
    const manifest = manifestOf({ 'model.p.a': ['source.p.raw.t'], 'model.p.m': [] });
    (manifest.nodes['model.p.m'] as ManifestNode).metric_ids = ['metric.p.revenue'];
    const declared = (resource_type: DeclaredResource['resource_type'], unique_id: string, nodes: string[]) => ({ unique_id, resource_type, depends_on: { nodes, macros: [] } }) as unknown as DeclaredResource;
    // In the order of manifest.declared, which is not dbt's: the maps list exposures, metrics, semantic models, saved queries.
    manifest.declared = Object.fromEntries(
      [
        declared('saved_query', 'saved_query.p.by_day', ['metric.p.revenue']),
        declared('group', 'group.p.finance', []),
        declared('metric', 'metric.p.revenue', ['semantic_model.p.orders']),
        declared('semantic_model', 'semantic_model.p.orders', ['model.p.a']),
        declared('exposure', 'exposure.p.dash', ['model.p.a', 'metric.p.revenue']),
      ].map((d) => [d.unique_id, d]),
    );
    buildParentChildMaps(manifest);
    expect(dependencyMapTexts(manifest).parent_map).toBe(
      JSON.stringify({
        'model.p.a': ['source.p.raw.t'],
        'model.p.m': ['metric.p.revenue'],
        'source.p.raw.t': [],
        'exposure.p.dash': ['metric.p.revenue', 'model.p.a'],
        'metric.p.revenue': ['semantic_model.p.orders'],
        'semantic_model.p.orders': ['model.p.a'],
        'saved_query.p.by_day': ['metric.p.revenue'],
      }),
    );
    expect(dependencyMapTexts(manifest).child_map).toBe(
      JSON.stringify({
        'model.p.a': ['exposure.p.dash', 'semantic_model.p.orders'],
        'model.p.m': [],
        'source.p.raw.t': ['model.p.a'],
        'exposure.p.dash': [],
        'metric.p.revenue': ['exposure.p.dash', 'model.p.m', 'saved_query.p.by_day'],
        'semantic_model.p.orders': ['metric.p.revenue'],
        'saved_query.p.by_day': [],
      }),
    );
  });
});
