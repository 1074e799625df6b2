// The default SQL builders: every SqlBuilders member in ANSI SQL's spelling, which each adapter's
// builders extend, overriding only where its dialect differs (as SQLAlchemy's dialect compilers
// and Knex's per-dialect query compilers do). Beside the builders of adapter.ts, a few protected
// hooks name the pieces dialects spell differently inside otherwise shared statements (the ON
// CLUSTER of ClickHouse DDL, a row limit, a relation kind's keyword), so a dialect overrides a
// word, not a statement.
//
// Builders are pure functions of their inputs (golden-tested), and are handed around unbound
// (`const { quoteIdentifier: q } = adapter.sql`, `columns.map(sql.quoteIdentifier)`): the
// constructor binds every method to its instance.
import type { ContractColumn, FixtureValue, LoadColumn, LogicalType, SeedColumnShape, SqlBuilders, TableConstraint } from './adapter.js';
import { contractColumnList } from './contract-ddl.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { Relation, type IncludePolicy, type QuotePolicy, type RelationType } from './relation.js';

/** SQL's standard types for the logical seed types. */
const ANSI_TYPES: Record<LogicalType, string> = {
  integer: 'integer',
  bigint: 'bigint',
  float: 'double precision',
  numeric: 'numeric',
  boolean: 'boolean',
  date: 'date',
  timestamp: 'timestamp',
  text: 'varchar',
};

/** SQL's regular identifier: a letter, then letters, digits and `_`. */
const REGULAR_IDENTIFIER = /^[A-Za-z][A-Za-z0-9_]*$/;

/** ANSI SQL's builders; an adapter's builders extend this class and override what differs. */
function bindingCount(given: number, message: string): TsdbtError {
  return new TsdbtError(`adapter.add_query(): ${message} (${given} bindings)`, {
    code: 'adapter-args',
    hint: 'give one binding per %s placeholder (get_binding_char()), and write a literal percent sign as %%',
  });
}

export class AnsiSqlBuilders implements SqlBuilders {
  readonly defaultQuotePolicy: QuotePolicy = { database: true, schema: true, identifier: true };
  readonly defaultIncludePolicy: IncludePolicy = { database: true, schema: true, identifier: true };
  readonly dispatchPrefixes: string[] = ['default'];
  /** node-sql-parser has no ANSI grammar: PostgreSQL's reads double-quoted identifiers and standard queries. */
  readonly sqlParserDialect: string = 'PostgresQL';
  /** The warehouse's name in messages (`... which <name> names cannot hold`). */
  protected readonly warehouseName: string = 'this warehouse';
  /** The seed types (`typeFor`). */
  protected readonly logicalTypes: Record<LogicalType, string> = ANSI_TYPES;

  constructor() {
    // Most derived first, so an override is the method bound.
    for (let proto = Object.getPrototypeOf(this) as object | null; proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto) as object | null) {
      for (const name of Object.getOwnPropertyNames(proto)) {
        const value: unknown = (this as unknown as Record<string, unknown>)[name];
        if (name === 'constructor' || Object.hasOwn(this, name) || typeof value !== 'function') continue;
        Object.defineProperty(this, name, { value: (value as (...args: unknown[]) => unknown).bind(this), writable: true, configurable: true, enumerable: true });
      }
    }
  }

  // ---- hooks: the pieces dialects spell differently ----

  /** A name as DDL and mutations address it (ClickHouse adds `on cluster`). */
  protected clustered(name: string): string {
    return name;
  }

  /** The keyword naming a relation kind in DROP / ALTER / COMMENT. */
  protected objectKeyword(type: RelationType | null | undefined): string {
    return type === 'view' ? 'view' : 'table';
  }

  /** The words before the name in `create table` (PostgreSQL's `create unlogged table`). */
  protected createTableKeyword(_config: Record<string, unknown>): string {
    return 'create table';
  }

  /** What follows a created table's column list (ClickHouse's engine clause). */
  protected tableOptions(_config: Record<string, unknown>): string {
    return '';
  }

  /** A query's row limit. */
  protected limitClause(n: number): string {
    return `fetch first ${n} rows only`;
  }

  /** The aggregate counting rows. */
  protected countRows(): string {
    return 'count(*)';
  }

  /** Multiset difference (unit tests' rowsDiff). */
  protected exceptAll(): string {
    return 'except all';
  }

  /** A column as rowsDiff compares it: as it is, unless its type has no equality (a dialect's override). */
  protected comparable(quoted: string, _dataType: string | null): string {
    return quoted;
  }

  /** A fixture or offset value as a literal. */
  protected literal(value: FixtureValue): string {
    return value === null ? 'null' : typeof value === 'string' ? this.quoteString(value) : String(value);
  }

  /** A fixture cell: the literal, cast to its column's type when known. */
  protected fixtureCell(value: FixtureValue, dataType: string | null): string {
    const literal = this.literal(value);
    // A string cast to `character varying(5)` would be cut to 5 characters; dbt casts a fixture's
    // strings to the type without its length (dbt-core#11974), so a value longer than the input's
    // column stays whole.
    const type = dataType && typeof value === 'string' && /varying/i.test(dataType) ? (dataType.split('(')[0] ?? dataType).trim() : dataType;
    return type ? `cast(${literal} as ${type})` : literal;
  }

  /** A condition no row meets (an empty fixture). */
  protected falseCondition(): string {
    return 'false';
  }

  /** `"a", "b"`. */
  protected columnList(columns: readonly string[]): string {
    return columns.map((c) => this.quoteIdentifier(c)).join(', ');
  }

  /** A table's column definitions, one per line. */
  protected columnDefinitions(columns: readonly LoadColumn[]): string[] {
    return columns.map((c) => `    ${this.quoteIdentifier(c.name)} ${c.dataType}`);
  }

  /** `dbt_internal_dest."k" = dbt_internal_source."k"` per key: the match of merges and deletes. */
  protected keysMatch(keys: readonly string[]): string[] {
    return keys.map((k) => `dbt_internal_dest.${this.quoteIdentifier(k)} = dbt_internal_source.${this.quoteIdentifier(k)}`);
  }

  // ---- names and literals ----

  /** `"name"`, with embedded double quotes doubled. */
  quoteIdentifier(name: string): string {
    return `"${name.replace(/"/g, '""')}"`;
  }

  /** `'text'`, with embedded single quotes doubled. */
  quoteString(value: string): string {
    return `'${value.replace(/'/g, "''")}'`;
  }

  /**
   * psycopg2's paramstyle `format`, dbt-adapters' `get_binding_char()` (`%s`): each `%s` is the next
   * binding as a literal, `%%` a percent sign; as psycopg2, a count that differs is an error.
   */
  bindParameters(sql: string, bindings: readonly FixtureValue[]): string {
    let next = 0;
    const bound = sql.replace(/%([%s])/g, (_all, kind: string) => {
      if (kind === '%') return '%';
      if (next >= bindings.length) throw bindingCount(bindings.length, 'not enough arguments for format string');
      return this.literal(bindings[next++] ?? null);
    });
    if (next < bindings.length) throw bindingCount(bindings.length, 'not all arguments converted during string formatting');
    return bound;
  }

  /** SQL folds a regular identifier to upper case. */
  bareIdentifierName(name: string): string | null {
    return REGULAR_IDENTIFIER.test(name) ? name.toUpperCase() : null;
  }

  storedColumnName(name: string): string {
    return name;
  }

  relationNameProblem(_identifier: string): string | null {
    return null;
  }

  columnNameProblem(name: string): string | null {
    return name.includes('\u0000') ? `contains a NUL character, which ${this.warehouseName} names cannot hold` : null;
  }

  typeFor(type: LogicalType): string {
    return this.logicalTypes[type];
  }

  seedType(column: SeedColumnShape): string {
    return this.typeFor(column.type);
  }

  /** Lower case, without length, precision or surrounding space. */
  canonicalType(dataType: string): string {
    return dataType.trim().toLowerCase().replace(/\s+/g, ' ').replace(/\s*\([^)]*\)/g, '');
  }

  contractTypeKey(dataType: string): string {
    return this.canonicalType(dataType);
  }

  contractTypeName(dataType: string): string {
    return dataType;
  }

  timestamp(at: Date): string {
    return `cast('${at.toISOString().replace('T', ' ').replace('Z', '')}' as timestamp)`;
  }

  /**
   * A bound of an input's event-time filter (microbatch, --sample), as dbt-adapters'
   * `_render_event_time_filtered` writes it: the UTC datetime's Python text in quotes,
   * `'2025-01-01 02:03:00+00:00'`, which a timestamptz column reads as that instant whatever the
   * session's time zone.
   */
  eventTimeBound(at: Date): string {
    const iso = at.toISOString();
    const ms = at.getUTCMilliseconds();
    return `'${iso.slice(0, 10)} ${iso.slice(11, 19)}${ms === 0 ? '' : `.${String(ms * 1000).padStart(6, '0')}`}+00:00'`;
  }

  nullTimestamp(): string {
    return 'cast(null as timestamp)';
  }

  hashOf(expressions: string[]): string {
    return `md5(${expressions.map((e) => `coalesce(cast(${e} as varchar), '')`).join(` || '|' || `)})`;
  }

  temporaryRelation(identifier: string): Relation {
    return new Relation({ identifier, type: 'table' }, this, { include: { database: false, schema: false, identifier: true } });
  }

  // ---- DDL ----

  /** dbt's default__can_clone_table: no zero-copy clones (tsdbt clone makes views). */
  canCloneTable(_config: Record<string, unknown>): boolean {
    return false;
  }

  queryConfig(_config: Record<string, unknown>): Record<string, unknown> {
    return {};
  }

  /** dbt's default__create_or_replace_clone. */
  createOrReplaceClone(target: Relation, source: Relation): string {
    return `create or replace table ${this.clustered(target.render())} clone ${source.render()}`;
  }

  createView(relation: Relation, selectSql: string, options: { orReplace?: boolean } = {}): string {
    return `create ${options.orReplace ? 'or replace ' : ''}view ${this.clustered(relation.render())} as (\n${selectSql.trim()}\n)`;
  }

  createTableAs(relation: Relation, selectSql: string, config: Record<string, unknown>, options: { temporary?: boolean } = {}): string {
    // A temporary table lives in the session's own schema: its name takes no database or schema.
    if (options.temporary) return `create temporary table ${relation.include({ database: false, schema: false }).render()} as (\n${selectSql.trim()}\n)`;
    return `${this.createTableKeyword(config)} ${this.clustered(relation.render())} as (\n${selectSql.trim()}\n)`;
  }

  createTable(relation: Relation, columns: LoadColumn[], config: Record<string, unknown>): string {
    return `${this.createTableKeyword(config)} ${this.clustered(relation.render())} (\n${this.columnDefinitions(columns).join(',\n')}\n)${this.tableOptions(config)}`;
  }

  dropRelation(relation: Relation, type: RelationType): string {
    return `drop ${this.objectKeyword(type)} if exists ${this.clustered(relation.render())} cascade`;
  }

  renameRelation(from: Relation, toIdentifier: string): string {
    return `alter ${this.objectKeyword(from.type)} ${this.clustered(from.render())} rename to ${this.quoteIdentifier(toIdentifier)}`;
  }

  /** A schema has a one-part name (a schema in another catalog cannot be created from here). */
  createSchema(_database: string | null, schema: string): string {
    return `create schema if not exists ${this.clustered(this.quoteIdentifier(schema))}`;
  }

  dropSchema(_database: string | null, schema: string): string {
    return `drop schema if exists ${this.clustered(this.quoteIdentifier(schema))} cascade`;
  }

  truncate(relation: Relation): string {
    return `truncate table ${this.clustered(relation.render())}`;
  }

  /** Names of constraints that create indexes start with `naming.table` and include `naming.salt`. */
  tableExtras(_relation: Relation, _config: Record<string, unknown>, _naming: { table: string; salt: string }): string[] {
    return [];
  }

  addColumn(relation: Relation, column: string, dataType: string): string {
    return `alter table ${this.clustered(relation.render())} add column ${this.quoteIdentifier(column)} ${dataType}`;
  }

  dropColumn(relation: Relation, column: string): string {
    return `alter table ${this.clustered(relation.render())} drop column ${this.quoteIdentifier(column)}`;
  }

  alterColumnType(relation: Relation, column: string, dataType: string): string {
    return `alter table ${this.clustered(relation.render())} alter column ${this.quoteIdentifier(column)} set data type ${dataType}`;
  }

  commentOn(relation: Relation, column: string | null, comment: string): string {
    const target = column === null ? `${this.objectKeyword(relation.type)} ${relation.render()}` : `column ${relation.render()}.${this.quoteIdentifier(column)}`;
    return `comment on ${target} is ${this.quoteString(comment)}`;
  }

  createContractTable(relation: Relation, columns: ContractColumn[], constraints: TableConstraint[], naming: { table: string; salt: string }): string {
    return `create table ${this.clustered(relation.render())} ${this.contractColumns(columns, constraints, naming)}${this.tableOptions({})}`;
  }

  contractColumns(columns: ContractColumn[], constraints: TableConstraint[], naming: { table: string; salt: string }): string {
    return contractColumnList(columns, constraints, naming, (name) => this.quoteIdentifier(name));
  }

  // ---- DML ----

  insertFrom(target: Relation, source: Relation, columns: string[]): string {
    const cols = this.columnList(columns);
    return `insert into ${target.render()} (${cols})\nselect ${cols} from ${source.render()}`;
  }

  insertQuery(target: Relation, columns: string[], selectSql: string): string {
    const cols = this.columnList(columns);
    return `insert into ${target.render()} (${cols})\nselect ${cols} from (\n${selectSql}\n) as model_subq`;
  }

  deleteMatching(target: Relation, source: Relation, keys: string[], predicates: string[]): string {
    const exists = `where exists (select 1 from ${source.render()} as dbt_internal_source where ${this.keysMatch(keys).join(' and ')})`;
    return [`delete from ${this.clustered(target.render())} as dbt_internal_dest`, exists, ...predicates.map((p) => `  and ${p}`)].join('\n');
  }

  deleteWhere(target: Relation, predicate: string): string {
    return `delete from ${this.clustered(target.render())} where ${predicate}`;
  }

  merge(target: Relation, source: Relation, keys: string[], columns: string[], predicates: string[], updateColumns: string[] = columns): string {
    const q = (c: string) => this.quoteIdentifier(c);
    const updates = updateColumns.filter((c) => !keys.includes(c)).map((c) => `${q(c)} = dbt_internal_source.${q(c)}`);
    return [
      `merge into ${target.render()} as dbt_internal_dest`,
      `using ${source.render()} as dbt_internal_source`,
      `on (${[...this.keysMatch(keys), ...predicates].join(' and ')})`,
      ...(updates.length ? [`when matched then update set ${updates.join(', ')}`] : []),
      `when not matched then insert (${this.columnList(columns)}) values (${columns.map((c) => `dbt_internal_source.${q(c)}`).join(', ')})`,
    ].join('\n');
  }

  /** SQL has no upsert statement: a MERGE without predicates has its result. */
  upsert(target: Relation, source: Relation, keys: string[], columns: string[], updateColumns: string[] = columns): string {
    return this.merge(target, source, keys, columns, [], updateColumns);
  }

  duplicateKeys(relation: Relation, keys: string[], limit: number): string {
    const cols = this.columnList(keys);
    const count = this.countRows();
    return `select ${cols}, ${count} as n from ${relation.render()} group by ${cols} having ${count} > 1 ${this.limitClause(Math.max(1, Math.trunc(limit)))}`;
  }

  limit(selectSql: string, n: number): string {
    return `select * from (\n${selectSql.trim()}\n) as model_limit_subq\n${this.limitClause(Math.max(0, Math.trunc(n)))}`;
  }

  valuesQuery(columns: { name: string; dataType: string | null }[], rows: FixtureValue[][]): string {
    const select = (values: FixtureValue[]) => `select ${columns.map((c, i) => `${this.fixtureCell(values[i] ?? null, c.dataType)} as ${this.quoteIdentifier(c.name)}`).join(', ')}`;
    if (rows.length === 0) return `${select(columns.map(() => null))} where ${this.falseCondition()}`;
    return rows.map(select).join('\nunion all\n');
  }

  rowsDiff(expectedSql: string, actualSql: string, columns: string[], dataTypes: (string | null)[] = []): string {
    const cols = this.columnList(columns);
    const compared = columns.map((c, i) => {
      const q = this.quoteIdentifier(c);
      const expr = this.comparable(q, dataTypes[i] ?? null);
      return expr === q ? q : `${expr} as ${q}`;
    });
    const converted = compared.some((c, i) => c !== this.quoteIdentifier(columns[i] ?? ''));
    const source = (sql: string, alias: string) => (converted ? `(select ${compared.join(', ')} from (\n${sql}\n) as ${alias}_in)` : `(\n${sql}\n)`);
    const numbered = (sql: string, alias: string) => `select ${cols}, row_number() over (partition by ${cols}) as dbt_row_n from ${source(sql, alias)} as ${alias}`;
    const except = this.exceptAll();
    return [
      `with dbt_expected as (${numbered(expectedSql, 'e')}),`,
      `dbt_actual as (${numbered(actualSql, 'a')})`,
      `select 'expected' as dbt_side, * from (select * from dbt_expected ${except} select * from dbt_actual) as missing`,
      'union all',
      `select 'actual' as dbt_side, * from (select * from dbt_actual ${except} select * from dbt_expected) as extra`,
    ].join('\n');
  }

  /** Seconds since 1970 (`extract(epoch ...)`, the common spelling: SQL itself has no epoch field). */
  freshnessQuery(from: { relation: Relation; field: string; filter: string | null } | { query: string }): string {
    if ('query' in from) return `select cast(extract(epoch from max_loaded_at) as double precision) as max_loaded_at_epoch from (\n${from.query.trim().replace(/;\s*$/, '')}\n) as loaded(max_loaded_at)`;
    const where = from.filter ? `\nwhere ${from.filter}` : '';
    return `select cast(extract(epoch from max(${from.field})) as double precision) as max_loaded_at_epoch from ${from.relation.render()}${where}`;
  }

  // ---- loader ----

  createTableIfMissing(relation: Relation, columns: LoadColumn[], uniqueKey: string[] | null): string {
    const body = this.columnDefinitions(columns);
    if (uniqueKey?.length) body.push(`    unique (${this.columnList(uniqueKey)})`);
    return `create table if not exists ${this.clustered(relation.render())} (\n${body.join(',\n')}\n)`;
  }

  createBatchTable(relation: Relation, columns: LoadColumn[]): string {
    return `create temporary table if not exists ${relation.render()} (\n${this.columnDefinitions(columns).join(',\n')}\n) on commit delete rows`;
  }

  /** Rows of the batch whose key is neither in the target nor earlier in the batch (the first of each key). */
  insertNewRows(target: Relation, batch: Relation, columns: string[], key: string[] | null, orderBy: string[]): string {
    const cols = this.columnList(columns);
    const order = orderBy.length ? `\norder by ${this.columnList(orderBy)}` : '';
    if (!key?.length) return `insert into ${target.render()} (${cols})\nselect ${cols} from ${batch.render()}${order}`;
    const keys = this.columnList(key);
    const matches = key.map((k) => `t.${this.quoteIdentifier(k)} = b.${this.quoteIdentifier(k)}`).join(' and ');
    const firstOfKey = `select b.*, row_number() over (partition by ${keys}${orderBy.length ? ` order by ${this.columnList(orderBy)}` : ''}) as dbt_key_n from ${batch.render()} as b`;
    return [
      `insert into ${target.render()} (${cols})`,
      `select ${cols} from (${firstOfKey}) as b`,
      `where b.dbt_key_n = 1 and not exists (select 1 from ${target.render()} as t where ${matches})${order}`,
    ].join('\n');
  }

  /** A MERGE of literal rows: the other columns of rows whose keys exist are updated. */
  upsertValues(target: Relation, columns: string[], keys: string[], rows: FixtureValue[][]): string {
    const q = (c: string) => this.quoteIdentifier(c);
    const updates = columns.filter((c) => !keys.includes(c)).map((c) => `${q(c)} = dbt_internal_source.${q(c)}`);
    return [
      `merge into ${target.render()} as dbt_internal_dest`,
      `using (values ${rows.map((r) => `(${r.map((v) => this.literal(v)).join(', ')})`).join(', ')}) as dbt_internal_source (${this.columnList(columns)})`,
      `on (${this.keysMatch(keys).join(' and ')})`,
      ...(updates.length ? [`when matched then update set ${updates.join(', ')}`] : []),
      `when not matched then insert (${this.columnList(columns)}) values (${columns.map((c) => `dbt_internal_source.${q(c)}`).join(', ')})`,
    ].join('\n');
  }
}
