// Reads PostgreSQL's catalog (pg_class, pg_attribute): which relations exist and of what kind, and
// their columns, for both connection kinds. Names are matched exactly (tsdbt quotes identifiers);
// a null schema means "as the search_path finds it". Every query goes through Connection.execute.
import type { ColumnInfo, Connection } from '../adapter.js';
import type { RelationParts, RelationType } from '../relation.js';
import { quoteIdentifier, quoteString } from './postgres-sql.js';

/** pg_class.relkind values tsdbt treats as relations, and their RelationType. */
const KINDS: Record<string, RelationType> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized_view',
  f: 'external',
};

/** The relkinds above as an SQL list: `c.relkind in (${KIND_LIST})`. */
export const KIND_LIST = Object.keys(KINDS)
  .map((k) => `'${k}'`)
  .join(', ');

/** Each RelationType with its pg_class.relkind values. */
export const RELKINDS_BY_TYPE: readonly (readonly [RelationType, readonly string[]])[] = [...new Set(Object.values(KINDS))].map(
  (type) => [type, Object.keys(KINDS).filter((k) => KINDS[k] === type)] as const,
);

/** The RelationType of a pg_class.relkind, or null for indexes, sequences and the like. */
export function relationTypeOf(relkind: unknown): RelationType | null {
  return typeof relkind === 'string' ? (KINDS[relkind] ?? null) : null;
}

/** `to_regclass('"schema"."name"')`: the relation's oid, found exactly as SQL would find it. */
export function regclassSql(schema: string | null | undefined, identifier: string): string {
  const name = schema ? `${quoteIdentifier(schema)}.${quoteIdentifier(identifier)}` : quoteIdentifier(identifier);
  return `to_regclass(${quoteString(name)})`;
}

/** One relation found in the catalog. */
export interface CatalogRelation {
  oid: number;
  schema: string;
  identifier: string;
  type: RelationType;
}

/** Looks a relation up (tables, views, materialized views, foreign tables only). */
export async function findRelation(conn: Connection, parts: RelationParts): Promise<CatalogRelation | null> {
  const result = await conn.execute(
    [
      'select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind',
      'from pg_catalog.pg_class c',
      'join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
      `where c.oid = ${regclassSql(parts.schema, parts.identifier)} and c.relkind in (${KIND_LIST})`,
    ].join('\n'),
  );
  const row = result.rows[0];
  const type = relationTypeOf(row?.relkind);
  if (!row || !type) return null;
  return { oid: Number(row.oid), schema: String(row.schema_name), identifier: String(row.relation_name), type };
}

/** Every relation in a schema, ordered by name. */
export async function listSchemaRelations(conn: Connection, schema: string): Promise<CatalogRelation[]> {
  const result = await conn.execute(
    [
      'select c.oid as oid, n.nspname as schema_name, c.relname as relation_name, c.relkind::text as relkind',
      'from pg_catalog.pg_class c',
      'join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
      `where n.nspname = ${quoteString(schema)} and c.relkind in (${KIND_LIST})`,
      'order by c.relname',
    ].join('\n'),
  );
  const out: CatalogRelation[] = [];
  for (const row of result.rows) {
    const type = relationTypeOf(row.relkind);
    if (type) out.push({ oid: Number(row.oid), schema: String(row.schema_name), identifier: String(row.relation_name), type });
  }
  return out;
}

/** The names of a schema's functions (dbt-postgres's list_relations_without_caching: pg_proc), each once, ordered. */
export async function listSchemaFunctions(conn: Connection, schema: string): Promise<string[]> {
  const result = await conn.execute(
    [
      'select distinct p.proname as name',
      'from pg_catalog.pg_proc p',
      'join pg_catalog.pg_namespace n on n.oid = p.pronamespace',
      `where n.nspname = ${quoteString(schema)}`,
      'order by 1',
    ].join('\n'),
  );
  return result.rows.map((row) => String(row.name));
}

const columnFields = (dataType: string): string[] => [
  'a.attname as column_name,',
  `       ${dataType} as data_type,`,
  '       not a.attnotnull as is_nullable,',
  '       pg_catalog.col_description(a.attrelid, a.attnum) as column_comment',
];

/** A column's declared type, as dbt-postgres's catalog (`format_type`) names it: a domain by its own name. */
const COLUMN_FIELDS = columnFields('pg_catalog.format_type(a.atttypid, a.atttypmod)');

/**
 * A column's type with domains resolved to the type under them (and the innermost domain's
 * typmod), as PostgreSQL's RowDescription reports a domain column (`getBaseTypeAndTypmod`), which
 * is what dbt-postgres's get_column_schema_from_query reads, and as information_schema.columns'
 * data_type gives it to get_columns_in_relation. `domain` (below) is the deepest domain under the
 * column's type; no row when that type is not a domain.
 */
const BASE_TYPE_FIELDS = columnFields(
  'pg_catalog.format_type(coalesce(base_domain.typid, a.atttypid), case when base_domain.typid is null then a.atttypmod else base_domain.typmod end)',
);
const BASE_TYPE_JOIN = [
  'left join lateral (',
  '  with recursive chain(typid, typmod, depth) as (',
  "    select t.typbasetype, t.typtypmod, 1 from pg_catalog.pg_type t where t.oid = a.atttypid and t.typtype = 'd'",
  '    union all',
  '    select t.typbasetype, t.typtypmod, chain.depth + 1 from chain join pg_catalog.pg_type t on t.oid = chain.typid',
  "    where t.typtype = 'd'",
  '  )',
  '  select typid, typmod from chain order by depth desc limit 1',
  ') base_domain on true',
];

/**
 * The numeric_precision and numeric_scale information_schema.columns gives the fixed-width numeric
 * types, which dbt-postgres's get_columns_in_relation reads into its columns (`format_type` names
 * them only); a sized type's (`numeric(10,2)`, `character varying(20)`) are split from its name.
 */
export function withNumericPrecision(column: ColumnInfo): ColumnInfo {
  const fixed = FIXED_PRECISION[column.dataType];
  return fixed ? { ...column, numericPrecision: fixed[0], numericScale: fixed[1] } : column;
}

const FIXED_PRECISION: Readonly<Record<string, readonly [number, number | null]>> = {
  smallint: [16, 0],
  integer: [32, 0],
  bigint: [64, 0],
  real: [24, null],
  'double precision': [53, null],
};

const columnInfo = (row: Record<string, unknown>, position: number): ColumnInfo => ({
  name: String(row.column_name),
  dataType: String(row.data_type),
  position,
  nullable: row.is_nullable === true,
  comment: row.column_comment === null || row.column_comment === undefined ? null : String(row.column_comment),
});

/** A relation's columns in order, with `format_type` names (a domain by the type under it); [] when it does not exist. */
export async function listColumns(conn: Connection, schema: string | null, identifier: string): Promise<ColumnInfo[]> {
  const result = await conn.execute(
    [
      `select ${BASE_TYPE_FIELDS.join('\n')}`,
      'from pg_catalog.pg_attribute a',
      ...BASE_TYPE_JOIN,
      `where a.attrelid = ${regclassSql(schema, identifier)} and a.attnum > 0 and not a.attisdropped`,
      'order by a.attnum',
    ].join('\n'),
  );
  return result.rows.map((row, i) => columnInfo(row, i + 1));
}

/** The columns of every relation in a schema, by relation name, each in order. */
export async function listSchemaColumns(conn: Connection, schema: string): Promise<Map<string, ColumnInfo[]>> {
  const result = await conn.execute(
    [
      `select c.relname as relation_name, ${COLUMN_FIELDS.join('\n')}`,
      'from pg_catalog.pg_attribute a',
      'join pg_catalog.pg_class c on c.oid = a.attrelid',
      'join pg_catalog.pg_namespace n on n.oid = c.relnamespace',
      `where n.nspname = ${quoteString(schema)} and c.relkind in (${KIND_LIST}) and a.attnum > 0 and not a.attisdropped`,
      'order by c.relname, a.attnum',
    ].join('\n'),
  );
  const out = new Map<string, ColumnInfo[]>();
  for (const row of result.rows) {
    const name = String(row.relation_name);
    const columns = out.get(name) ?? [];
    if (columns.length === 0) out.set(name, columns);
    columns.push(columnInfo(row, columns.length + 1));
  }
  return out;
}

/** True when the schema exists. */
export async function schemaExists(conn: Connection, schema: string): Promise<boolean> {
  const result = await conn.execute(
    `select 1 as found from pg_catalog.pg_namespace where nspname = ${quoteString(schema)}`,
  );
  return result.rows.length > 0;
}

/**
 * True when a unique index (or constraint) covers exactly `keys`, with no predicate or expression,
 * so `insert ... on conflict (keys)` can use it.
 */
export async function hasUniqueIndexOn(conn: Connection, schema: string | null, identifier: string, keys: string[]): Promise<boolean> {
  if (keys.length === 0) return false;
  const result = await conn.execute(
    [
      'select array_agg(a.attname::text order by a.attname) as columns',
      'from pg_catalog.pg_index i',
      'join pg_catalog.pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)',
      `where i.indrelid = ${regclassSql(schema, identifier)} and i.indisunique and i.indisvalid and i.indimmediate`,
      '  and i.indpred is null and i.indexprs is null',
      'group by i.indexrelid',
    ].join('\n'),
  );
  const wanted = [...keys].sort().join('\u0000');
  return result.rows.some((row) => {
    const columns = Array.isArray(row.columns) ? row.columns.map(String) : String(row.columns ?? '').replace(/^\{|\}$/g, '').split(',');
    return [...columns].sort().join('\u0000') === wanted;
  });
}
