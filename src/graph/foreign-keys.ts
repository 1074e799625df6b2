// Contract foreign keys (`constraints: [{type: foreign_key, to: ref('parent')}]`, on a model or a
// column): the parent named by `to:` is a dependency of the node, as in dbt 1.9.
import { expressionCalls, type ParsePhase } from '../compile/parse-phase.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import { recordValues } from '../manifest/record-values.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';

/** Contract foreign keys (`to: ref('parent')`) depend on their parent, as in dbt 1.9. */
export function linkForeignKeys(manifest: Manifest, session: ParsePhase): void {
  for (const node of recordValues(manifest.nodes)) {
    const targets = [...(node.constraints ?? []), ...Object.values(node.columns).flatMap((c) => c.constraints ?? [])].filter((c) => c.type === 'foreign_key' && typeof c.to === 'string');
    for (const constraint of targets) {
      try {
        const to = String(constraint.to);
        const state = foreignKeyCalls(session, node, to);
        // dbt's statically_parse_ref_or_source: the first ref, else the first source, else a parse error.
        const [ref] = state.refs;
        const [source] = state.sources;
        if (ref) node.refs.push(ref);
        else if (source) node.sources.push(source);
        else if (node.resource_type === 'model') throw invalidForeignKeyTo(node, to);
      } catch (err) {
        session.fail(err, node.original_file_path, nodeRefOf(node));
      }
    }
  }
}

/** The ref and source calls of a foreign key's `to:`; one that does not render is a model's parse error. */
function foreignKeyCalls(session: ParsePhase, node: ManifestNode, to: string): ReturnType<typeof expressionCalls> {
  try {
    return expressionCalls(session, node, to.replace(/^\s*\{\{|\}\}\s*$/g, ''));
  } catch (err) {
    if (node.resource_type === 'model') throw invalidForeignKeyTo(node, to);
    throw err;
  }
}

/** dbt's ParsingError for a foreign key `to:` that is no ref or source call. */
function invalidForeignKeyTo(node: ManifestNode, to: string): TsdbtError {
  return new TsdbtError(`Invalid 'ref' or 'source' syntax on foreign key constraint 'to' on model ${node.name}: ${to}.`, {
    code: 'foreign-key-to-invalid',
    location: { file: node.patch_path?.replace(/^[^:]*:\/\//, '') ?? node.original_file_path },
    hint: "write the parent as `to: ref('model_name')` or `to: source('source_name', 'table_name')`",
  });
}
