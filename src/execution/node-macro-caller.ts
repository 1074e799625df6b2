// How a node's materialization reaches the project's replacements of dbt's macros (dispatch,
// overridden building blocks), its agate seed tables and its columns as dbt's Column objects.
import type { Adapter } from '../adapters/adapter.js';
import type { Compiler } from '../compile/compiler.js';
import type { RenderSession } from '../compile/render-session.js';
import { columnsFromInfo } from '../jinja/dbt/api-column.js';
import { seedAgateTable } from '../jinja/dbt/template-builders.js';
import type { ManifestNode } from '../manifest/types.js';
import type { MacroCaller } from '../materializations/building-blocks.js';

/** The macro caller of `node`'s materialization. */
export function nodeMacroCaller({ session, compiler, adapter }: { session: RenderSession; compiler: Compiler; adapter: Adapter }, node: ManifestNode, incremental: boolean): MacroCaller {
  return {
    overridden: (name) => session.scope.overrideOf(node.package_name, name) !== null,
    inContext: (name, namespace) => session.scope.inContext(node.package_name, name, namespace),
    isNamespace: (namespace) => session.scope.isNamespace(namespace),
    call: (conn, name, args, options = {}) => {
      // A package's replacement the node does not see by name (dbt's adapter finds it in any package).
      const found = session.scope.overrideOf(node.package_name, name);
      const namespace = found?.macro === name && session.scope.visibleMacros(node.package_name).get(name) !== found.namespace ? found.namespace : undefined;
      return compiler.callMacro(conn, node, name, args, { ...options, incremental, ...(namespace === undefined ? {} : { namespace }) });
    },
    seedTable: (columns, rows) => seedAgateTable(columns, rows, adapter.rules),
    columns: async (conn, relation, names) => {
      const byName = new Map((await adapter.getColumns(conn, relation)).map((c) => [c.name, c]));
      const picked = names.map((name) => byName.get(name)).filter((c) => c !== undefined);
      return columnsFromInfo(picked, (name: string) => adapter.sql.quoteIdentifier(name));
    },
  };
}
