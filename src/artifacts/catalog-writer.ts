// target/catalog.json in dbt's v1 shape: every built relation of the project (models, seeds,
// snapshots) and every source, with its columns, types, comments, the relation's comment and owner, and row count, read from the
// warehouse through the adapter's introspection (information_schema and pg_class on PostgreSQL,
// system.tables and system.columns on ClickHouse): one listing per schema, then the columns of
// each documented relation.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Adapter, ColumnInfo, RelationStats } from '../adapters/adapter.js';
import type { Relation, RelationDialect } from '../adapters/relation.js';
import { sourceStoredParts } from '../adapters/source-relation.js';
import type { Manifest } from '../manifest/types.js';
import { artifactMetadata } from './metadata.js';

export interface CatalogTable {
  metadata: { type: string; schema: string; name: string; database: string | null; comment: string | null; owner: string | null };
  columns: Record<string, { type: string; index: number; name: string; comment: string | null }>;
  stats: Record<string, { id: string; label: string; value: unknown; include: boolean; description: string }>;
  unique_id: string;
}

export interface Catalog {
  nodes: Record<string, CatalogTable>;
  sources: Record<string, CatalogTable>;
}

export interface Documented {
  id: string;
  kind: 'nodes' | 'sources';
  database: string | null;
  schema: string;
  identifier: string;
}

export function documentedRelations(manifest: Manifest, dialect: RelationDialect): Documented[] {
  const out: Documented[] = [];
  for (const node of Object.values(manifest.nodes)) {
    if (!['model', 'seed', 'snapshot'].includes(node.resource_type) || node.config.materialized === 'ephemeral') continue;
    out.push({ id: node.unique_id, kind: 'nodes', database: node.database, schema: node.schema, identifier: node.alias });
  }
  for (const source of Object.values(manifest.sources)) {
    // Matched under the names the warehouse stores (a part left bare by `quoting:` folded), as dbt's
    // catalog matches its rows case-insensitively.
    const { database, schema, identifier } = sourceStoredParts(source, dialect);
    out.push({ id: source.unique_id, kind: 'sources', database, schema, identifier });
  }
  return out;
}

/** dbt-core's `has_stats` entry (format_stats): whether the table has any included statistics. */
export function hasStatsEntry(value: boolean): CatalogTable['stats'][string] {
  return { id: 'has_stats', label: 'Has Stats?', value, include: false, description: 'Indicates whether there are statistics for this table' };
}

function table(id: string, relation: Relation, defaultDatabase: string, tableType: string, columns: ColumnInfo[], details: RelationStats | undefined, approximate: boolean): CatalogTable {
  const rows = details?.rows;
  const stats: CatalogTable['stats'] =
    rows === undefined
      ? { has_stats: hasStatsEntry(false) }
      : {
          row_count: { id: 'row_count', label: approximate ? 'Approximate Row Count' : 'Row Count', value: rows, include: true, description: approximate ? 'An estimate from the table statistics' : 'Rows in the table' },
          has_stats: hasStatsEntry(true),
        };
  return {
    metadata: { type: tableType, schema: relation.schema ?? '', name: relation.identifier, database: relation.database ?? defaultDatabase, comment: details?.comment ?? null, owner: details?.owner ?? null },
    columns: Object.fromEntries(columns.map((c) => [c.name, { type: c.dataType, index: c.position, name: c.name, comment: c.comment ?? null }])),
    stats,
    unique_id: id,
  };
}

/**
 * The catalog of the manifest's relations: per schema, its relations, row counts and every
 * relation's columns in one query each (dbt's get_catalog reads schemas, not relations).
 * `onSchema` is told before each schema is read; `only`: just these nodes and sources (`docs generate --select`).
 */
export async function readCatalog(adapter: Adapter, manifest: Manifest, onSchema?: (schema: string, index: number, count: number) => void, only?: ReadonlySet<string>): Promise<Catalog> {
  const catalog: Catalog = { nodes: {}, sources: {} };
  const bySchema = new Map<string, Documented[]>();
  for (const d of documentedRelations(manifest, adapter.sql)) {
    if (only && !only.has(d.id)) continue;
    const key = `${d.database ?? ''}\u0000${d.schema}`;
    bySchema.set(key, [...(bySchema.get(key) ?? []), d]);
  }
  await adapter.withConnection(async (conn) => {
    let index = 0;
    for (const entries of bySchema.values()) {
      const { database, schema } = entries[0] as Documented;
      onSchema?.(schema, index++, bySchema.size);
      if (!(await adapter.schemaExists(conn, database, schema))) continue;
      const relations = new Map((await adapter.listRelations(conn, database, schema)).map((r) => [r.identifier.toLowerCase(), r]));
      const { relations: stats, approximate } = await adapter.catalogStats(conn, database, schema);
      const columns = await adapter.getSchemaColumns(conn, database, schema);
      for (const entry of entries) {
        const relation = relations.get(entry.identifier.toLowerCase());
        if (!relation) continue;
        catalog[entry.kind][entry.id] = table(entry.id, relation, adapter.defaultDatabase, adapter.rules.catalogTableType(relation.type), columns.get(relation.identifier) ?? [], stats.get(relation.identifier), approximate);
      }
    }
  });
  return catalog;
}

export async function writeCatalog(catalog: Catalog, input: { targetDir: string; invocationId: string; generatedAt: Date; env: NodeJS.ProcessEnv; startedAt?: Date }): Promise<void> {
  const json = {
    metadata: artifactMetadata({ kind: 'catalog', schemaVersion: 1, invocationId: input.invocationId, generatedAt: input.generatedAt, env: input.env, invocationStartedAt: input.startedAt }),
    nodes: catalog.nodes,
    sources: catalog.sources,
    errors: null,
  };
  await mkdir(input.targetDir, { recursive: true });
  await writeFile(path.join(input.targetDir, 'catalog.json'), JSON.stringify(json)); // one line, as dbt writes every artifact (write_json: json.dump, no indent)
}
