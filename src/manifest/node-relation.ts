// dbt's NodeRelation of a model (semantic models and time spines name the relation MetricFlow reads):
// its alias, schema, database and relation_name, the name built from its parts where the node has
// none, as pydantic's PydanticNodeRelation builds it.
import type { ManifestNode } from './types.js';

export interface NodeRelation {
  alias: string;
  schema_name: string;
  database: string | null;
  relation_name: string;
}

/** The node's relation as dbt's NodeRelation (null for no node). */
export function nodeRelation(node: ManifestNode | undefined): NodeRelation | null {
  if (!node) return null;
  const built = node.database ? `${node.database}.${node.schema}.${node.alias}` : `${node.schema}.${node.alias}`;
  return { alias: node.alias, schema_name: node.schema, database: node.database, relation_name: node.relation_name || built };
}
