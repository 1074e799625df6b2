// PostgreSQL's SQL builders (shared by the server and PGlite): pure functions of their inputs, in
// dbt-postgres's spelling, so golden tests can pin them. Materializations compose these; dropping
// and renaming around `createView` is the materialization's job, not the builder's.
import type { ContractColumn, FixtureValue, LoadColumn, LogicalType, SqlBuilders, TableConstraint } from '../adapter.js';
import { Relation, type RelationType } from '../relation.js';

/** `"name"`, with embedded double quotes doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'text'`, with embedded single quotes doubled (standard_conforming_strings is on by default). */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** dbt-postgres's seed types (agate types -> `integer`, `float8`, `text`...). */
const LOGICAL_TYPES: Record<LogicalType, string> = {
  integer: 'integer',
  bigint: 'bigint',
  float: 'float8',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp without time zone',
  text: 'text',
};

/** An 8-hex-digit FNV-1a hash, for generated object names. */
function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h.toString(16).padStart(8, '0');
}

/** PostgreSQL's bare identifier (scan.l): a letter or `_`, then letters, digits, `_` and `$` (non-ASCII letters included). */
const BARE_IDENTIFIER = /^[\p{L}_][\p{L}\p{M}\p{N}_$]*$/u;
/** NAMEDATALEN - 1: PostgreSQL cuts longer names (in bytes) short, silently. */
const MAX_IDENTIFIER_BYTES = 63;

/** A bare identifier's name: PostgreSQL folds ASCII letters to lower case (downcase_identifier). */
export function bareIdentifierName(name: string): string | null {
  return BARE_IDENTIFIER.test(name) ? name.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : null;
}

export function columnNameProblem(name: string): string | null {
  if (name.includes('\u0000')) return 'contains a NUL character, which PostgreSQL names cannot hold';
  const bytes = Buffer.byteLength(name, 'utf8');
  if (bytes > MAX_IDENTIFIER_BYTES) return `is ${bytes} bytes long: PostgreSQL keeps only the first ${MAX_IDENTIFIER_BYTES} bytes of a name`;
  return null;
}

/** The keyword naming a relation type in DROP / ALTER statements. */
function objectKeyword(type: RelationType | null | undefined): string {
  switch (type) {
    case 'view':
      return 'view';
    case 'materialized_view':
      return 'materialized view';
    case 'external':
      return 'foreign table';
    default:
      return 'table';
  }
}

function tablePrefix(config: Record<string, unknown>): string {
  return config.unlogged === true || config.unlogged === 'true' ? 'create unlogged table' : 'create table';
}

/** The `COPY` statement tsdbt uses for bulk loads: CSV, NULL as an unquoted empty field. */
export function copyCsvSql(relation: Relation, columns: readonly { name: string }[], source: 'stdin' | 'blob'): string {
  const from = source === 'stdin' ? 'stdin' : `'/dev/blob'`;
  const cols = columns.map((c) => quoteIdentifier(c.name)).join(', ');
  return `copy ${relation.render()} (${cols}) from ${from} with (format csv)`;
}

/** PostgreSQL's SqlBuilders. */
export const postgresSql: SqlBuilders = {
  sqlParserDialect: 'PostgresQL',
  quoteIdentifier,
  quoteString,
  defaultQuotePolicy: { database: true, schema: true, identifier: true },
  defaultIncludePolicy: { database: true, schema: true, identifier: true },
  dispatchPrefixes: ['postgres', 'default'],

  createView(relation, selectSql) {
    return `create view ${relation.render()} as (\n${selectSql.trim()}\n)`;
  },

  createTableAs(relation, selectSql, config, options = {}) {
    // A temporary table lives in the session's own schema: its name takes no database or schema.
    if (options.temporary) return `create temporary table ${relation.include({ database: false, schema: false }).render()} as (\n${selectSql.trim()}\n)`;
    return `${tablePrefix(config)} ${relation.render()} as (\n${selectSql.trim()}\n)`;
  },

  createTable(relation, columns: LoadColumn[], config) {
    const body = columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`).join(',\n');
    return `${tablePrefix(config)} ${relation.render()} (\n${body}\n)`;
  },

  dropRelation(relation, type) {
    return `drop ${objectKeyword(type)} if exists ${relation.render()} cascade`;
  },

  renameRelation(from, toIdentifier) {
    return `alter ${objectKeyword(from.type)} ${from.render()} rename to ${quoteIdentifier(toIdentifier)}`;
  },

  dropSchema(_database, schema) {
    return `drop schema if exists ${quoteIdentifier(schema)} cascade`;
  },

  createSchema(_database, schema) {
    // CREATE SCHEMA takes a bare name: PostgreSQL cannot create a schema in another database.
    return `create schema if not exists ${quoteIdentifier(schema)}`;
  },

  truncate(relation) {
    return `truncate table ${relation.render()}`;
  },

  typeFor(type) {
    return LOGICAL_TYPES[type];
  },

  bareIdentifierName,
  columnNameProblem,

  insertFrom(target, source, columns) {
    const cols = columns.map(quoteIdentifier).join(', ');
    return `insert into ${target.render()} (${cols})\nselect ${cols} from ${source.render()}`;
  },

  deleteMatching(target, source, keys, predicates) {
    const on = keys.map((k) => `dbt_internal_dest.${quoteIdentifier(k)} = dbt_internal_source.${quoteIdentifier(k)}`);
    return `delete from ${target.render()} as dbt_internal_dest\nusing ${source.render()} as dbt_internal_source\nwhere ${[...on, ...predicates].join('\n  and ')}`;
  },

  tableExtras(relation, config, naming) {
    const indexes = Array.isArray(config.indexes) ? (config.indexes as { columns?: unknown; unique?: unknown; type?: unknown }[]) : [];
    return indexes.map((index, i) => {
      const columns = (Array.isArray(index.columns) ? index.columns : [index.columns]).map(String);
      const name = `${naming.table.slice(0, 40)}_${shortHash(`${columns.join(',')}|${naming.salt}|${i}`)}_idx`;
      const method = typeof index.type === 'string' ? ` using ${index.type}` : '';
      return `create ${index.unique === true ? 'unique ' : ''}index ${quoteIdentifier(name)} on ${relation.render()}${method} (${columns.map(quoteIdentifier).join(', ')})`;
    });
  },

  deleteWhere(target, predicate) {
    return `delete from ${target.render()} where ${predicate}`;
  },

  merge(target, source, keys, columns, predicates) {
    const on = [...keys.map((k) => `dbt_internal_dest.${quoteIdentifier(k)} = dbt_internal_source.${quoteIdentifier(k)}`), ...predicates];
    const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${quoteIdentifier(c)} = dbt_internal_source.${quoteIdentifier(c)}`);
    const cols = columns.map(quoteIdentifier).join(', ');
    const values = columns.map((c) => `dbt_internal_source.${quoteIdentifier(c)}`).join(', ');
    return [
      `merge into ${target.render()} as dbt_internal_dest`,
      `using ${source.render()} as dbt_internal_source`,
      `on (${on.join(' and ')})`,
      ...(updates.length ? [`when matched then update set ${updates.join(', ')}`] : []),
      `when not matched then insert (${cols}) values (${values})`,
    ].join('\n');
  },

  upsert(target, source, keys, columns) {
    const cols = columns.map(quoteIdentifier).join(', ');
    const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`);
    return [
      `insert into ${target.render()} (${cols})`,
      `select ${cols} from ${source.render()}`,
      `on conflict (${keys.map(quoteIdentifier).join(', ')}) do ${updates.length ? `update set ${updates.join(', ')}` : 'nothing'}`,
    ].join('\n');
  },

  valuesQuery(columns, rows) {
    const cell = (value: FixtureValue, type: string | null) => {
      const literal = value === null ? 'null' : typeof value === 'boolean' ? String(value) : typeof value === 'number' ? String(value) : quoteString(value);
      return type ? `cast(${literal} as ${type})` : literal;
    };
    const select = (values: FixtureValue[]) => `select ${columns.map((c, i) => `${cell(values[i] ?? null, c.dataType)} as ${quoteIdentifier(c.name)}`).join(', ')}`;
    if (rows.length === 0) return `${select(columns.map(() => null))} where false`;
    return rows.map(select).join('\nunion all\n');
  },

  rowsDiff(expectedSql, actualSql, columns) {
    const cols = columns.map(quoteIdentifier).join(', ');
    const numbered = (sql: string, alias: string) =>
      `select ${cols}, row_number() over (partition by ${cols}) as dbt_row_n from (\n${sql}\n) as ${alias}`;
    return [
      `with dbt_expected as (${numbered(expectedSql, 'e')}),`,
      `dbt_actual as (${numbered(actualSql, 'a')})`,
      `select 'expected' as dbt_side, * from (select * from dbt_expected except all select * from dbt_actual) as missing`,
      'union all',
      `select 'actual' as dbt_side, * from (select * from dbt_actual except all select * from dbt_expected) as extra`,
    ].join('\n');
  },

  timestamp(at) {
    return `cast('${at.toISOString().replace('T', ' ').replace('Z', '')}' as timestamp)`;
  },

  nullTimestamp() {
    return 'cast(null as timestamp)';
  },

  hashOf(expressions) {
    return `md5(${expressions.map((e) => `coalesce(cast(${e} as varchar), '')`).join(` || '|' || `)})`;
  },

  freshnessQuery(from) {
    // extract(epoch ...) reads a timestamp without time zone as UTC, and a timestamptz as the instant.
    if ('query' in from) return `select extract(epoch from max_loaded_at)::float8 as max_loaded_at_epoch from (\n${from.query.trim().replace(/;\s*$/, '')}\n) as loaded(max_loaded_at)`;
    const where = from.filter ? `\nwhere ${from.filter}` : '';
    return `select extract(epoch from max(${from.field}))::float8 as max_loaded_at_epoch from ${from.relation.render()}${where}`;
  },

  createTableIfMissing(relation, columns, uniqueKey) {
    const body = columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`);
    if (uniqueKey?.length) body.push(`    unique (${uniqueKey.map(quoteIdentifier).join(', ')})`);
    return `create table if not exists ${relation.render()} (\n${body.join(',\n')}\n)`;
  },

  createBatchTable(relation, columns) {
    const body = columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`).join(',\n');
    return `create temporary table if not exists ${relation.render()} (\n${body}\n) on commit delete rows`;
  },

  insertNewRows(target, batch, columns, key, orderBy) {
    const cols = columns.map(quoteIdentifier).join(', ');
    const order = orderBy.length ? `\norder by ${orderBy.map(quoteIdentifier).join(', ')}` : '';
    const conflict = key?.length ? `\non conflict (${key.map(quoteIdentifier).join(', ')}) do nothing` : '';
    return `insert into ${target.render()} (${cols})\nselect ${cols} from ${batch.render()}${order}${conflict}`;
  },

  upsertValues(target, columns, keys, rows) {
    const literal = (v: FixtureValue) => (v === null ? 'null' : typeof v === 'string' ? quoteString(v) : String(v));
    const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`);
    return [
      `insert into ${target.render()} (${columns.map(quoteIdentifier).join(', ')})`,
      `values ${rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`,
      `on conflict (${keys.map(quoteIdentifier).join(', ')}) do ${updates.length ? `update set ${updates.join(', ')}` : 'nothing'}`,
    ].join('\n');
  },

  temporaryRelation(identifier) {
    return new Relation({ identifier, type: 'table' }, postgresSql, { include: { database: false, schema: false, identifier: true } });
  },

  canonicalType(dataType) {
    return canonicalType(dataType);
  },

  createContractTable(relation: Relation, columns: ContractColumn[], constraints: TableConstraint[], naming) {
    let n = 0;
    const named = (c: TableConstraint, suffix: string) =>
      c.name ? `constraint ${quoteIdentifier(c.name)} ` : suffix ? `constraint ${quoteIdentifier(`${naming.table.slice(0, 40)}_${shortHash(`${naming.salt}|${n++}`)}_${suffix}`)} ` : '';
    const clause = (c: TableConstraint, cols: string[] | null): string | null => {
      const list = cols ? ` (${cols.map(quoteIdentifier).join(', ')})` : '';
      switch (c.type) {
        case 'not_null':
          return cols ? null : 'not null';
        case 'unique':
          return `${named(c, 'key')}unique${list}`;
        case 'primary_key':
          return `${named(c, 'pkey')}primary key${list}`;
        case 'check':
          return c.expression ? `${named(c, '')}check (${c.expression})` : null;
        case 'foreign_key': {
          if (c.references) return `${named(c, '')}${cols ? `foreign key${list} ` : ''}references ${c.references.relation} (${c.references.columns.map(quoteIdentifier).join(', ')})`;
          return c.expression ? `${named(c, '')}${cols ? `foreign key${list} ` : ''}references ${c.expression}` : null;
        }
        default:
          return c.expression ?? null;
      }
    };
    const lines = columns.map((col) => [`    ${quoteIdentifier(col.name)} ${col.dataType}`, ...col.constraints.map((c) => clause(c, null)).filter((x): x is string => !!x)].join(' '));
    for (const c of constraints) {
      if (c.type === 'not_null') {
        for (const name of c.columns ?? []) {
          const i = columns.findIndex((col) => col.name === name);
          if (i >= 0) lines[i] = `${lines[i]} not null`;
        }
        continue;
      }
      const text = clause(c, c.columns ?? []);
      if (text) lines.push(`    ${text}`);
    }
    return `create table ${relation.render()} (\n${lines.join(',\n')}\n)`;
  },

  insertQuery(target, columns, selectSql) {
    const cols = columns.map(quoteIdentifier).join(', ');
    return `insert into ${target.render()} (${cols})\nselect ${cols} from (\n${selectSql}\n) as model_subq`;
  },

  duplicateKeys(relation, keys, limit) {
    const cols = keys.map(quoteIdentifier).join(', ');
    return `select ${cols}, count(*) as n from ${relation.render()} group by ${cols} having count(*) > 1 limit ${Math.max(1, Math.trunc(limit))}`;
  },

  addColumn(relation, column, dataType) {
    return `alter table ${relation.render()} add column ${quoteIdentifier(column)} ${dataType}`;
  },

  dropColumn(relation, column) {
    return `alter table ${relation.render()} drop column ${quoteIdentifier(column)}`;
  },

  alterColumnType(relation, column, dataType) {
    return `alter table ${relation.render()} alter column ${quoteIdentifier(column)} type ${dataType} using ${quoteIdentifier(column)}::${dataType}`;
  },

  commentOn(relation, column, comment) {
    const target = column === null ? `${objectKeyword(relation.type)} ${relation.render()}` : `column ${relation.render()}.${quoteIdentifier(column)}`;
    return `comment on ${target} is ${quoteString(comment)}`;
  },

  limit(selectSql, n) {
    return `select * from (\n${selectSql.trim()}\n) as model_limit_subq\nlimit ${Math.max(0, Math.trunc(n))}`;
  },
};

const TYPE_ALIASES: Record<string, string> = {
  int: 'integer', int4: 'integer', integer: 'integer', serial: 'integer', serial4: 'integer',
  int8: 'bigint', bigint: 'bigint', bigserial: 'bigint', serial8: 'bigint',
  int2: 'smallint', smallint: 'smallint', smallserial: 'smallint',
  float: 'double precision', float8: 'double precision', double: 'double precision', 'double precision': 'double precision',
  float4: 'real', real: 'real',
  decimal: 'numeric', numeric: 'numeric',
  varchar: 'character varying', 'character varying': 'character varying',
  char: 'character', character: 'character', bpchar: 'character',
  text: 'text', string: 'text',
  bool: 'boolean', boolean: 'boolean',
  timestamp: 'timestamp without time zone', 'timestamp without time zone': 'timestamp without time zone',
  timestamptz: 'timestamp with time zone', 'timestamp with time zone': 'timestamp with time zone',
  time: 'time without time zone', 'time without time zone': 'time without time zone',
  timetz: 'time with time zone', 'time with time zone': 'time with time zone',
};

/**
 * PostgreSQL's spelling of a type, without length or precision (dbt does not enforce those in a
 * contract): `INT` -> `integer`, `varchar(10)` -> `character varying`, `numeric(10,2)` -> `numeric`.
 */
export function canonicalType(dataType: string): string {
  let text = dataType.trim().toLowerCase().replace(/\s+/g, ' ');
  let array = '';
  while (text.endsWith('[]')) {
    array += '[]';
    text = text.slice(0, -2).trim();
  }
  text = text.replace(/\s*\([^)]*\)/g, '').trim();
  return `${TYPE_ALIASES[text] ?? text}${array}`;
}
