// Runs the selector grammar over the manifest: a SelectableGraph view of the nodes and sources.
import { readFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { Dag } from '../graph/dag.js';
import type { Manifest } from '../graph/types.js';
import { parseSelectorsYaml, selectNodes } from '../selection/index.js';
import type { SelectableGraph, SelectableNode } from '../selection/selectable-graph.js';
import type { Invocation } from './invocation.js';

export function selectableGraph(manifest: Manifest, dag: Dag): SelectableGraph {
  const nodes = new Map<string, SelectableNode>();
  for (const node of Object.values(manifest.nodes)) {
    nodes.set(node.unique_id, {
      unique_id: node.unique_id,
      name: node.name,
      resource_type: node.resource_type,
      package_name: node.package_name,
      fqn: node.fqn,
      original_file_path: node.original_file_path,
      tags: node.tags,
      config: node.config,
      test_type: node.resource_type === 'test' ? (node.test_metadata ? 'generic' : 'singular') : undefined,
      test_name: node.test_metadata?.name,
      depends_on: node.depends_on.nodes,
    });
  }
  for (const source of Object.values(manifest.sources)) {
    nodes.set(source.unique_id, {
      unique_id: source.unique_id,
      name: source.name,
      resource_type: 'source',
      package_name: source.package_name,
      fqn: source.fqn,
      original_file_path: source.original_file_path,
      tags: source.tags,
      config: source.config,
      source_name: source.source_name,
      depends_on: [],
    });
  }
  return { nodes, parents: (id) => dag.parents(id), children: (id) => dag.children(id) };
}

/** The node ids an invocation selects (with --select / --exclude / --selector / selectors.yml). */
export function selectForInvocation(inv: Invocation, manifest: Manifest, dag: Dag): Set<string> {
  const file = path.join(inv.projectDir, 'selectors.yml');
  const selectors = existsSync(file) ? parseSelectorsYaml(readFileSync(file, 'utf8'), 'selectors.yml') : undefined;
  return selectNodes(
    selectableGraph(manifest, dag),
    {
      select: inv.options.select,
      exclude: inv.options.exclude,
      selector: inv.options.selector,
      resourceTypes: inv.options.resourceTypes,
      indirectSelection: inv.options.indirectSelection,
    },
    selectors,
  );
}
