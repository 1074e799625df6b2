// How an error names the node it happened in: `model orders (models/orders.sql)`.
import type { NodeRef } from '../errors/tsdbt-error.js';
import type { ManifestNode } from '../manifest/types.js';

export function nodeRefOf(node: Pick<ManifestNode, 'resource_type' | 'name' | 'original_file_path'>): NodeRef {
  return { resourceType: node.resource_type, name: node.name, file: node.original_file_path };
}
