// A source's loaded_at_query, rendered when `source freshness` runs it, as dbt does
// (task/freshness.py: get_rendered(loaded_at_query, SourceContext(...)) with the runtime
// provider): dbt leaves it unrendered at parse (SchemaYamlRenderer skips `loaded_at_query`), so
// `{{ this }}` is the source table and macros such as `current_timestamp()` are callable.
import type { Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import type { Compiler } from '../compile/compiler.js';
import type { SourceTable } from '../manifest/types.js';
import { sourceOperationNode } from './source-operation-node.js';

export type LoadedAtQueryRenderer = (conn: Connection, source: SourceTable, relation: Relation) => Promise<string>;

/** A renderer of loaded_at_query in each source's context (on the connection that runs it). */
export function loadedAtQueryRenderer(compilerFor: () => Compiler): LoadedAtQueryRenderer {
  return async (conn, source, relation) => {
    const query = source.loaded_at_query ?? '';
    if (!query.includes('{{') && !query.includes('{%')) return query;
    const compiler = compilerFor();
    const node = sourceOperationNode(source, query);
    const phase = compiler.phase;
    return compiler.withWarehouse(conn, source.unique_id, () => phase.render(node, { refs: [], sources: [], configCalls: [], thisRelation: relation }, query).sql);
  };
}
