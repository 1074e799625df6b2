// The warehouse members about relations: what the warehouse holds (`adapter.get_relation`,
// `get_columns_in_relation`, schemas), the changes templates make to it (drop, truncate, rename,
// create), and one relation's columns against another's. Each asks the current render's replay.
import type { RelationParts } from '../../adapters/relation.js';
import { ApiColumn, columnsFromInfo } from './api-column.js';
import { callArgs } from '../pylib/args/index.js';
import { relationArg, type WarehouseAccess } from './warehouse-access.js';

/** What the warehouse holds: relations, their columns, a query's columns, schemas. */
export function relationQuestions(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, columnDialect, ask, columnsOf } = w;
  // A schema's relations and, where the adapter lists them, its functions as relations of type
  // `function` (dbt-postgres 1.11's postgres__list_relations_without_caching, which fills its cache).
  const withFunctions = async (conn: Parameters<typeof adapter.listRelations>[0], database: string | null, schema: string) => {
    const relations = await adapter.listRelations(conn, database, schema);
    const functions = adapter.listFunctions ? await adapter.listFunctions(conn, database, schema) : [];
    return [...relations, ...functions.map((identifier) => adapter.relation({ database: database ?? adapter.defaultDatabase, schema, identifier, type: 'function' }))];
  };
  return {
    get_relation: (...values: unknown[]) => {
      if (parse) return null;
      const a = callArgs(values, ['database', 'schema', 'identifier']);
      const parts: RelationParts = { database: (a.database as string | null) ?? null, schema: (a.schema as string | null) ?? null, identifier: String(a.identifier ?? '') };
      return ask('adapter.get_relation()', `get_relation:${parts.database}.${parts.schema}.${parts.identifier}`, (conn) => adapter.getRelation(conn, parts));
    },
    load_relation: (...values: unknown[]) => {
      if (parse) return null;
      const r = relationArg(callArgs(values, ['relation']).relation, 'load_relation');
      return ask('adapter.load_relation()', `get_relation:${r.database}.${r.schema}.${r.identifier}`, (conn) => adapter.getRelation(conn, r));
    },
    get_columns_in_relation: (...values: unknown[]) => {
      if (parse) return [];
      const r = relationArg(callArgs(values, ['relation']).relation, 'get_columns_in_relation');
      return ask('adapter.get_columns_in_relation()', `columns:${r.render()}`, (conn) => columnsOf(conn, r));
    },
    /** dbt-adapters' `adapter.get_pseudocolumns_for_relation(relation)`: queryable columns information_schema lacks; none here (BigQuery's adapter has some). */
    get_pseudocolumns_for_relation: () => [],
    /** Deprecated in dbt, still called by old packages: `adapter.already_exists(schema, identifier)`. */
    already_exists: (...values: unknown[]) => {
      if (parse) return false;
      const a = callArgs(values, ['schema', 'name']);
      const parts: RelationParts = { database: null, schema: String(a.schema ?? ''), identifier: String(a.name ?? '') };
      return ask('adapter.already_exists()', `get_relation:${parts.database}.${parts.schema}.${parts.identifier}`, async (conn) => (await adapter.getRelation(conn, parts)) !== null);
    },
    /** Deprecated in dbt: `adapter.get_columns_in_table(schema, identifier)`. */
    get_columns_in_table: (...values: unknown[]) => {
      if (parse) return [];
      const a = callArgs(values, ['schema', 'identifier']);
      const parts: RelationParts = { database: null, schema: String(a.schema ?? ''), identifier: String(a.identifier ?? '') };
      return ask('adapter.get_columns_in_table()', `columns:${parts.schema}.${parts.identifier}`, (conn) => columnsOf(conn, adapter.relation(parts)));
    },
    /** dbt's `adapter.get_column_schema_from_query(sql)`: the columns (name and type) a select returns. */
    get_column_schema_from_query: (...values: unknown[]) => {
      if (parse) return [];
      const sql = String(callArgs(values, ['sql']).sql ?? '');
      return ask('adapter.get_column_schema_from_query()', `describe:${sql}`, async (conn) => columnsFromInfo(await adapter.describeQuery(conn, sql), columnDialect()));
    },
    list_relations_without_caching: (...values: unknown[]) => {
      if (parse) return [];
      const r = relationArg(callArgs(values, ['schema_relation']).schema_relation, 'list_relations_without_caching');
      return ask('adapter.list_relations_without_caching()', `list:${r.database}.${r.schema}`, (conn) => withFunctions(conn, r.database, r.schema ?? ''));
    },
    list_relations: (...values: unknown[]) => {
      if (parse) return [];
      const a = callArgs(values, ['database', 'schema']);
      const database = (a.database as string | null) ?? null;
      return ask('adapter.list_relations()', `list:${database}.${String(a.schema)}`, (conn) => withFunctions(conn, database, String(a.schema ?? '')));
    },
    check_schema_exists: (...values: unknown[]) => {
      if (parse) return false;
      const a = callArgs(values, ['database', 'schema']);
      return ask('adapter.check_schema_exists()', `schema_exists:${String(a.database)}.${String(a.schema)}`, (conn) => adapter.schemaExists(conn, (a.database as string | null) ?? null, String(a.schema ?? '')));
    },
  };
}

/** Relations and schemas dropped, truncated, renamed, created. */
export function relationChanges(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, ask, execute, nodeId, existingType } = w;
  return {
    drop_relation: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'drop_relation');
      const id = nodeId();
      ask('adapter.drop_relation()', `drop:${r.render()}`, async (conn) => {
        const type = await existingType(conn, r);
        if (type) await execute(conn, adapter.sql.dropRelation(r, type), id);
        return null;
      });
      return '';
    },
    truncate_relation: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'truncate_relation');
      const id = nodeId();
      ask('adapter.truncate_relation()', `truncate:${r.render()}`, (conn) => execute(conn, adapter.sql.truncate(r), id).then(() => null));
      return '';
    },
    rename_relation: (...values: unknown[]) => {
      if (parse) return '';
      const a = callArgs(values, ['from_relation', 'to_relation']);
      const f = relationArg(a.from_relation, 'rename_relation');
      const t = relationArg(a.to_relation, 'rename_relation');
      const id = nodeId();
      ask('adapter.rename_relation()', `rename:${f.render()}->${t.render()}`, async (conn) => {
        const type = await existingType(conn, f);
        await execute(conn, adapter.sql.renameRelation(f.with({ type }), t.identifier), id);
        return null;
      });
      return '';
    },
    create_schema: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'create_schema');
      ask('adapter.create_schema()', `create_schema:${r.database}.${r.schema}`, (conn) => adapter.createSchemaIfMissing(conn, r.database, r.schema ?? '').then(() => null));
      return '';
    },
    drop_schema: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'drop_schema');
      const id = nodeId();
      ask('adapter.drop_schema()', `drop_schema:${r.database}.${r.schema}`, (conn) =>
        execute(conn, adapter.sql.dropSchema(r.database, r.schema ?? ''), id).then(() => {
          adapter.forgetSchema?.(r.database, r.schema ?? '');
          return null;
        }),
      );
      return '';
    },
  };
}

/** One relation's columns against another's: the missing ones, the ones to widen. */
export function columnComparisons(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, columnDialect, ask, execute, nodeId, columnsOf } = w;
  return {
    get_missing_columns: (...values: unknown[]) => {
      if (parse) return [];
      const a = callArgs(values, ['from_relation', 'to_relation']);
      const f = relationArg(a.from_relation, 'get_missing_columns');
      const t = relationArg(a.to_relation, 'get_missing_columns');
      return ask('adapter.get_missing_columns()', `missing:${f.render()}->${t.render()}`, async (conn) => {
        const [source, target] = [await columnsOf(conn, f), await columnsOf(conn, t)];
        const present = new Set(target.map((c) => c.name.toLowerCase()));
        return source.filter((c) => !present.has(c.name.toLowerCase()));
      });
    },
    /** dbt's `adapter.alter_column_type(relation, column_name, new_column_type)`. */
    alter_column_type: (...values: unknown[]) => {
      if (parse) return '';
      const a = callArgs(values, ['relation', 'column_name', 'new_column_type']);
      const r = relationArg(a.relation, 'alter_column_type');
      const id = nodeId();
      const [column, type] = [String(a.column_name), String(a.new_column_type)];
      ask('adapter.alter_column_type()', `alter:${r.render()}:${column}:${type}`, (conn) => execute(conn, adapter.sql.alterColumnType(r, column, type), id).then(() => null));
      return '';
    },
    /** dbt's `Column.string_type(size)` for the adapter's columns (expand_target_column_types widens to it). */
    tsdbt_string_type: (size: unknown) => ApiColumn.string_type(Number(size), columnDialect()),
  };
}
