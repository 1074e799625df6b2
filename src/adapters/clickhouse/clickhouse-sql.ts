// ClickHouse's SQL builders, following dbt-clickhouse: a relation is `database`.`table` (the
// profile's `schema` is the ClickHouse database, there is no third part); tables are MergeTree
// family tables configured by `engine`, `order_by`, `partition_by`, `primary_key`, `ttl` and
// `settings`; deletes are lightweight `DELETE FROM`; with `cluster:` every DDL gets ON CLUSTER.
// The default (ANSI) builders of ../default-sql.ts with ClickHouse's differences. Pure functions
// of their inputs, golden-tested in clickhouse-sql.test.ts and test/golden/clickhouse/.
import type { ContractColumn, DictionaryBuilders, DistributedBuilders, FixtureValue, LoadColumn, SqlBuilders, TableConstraint, TriggerViewBuilders } from '../adapter.js';
import { AnsiSqlBuilders } from '../default-sql.js';
import { columnClauses } from '../contract-columns.js';
import { clickhouseTriggerViews } from './clickhouse-materialized-view.js';
import { clickhouseDictionaries, type DictionaryCredentials } from './clickhouse-dictionary.js';
import type { Relation, RelationType } from '../relation.js';
import { clickhouseTemplateMembers, querySettingsClause } from './clickhouse-template-members.js';
import type { SeedColumnShape, TemplateMember, ViewOptions } from '../sql-builders.js';
import { BARE_IDENTIFIER, quoteIdentifier, quoteString } from './clickhouse-quoting.js';
import { canonicalType, LOGICAL_TYPES, SEED_TYPES } from './clickhouse-types.js';
import { tableEngineClause } from './clickhouse-table-engine.js';
import { distributedBuilders } from './clickhouse-distributed.js';
import { sqlSecurityClause } from './clickhouse-view-security.js';
import { hasProjections, projectionStatements } from './clickhouse-projections.js';

// Importers of this module read these from here too.
export { quoteIdentifier, quoteString } from './clickhouse-quoting.js';
export { canonicalType } from './clickhouse-types.js';
export { replicatedEngine, tableEngineClause } from './clickhouse-table-engine.js';

export interface ClickHouseSqlOptions {
  /** `local_suffix:` / `local_db_prefix:` of the profile (dbt-clickhouse's names of local tables and databases). */
  localSuffix?: string | null;
  localDbPrefix?: string | null;
  /** `cluster:` of the profile: DDL runs ON CLUSTER. */
  cluster?: string | null;
  /** `database_engine:` of the profile, for CREATE DATABASE. */
  databaseEngine?: string | null;
  /** The profile's user, password and database: a dictionary's ClickHouse source. */
  credentials?: DictionaryCredentials;
  /** dbt-clickhouse's `check_exchange` (false under `cluster_mode`): see clickhouse-template-members.ts. */
  checkExchange?: boolean;
  /** dbt-clickhouse's `allow_automatic_deduplication`: see tableOptions. */
  allowAutomaticDeduplication?: boolean;
}

/** ClickHouse's SqlBuilders: the ANSI defaults, with ClickHouse's differences. */
export class ClickHouseSqlBuilders extends AnsiSqlBuilders {
  override readonly defaultQuotePolicy = { database: false, schema: true, identifier: true };
  override readonly defaultIncludePolicy = { database: false, schema: true, identifier: true };
  // A ClickHouse function (CREATE FUNCTION) belongs to no database: its name alone.
  readonly functionIncludePolicy = { database: false, schema: false, identifier: true };
  // dbt-clickhouse's ClickHouseRelation.create_from: a source that sets `database` and whose
  // schema is its name (dbt's default) reads that database, ClickHouse having no schemas.
  /** dbt-clickhouse's profile-reading `adapter.*` methods (clickhouse-template-members.ts). */
  templateMembers(): Record<string, TemplateMember> {
    const o = this.options;
    return clickhouseTemplateMembers({ cluster: o.cluster, databaseEngine: o.databaseEngine, localSuffix: o.localSuffix, localDbPrefix: o.localDbPrefix, checkExchange: o.checkExchange, database: o.credentials?.database ?? null });
  }

  sourceSchema(source: { database: string | null; schema: string; source_name: string }): string {
    return source.schema === source.source_name && source.database ? source.database : source.schema;
  }
  override readonly dispatchPrefixes = ['clickhouse', 'default'];
  // No ClickHouse grammar in node-sql-parser: MySQL's reads backtick identifiers and most queries.
  override readonly sqlParserDialect = 'MySQL';
  protected override readonly warehouseName = 'ClickHouse';
  readonly relationClassName = 'ClickHouseRelation';
  protected override readonly logicalTypes = LOGICAL_TYPES;

  /**
   * Never Nullable, even where a field is empty, as dbt-clickhouse's seeds: the load sends NULL
   * (`\\N`) and ClickHouse stores the type's default (0, '', 1970-01-01) in its place.
   */
  override seedType(column: SeedColumnShape): string {
    return column.type === 'timestamp' && column.isoTimestamp ? LOGICAL_TYPES.timestamp.slice('Nullable('.length, -1) : SEED_TYPES[column.type];
  }
  readonly distributed: DistributedBuilders | undefined;
  readonly triggerViews: TriggerViewBuilders;
  readonly dictionaries: DictionaryBuilders;
  private readonly cluster: string | null;
  private readonly onCluster: string;

  constructor(private readonly options: ClickHouseSqlOptions = {}) {
    super();
    this.cluster = options.cluster ?? null;
    this.onCluster = options.cluster ? ` on cluster ${quoteIdentifier(options.cluster)}` : '';
    this.distributed = options.cluster ? distributedBuilders(options.cluster) : undefined;
    this.triggerViews = clickhouseTriggerViews(this.onCluster, quoteString);
    this.dictionaries = clickhouseDictionaries(this.onCluster, options.credentials ?? { user: 'default', password: '', database: 'default' }, quoteString);
  }

  // ---- hooks ----

  /** With `cluster:`, every DDL statement and mutation runs ON CLUSTER. */
  protected override clustered(name: string): string {
    return `${name}${this.onCluster}`;
  }

  /**
   * The engine clause; a model's table also gets dbt-clickhouse's `replicated_deduplication_window
   * = '0'` (unless the profile sets `allow_automatic_deduplication`), so an insert of a block that a
   * replicated table saw before is written again rather than silently dropped (dbt-clickhouse#213).
   */
  protected override tableOptions(config: Record<string, unknown>): string {
    return `\n${tableEngineClause(this.options.allowAutomaticDeduplication ? config : withDeduplicationOff(config), this.cluster)}`;
  }

  protected override limitClause(n: number): string {
    return `limit ${n}`;
  }

  protected override countRows(): string {
    return 'count()';
  }

  /** ClickHouse's EXCEPT is a multiset difference already (it has no EXCEPT ALL). */
  protected override exceptAll(): string {
    return 'except';
  }

  protected override literal(value: FixtureValue): string {
    return value === null ? 'NULL' : super.literal(value);
  }

  /** dbt-clickhouse's add_query sends the statement as it is: its seeds' bindings (the agate table) are not used. */
  override bindParameters(sql: string): string {
    return sql;
  }

  /** A NULL cast to a type that cannot hold it is cast to its Nullable twin. */
  protected override fixtureCell(value: FixtureValue, dataType: string | null): string {
    return super.fixtureCell(value, dataType && value === null && !/^Nullable/.test(dataType) ? `Nullable(${dataType})` : dataType);
  }

  protected override falseCondition(): string {
    return '0';
  }

  // ---- names and literals ----

  override quoteIdentifier(name: string): string {
    return quoteIdentifier(name);
  }

  override quoteString(value: string): string {
    return quoteString(value);
  }

  /** ClickHouse identifiers are case-sensitive, quoted or not: a bare name stands for itself. */
  override bareIdentifierName(name: string): string | null {
    return BARE_IDENTIFIER.test(name) ? name : null;
  }

  override canonicalType(dataType: string): string {
    return canonicalType(dataType);
  }

  override timestamp(at: Date): string {
    return `toDateTime64('${at.toISOString().replace('T', ' ').replace('Z', '')}', 3)`;
  }

  /** A DateTime64 literal: ClickHouse compares a DateTime column with a text bound only where it can parse it. */
  override eventTimeBound(at: Date): string {
    return this.timestamp(at);
  }

  override nullTimestamp(): string {
    return 'cast(NULL as Nullable(DateTime64(3)))';
  }

  override hashOf(expressions: string[]): string {
    return `lower(hex(MD5(concat(${expressions.map((e) => `ifNull(toString(${e}), '')`).join(", '|', ")}))))`;
  }

  // ---- DDL ----

  /** dbt-clickhouse's clickhouse__create_view_as: the model's `sql_security` clause before `as`. */
  override createView(relation: Relation, selectSql: string, options: ViewOptions = {}): string {
    const security = sqlSecurityClause(options.model);
    return `create or replace view ${this.clustered(relation.render())}${security ? ` ${security}` : ''} as (\n${selectSql}\n)`;
  }

  /** dbt-clickhouse's create_table_or_empty: the model's `query_settings` follow the SELECT as its SETTINGS clause. */
  override createTableAs(relation: Relation, selectSql: string, config: Record<string, unknown>): string {
    const settings = querySettingsClause(config.query_settings);
    return `create table ${this.clustered(relation.render())}${this.tableOptions(config)}\nas (\n${selectSql}\n)${settings ? `\n${settings}` : ''}`;
  }

  /** dbt-clickhouse's add_index_and_projections: the model's `projections` and `indexes` on the new table. */
  override tableExtras(relation: Relation, config: Record<string, unknown>): string[] {
    return projectionStatements(this.clustered(relation.render()), config);
  }

  override queryConfig(config: Record<string, unknown>): Record<string, unknown> {
    return config.query_settings === undefined ? {} : { query_settings: config.query_settings };
  }

  /**
   * dbt-clickhouse's clickhouse__can_clone_table: MergeTree-family tables clone (`CLONE AS` shares
   * their parts); other engines and distributed tables do not, and clone makes a view of them.
   */
  override canCloneTable(config: Record<string, unknown>): boolean {
    if (String(config.materialized ?? '').startsWith('distributed_')) return false;
    return String(config.engine ?? 'MergeTree()').includes('MergeTree');
  }

  /** dbt-clickhouse's clickhouse__create_or_replace_clone. */
  override createOrReplaceClone(target: Relation, source: Relation): string {
    return `create or replace table ${this.clustered(target.render())} clone as ${source.render()}`;
  }

  /** A dictionary is dropped (and named) as one; anything else as ANSI names it. */
  protected override objectKeyword(type: RelationType | null | undefined): string {
    return type === 'dictionary' ? 'dictionary' : super.objectKeyword(type);
  }

  /** No CASCADE; `sync` waits until the table's data is gone, so its name can be used again at once. */
  override dropRelation(relation: Relation, type: RelationType): string {
    return `drop ${this.objectKeyword(type)} if exists ${this.clustered(relation.render())} sync`;
  }

  override renameRelation(from: Relation, toIdentifier: string): string {
    return `rename table ${from.render()} to ${this.clustered(from.with({ identifier: toIdentifier }).render())}`;
  }

  /** The profile's schema is a ClickHouse database. */
  override createSchema(_database: string | null, schema: string): string {
    const engine = this.options.databaseEngine ? ` engine = ${this.options.databaseEngine}` : '';
    return `create database if not exists ${this.clustered(quoteIdentifier(schema))}${engine}`;
  }

  override dropSchema(_database: string | null, schema: string): string {
    return `drop database if exists ${this.clustered(quoteIdentifier(schema))}`;
  }

  override truncate(relation: Relation): string {
    return `truncate table if exists ${this.clustered(relation.render())}`;
  }

  /** dbt-clickhouse's clickhouse__add_columns: `if not exists`, and the column's `codec` from the model's YAML (codec_clause). */
  override addColumn(relation: Relation, column: string, dataType: string, declared?: Readonly<Record<string, unknown>>): string {
    const { codec } = columnClauses(declared ?? {});
    return `alter table ${this.clustered(relation.render())} add column if not exists ${quoteIdentifier(column)} ${dataType}${codec ? ` CODEC(${codec})` : ''}`;
  }

  override alterColumnType(relation: Relation, column: string, dataType: string): string {
    return `alter table ${this.clustered(relation.render())} modify column ${quoteIdentifier(column)} ${dataType}`;
  }

  override commentOn(relation: Relation, column: string | null, comment: string): string {
    return column === null
      ? `alter table ${this.clustered(relation.render())} modify comment ${quoteString(comment)}`
      : `alter table ${this.clustered(relation.render())} comment column ${quoteIdentifier(column)} ${quoteString(comment)}`;
  }

  /**
   * As dbt-clickhouse's render_raw_columns_constraints / render_model_constraint: the model's CHECK
   * constraints (ClickHouse enforces them and non-Nullable types); columns' constraints and keys are
   * left out, with unsupportedConstraints' warnings.
   */
  override contractColumns(columns: ContractColumn[], constraints: TableConstraint[], naming: { table: string; salt: string }): string {
    let n = 0;
    const checks = constraints
      .filter((c) => c.type === 'check' && c.expression)
      .map((c) => `    constraint ${quoteIdentifier(c.name ?? `${naming.table.slice(0, 40)}_check_${n++}`)} check ${c.expression}`);
    // dbt-clickhouse's render_raw_columns_constraints: each column's `codec`, then its `ttl`.
    const definitions = columns.map((c) => [`    ${quoteIdentifier(c.name)} ${c.dataType}`, c.codec ? `CODEC(${c.codec})` : '', c.ttl ? `TTL ${c.ttl}` : ''].filter(Boolean).join(' '));
    return `(\n${[...definitions, ...checks].join(',\n')}\n)`;
  }

  /** The contracted table's insert, its column names quoted. */
  override contractInsert(target: Relation, columns: ContractColumn[], selectSql: string): string {
    return this.insertQuery(target, columns.map((c) => c.name), selectSql);
  }

  /** dbt-clickhouse's ConstraintNotSupported warnings: one per column with constraints, one per model-level key. */
  unsupportedConstraints(columns: ContractColumn[], constraints: TableConstraint[]): string[] {
    const notSupported = (type: string) => `The constraint type ${type} is not supported by clickhouse, and will be ignored. Set 'warn_unsupported: false' on this constraint to ignore this warning.`;
    return [
      ...columns.filter((c) => c.constraints.length > 0).map(() => notSupported('column')),
      ...constraints.filter((c) => c.type !== 'check' && c.type !== 'custom' && c.warnUnsupported !== false).map((c) => notSupported(c.type)),
    ];
  }

  // ---- DML ----

  /** A lightweight delete of the batch's keys (no USING or correlated EXISTS; predicates name columns bare). */
  override deleteMatching(target: Relation, source: Relation, keys: string[], predicates: string[], config?: Record<string, unknown>): string {
    const cols = this.columnList(keys);
    const key = keys.length === 1 ? cols : `(${cols})`;
    const where = [`${key} in (select ${cols} from ${source.render()})`, ...predicates.map((p) => `  and ${p}`)].join('\n');
    return hasProjections(config) ? this.deleteWhere(target, where, config) : `delete from ${this.clustered(target.render())}\nwhere ${where}`;
  }

  /**
   * A lightweight `delete from`; a table with projections (the model's `projections` config) takes
   * no lightweight delete (ClickHouse refuses it, or needs lightweight_mutation_projection_mode on
   * 24.7+), so its rows go through a mutation that rebuilds the projections, waited for.
   */
  override deleteWhere(target: Relation, predicate: string, config?: Record<string, unknown>): string {
    if (hasProjections(config)) return `alter table ${this.clustered(target.render())}\ndelete where ${predicate}\nsettings mutations_sync = 2`;
    return super.deleteWhere(target, predicate);
  }

  /**
   * ClickHouse has no MERGE (capabilities.merge is false): callers delete the matching keys and
   * insert; this is the insert half, kept for completeness (and `upsert`'s default).
   */
  override merge(target: Relation, source: Relation, _keys: string[], columns: string[]): string {
    return this.insertFrom(target, source, columns);
  }

  override freshnessQuery(from: { relation: Relation; field: string; filter: string | null } | { query: string }): string {
    const epoch = (expr: string) => `toUnixTimestamp64Milli(toDateTime64(${expr}, 3, 'UTC')) / 1000`;
    if ('query' in from) return `select ${epoch(`(\n${from.query.trim().replace(/;\s*$/, '')}\n)`)} as max_loaded_at_epoch`;
    const where = from.filter ? `\nwhere ${from.filter}` : '';
    return `select ${epoch(`maxOrNull(${from.field})`)} as max_loaded_at_epoch from ${from.relation.render()}${where}`;
  }

  // ---- loader: a ReplacingMergeTree keyed by the idempotency key ----

  override createTableIfMissing(relation: Relation, columns: LoadColumn[], uniqueKey: string[] | null): string {
    // Inserts carrying an insert_deduplication_token are remembered (the last 1000 per table), so
    // a retried batch is not written twice; Replicated engines keep such a window by default.
    const dedup = this.cluster ? {} : { settings: { non_replicated_deduplication_window: 1000 } };
    const engine = uniqueKey?.length ? { engine: 'ReplacingMergeTree()', order_by: uniqueKey.map(quoteIdentifier), ...dedup } : dedup;
    return `create table if not exists ${this.clustered(relation.render())} (\n${this.columnDefinitions(columns).join(',\n')}\n)${this.tableOptions(engine)}`;
  }

  override createBatchTable(relation: Relation, columns: LoadColumn[]): string {
    return `create temporary table if not exists ${relation.render()} (\n${this.columnDefinitions(columns).join(',\n')}\n)`;
  }

  /** The ReplacingMergeTree drops repeated keys itself. */
  override insertNewRows(target: Relation, batch: Relation, columns: string[]): string {
    return this.insertFrom(target, batch, columns);
  }

  override upsertValues(target: Relation, columns: string[], _keys: string[], rows: FixtureValue[][]): string {
    return `insert into ${target.render()} (${this.columnList(columns)}) values ${rows.map((r) => `(${r.map((v) => this.literal(v)).join(', ')})`).join(', ')}`;
  }
}

/** dbt-clickhouse's DEDUP_WINDOW_SETTING_SUPPORTED_MATERIALIZATION. */
const DEDUP_WINDOW_MATERIALIZATIONS = new Set(['table', 'incremental', 'ephemeral', 'materialized_view']);

/** dbt-clickhouse's update_model_settings: the setting added after the model's own, which win. */
function withDeduplicationOff(config: Record<string, unknown>): Record<string, unknown> {
  if (!DEDUP_WINDOW_MATERIALIZATIONS.has(String(config.materialized))) return config;
  const settings = config.settings && typeof config.settings === 'object' ? (config.settings as Record<string, unknown>) : {};
  return 'replicated_deduplication_window' in settings ? config : { ...config, settings: { ...settings, replicated_deduplication_window: '0' } };
}

export function clickhouseSql(options: ClickHouseSqlOptions = {}): SqlBuilders {
  return new ClickHouseSqlBuilders(options);
}
