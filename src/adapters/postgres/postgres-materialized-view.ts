// dbt-postgres's materialized view macros as builders: create, refresh, the indexes query
// (`postgres__get_show_indexes_sql`) and the configuration changes (`postgres__get_materialized_view_
// configuration_changes`: indexes only, compared as dbt-postgres's PostgresIndexConfig compares them,
// by the set of columns, uniqueness and method, never by name). Pure functions of their inputs.
import { parsePostgresIndex } from './postgres-index-config.js';
import type { IndexChanges, MaterializedViewBuilders } from '../adapter.js';
import type { Relation } from '../relation.js';

/** An index as dbt-postgres compares them. */
interface IndexShape {
  columns: string[];
  unique: boolean;
  method: string;
}

function key(index: IndexShape): string {
  return JSON.stringify([[...new Set(index.columns)].sort(), index.unique, index.method]);
}

/** A config entry of `indexes` (`columns`, `unique`, `type`; method btree unless given). */
function configShape(entry: unknown): IndexShape {
  const index = parsePostgresIndex(entry);
  return { columns: index.columns, unique: index.unique, method: index.type !== null ? index.type.toLowerCase() : 'btree' };
}

/** The config's entries with their shapes, each checked as dbt-postgres checks it (a malformed one fails the node). */
function configIndexes(config: Record<string, unknown>): { entry: Record<string, unknown>; key: string }[] {
  const entries = Array.isArray(config.indexes) ? (config.indexes as unknown[]) : [];
  return entries.map((entry) => ({ entry: entry as Record<string, unknown>, key: key(configShape(entry)) }));
}

/** The builders over the dialect's quoting (postgres-sql.ts passes its own, so this file imports none of it). */
export function postgresMaterializedViews(quote: { quoteIdentifier(name: string): string; quoteString(value: string): string }): MaterializedViewBuilders {
  const quoteIdentifier = (name: string) => quote.quoteIdentifier(name);
  const quoteString = (value: string) => quote.quoteString(value);
  return {
    create(relation: Relation, selectSql: string): string {
      return `create materialized view ${relation.render()} as (\n${selectSql.trim()}\n)`;
    },

    refresh(relation: Relation): string {
      return `refresh materialized view ${relation.render()}`;
    },

    indexesQuery(relation: Relation): string {
      return [
        'select i.relname as name, m.amname as method, ix.indisunique as "unique",',
        '       array_to_string(array_agg(a.attname order by a.attnum), \',\') as column_names',
        'from pg_catalog.pg_index ix',
        'join pg_catalog.pg_class i on i.oid = ix.indexrelid',
        'join pg_catalog.pg_am m on m.oid = i.relam',
        'join pg_catalog.pg_class t on t.oid = ix.indrelid',
        'join pg_catalog.pg_namespace n on n.oid = t.relnamespace',
        'join pg_catalog.pg_attribute a on a.attrelid = t.oid and a.attnum = any(ix.indkey)',
        `where t.relname = ${quoteString(relation.identifier)} and n.nspname = ${quoteString(relation.schema ?? '')} and t.relkind in ('r', 'm')`,
        'group by 1, 2, 3',
        'order by 1, 2, 3',
      ].join('\n');
    },

    indexChanges(relation: Relation, existing: Record<string, unknown>[], config: Record<string, unknown>): IndexChanges | null {
      const wanted = configIndexes(config);
      const wantedKeys = new Set(wanted.map((w) => w.key));
      const have = existing.map((row) => ({
        name: String(row.name),
        shape: { columns: String(row.column_names ?? '').split(','), unique: row.unique === true, method: String(row.method) },
      }));
      const haveKeys = new Set(have.map((h) => key(h.shape)));
      const drop = have
        .filter((h) => !wantedKeys.has(key(h.shape)))
        .map((h) => `drop index if exists ${quoteIdentifier(relation.schema ?? '')}.${quoteIdentifier(h.name)}`);
      const seen = new Set<string>();
      const create = wanted
        .filter(({ key: k }) => {
          if (haveKeys.has(k) || seen.has(k)) return false;
          seen.add(k);
          return true;
        })
        .map((w) => w.entry);
      return drop.length === 0 && create.length === 0 ? null : { drop, create };
    },
  };
}
