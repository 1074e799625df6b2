// dbt 1.11's PackageNodeDependsOnRootProjectNode (parser/manifest.py
// warn_if_package_node_depends_on_root_project_node): without the behaviour flag
// require_ref_searches_node_package_before_root, an unqualified ref in a package's node that
// resolves to a root project node is warned about, since it may make cycles downstream. A ref that
// names the root project (`ref('my_project', 'a')`) is meant, and is not.
import type { Manifest, Warning } from '../manifest/types.js';
import { recordValues } from '../manifest/record-values.js';
import type { RefIndex } from './ref-index.js';

export function packageNodeOnRootWarnings(manifest: Manifest, refs: Pick<RefIndex, 'resolveRef'>): Warning[] {
  if (manifest.refSearchesNodePackageFirst) return [];
  const root = manifest.projectName;
  const out: Warning[] = [];
  for (const node of recordValues(manifest.nodes)) {
    if (node.package_name === root) continue;
    for (const call of node.refs) {
      if (call.package === root) continue;
      let target;
      try {
        target = refs.resolveRef(call, node);
      } catch {
        continue; // the ref's own error is reported where it is linked
      }
      if (target.package_name !== root) continue;
      out.push({
        event: 'PackageNodeDependsOnRootProjectNode',
        // dbt's words (its message runs the sentences together without spaces).
        message:
          `The node '${node.name}'in package '${node.package_name}' depends on the root project node '${target.unique_id}'.` +
          "This may lead to unexpected cycles downstream. Please set the 'require_ref_prefers_node_package_to_root' behavior change flag to True to avoid this issue." +
          'For more information, see the documentation at https://docs.getdbt.com/reference/global-configs/behavior-changes#require_ref_prefers_node_package_to_root',
        location: { file: node.original_file_path },
        data: { node_name: node.name, package_name: node.package_name, root_project_unique_id: target.unique_id },
      });
    }
  }
  return out;
}
