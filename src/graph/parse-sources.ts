// Source tables declared in property files -> manifest sources (`source.<pkg>.<source>.<table>`).
import { sourceRelationParts, type Relation, type RelationDialect } from '../adapters/relation.js';
import { quotePolicyOf } from '../adapters/source-relation.js';
import type { SourceTable, ColumnDef } from '../manifest/types.js';
import { sourceTableConfigs } from './source-config.js';
import { isPlainObject } from '../config/yaml-file.js';

export interface SourceInput {
  name: string;
  description?: string;
  database?: string | null;
  schema?: string | null;
  /** `database:` / `schema:` as written, before their Jinja rendered. */
  unrendered_database?: string | null;
  unrendered_schema?: string | null;
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
  columns?: { name: string; description?: string; data_type?: string | null; meta?: Record<string, unknown>; tags?: string[]; quote?: boolean | null; config?: { meta: Record<string, unknown>; tags: string[] } }[];
  loaded_at_field?: string | null;
  loaded_at_query?: string | null;
  freshness?: Record<string, unknown> | null;
  quoting?: Record<string, unknown>;
  meta?: Record<string, unknown>;
  tags?: string[];
  config?: Record<string, unknown>;
  /** `external:` as written (dbt-external-tables). */
  external?: unknown;
  location: { file: string; line?: number };
}

export function parseSourceTables(
  source: SourceInput,
  packageName: string,
  defaults: { database: string; dialect?: Pick<RelationDialect, 'sourceSchema'> },
  relation: (parts: { database: string | null; schema: string; identifier: string }) => Relation,
  projectTree?: Record<string, unknown>,
  unrenderedTree?: Record<string, unknown>,
): SourceTable[] {
  return source.tables.map((table) => {
    const database = source.database ?? defaults.database;
    const schema = source.schema ?? source.name;
    const identifier = table.identifier ?? table.name;
    const quoting = { ...(source.quoting ?? {}), ...(table.quoting ?? {}) };
    const columns: Record<string, ColumnDef> = {};
    for (const c of table.columns ?? []) {
      columns[c.name] = { name: c.name, description: c.description ?? '', data_type: c.data_type ?? null, meta: c.meta ?? {}, tags: c.tags ?? [], quote: c.quote ?? null, config: c.config ?? { meta: c.meta ?? {}, tags: c.tags ?? [] } };
    }
    const fqn = [packageName, ...source.location.file.split('/').slice(1, -1), source.name, table.name];
    const { config, unrendered } = sourceTableConfigs(projectTree, unrenderedTree, fqn, source, table);
    return {
      unique_id: `source.${packageName}.${source.name}.${table.name}`,
      resource_type: 'source',
      package_name: packageName,
      source_name: source.name,
      name: table.name,
      identifier,
      database,
      schema,
      unrendered_database: source.unrendered_database ?? null,
      unrendered_schema: source.unrendered_schema ?? null,
      // dbt's SourcePatcher._get_relation_name: create_from(root_project, source), so the project's
      // `quoting:` (which `relation` carries) and then the source's own reach relation_name, though
      // not the relation source() returns (sourceRelation).
      relation_name: relation(sourceRelationParts({ database, schema, identifier, source_name: source.name }, defaults.dialect)).quote(quotePolicyOf(quoting)).render(),
      fqn,
      path: source.location.file,
      original_file_path: source.location.file,
      line: table.location.line ?? 1,
      description: table.description ?? '',
      source_description: source.description ?? '',
      loader: source.loader ?? '',
      loaded_at_field: config.loaded_at_field as string | null,
      loaded_at_query: config.loaded_at_query as string | null,
      freshness: config.freshness as Record<string, unknown> | null,
      columns,
      meta: config.meta as Record<string, unknown>,
      // dbt: the source's meta and its config's, before the table's are merged in.
      source_meta: { ...(source.meta ?? {}), ...((source.config?.meta as Record<string, unknown> | undefined) ?? {}) },
      tags: config.tags as string[],
      config: config as SourceTable['config'],
      unrendered_config: unrendered,
      quoting,
      external: externalTable(table.external),
    };
  });
}

/**
 * A table's `external:` as dbt's ExternalTable holds it: location, file_format, row_format,
 * tbl_properties and partitions (each an ExternalPartition: name, description, data_type, meta,
 * or a plain name), null where unset, then any other key as written (dbt allows them: packages
 * such as dbt-external-tables read their own). Null without an `external:` mapping.
 */
export function externalTable(written: unknown): Record<string, unknown> | null {
  if (!isPlainObject(written)) return null;
  const given = written;
  const partition = (p: unknown) => (isPlainObject(p) ? { name: '', description: '', data_type: '', meta: {}, ...p } : p);
  return {
    location: given.location ?? null,
    file_format: given.file_format ?? null,
    row_format: given.row_format ?? null,
    tbl_properties: given.tbl_properties ?? null,
    ...given,
    partitions: Array.isArray(given.partitions) ? given.partitions.map(partition) : (given.partitions ?? null),
  };
}
