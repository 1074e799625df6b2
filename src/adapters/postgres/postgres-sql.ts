// PostgreSQL's SQL builders (shared by the server and PGlite), in dbt-postgres's spelling: the
// default (ANSI) builders of ../default-sql.ts with PostgreSQL's differences. Pure functions of
// their inputs, so golden tests can pin them. Materializations compose these; dropping and
// renaming around `createView` is the materialization's job, not the builder's.
import { TsdbtError } from '../../errors/tsdbt-error.js';
import type { FixtureValue, LogicalType } from '../adapter.js';
import { generatedName } from '../contract-ddl.js';
import { AnsiSqlBuilders } from '../default-sql.js';
import type { TemplateMember } from '../sql-builders.js';
import type { Relation, RelationType } from '../relation.js';
import { POSTGRES_RESERVED_KEYWORDS } from './postgres-keywords.js';
import { postgresMaterializedViews } from './postgres-materialized-view.js';
import { parsePostgresIndex } from './postgres-index-config.js';
import { uncastTypeOid, unknownTypeCode } from './psycopg-type-codes.js';

/** `"name"`, with embedded double quotes doubled (the ANSI default), for the adapter's own queries. */
export function quoteIdentifier(name: string): string {
  return postgresSql.quoteIdentifier(name);
}

/** `'text'`, with embedded single quotes doubled (standard_conforming_strings is on by default). */
export function quoteString(value: string): string {
  return postgresSql.quoteString(value);
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

/** PostgreSQL's bare identifier (scan.l): a letter or `_`, then letters, digits, `_` and `$` (non-ASCII letters included). */
const BARE_IDENTIFIER = /^[\p{L}_][\p{L}\p{M}\p{N}_$]*$/u;
/** NAMEDATALEN - 1: PostgreSQL cuts longer names (in bytes) short, silently. */
const MAX_IDENTIFIER_BYTES = 63;

/** `COPY <relation> (<columns>) FROM <source>`, then `tail` (its options). */
function copyFromSql(relation: Relation, columns: readonly { name: string }[], source: 'stdin' | 'blob', tail: string): string {
  const from = source === 'stdin' ? 'stdin' : `'/dev/blob'`;
  const cols = columns.map((c) => quoteIdentifier(c.name)).join(', ');
  return `copy ${relation.render()} (${cols}) from ${from}${tail}`;
}

/** The `COPY` statement tsdbt uses for bulk loads: CSV, NULL as an unquoted empty field. */
export function copyCsvSql(relation: Relation, columns: readonly { name: string }[], source: 'stdin' | 'blob'): string {
  return copyFromSql(relation, columns, source, ' with (format csv)');
}

/** The `COPY` statement of `bulkLoadText`: PostgreSQL's text format (tab-separated, `\N` for NULL, backslash escapes). */
export function copyTextSql(relation: Relation, columns: readonly { name: string }[], source: 'stdin' | 'blob'): string {
  return copyFromSql(relation, columns, source, '');
}

/** The `COPY` statement of `bulkLoadBinary`: PostgreSQL's binary format. */
export function copyBinarySql(relation: Relation, columns: readonly { name: string }[], source: 'stdin' | 'blob'): string {
  return copyFromSql(relation, columns, source, ' with (format binary)');
}

/** On conflict with the keys, update the other columns from the excluded row (or do nothing). */
function onConflict(keys: string[], columns: string[]): string {
  const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${quoteIdentifier(c)} = excluded.${quoteIdentifier(c)}`);
  return `on conflict (${keys.map(quoteIdentifier).join(', ')}) do ${updates.length ? `update set ${updates.join(', ')}` : 'nothing'}`;
}

/** PostgreSQL's SqlBuilders: the ANSI defaults, with PostgreSQL's differences. */
export class PostgresSqlBuilders extends AnsiSqlBuilders {
  override readonly dispatchPrefixes = ['postgres', 'default'];
  protected override readonly warehouseName = 'PostgreSQL';
  readonly relationClassName = 'PostgresRelation';
  /**
   * dbt-postgres' PostgresRelation renames views and tables in place. It also calls tables
   * replaceable, but its `postgres__get_replace_table_sql` says `create or replace table`, which
   * PostgreSQL refuses: here only views are (`create or replace view`), so dbt's get_replace_sql
   * replaces a table through a renamed intermediate, which works.
   */
  readonly renameableRelations: readonly RelationType[] = ['view', 'table'];
  readonly replaceableRelations: readonly RelationType[] = ['view'];
  protected override readonly logicalTypes = LOGICAL_TYPES;
  /** dbt-postgres's materialized views (postgres-materialized-view.ts). */
  readonly materializedViews = postgresMaterializedViews(this);

  /**
   * dbt-postgres's make_temp_relation (postgres__make_relation_with_suffix with its time string):
   * `<alias><suffix><HHMMSSffffff>`, the alias cut so the name keeps within 63 characters, with
   * no schema or database (a temporary table lives in the session's own schema).
   */
  tempRelation(base: Relation, suffix: string, at: Date): Relation {
    const pad = (n: number, width = 2) => String(n).padStart(width, '0');
    const tag = `${suffix}${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}${pad(at.getUTCMilliseconds() * 1000, 6)}`;
    return base.with({ database: null, schema: null, identifier: `${base.identifier.slice(0, MAX_IDENTIFIER_BYTES - tag.length)}${tag}`, type: 'table' });
  }

  /**
   * dbt-postgres's own `adapter.*` methods: `verify_database(database)` (which its
   * postgres__get_catalog_relations calls) is '' when `database` is the target's, ignoring case
   * and surrounding double quotes, else dbt's UnexpectedDbReferenceError.
   */
  templateMembers(): Record<string, TemplateMember> {
    return {
      verify_database: {
        params: ['database'],
        call(args, target) {
          let database = String(args.database ?? '');
          if (database.startsWith('"')) database = database.replace(/^"+|"+$/g, '');
          const expected = String(target?.database ?? '');
          if (target && database.toLowerCase() !== expected.toLowerCase()) {
            throw new TsdbtError(`Cross-db references not allowed in postgres (${database} vs ${expected})`, {
              code: 'cross-database-reference',
              hint: `PostgreSQL reads one database per connection: use the target's database (${expected}), or a target of the other database`,
            });
          }
          return '';
        },
      },
    };
  }

  protected override objectKeyword(type: RelationType | null | undefined): string {
    return type === 'materialized_view' ? 'materialized view' : type === 'external' ? 'foreign table' : super.objectKeyword(type);
  }

  protected override createTableKeyword(config: Record<string, unknown>): string {
    return config.unlogged === true || config.unlogged === 'true' ? 'create unlogged table' : 'create table';
  }

  /** json has no equality operator (jsonb has), nor has xml (text has): rowsDiff compares them so. */
  protected override comparable(quoted: string, dataType: string | null): string {
    const type = (dataType ?? '').toLowerCase();
    if (type === 'json') return `${quoted}::jsonb`;
    if (type === 'xml') return `${quoted}::text`;
    return quoted;
  }

  protected override limitClause(n: number): string {
    return `limit ${n}`;
  }

  /** A plain identifier that is no reserved keyword is a column name bare: a contracted table's DDL writes it as dbt-postgres does. */
  protected override writesBare(name: string): boolean {
    return BARE_IDENTIFIER.test(name) && !POSTGRES_RESERVED_KEYWORDS.has(name.toLowerCase());
  }

  /** A bare identifier's name: PostgreSQL folds ASCII letters to lower case (downcase_identifier). */
  override bareIdentifierName(name: string): string | null {
    return BARE_IDENTIFIER.test(name) ? name.replace(/[A-Z]+/g, (m) => m.toLowerCase()) : null;
  }

  /** PostgreSQL's truncate_identifier: the first 63 bytes of a longer name, cut at a character (pg_mbcliplen). */
  override storedColumnName(name: string): string {
    if (Buffer.byteLength(name, 'utf8') <= MAX_IDENTIFIER_BYTES) return name;
    let kept = '';
    for (const ch of name) {
      if (Buffer.byteLength(kept + ch, 'utf8') > MAX_IDENTIFIER_BYTES) break;
      kept += ch;
    }
    return kept;
  }

  /** dbt-postgres's PostgresRelation refuses a typed relation whose name has more than 63 characters (PostgreSQL would cut it short). */
  override relationNameProblem(identifier: string): string | null {
    return identifier.length > MAX_IDENTIFIER_BYTES ? `Relation name '${identifier}' is longer than ${MAX_IDENTIFIER_BYTES} characters` : null;
  }

  override canonicalType(dataType: string): string {
    return canonicalType(dataType);
  }

  override contractTypeKey(dataType: string): string {
    return psycopgTypeCaster(canonicalType(dataType));
  }

  /**
   * dbt-postgres's data_type_code_to_name: psycopg2's caster name; a built-in type without one is
   * `unknown type_code <oid>`, any other keeps its canonical spelling.
   */
  override contractTypeName(dataType: string): string {
    const canonical = canonicalType(dataType);
    const caster = psycopgTypeCaster(canonical);
    return caster !== canonical ? caster : (unknownTypeCode(canonical) ?? canonical);
  }

  /** The OID dbt-postgres's data_type_code_to_name names `unknown type_code <oid>` (TypeCodeNotFound). */
  unrecognizedTypeCode(dataType: string): number | null {
    const canonical = canonicalType(dataType);
    return psycopgTypeCaster(canonical) !== canonical ? null : uncastTypeOid(canonical);
  }

  /** dbt-postgres's `indexes`. */
  override tableExtras(relation: Relation, config: Record<string, unknown>, naming: { table: string; salt: string }): string[] {
    const indexes = Array.isArray(config.indexes) ? (config.indexes as unknown[]) : [];
    return indexes.map((raw, i) => {
      const index = parsePostgresIndex(raw);
      const name = generatedName(naming.table, `${index.columns.join(',')}|${naming.salt}|${i}`, 'idx');
      const method = index.type !== null ? ` using ${index.type}` : '';
      // dbt-postgres's get_create_index_sql joins the columns as written: unquoted, so `CDC_sk`
      // names the folded `cdc_sk` and an expression (`lower(email)`) indexes its value.
      return `create ${index.unique ? 'unique ' : ''}index ${quoteIdentifier(name)} on ${relation.render()}${method} (${index.columns.join(', ')})`;
    });
  }

  override alterColumnType(relation: Relation, column: string, dataType: string): string {
    return `alter table ${relation.render()} alter column ${quoteIdentifier(column)} type ${dataType} using ${quoteIdentifier(column)}::${dataType}`;
  }

  override upsert(target: Relation, source: Relation, keys: string[], columns: string[], updateColumns: string[] = columns): string {
    const cols = this.columnList(columns);
    return [`insert into ${target.render()} (${cols})`, `select ${cols} from ${source.render()}`, onConflict(keys, updateColumns)].join('\n');
  }

  override freshnessQuery(from: { relation: Relation; field: string; filter: string | null } | { query: string }): string {
    // extract(epoch ...) reads a timestamp without time zone as UTC, and a timestamptz as the instant.
    if ('query' in from) return `select extract(epoch from max_loaded_at)::float8 as max_loaded_at_epoch from (\n${from.query.trim().replace(/;\s*$/, '')}\n) as loaded(max_loaded_at)`;
    const where = from.filter ? `\nwhere ${from.filter}` : '';
    return `select extract(epoch from max(${from.field}))::float8 as max_loaded_at_epoch from ${from.relation.render()}${where}`;
  }

  override insertNewRows(target: Relation, batch: Relation, columns: string[], key: string[] | null, orderBy: string[]): string {
    const cols = this.columnList(columns);
    const order = orderBy.length ? `\norder by ${this.columnList(orderBy)}` : '';
    const conflict = key?.length ? `\non conflict (${this.columnList(key)}) do nothing` : '';
    return `insert into ${target.render()} (${cols})\nselect ${cols} from ${batch.render()}${order}${conflict}`;
  }

  override upsertValues(target: Relation, columns: string[], keys: string[], rows: FixtureValue[][]): string {
    return [
      `insert into ${target.render()} (${this.columnList(columns)})`,
      `values ${rows.map((r) => `(${r.map((v) => this.literal(v)).join(', ')})`).join(', ')}`,
      onConflict(keys, columns),
    ].join('\n');
  }
}

export const postgresSql = new PostgresSqlBuilders();

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

/**
 * dbt-postgres's contract check compares the two sides' cursor type codes through psycopg2's
 * type casters (`data_type_code_to_name`): `text`, `varchar(10)`, `char(2)` and `name` are all
 * STRING, `smallint` and `integer` INTEGER (`bigint` LONGINTEGER), `real` and `double precision`
 * FLOAT; a type psycopg2 has no caster for (uuid, ...) is only equal to itself.
 */
const PSYCOPG_CASTERS: Record<string, string> = {
  'character varying': 'STRING', character: 'STRING', text: 'STRING', name: 'STRING', '"char"': 'STRING',
  smallint: 'INTEGER', integer: 'INTEGER', bigint: 'LONGINTEGER',
  real: 'FLOAT', 'double precision': 'FLOAT', numeric: 'DECIMAL',
  boolean: 'BOOLEAN', date: 'DATE', 'time without time zone': 'TIME', 'time with time zone': 'TIME',
  'timestamp without time zone': 'DATETIME', 'timestamp with time zone': 'DATETIMETZ', interval: 'INTERVAL',
  bytea: 'BINARY', oid: 'ROWID', json: 'JSON', jsonb: 'JSONB',
};

function psycopgTypeCaster(canonical: string): string {
  const element = canonical.endsWith('[]') ? canonical.slice(0, -2) : canonical;
  const caster = PSYCOPG_CASTERS[element];
  if (!caster) return canonical;
  return canonical.endsWith('[]') ? `${caster}ARRAY` : caster;
}
