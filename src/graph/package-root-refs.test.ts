import { describe, expect, it } from 'vitest';
import type { Manifest, ManifestNode, RefCall } from '../manifest/types.js';
import { RefIndex } from './ref-index.js';
import { packageNodeOnRootWarnings } from './package-root-refs.js';

// dbt 1.11: a package model whose unqualified ref lands on a root project model warns
// PackageNodeDependsOnRootProjectNode, unless the flag require_ref_searches_node_package_before_root is on.
function model(pkg: string, name: string, refs: RefCall[] = []): ManifestNode {
  return {
    unique_id: `model.${pkg}.${name}`, name, package_name: pkg, resource_type: 'model', refs,
    original_file_path: `models/${name}.sql`, raw_code: '', config: {}, line: 1,
  } as unknown as ManifestNode;
}

const nodes = [
  model('test', 'a'),
  model('dep', 'a'),
  model('dep', 'b', [{ name: 'a' }]),
  model('dep', 'b_root_package_in_ref', [{ name: 'a', package: 'test' }]),
];

function setUp(nodePackageFirst: boolean): [Manifest, RefIndex] {
  const manifest = { projectName: 'test', nodes: Object.fromEntries(nodes.map((n) => [n.unique_id, n])), ...(nodePackageFirst ? { refSearchesNodePackageFirst: true } : {}) } as unknown as Manifest;
  return [manifest, new RefIndex('test', nodes, [], []).searchNodePackageFirst(nodePackageFirst)];
}

describe('PackageNodeDependsOnRootProjectNode', () => {
  it('warns for an unqualified package ref resolved to the root project, with dbt\'s fields', () => {
    const warnings = packageNodeOnRootWarnings(...setUp(false));
    expect(warnings.map((w) => [w.event, w.data])).toEqual([
      ['PackageNodeDependsOnRootProjectNode', { node_name: 'b', package_name: 'dep', root_project_unique_id: 'model.test.a' }],
    ]);
  });

  it('says nothing with require_ref_searches_node_package_before_root', () => {
    expect(packageNodeOnRootWarnings(...setUp(true))).toEqual([]);
  });
});
