// tsdbt's SQL builders as templates reach them: `adapter.tsdbt_sql`. dbt's global DDL macros
// (`default__create_table_as`, `default__create_view_as`) are thin wrappers over these, so a
// template calling `create_table_as(...)` and a built-in materialization send the same statement.
import type { SqlBuilders } from '../../adapters/adapter.js';
import { Relation } from '../../adapters/relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { ManifestNode } from '../../graph/types.js';
import { callArgs } from './keywords.js';

/**
 * tsdbt's SQL builders as templates call them (`adapter.tsdbt_sql.create_table_as(relation, sql)`),
 * with the node's config (a ClickHouse engine, PostgreSQL's `unlogged`): what dbt's global DDL
 * macros return, written once, in the adapter.
 */
export function templateBuilders(sql: SqlBuilders, node: ManifestNode): Record<string, unknown> {
  const relationOf = (value: unknown, macro: string): Relation => {
    if (value instanceof Relation) return value;
    throw new TsdbtError(`${macro}() needs a relation (got ${value === null || value === undefined ? 'None' : typeof value})`, { code: 'adapter-args', hint: 'pass this, ref(...) or api.Relation.create(...)' });
  };
  return {
    create_table_as: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'sql', 'temporary']);
      return sql.createTableAs(relationOf(a.relation, 'create_table_as'), String(a.sql ?? ''), node.config, { temporary: a.temporary === true });
    },
    /** One index of dbt-postgres's `indexes` config ({columns, unique, type}), or None where the warehouse has none. */
    create_index: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'index_dict']);
      const relation = relationOf(a.relation, 'get_create_index_sql');
      const [statement] = sql.tableExtras(relation, { indexes: [a.index_dict] }, { table: relation.identifier, salt: `${Date.now()}` });
      return statement ?? null;
    },
    truncate: (...values: unknown[]) => sql.truncate(relationOf(callArgs(values, ['relation']).relation, 'get_truncate_sql')),
    create_view_as: (...values: unknown[]) => {
      const a = callArgs(values, ['relation', 'sql']);
      return sql.createView(relationOf(a.relation, 'create_view_as'), String(a.sql ?? ''));
    },
  };
}
