import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import type { DagPlaces } from './dag.js';
import { Dag } from './dag.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';

/** A manifest of model ids and their parents, in the given order. */
function manifest(nodes: [string, string[]][]): Manifest {
  const entries = nodes.map(([id, parents]): [string, ManifestNode] => [id, { unique_id: id, name: id.split('.').pop(), original_file_path: `models/${id}.sql`, depends_on: { nodes: parents, macros: [] } } as unknown as ManifestNode]);
  return { projectName: 'p', nodes: Object.fromEntries(entries), sources: { 'source.p.raw.t': {} as never }, macros: {}, docs: {}, parent_map: {}, child_map: {}, warnings: [] };
}

/** Models with a repeated parent, a parent listed after its child and a source. */
const WITH_LATER: [string, string[]][] = [
  ['m.d', ['m.b', 'm.c', 'm.b']],
  ['m.b', ['m.a', 'm.later']],
  ['m.c', ['m.a', 'source.p.raw.t']],
  ['m.a', []],
  ['m.later', []],
  ['m.e', ['m.a']],
];

describe('Dag', () => {
  it('orders parents before children, from each sink back (as graphlib topsort), with deduplicated edges', () => {
    const dag = Dag.fromManifest(manifest([
      ['m.d', ['m.b', 'm.c', 'm.b']],
      ['m.b', ['m.a']],
      ['m.c', ['m.a', 'source.p.raw.t']],
      ['m.a', []],
      ['m.e', ['m.a']],
    ]));
    // graphlib's alg.topsort gives this order for the same graph (checked when graphlib was replaced).
    expect(dag.topologicalOrder()).toEqual(['m.a', 'm.b', 'source.p.raw.t', 'm.c', 'm.d', 'm.e']);
    expect(dag.parents('m.d')).toEqual(['m.b', 'm.c']);
    expect(dag.children('m.a')).toEqual(['m.b', 'm.c', 'm.e']);
    expect([...dag.ancestors('m.d')].sort()).toEqual(['m.a', 'm.b', 'm.c', 'source.p.raw.t']);
    expect(dag.parents('unknown')).toEqual([]);
  });

  it('orders a chain of 20,000 models without overflowing the stack', () => {
    const chain: [string, string[]][] = Array.from({ length: 20000 }, (_, i) => [`m.n${i}`, i ? [`m.n${i - 1}`] : []]);
    const order = Dag.fromManifest(manifest(chain)).topologicalOrder();
    expect(order.slice(0, 3)).toEqual(['source.p.raw.t', 'm.n0', 'm.n1']);
    expect(order.at(-1)).toBe('m.n19999');
  });

  it('names the cycle, in order, with the file of its first model', () => {
    const cyclic = manifest([['m.a', ['m.c']], ['m.b', ['m.a']], ['m.c', ['m.b']], ['m.x', []]]);
    expect(() => Dag.fromManifest(cyclic)).toThrow('Found a cycle: m.a --> m.b --> m.c --> m.a');
  });

  it('is built as the places partial_parse.bin keeps (ids in first-seen order, parents and children as ranges, the order as places)', () => {
    const places = Dag.fromManifest(manifest(WITH_LATER)).toPlaces();
    // What the DAG of lists of ids packed into these before it was built as places (the same bytes in the cache).
    expect({ ...places, ids: places.ids.split('\0'), predStarts: [...places.predStarts], predPlaces: [...places.predPlaces], succStarts: [...places.succStarts], succPlaces: [...places.succPlaces], sorted: [...places.sorted] }).toEqual({
      ids: ['source.p.raw.t', 'm.d', 'm.b', 'm.c', 'm.a', 'm.later', 'm.e'],
      predStarts: [0, 0, 2, 4, 6, 6, 6, 7],
      predPlaces: [2, 3, 4, 5, 4, 0, 4],
      succStarts: [0, 1, 1, 2, 3, 6, 7, 7],
      succPlaces: [3, 1, 1, 2, 3, 6, 2],
      sorted: [4, 5, 2, 0, 3, 1, 6],
    });
  });

  it('reads back from its places (as partial_parse.bin keeps it) with the same parents, children and order', () => {
    const built = Dag.fromManifest(manifest(WITH_LATER));
    const read = Dag.fromPlaces(deserialize(serialize(built.toPlaces())) as DagPlaces);
    expect(read.topologicalOrder()).toEqual(built.topologicalOrder());
    for (const id of ['m.a', 'm.b', 'm.c', 'm.d', 'm.e', 'm.later', 'source.p.raw.t', 'unknown']) {
      expect(read.parents(id)).toEqual(built.parents(id));
      expect(read.children(id)).toEqual(built.children(id));
    }
    expect(read.children('m.a')).toEqual(['m.b', 'm.c', 'm.e']);
    expect(read.parents('m.b')).toEqual(['m.a', 'm.later']);
    expect([...read.ancestors('m.d')].sort()).toEqual(['m.a', 'm.b', 'm.c', 'm.later', 'source.p.raw.t']);
  });
});
