// A node's database, schema, alias and relation_name, through the project's naming macros when it
// overrides them (node-naming.ts has the rules). The whole parse and the partial re-parse name
// nodes this way, and `parse`'s Jinja-edit check asks namingMacros whether a macro is overridden.
import { callParseMacro, type ParsePhase } from '../compile/parse-phase.js';
import { nodeAlias, nodeDatabase, nodeSchema, type NamingMacros, type TargetNames } from './node-naming.js';
import { storesFailures } from './node-factory.js';
import { nodeRefOf } from '../manifest/node-ref.js';
import type { ManifestNode } from '../manifest/types.js';

/** A node's database, schema, alias and relation_name (a test's: where store_failures writes). */
export function nameNode(node: ManifestNode, target: TargetNames, naming: NamingMacros, session: ParsePhase): void {
  if (node.resource_type === 'analysis' || node.resource_type === 'unit_test') {
    node.schema = target.schema;
    node.database = target.database;
    return;
  }
  try {
    node.database = nodeDatabase(node, target, naming);
    node.schema = nodeSchema(node, target, naming);
    node.alias = nodeAlias(node, naming);
    // A project hook (`operation`) is named, as dbt's parser names it, but is no relation (dbt's is_relational).
    const stored = node.resource_type === 'operation' ? false : node.resource_type !== 'test' || storesFailures(node.config, session.services.flags.STORE_FAILURES === true) !== null;
    node.relation_name =
      node.config.materialized === 'ephemeral' || !stored ? null : session.services.relation({ database: node.database, schema: node.schema, identifier: node.alias }).render();
  } catch (err) {
    session.fail(err, node.original_file_path, nodeRefOf(node));
  }
}

export function namingMacros(session: ParsePhase): NamingMacros {
  const root = session.services.projectName;
  return {
    overridden(name, packageName) {
      // The root's own macro, or the node's package's (dbt's find_generate_macro_by_name with the
      // imported package); another package's never names the root's nodes. The call then resolves
      // the name in the node's package first, as dbt's package updater calls the package's macro.
      if (packageName !== root && session.library.has(packageName, name)) return true;
      return session.scope.visibleMacros(root).get(name) !== 'dbt' || session.scope.dispatchPrefixes.some((prefix) => session.library.has(root, `${prefix}__${name}`));
    },
    call(name, args, node) {
      return callParseMacro(session, node, name, args);
    },
  };
}
