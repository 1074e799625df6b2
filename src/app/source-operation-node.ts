// The node a source's freshness renders in: an operation named after the source table, in the
// source's package, whose relation (`this`) is the source table. dbt renders loaded_at_query and
// runs collect_freshness with the source as the node (`source_node`; `model` points to it too).
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import type { ManifestNode, SourceTable } from '../manifest/types.js';

export function sourceOperationNode(source: SourceTable, rawCode: string): ManifestNode {
  const node = nodeSkeleton({
    resourceType: 'operation',
    packageName: source.package_name,
    name: `${source.source_name}_${source.name}_freshness`,
    originalFilePath: source.original_file_path,
    pathInResourceDir: source.original_file_path,
    rawCode,
    config: defaultConfig('operation'),
  });
  node.database = source.database;
  node.schema = source.schema;
  node.alias = source.identifier;
  return node;
}
