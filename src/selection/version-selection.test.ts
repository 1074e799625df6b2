// The `version:` method and version-aware fqn selection (dbt's VersionSelectorMethod and
// is_selected_node): `m.v2` and `m_v2` pick one version, `m` all of them.
import { describe, expect, it } from 'vitest';
import { selectNodes, type SelectableGraph, type SelectableNode } from './index.js';

function model(id: string, fqn: string[], version: number | string | null = null, latest: number | string | null = null): SelectableNode {
  return { unique_id: id, name: fqn[fqn.length - (version === null ? 1 : 2)] as string, resource_type: 'model', package_name: 'p', fqn, original_file_path: `models/${id}.sql`, tags: [], config: {}, depends_on: [], version, latest_version: latest };
}

// dim_customers v1 (old), v2 (latest), v3 (prerelease) in models/marts; orders unversioned; a test on v2.
const nodes: SelectableNode[] = [
  model('model.p.dim_customers.v1', ['p', 'marts', 'dim_customers', 'v1'], 1, 2),
  model('model.p.dim_customers.v2', ['p', 'marts', 'dim_customers', 'v2'], 2, 2),
  model('model.p.dim_customers.v3', ['p', 'marts', 'dim_customers', 'v3'], 3, 2),
  model('model.p.orders', ['p', 'orders']),
  { ...model('test.p.not_null_dim_customers_v2_id', ['p', 'not_null_dim_customers_v2_id']), resource_type: 'test', depends_on: ['model.p.dim_customers.v2'] },
];
const graph: SelectableGraph = {
  nodes: new Map(nodes.map((n) => [n.unique_id, n])),
  parents: (id) => nodes.find((n) => n.unique_id === id)?.depends_on ?? [],
  children: (id) => nodes.filter((n) => n.depends_on.includes(id)).map((n) => n.unique_id),
};
const sel = (...select: string[]) => [...selectNodes(graph, { select, indirectSelection: 'empty' })].sort();

describe('selecting model versions', () => {
  it('m.v2 and m_v2 select one version, also under a folder; m selects every version', () => {
    expect(sel('dim_customers.v2')).toEqual(['model.p.dim_customers.v2']);
    expect(sel('dim_customers_v2')).toEqual(['model.p.dim_customers.v2']);
    expect(sel('marts.dim_customers.v3')).toEqual(['model.p.dim_customers.v3']);
    expect(sel('dim_customers')).toEqual(['model.p.dim_customers.v1', 'model.p.dim_customers.v2', 'model.p.dim_customers.v3']);
  });

  it('version:latest, prerelease, old and none', () => {
    expect(sel('version:latest')).toEqual(['model.p.dim_customers.v2']);
    expect(sel('version:prerelease')).toEqual(['model.p.dim_customers.v3']);
    expect(sel('version:old')).toEqual(['model.p.dim_customers.v1']);
    // Models only: the test is not a model without a version.
    expect(sel('version:none')).toEqual(['model.p.orders']);
    expect(sel('dim_customers,version:latest')).toEqual(['model.p.dim_customers.v2']);
  });

  it('orders versions as numbers when they read as numbers, else as text', () => {
    const numeric = [model('model.p.m.v9', ['p', 'm', 'v9'], 9, 10), model('model.p.m.v10', ['p', 'm', 'v10'], 10, 10)];
    const g: SelectableGraph = { nodes: new Map(numeric.map((n) => [n.unique_id, n])), parents: () => [], children: () => [] };
    expect([...selectNodes(g, { select: ['version:old'] })]).toEqual(['model.p.m.v9']);
  });

  it('an unknown version kind is a selector error', () => {
    expect(() => sel('version:newest')).toThrow(/version:latest, version:prerelease, version:old or version:none/);
  });
});
