// Where a node's property-file entry is written (`- name: orders` in models/schema.yml), for errors
// about what that entry declares (access, a contract, a deprecation_date): the entry's line while
// the parse keeps it on the node, else the property file the node was patched from, else the
// node's own file.
import type { SourceLocation } from '../errors/tsdbt-error.js';
import type { ManifestNode } from './types.js';
import { nodePatch } from './node-patch.js';

export function propertyLocation(node: ManifestNode): SourceLocation {
  const patch = nodePatch<{ location?: SourceLocation }>(node);
  return patch?.location ?? { file: node.patch_path?.replace(/^[^:]+:\/\//, '') ?? node.original_file_path };
}
