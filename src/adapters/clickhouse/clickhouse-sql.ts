// ClickHouse's SQL builders, following dbt-clickhouse: a relation is `database`.`table` (the
// profile's `schema` is the ClickHouse database, there is no third part); tables are MergeTree
// family tables configured by `engine`, `order_by`, `partition_by`, `primary_key`, `ttl` and
// `settings`; deletes are lightweight `DELETE FROM`; with `cluster:` every DDL gets ON CLUSTER.
// Pure functions of their inputs, golden-tested in clickhouse-sql.test.ts.
import type { ContractColumn, DistributedBuilders, FixtureValue, LoadColumn, LogicalType, SqlBuilders, TableConstraint } from '../adapter.js';
import { Relation, type RelationType } from '../relation.js';

export interface ClickHouseSqlOptions {
  /** `cluster:` of the profile: DDL runs ON CLUSTER. */
  cluster?: string | null;
  /** `database_engine:` of the profile, for CREATE DATABASE. */
  databaseEngine?: string | null;
}

/** ClickHouse's bare identifier: a letter or `_`, then letters, digits and `_`. */
const BARE_IDENTIFIER = /^[a-zA-Z_][0-9a-zA-Z_]*$/;

export function quoteIdentifier(name: string): string {
  return `\`${name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``;
}

export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** Seed types: nullable, so an empty CSV field stays NULL as on PostgreSQL. */
const LOGICAL_TYPES: Record<LogicalType, string> = {
  integer: 'Nullable(Int64)',
  bigint: 'Nullable(Int64)',
  float: 'Nullable(Float64)',
  numeric: 'Nullable(Decimal(38, 10))',
  boolean: 'Nullable(Bool)',
  date: 'Nullable(Date)',
  timestamp: "Nullable(DateTime64(6, 'UTC'))",
  text: 'Nullable(String)',
};

function list(value: unknown): string[] {
  if (value === undefined || value === null || value === '') return [];
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** `ENGINE ... ORDER BY ... PARTITION BY ... PRIMARY KEY ... TTL ... SETTINGS ...` from the config. */
/**
 * On a cluster, a MergeTree-family engine becomes its Replicated twin. The replica path holds the
 * table's `{uuid}`, so a table re-created under the same name (every rebuild, every snapshot run)
 * never meets the old replica's metadata (dbt-clickhouse#182).
 */
export function replicatedEngine(engine: string): string {
  const match = /^(\w*MergeTree)\s*(?:\((.*)\))?$/s.exec(engine.trim());
  if (!match || /^Replicated/i.test(engine.trim())) return engine;
  const args = (match[2] ?? '').trim();
  return `Replicated${match[1] as string}('/clickhouse/tables/{uuid}/{shard}', '{replica}'${args ? `, ${args}` : ''})`;
}

export function tableEngineClause(config: Record<string, unknown>, cluster: string | null = null): string {
  const named = typeof config.engine === 'string' && config.engine.trim() ? config.engine.trim() : 'MergeTree()';
  const engine = cluster ? replicatedEngine(named) : named;
  const parts = [`engine = ${/\(/.test(engine) ? engine : `${engine}()`}`];
  const mergeTree = /MergeTree/i.test(engine);
  if (mergeTree) {
    // A ReplacingMergeTree deduplicates rows with equal sorting keys: with no order_by, the model's
    // unique_key is that key (dbt-clickhouse's upsert pattern, with a version column in the engine).
    const orderBy = list(config.order_by).length || !/^(Replicated)?Replacing/i.test(engine) ? list(config.order_by) : list(config.unique_key);
    parts.push(`order by ${orderBy.length === 0 ? 'tuple()' : orderBy.length === 1 ? orderBy[0] : `(${orderBy.join(', ')})`}`);
    const partitionBy = list(config.partition_by);
    if (partitionBy.length) parts.push(`partition by (${partitionBy.join(', ')})`);
    const primaryKey = list(config.primary_key);
    if (primaryKey.length) parts.push(`primary key (${primaryKey.join(', ')})`);
    if (typeof config.ttl === 'string' && config.ttl.trim()) parts.push(`ttl ${config.ttl.trim()}`);
  }
  const configured = config.settings && typeof config.settings === 'object' ? (config.settings as Record<string, unknown>) : {};
  // Seeds and many models have Nullable columns (NULLs as on PostgreSQL): let them be keys.
  const keyed = mergeTree && (list(config.order_by).length > 0 || list(config.primary_key).length > 0);
  const settings = Object.entries(keyed && !('allow_nullable_key' in configured) ? { ...configured, allow_nullable_key: 1 } : configured);
  if (settings.length) parts.push(`settings ${settings.map(([k, v]) => `${k} = ${typeof v === 'string' ? quoteString(v) : String(v)}`).join(', ')}`);
  return parts.join('\n');
}

const TYPE_ALIASES: Record<string, string> = {
  int: 'Int32', integer: 'Int32', int4: 'Int32', int32: 'Int32',
  bigint: 'Int64', int8: 'Int64', int64: 'Int64',
  smallint: 'Int16', int2: 'Int16', int16: 'Int16',
  tinyint: 'Int8',
  float: 'Float32', real: 'Float32', float32: 'Float32',
  double: 'Float64', 'double precision': 'Float64', float8: 'Float64', float64: 'Float64',
  text: 'String', varchar: 'String', string: 'String', char: 'String', 'character varying': 'String',
  bool: 'Bool', boolean: 'Bool',
  timestamp: 'DateTime', datetime: 'DateTime',
  date: 'Date',
  decimal: 'Decimal', numeric: 'Decimal',
};

/** ClickHouse's spelling of a type without Nullable / LowCardinality wrappers and parameters. */
export function canonicalType(dataType: string): string {
  let text = dataType.trim();
  for (;;) {
    const wrapped = /^(Nullable|LowCardinality)\((.*)\)$/i.exec(text);
    if (!wrapped) break;
    text = wrapped[2] as string;
  }
  const base = text.replace(/\(.*\)$/s, '').trim();
  const alias = TYPE_ALIASES[base.toLowerCase()];
  if (alias) return alias;
  if (/^datetime64$/i.test(base)) return 'DateTime64';
  return base;
}

export function clickhouseSql(options: ClickHouseSqlOptions = {}): SqlBuilders {
  const onCluster = options.cluster ? ` on cluster ${quoteIdentifier(options.cluster)}` : '';
  const literal = (value: FixtureValue) =>
    value === null ? 'NULL' : typeof value === 'boolean' ? String(value) : typeof value === 'number' ? String(value) : quoteString(value);

  return {
    quoteIdentifier,
    defaultQuotePolicy: { database: false, schema: true, identifier: true },
    defaultIncludePolicy: { database: false, schema: true, identifier: true },
    quoteString,
    dispatchPrefixes: ['clickhouse', 'default'],
    // No ClickHouse grammar in node-sql-parser: MySQL's reads backtick identifiers and most queries.
    sqlParserDialect: 'MySQL',

    createView(relation, selectSql) {
      return `create or replace view ${relation.render()}${onCluster} as (\n${selectSql}\n)`;
    },

    createTableAs(relation, selectSql, config) {
      return `create table ${relation.render()}${onCluster}\n${tableEngineClause(config, options.cluster ?? null)}\nas (\n${selectSql}\n)`;
    },

    createTable(relation, columns: LoadColumn[], config) {
      const body = columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`).join(',\n');
      return `create table ${relation.render()}${onCluster} (\n${body}\n)\n${tableEngineClause(config, options.cluster ?? null)}`;
    },

    dropRelation(relation, type: RelationType) {
      return `drop ${type === 'view' ? 'view' : 'table'} if exists ${relation.render()}${onCluster} sync`;
    },

    renameRelation(from, toIdentifier) {
      return `rename table ${from.render()} to ${from.with({ identifier: toIdentifier }).render()}${onCluster}`;
    },

    dropSchema(_database, schema) {
      return `drop database if exists ${quoteIdentifier(schema)}${onCluster}`;
    },

    createSchema(_database, schema) {
      const engine = options.databaseEngine ? ` engine = ${options.databaseEngine}` : '';
      return `create database if not exists ${quoteIdentifier(schema)}${onCluster}${engine}`;
    },

    truncate(relation) {
      return `truncate table if exists ${relation.render()}${onCluster}`;
    },

    typeFor(type) {
      return LOGICAL_TYPES[type];
    },

    // ClickHouse identifiers are case-sensitive, quoted or not: a bare name stands for itself.
    bareIdentifierName: (name) => (BARE_IDENTIFIER.test(name) ? name : null),
    columnNameProblem: (name) => (name.includes('\u0000') ? 'contains a NUL character, which ClickHouse names cannot hold' : null),

    insertFrom(target, source, columns) {
      const cols = columns.map(quoteIdentifier).join(', ');
      return `insert into ${target.render()} (${cols})\nselect ${cols} from ${source.render()}`;
    },

    deleteMatching(target, source, keys, predicates) {
      const cols = keys.map(quoteIdentifier).join(', ');
      const key = keys.length === 1 ? cols : `(${cols})`;
      return [`delete from ${target.render()}${onCluster}`, `where ${key} in (select ${cols} from ${source.render()})`, ...predicates.map((p) => `  and ${p}`)].join('\n');
    },

    tableExtras() {
      return [];
    },

    deleteWhere(target, predicate) {
      return `delete from ${target.render()}${onCluster} where ${predicate}`;
    },

    merge(target, source, keys, columns) {
      // ClickHouse has no MERGE (capabilities.merge is false): callers delete the matching keys and
      // insert; this is the insert half, kept for completeness.
      return this.insertFrom(target, source, columns);
    },

    upsert(target, source, _keys, columns) {
      return this.insertFrom(target, source, columns);
    },

    duplicateKeys(relation, keys, limit) {
      const cols = keys.map(quoteIdentifier).join(', ');
      return `select ${cols}, count() as n from ${relation.render()} group by ${cols} having count() > 1 limit ${Math.max(1, Math.trunc(limit))}`;
    },

    addColumn(relation, column, dataType) {
      return `alter table ${relation.render()}${onCluster} add column ${quoteIdentifier(column)} ${dataType}`;
    },

    dropColumn(relation, column) {
      return `alter table ${relation.render()}${onCluster} drop column ${quoteIdentifier(column)}`;
    },

    alterColumnType(relation, column, dataType) {
      return `alter table ${relation.render()}${onCluster} modify column ${quoteIdentifier(column)} ${dataType}`;
    },

    commentOn(relation, column, comment) {
      return column === null
        ? `alter table ${relation.render()}${onCluster} modify comment ${quoteString(comment)}`
        : `alter table ${relation.render()}${onCluster} comment column ${quoteIdentifier(column)} ${quoteString(comment)}`;
    },

    valuesQuery(columns, rows) {
      const cell = (value: FixtureValue, type: string | null) => (type ? `cast(${literal(value)} as ${value === null && !/^Nullable/.test(type) ? `Nullable(${type})` : type})` : literal(value));
      const select = (values: FixtureValue[]) => `select ${columns.map((c, i) => `${cell(values[i] ?? null, c.dataType)} as ${quoteIdentifier(c.name)}`).join(', ')}`;
      if (rows.length === 0) return `${select(columns.map(() => null))} where 0`;
      return rows.map(select).join('\nunion all\n');
    },

    rowsDiff(expectedSql, actualSql, columns) {
      const cols = columns.map(quoteIdentifier).join(', ');
      const numbered = (sql: string, alias: string) => `select ${cols}, row_number() over (partition by ${cols}) as dbt_row_n from (\n${sql}\n) as ${alias}`;
      return [
        `with dbt_expected as (${numbered(expectedSql, 'e')}),`,
        `dbt_actual as (${numbered(actualSql, 'a')})`,
        `select 'expected' as dbt_side, * from (select * from dbt_expected except select * from dbt_actual) as missing`,
        'union all',
        `select 'actual' as dbt_side, * from (select * from dbt_actual except select * from dbt_expected) as extra`,
      ].join('\n');
    },

    timestamp(at) {
      return `toDateTime64('${at.toISOString().replace('T', ' ').replace('Z', '')}', 3)`;
    },

    nullTimestamp() {
      return 'cast(NULL as Nullable(DateTime64(3)))';
    },

    hashOf(expressions) {
      return `lower(hex(MD5(concat(${expressions.map((e) => `ifNull(toString(${e}), '')`).join(", '|', ")}))))`;
    },

    freshnessQuery(from) {
      const epoch = (expr: string) => `toUnixTimestamp64Milli(toDateTime64(${expr}, 3, 'UTC')) / 1000`;
      if ('query' in from) return `select ${epoch(`(\n${from.query.trim().replace(/;\s*$/, '')}\n)`)} as max_loaded_at_epoch`;
      const where = from.filter ? `\nwhere ${from.filter}` : '';
      return `select ${epoch(`maxOrNull(${from.field})`)} as max_loaded_at_epoch from ${from.relation.render()}${where}`;
    },

    canonicalType(dataType) {
      return canonicalType(dataType);
    },

    // Loader tables (the Kafka loader's ClickHouse path is not finished: these build the shapes
    // it will use, a ReplacingMergeTree keyed by the idempotency key).
    createTableIfMissing(relation, columns, uniqueKey) {
      const body = columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`).join(',\n');
      // Inserts carrying an insert_deduplication_token are remembered (the last 1000 per table), so
      // a retried batch is not written twice; Replicated engines keep such a window by default.
      const dedup = options.cluster ? {} : { settings: { non_replicated_deduplication_window: 1000 } };
      const engine = uniqueKey?.length ? { engine: 'ReplacingMergeTree()', order_by: uniqueKey.map(quoteIdentifier), ...dedup } : dedup;
      return `create table if not exists ${relation.render()}${onCluster} (\n${body}\n)\n${tableEngineClause(engine, options.cluster ?? null)}`;
    },

    createBatchTable(relation, columns) {
      const body = columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`).join(',\n');
      return `create temporary table if not exists ${relation.render()} (\n${body}\n)`;
    },

    insertNewRows(target, batch, columns) {
      const cols = columns.map(quoteIdentifier).join(', ');
      return `insert into ${target.render()} (${cols})\nselect ${cols} from ${batch.render()}`;
    },

    upsertValues(target, columns, _keys, rows) {
      return `insert into ${target.render()} (${columns.map(quoteIdentifier).join(', ')}) values ${rows.map((r) => `(${r.map(literal).join(', ')})`).join(', ')}`;
    },

    temporaryRelation(identifier) {
      return new Relation({ identifier, type: 'table' }, this, { include: { database: false, schema: false, identifier: true } });
    },

    createContractTable(relation: Relation, columns: ContractColumn[], constraints: TableConstraint[], naming) {
      // ClickHouse enforces CHECK constraints and non-Nullable types; it has no keys to enforce.
      let n = 0;
      const checks = [...columns.flatMap((c) => c.constraints), ...constraints]
        .filter((c) => c.type === 'check' && c.expression)
        .map((c) => `    constraint ${quoteIdentifier(c.name ?? `${naming.table.slice(0, 40)}_check_${n++}`)} check ${c.expression}`);
      const body = [...columns.map((c) => `    ${quoteIdentifier(c.name)} ${c.dataType}`), ...checks].join(',\n');
      return `create table ${relation.render()}${onCluster} (\n${body}\n)\n${tableEngineClause({}, options.cluster ?? null)}`;
    },

    insertQuery(target, columns, selectSql) {
      const cols = columns.map(quoteIdentifier).join(', ');
      return `insert into ${target.render()} (${cols})\nselect ${cols} from (\n${selectSql}\n) as model_subq`;
    },

    limit(selectSql, n) {
      return `select * from (\n${selectSql.trim()}\n) as model_limit_subq\nlimit ${Math.max(0, Math.trunc(n))}`;
    },

    distributed: options.cluster ? distributedBuilders(options.cluster) : undefined,
  };
}

/**
 * dbt-clickhouse's distributed tables: `<name>` reads and writes through a Distributed table over
 * the cluster's `<name>_local` shards (created ON CLUSTER with a Replicated engine). Inserts wait
 * for every shard (`insert_distributed_sync`), so a swap never publishes a half-written table.
 */
function distributedBuilders(cluster: string): DistributedBuilders {
  return {
    createDistributed(relation, local, shardingKey, ifNotExists) {
      const database = quoteString(local.schema ?? 'default');
      return `create table ${ifNotExists ? 'if not exists ' : ''}${relation.render()} on cluster ${quoteIdentifier(cluster)} as ${local.render()}\nengine = Distributed(${quoteString(cluster)}, ${database}, ${quoteString(local.identifier)}, ${shardingKey?.trim() || 'rand()'})`;
    },
    insertThrough(distributed, columns, selectSql) {
      const cols = columns.map(quoteIdentifier).join(', ');
      return `insert into ${distributed.render()} (${cols})\nsettings insert_distributed_sync = 1\nselect ${cols} from (\n${selectSql}\n) as model_subq`;
    },
  };
}

