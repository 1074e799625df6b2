// The default SQL builders: every SqlBuilders member in ANSI SQL's spelling, which each adapter's
// builders extend, overriding only where its dialect differs (as SQLAlchemy's dialect compilers
// and Knex's per-dialect query compilers do). Beside the builders of adapter.ts, a few protected
// hooks name the pieces dialects spell differently inside otherwise shared statements (the ON
// CLUSTER of ClickHouse DDL, a row limit, a relation kind's keyword), so a dialect overrides a
// word, not a statement.
//
// Builders are pure functions of their inputs (golden-tested), and are handed around unbound
// (`const { quoteIdentifier: q } = adapter.sql`, `columns.map(sql.quoteIdentifier)`): the
// constructor binds every method to its instance. The names, literals, types and hooks are
// default-sql-names.ts' AnsiSqlNames, which this class extends with the statements.
import type { ContractColumn, FixtureValue, LoadColumn, SqlBuilders, TableConstraint } from './adapter.js';
import { contractColumnList, contractInsert } from './contract-ddl.js';
import { AnsiSqlNames } from './default-sql-names.js';
import { Relation, type RelationType } from './relation.js';
import type { ViewOptions } from './sql-builders.js';

/** ANSI SQL's builders; an adapter's builders extend this class and override what differs. */
export class AnsiSqlBuilders extends AnsiSqlNames implements SqlBuilders {
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

  createView(relation: Relation, selectSql: string, options: ViewOptions = {}): string {
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

  contractColumns(columns: ContractColumn[], constraints: TableConstraint[], _naming: { table: string; salt: string }): string {
    return contractColumnList(columns, constraints, (name, quoted) => this.yamlName(name, quoted));
  }

  contractInsert(target: Relation, columns: ContractColumn[], selectSql: string): string {
    return contractInsert(target.render(), columns, selectSql, (name, quoted) => this.yamlName(name, quoted));
  }

  /**
   * A name from the YAML in a contracted table's DDL. dbt writes it as it is unless `quote: true`
   * (render_raw_columns_constraints, get_column_names): so does tsdbt where the dialect reads it bare
   * as that column (`writesBare`). Any other is quoted: as written with `quote: true` or when not a
   * plain identifier (where dbt's raw text would be a syntax error, or SQL of the file's choosing),
   * else as the warehouse folds it bare (a reserved word: `From` -> `"from"` on PostgreSQL).
   */
  protected yamlName(name: string, quoted: boolean): string {
    if (!quoted && this.writesBare(name)) return name;
    return this.quoteIdentifier(quoted ? name : (this.bareIdentifierName(name) ?? name));
  }

  /** Whether `name`, written bare in DDL, is a column of that name as the warehouse folds it: ANSI's builders quote every name. */
  protected writesBare(_name: string): boolean {
    return false;
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
