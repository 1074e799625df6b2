// A graph many selections are made on (SelectableGraph.repeated: the docs page's) looks fqn values
// up in an index (fqn-index.ts): every fqn criterion without wildcards must select exactly what
// trying every node selects, in the same order: names, packages, folders, dotted paths, the leaf
// of a model named with a dot, versions (`m.v2`, `m_v2`), tests, sources (never by fqn).
import { describe, expect, it } from 'vitest';
import { matchCriterion } from './selection-methods.js';
import { parseSelectionWords } from './selection-spec.js';
import type { SelectableGraph, SelectableNode } from './selectable-graph.js';

function node(id: string, type: string, fqn: string[], extra: Partial<SelectableNode> = {}): SelectableNode {
  return { unique_id: id, name: fqn[fqn.length - 1] as string, resource_type: type, package_name: fqn[0] as string, fqn, original_file_path: `models/${id}.sql`, tags: [], config: {}, depends_on: [], version: null, latest_version: null, ...extra };
}

const nodes: SelectableNode[] = [
  node('model.shop.stg_orders', 'model', ['shop', 'staging', 'stg_orders']),
  node('model.shop.orders', 'model', ['shop', 'marts', 'orders']),
  node('model.shop.alternative.users', 'model', ['shop', 'alternative.users']),
  node('model.shop.dim.v2', 'model', ['shop', 'marts', 'dim', 'v2'], { name: 'dim', version: 2, latest_version: 2 }),
  node('model.lib.helper', 'model', ['lib', 'helper']),
  node('model.shop.shop', 'model', ['shop', 'shop']),
  node('test.shop.not_null_orders_id', 'test', ['shop', 'marts', 'not_null_orders_id']),
  node('source.shop.raw.orders', 'source', ['shop', 'raw', 'orders'], { name: 'orders', source_name: 'raw' }),
];

const graph = (repeated: boolean): SelectableGraph => ({ nodes: new Map(nodes.map((n) => [n.unique_id, n])), parents: () => [], children: () => [], repeated });

describe('the fqn index of a graph selected from repeatedly', () => {
  it('selects what trying every node selects, in the same order', () => {
    const values = ['orders', 'stg_orders', 'shop', 'lib', 'staging', 'marts', 'shop.marts', 'marts.orders', 'shop.staging.stg_orders', 'alternative.users', 'users', 'alternative', 'dim', 'dim.v2', 'dim_v2', 'marts.dim.v2', 'v2', 'not_null_orders_id', 'raw', 'raw.orders', 'nothing', 'shop.nothing', 'helper', 'lib.helper'];
    const indexed = graph(true);
    const plain = graph(false);
    for (const value of values) {
      const spec = parseSelectionWords([value]);
      const criterion = spec.kind === 'union' ? spec.components[0] : null;
      if (!criterion || criterion.kind !== 'criterion') throw new Error(`not a criterion: ${value}`);
      expect([...matchCriterion(indexed, criterion)], value).toEqual([...matchCriterion(plain, criterion)]);
    }
    // The index answers by name, not by trying: these select what dbt selects.
    const by = (value: string) => {
      const spec = parseSelectionWords([value]);
      return [...matchCriterion(indexed, (spec as { components: Parameters<typeof matchCriterion>[1][] }).components[0] as Parameters<typeof matchCriterion>[1])];
    };
    expect(by('orders')).toEqual(['model.shop.orders']);
    expect(by('marts')).toEqual(['model.shop.orders', 'model.shop.dim.v2', 'test.shop.not_null_orders_id']);
    expect(by('alternative.users')).toEqual(['model.shop.alternative.users']);
    expect(by('dim_v2')).toEqual(['model.shop.dim.v2']);
  });

  it('is built again when the graph gained nodes', () => {
    const map = new Map(nodes.map((n) => [n.unique_id, n]));
    const g: SelectableGraph = { nodes: map, parents: () => [], children: () => [], repeated: true };
    const criterion = (parseSelectionWords(['extra']) as { components: Parameters<typeof matchCriterion>[1][] }).components[0] as Parameters<typeof matchCriterion>[1];
    expect([...matchCriterion(g, criterion)]).toEqual([]);
    map.set('model.shop.extra', node('model.shop.extra', 'model', ['shop', 'extra']));
    expect([...matchCriterion(g, criterion)]).toEqual(['model.shop.extra']);
  });
});
