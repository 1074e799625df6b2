// Source tables declared in property files -> manifest sources (`source.<pkg>.<source>.<table>`).
import type { Relation } from '../adapters/relation.js';
import type { SourceTable, ColumnDef } from '../manifest/types.js';

export interface SourceInput {
  name: string;
  description?: string;
  database?: string | null;
  schema?: string | null;
  loader?: string;
  loaded_at_field?: string | null;
  loaded_at_query?: string | null;
  freshness?: Record<string, unknown> | null;
  quoting?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  tags?: string[];
  config?: Record<string, unknown>;
  location: { file: string; line?: number };
  tables: SourceTableInput[];
}

export interface SourceTableInput {
  name: string;
  identifier?: string | null;
  description?: string;
  columns?: { name: string; description?: string; data_type?: string | null; meta?: Record<string, unknown>; tags?: string[]; quote?: boolean | null }[];
  loaded_at_field?: string | null;
  loaded_at_query?: string | null;
  freshness?: Record<string, unknown> | null;
  quoting?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  tags?: string[];
  config?: Record<string, unknown>;
  location: { file: string; line?: number };
}

/**
 * The first value defined, most specific first: the table's `config:` (dbt 1.10), the table, the
 * source's `config:`, the source. An explicit null (e.g. `freshness: null` on a table) stops there.
 */
function layered<T>(key: string, table: SourceTableInput, source: SourceInput): T | null {
  for (const layer of [table.config, table, source.config, source] as (Record<string, unknown> | undefined)[]) {
    if (layer && layer[key] !== undefined) return layer[key] as T | null;
  }
  return null;
}

export function parseSourceTables(
  source: SourceInput,
  packageName: string,
  defaults: { database: string },
  relation: (parts: { database: string | null; schema: string; identifier: string }) => Relation,
): SourceTable[] {
  return source.tables.map((table) => {
    const database = source.database ?? defaults.database;
    const schema = source.schema ?? source.name;
    const identifier = table.identifier ?? table.name;
    const columns: Record<string, ColumnDef> = {};
    for (const c of table.columns ?? []) {
      columns[c.name] = { name: c.name, description: c.description ?? '', data_type: c.data_type ?? null, meta: c.meta ?? {}, tags: c.tags ?? [], quote: c.quote ?? null };
    }
    const freshness = layered<Record<string, unknown>>('freshness', table, source);
    return {
      unique_id: `source.${packageName}.${source.name}.${table.name}`,
      resource_type: 'source',
      package_name: packageName,
      source_name: source.name,
      name: table.name,
      identifier,
      database,
      schema,
      relation_name: relation({ database, schema, identifier }).render(),
      fqn: [packageName, ...source.location.file.split('/').slice(1, -1), source.name, table.name],
      path: source.location.file,
      original_file_path: source.location.file,
      line: table.location.line ?? 1,
      description: table.description ?? '',
      source_description: source.description ?? '',
      loader: source.loader ?? '',
      loaded_at_field: layered<string>('loaded_at_field', table, source),
      loaded_at_query: layered<string>('loaded_at_query', table, source),
      freshness,
      columns,
      meta: table.meta ?? {},
      source_meta: source.meta ?? {},
      tags: [...new Set([...(source.tags ?? []), ...(table.tags ?? [])])],
      config: { ...(source.config ?? {}), ...(table.config ?? {}), enabled: (table.config?.enabled ?? source.config?.enabled) !== false },
      quoting: { ...(source.quoting ?? {}), ...(table.quoting ?? {}) },
    };
  });
}
