// `docs generate`'s catalog through a project's or package's `get_catalog_relations` or
// `get_catalog`, as dbt's adapter.get_filtered_catalog runs them by name (`execute_macro`): when
// docs generate compiled and at most 100 relations are selected (MAX_SCHEMA_METADATA_RELATIONS) on
// an adapter that reads metadata by relation (dbt-postgres), `get_catalog_relations(information_schema,
// relations)` per database; else `get_catalog(information_schema, schemas)`, `schemas` the
// lower-cased schema names. The agate table it returns is kept to the manifest's schemas (dbt's
// _catalog_filter_table) and, with relations, to those relations, then read as dbt-core's Catalog
// reads rows: `table_*` the relation's metadata, `column_*` one column, `stats:<id>:<field>` its
// stats; a row matches a node or source by database, schema and name, ignoring case. When nothing
// replaces dbt's macros (the usual case), catalog-writer.ts reads the warehouse directly and no
// template renders.
import type { Adapter, Connection } from '../adapters/adapter.js';
import type { Relation } from '../adapters/relation.js';
import { documentedRelations, hasStatsEntry, type Catalog, type CatalogTable, type Documented } from '../artifacts/catalog-writer.js';
import type { Compiler } from '../compile/compiler.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { defaultConfig, nodeSkeleton } from '../graph/node-factory.js';
import { AgateTable } from '../jinja/pylib/agate/index.js';
import type { Manifest, ManifestNode } from '../manifest/types.js';

export type CatalogMacroName = 'get_catalog_relations' | 'get_catalog';

/** dbt-adapters' BaseAdapter.MAX_SCHEMA_METADATA_RELATIONS. */
const MAX_SCHEMA_METADATA_RELATIONS = 100;

/**
 * The macro dbt's get_filtered_catalog runs: by relation when the command compiled (dbt passes the
 * selected nodes' relations only then), the adapter reads metadata by relation, and `relationCount`
 * is at most 100.
 */
export function catalogMacroName(options: { compiled: boolean; relationCount: number; byRelations: boolean }): CatalogMacroName {
  return options.compiled && options.byRelations && options.relationCount <= MAX_SCHEMA_METADATA_RELATIONS ? 'get_catalog_relations' : 'get_catalog';
}

/** The operation the macro renders in: the root project's, with the target's schema (dbt's macro context has no model). */
function catalogNode(rootProject: string, database: string | null, schema: string): ManifestNode {
  const node = nodeSkeleton({ resourceType: 'operation', packageName: rootProject, name: 'generate_catalog', originalFilePath: 'dbt_project.yml', pathInResourceDir: 'dbt_project.yml', rawCode: '', config: defaultConfig('operation') });
  node.database = database;
  node.schema = schema;
  return node;
}

const lower = (s: string | null | undefined): string => (s ?? '').toLowerCase();
const keyOf = (database: string | null | undefined, schema: string | null | undefined, name: string | null | undefined): string => `${lower(database)}\u0000${lower(schema)}\u0000${lower(name)}`;

function text(value: unknown): string | null {
  return value === null || value === undefined ? null : String(value);
}

/** dbt-core's format_stats: the `stats:<id>:` fields of a row, the included ones, and has_stats. */
function statsOf(row: Record<string, unknown>): CatalogTable['stats'] {
  const stats: CatalogTable['stats'] = {};
  const ids = new Set(Object.keys(row).filter((k) => k.startsWith('stats:')).map((k) => k.slice('stats:'.length).split(':')[0] ?? ''));
  for (const id of ids) {
    const field = (name: string) => row[`stats:${id}:${name}`];
    const include = field('include');
    if (typeof field('label') !== 'string' || typeof field('description') !== 'string' || typeof include !== 'boolean') continue;
    if (include) stats[id] = { id, label: field('label') as string, value: field('value') ?? null, include, description: field('description') as string };
  }
  stats.has_stats = hasStatsEntry(Object.keys(stats).length > 0);
  return stats;
}

function resultTable(result: unknown, macro: CatalogMacroName): AgateTable {
  if (result instanceof AgateTable) return result;
  const table: unknown = result !== null && typeof result === 'object' && 'table' in result ? result.table : null;
  if (table instanceof AgateTable) return table;
  throw new TsdbtError(`"${macro}" returned ${result === null || result === undefined ? 'None' : typeof result}, not an agate table`, {
    code: 'catalog-macro-result',
    hint: `return load_result('catalog').table of a statement selecting table_database, table_schema, table_name, table_type, column_name, column_index, column_type (as the adapter's own ${macro} does)`,
  });
}

/** The catalog entries of the macro's rows, for the documented relations (dbt's Catalog.to_dict). */
export function catalogFromRows(table: AgateTable, documented: readonly Documented[], keep: (key: string) => boolean, macro: CatalogMacroName): Catalog {
  const tables = new Map<string, CatalogTable>();
  const names = table.column_names;
  for (const r of table.rows) {
    const values = r.values();
    const row: Record<string, unknown> = Object.fromEntries(names.map((n, i) => [n, values[i] ?? null]));
    for (const required of ['table_schema', 'table_name']) {
      if (!(required in row)) throw new TsdbtError(`Catalog information missing required key '${required}' (got ${names.join(', ')})`, { code: 'catalog-macro-result', hint: `select ${required} in ${macro}` });
    }
    const key = keyOf(text(row.table_database), text(row.table_schema), text(row.table_name));
    if (!keep(key)) continue;
    let entry = tables.get(key);
    if (!entry) {
      entry = {
        metadata: { type: text(row.table_type) ?? '', schema: text(row.table_schema) ?? '', name: text(row.table_name) ?? '', database: text(row.table_database), comment: text(row.table_comment), owner: text(row.table_owner) },
        columns: {},
        stats: statsOf(row),
        unique_id: '',
      };
      tables.set(key, entry);
    }
    const name = text(row.column_name);
    if (name === null) continue;
    entry.columns[name] = { type: text(row.column_type) ?? '', index: Math.trunc(Number(row.column_index)), name, comment: text(row.column_comment) };
  }
  const catalog: Catalog = { nodes: {}, sources: {} };
  for (const d of documented) {
    const found = tables.get(keyOf(d.database, d.schema, d.identifier));
    if (found) catalog[d.kind][d.id] = Object.assign({}, found, { unique_id: d.id });
  }
  return catalog;
}

export interface CatalogMacroInput {
  compiler: Compiler;
  adapter: Adapter;
  manifest: Manifest;
  rootProject: string;
  macro: CatalogMacroName;
  /** `docs generate --select`: just these nodes and sources. */
  only?: ReadonlySet<string>;
}

/** Runs the replaced catalog macro once per database of the documented relations and reads its rows. */
export async function catalogFromMacro(input: CatalogMacroInput): Promise<Catalog> {
  const { compiler, adapter, manifest, macro } = input;
  const all = documentedRelations(manifest, adapter.sql);
  const documented = all.filter((d) => !input.only || input.only.has(d.id));
  // dbt's used schemas: every relational node's and source's, selected or not.
  const usedSchemas = new Set(all.map((d) => `${lower(d.database)}\u0000${lower(d.schema)}`));
  const keep = (key: string) => usedSchemas.has(key.slice(0, key.lastIndexOf('\u0000')));
  const byDatabase = new Map<string, Documented[]>();
  for (const d of documented) byDatabase.set(d.database ?? '', [...(byDatabase.get(d.database ?? '') ?? []), d]);
  const merged: Catalog = { nodes: {}, sources: {} };
  await adapter.withConnection(async (conn: Connection) => {
    for (const entries of byDatabase.values()) {
      const first = entries[0] as Documented;
      const relations: Relation[] = entries.map((d) => adapter.relation({ database: d.database, schema: d.schema, identifier: d.identifier }));
      const informationSchema = adapter.relation({ database: first.database, schema: first.schema, identifier: first.identifier }).information_schema();
      // get_catalog's schemas: dbt's SchemaSearchMap, lower-cased schema names (to their relations).
      const schemas = Object.fromEntries(entries.map((d) => [d.schema.toLowerCase(), adapter.relation({ database: d.database, schema: d.schema, identifier: '' })]));
      const kwargs = macro === 'get_catalog_relations' ? { information_schema: informationSchema, relations } : { information_schema: informationSchema, schemas };
      const node = catalogNode(input.rootProject, first.database, first.schema);
      const result = await compiler.callMacro(conn, node, macro, [], { kwargs, thisRelation: null });
      const part = catalogFromRows(resultTable(result, macro), entries, keep, macro);
      Object.assign(merged.nodes, part.nodes);
      Object.assign(merged.sources, part.sources);
    }
  });
  return merged;
}

/** How many relations dbt's docs generate hands get_filtered_catalog: the selected nodes its compile queued (not unit tests) and the selected sources. */
export function selectedRelationCount(manifest: Manifest, only?: ReadonlySet<string>): number {
  const nodes = Object.values(manifest.nodes).filter((n) => n.resource_type !== 'unit_test' && (!only || only.has(n.unique_id))).length;
  const sources = Object.keys(manifest.sources).filter((id) => !only || only.has(id)).length;
  return nodes + sources;
}
