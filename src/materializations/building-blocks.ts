// The building blocks of the built-in materializations, looked up as dbt looks them up: each block
// is one of dbt's overridable macros (`create_table_as`, `get_create_view_as_sql`, `get_merge_sql`,
// `get_incremental_<strategy>_sql`, `alter_column_type`, `get_create_index_sql`, ...). When a
// project or package replaces the macro (a macro of that name, or a `<adapter>__` / `default__`
// implementation found by `adapter.dispatch(name, 'dbt')` before dbt's own), the block renders it
// in the node's context; otherwise it is the adapter's SQL builder, with no template rendered.
// The macro tables and the types blocks take are block-macros.ts's.
import type { Adapter, ColumnInfo, Connection, LoadColumn, MaterializedViewBuilders } from '../adapters/adapter.js';
import { TsdbtError } from '../errors/tsdbt-error.js';
import { Relation } from '../adapters/relation.js';
import type { BatchContext } from '../jinja/dbt/model-batch.js';
import type { ManifestNode } from '../manifest/types.js';
import { BLOCK_MACROS, STRATEGY_MACROS, columnInfoOf, strategyMacroName, type IncrementalArgs, type MacroCaller } from './block-macros.js';

export { strategyMacroName, type IncrementalArgs, type MacroCaller } from './block-macros.js';

export class BuildingBlocks {
  constructor(
    private readonly node: ManifestNode,
    private readonly adapter: Adapter,
    private readonly macros: MacroCaller | null,
  ) {}

  private replaced(names: readonly string[]): boolean {
    return this.macros !== null && names.some((name) => this.macros?.overridden(name));
  }

  private async sql(conn: Connection, name: string, args: unknown[], options: { thisRelation?: Relation; extra?: Record<string, unknown> } = {}): Promise<string> {
    const value = await (this.macros as MacroCaller).call(conn, name, args, options);
    return value === null || value === undefined ? '' : String(value).trim();
  }

  /** The model's `sql_header` config (`{% call set_sql_header(config) %}`), or null. */
  private header(): string | null {
    const header = this.node.config.sql_header;
    return typeof header === 'string' && header.trim() ? header.trim() : null;
  }

  /**
   * As dbt's create_table_as / create_view_as: the `sql_header` in front of the statement, sent with
   * it (also for statements the materialization writes itself, a contract's create table).
   */
  headed(statement: string): string {
    const header = this.header();
    return header === null ? statement : `${header}\n${statement}`;
  }

  /**
   * True when the adapter's own builder makes a relation of this kind, with no `sql_header`: each
   * statement it writes is one statement, so the relation can be built in place (Adapter.buildInPlace).
   */
  buildsOwn(type: 'table' | 'view'): boolean {
    return this.header() === null && !this.replaced(type === 'table' ? BLOCK_MACROS.createTable : BLOCK_MACROS.createView);
  }

  /**
   * dbt's `apply_grants(target, config.grants, should_revoke(existing, full_refresh_mode))`, which
   * every built-in materialization calls after its build: the relation is granted what the
   * `grants` config lists and, where old grants may have carried over, revoked what it no longer
   * lists. Both are dbt's macros (grants.sql), so a project's or adapter's replacement applies.
   * Nothing is rendered or sent when the node has no grants.
   */
  async applyGrants(conn: Connection, relation: Relation, existing: Relation | null, fullRefreshMode: boolean): Promise<void> {
    const grants = this.node.config.grants;
    if (this.macros === null || !grants || typeof grants !== 'object' || Object.keys(grants).length === 0) return;
    const revoke = await this.macros.call(conn, 'should_revoke', [existing, fullRefreshMode]);
    await this.macros.call(conn, 'apply_grants', [relation, grants, revoke === true]);
  }

  /**
   * dbt's `adapter.get_columns_in_relation(relation)`, which runs the macro of that name
   * (`execute_macro`), so a project's or package's replacement, or a `<adapter>__` implementation
   * it dispatches to, answers; else the adapter's own introspection.
   */
  async columnsIn(conn: Connection, relation: Relation): Promise<ColumnInfo[]> {
    const replaced = this.replacedColumnsIn(conn, relation);
    return replaced ? columnInfoOf(await replaced) : this.adapter.getColumns(conn, relation);
  }

  /** What a project's `get_columns_in_relation` returns for `relation` (dbt's Column objects); null when none replaces dbt's. */
  private replacedColumnsIn(conn: Connection, relation: Relation): Promise<unknown> | null {
    if (!this.replaced(BLOCK_MACROS.columnsInRelation)) return null;
    return (this.macros as MacroCaller).call(conn, 'get_columns_in_relation', [relation]);
  }

  /** True when a project replaced how tables are created (a contracted table then goes through it too). */
  replacesCreateTable(): boolean {
    return this.replaced(BLOCK_MACROS.createTable);
  }

  /**
   * `create table <relation> as (<sql>)`: dbt's `get_create_table_as_sql(temporary, relation, sql)`.
   * `contractColumns`: an enforced contract's checked column list, which the project's macro gets
   * from dbt's `get_table_columns_and_constraints()`.
   */
  async createTableAs(conn: Connection, relation: Relation, selectSql: string, options: { temporary?: boolean; config?: Record<string, unknown>; contractColumns?: string } = {}): Promise<string> {
    if (this.replaced(BLOCK_MACROS.createTable)) {
      const extra = options.contractColumns === undefined ? undefined : { tsdbt_contract_columns: options.contractColumns };
      return this.sql(conn, 'get_create_table_as_sql', [options.temporary ?? false, relation, selectSql], { extra });
    }
    return this.headed(this.adapter.sql.createTableAs(relation, selectSql, options.config ?? this.node.config, { temporary: options.temporary }));
  }

  /**
   * dbt's `make_temp_relation(base)` where the adapter's materializations stage rows in a table of
   * the session (SqlBuilders.tempRelation), named by the project's `make_temp_relation` (or the
   * `<adapter>__` / `default__` implementation dbt's dispatch finds first) if it replaced dbt's,
   * else by the adapter, with dbt's suffix: `__dbt_tmp`, `__dbt_tmp_<batch id>` in a microbatch
   * batch. Null where the adapter stages in permanent tables.
   */
  async tempRelation(conn: Connection, base: Relation, at: Date): Promise<Relation | null> {
    if (!this.adapter.sql.tempRelation) return null;
    if (this.replaced(BLOCK_MACROS.makeTempRelation)) {
      const made = await (this.macros as MacroCaller).call(conn, 'make_temp_relation', [base]);
      if (made instanceof Relation) return made;
      throw new TsdbtError(`make_temp_relation(${base.render()}) returned ${made === null || made === undefined ? 'None' : typeof made}, not a relation`, {
        code: 'adapter-args',
        nodeId: this.node.unique_id,
        location: { file: this.node.original_file_path },
        hint: "return the relation from the macro: {{ return(base_relation.incorporate(path={'identifier': ...})) }}",
      });
    }
    const batch = (this.node as { batch?: BatchContext | null }).batch;
    return this.adapter.sql.tempRelation(base, batch ? `__dbt_tmp_${batch.id}` : '__dbt_tmp', at);
  }

  /** dbt's `can_clone_table()` (tsdbt clone): the project's macro, else the adapter's answer for the node's config. */
  async canCloneTable(conn: Connection): Promise<boolean> {
    if (this.replaced(BLOCK_MACROS.canCloneTable)) return (await (this.macros as MacroCaller).call(conn, 'can_clone_table', [])) === true;
    return this.adapter.sql.canCloneTable(this.node.config);
  }

  /** dbt's `create_or_replace_clone(this_relation, defer_relation)` (tsdbt clone). */
  async createOrReplaceClone(conn: Connection, target: Relation, source: Relation): Promise<string> {
    if (this.replaced(BLOCK_MACROS.cloneTable)) return this.sql(conn, 'create_or_replace_clone', [target, source]);
    return this.adapter.sql.createOrReplaceClone(target, source);
  }

  /** `create view <relation> as <sql>`: dbt's `get_create_view_as_sql(relation, sql)`. */
  async createViewAs(conn: Connection, relation: Relation, selectSql: string): Promise<string> {
    if (this.replaced(BLOCK_MACROS.createView)) return this.sql(conn, 'get_create_view_as_sql', [relation, selectSql]);
    return this.headed(this.adapter.sql.createView(relation, selectSql, { model: this.node }));
  }

  /** The adapter's materialized view builders (the materialization checks the capability first). */
  private materializedViews(): MaterializedViewBuilders {
    const builders = this.adapter.sql.materializedViews;
    if (!builders) throw new TsdbtError(`the ${this.adapter.type} adapter has no materialized view builders`, { code: 'internal', category: 'internal' });
    return builders;
  }

  /** True when a project replaced dbt's `get_create_materialized_view_as_sql` (which then makes the indexes too, as dbt-postgres's does). */
  replacesCreateMaterializedView(): boolean {
    return this.replaced(BLOCK_MACROS.createMaterializedView);
  }

  /** `create materialized view <relation> as <sql>`: dbt's `get_create_materialized_view_as_sql(relation, sql)`. */
  async createMaterializedViewAs(conn: Connection, relation: Relation, selectSql: string): Promise<string> {
    if (this.replaced(BLOCK_MACROS.createMaterializedView)) return this.sql(conn, 'get_create_materialized_view_as_sql', [relation, selectSql]);
    return this.headed(this.materializedViews().create(relation, selectSql));
  }

  /** dbt's `refresh_materialized_view(relation)`. */
  async refreshMaterializedView(conn: Connection, relation: Relation): Promise<string> {
    if (this.replaced(BLOCK_MACROS.refreshMaterializedView)) return this.sql(conn, 'refresh_materialized_view', [relation]);
    return this.materializedViews().refresh(relation);
  }

  /**
   * Creates the given `indexes` entries on an existing relation (a materialized view's apply): the
   * project's `get_create_index_sql(relation, index_dict)` per entry when it replaced it, else the
   * adapter's statements.
   */
  async createIndexes(conn: Connection, relation: Relation, indexes: Record<string, unknown>[], naming: { table: string; salt: string }): Promise<string[]> {
    if (!this.replaced(BLOCK_MACROS.createIndex)) return this.adapter.sql.tableExtras(relation, { indexes }, naming);
    const statements: string[] = [];
    for (const index of indexes) {
      const sql = await this.sql(conn, 'get_create_index_sql', [relation, index]);
      if (sql && sql !== 'None') statements.push(sql);
    }
    return statements;
  }

  /**
   * What finishes a new table from its config (dbt-postgres's `indexes`), run on the staging table
   * before the swap. Empty when a project replaced `get_create_index_sql` / `create_indexes`: those
   * run on the final relation after the swap (`indexesAfterSwap`), where dbt's table
   * materialization calls `create_indexes(target_relation)`, so names derived from it stay unique.
   */
  tableExtras(relation: Relation, naming: { table: string; salt: string }): string[] {
    return this.replaced(BLOCK_MACROS.createIndex) ? [] : this.adapter.sql.tableExtras(relation, this.node.config, naming);
  }

  /** One `get_create_index_sql(relation, index_dict)` per index of the config, when a project replaced it. */
  async indexesAfterSwap(conn: Connection, relation: Relation): Promise<string[]> {
    if (!this.replaced(BLOCK_MACROS.createIndex)) return [];
    const indexes = Array.isArray(this.node.config.indexes) ? (this.node.config.indexes as Record<string, unknown>[]) : [];
    return this.createIndexes(conn, relation, indexes, { table: relation.identifier, salt: '' });
  }

  /**
   * The statement(s) applying an incremental batch when the strategy's macro is the project's: a
   * custom strategy (`get_incremental_<name>_sql`) or a replaced built-in one. Null when the
   * strategy is a built-in nobody replaced (the TypeScript path applies it).
   */
  async incrementalSql(conn: Connection, strategy: string, args: IncrementalArgs): Promise<string | null> {
    if (strategy in STRATEGY_MACROS && !this.replacesStrategy(strategy)) return null;
    const argDict = {
      target_relation: args.target,
      temp_relation: args.temp,
      unique_key: args.uniqueKey,
      dest_columns: await this.destColumns(conn, args.target, args.columns),
      incremental_predicates: args.predicates.length ? args.predicates : null,
    };
    return this.sql(conn, strategyMacroName(strategy), [argDict]);
  }

  /** The target's columns named in `names`, as Column objects: through a replaced `get_columns_in_relation` when there is one. */
  private async destColumns(conn: Connection, target: Relation, names: string[]): Promise<unknown[]> {
    const replaced = this.replacedColumnsIn(conn, target);
    if (!replaced) return (this.macros as MacroCaller).columns(conn, target, names);
    const found = await replaced;
    const byName = new Map((Array.isArray(found) ? (found as { name?: unknown }[]) : []).map((c) => [String(c.name), c]));
    return names.map((name) => byName.get(name)).filter((c) => c !== undefined);
  }

  /** True when a project replaced the macro of a built-in strategy (or its building block). */
  replacesStrategy(strategy: string): boolean {
    const builtin = STRATEGY_MACROS[strategy];
    return builtin !== undefined && this.replaced(builtin);
  }

  /**
   * True when the strategy has a macro the node can call: a built-in, or a `get_incremental_<name>_sql`
   * in the model's context (dbt's get_incremental_strategy_macro; the rule snapshotStrategy follows).
   */
  hasStrategy(strategy: string): boolean {
    return strategy in STRATEGY_MACROS || (this.macros?.inContext?.(strategyMacroName(strategy)) ?? false);
  }

  /**
   * Truncates through dbt's `truncate_relation(relation)` when a project replaced it (or
   * `get_truncate_sql`) and says so; false: the caller runs the adapter's statement.
   */
  async truncate(conn: Connection, relation: Relation): Promise<boolean> {
    if (!this.replaced(BLOCK_MACROS.truncate)) return false;
    await this.sql(conn, 'truncate_relation', [relation]);
    return true;
  }

  /**
   * Creates a seed's (staging) table through the project's `create_csv_table(model, agate_table)`
   * (it runs its own statement, with `this` the table to create) and says so; false: the caller
   * runs the adapter's statement.
   */
  async createCsvTable(conn: Connection, relation: Relation, columns: readonly LoadColumn[], rows: readonly (readonly (string | null)[])[] = []): Promise<boolean> {
    if (!this.replacesCsvTable()) return false;
    const macros = this.macros as MacroCaller;
    await this.sql(conn, 'create_csv_table', [this.node, macros.seedTable(columns, rows)], { thisRelation: relation });
    return true;
  }

  /** True when a project replaced dbt's `create_csv_table` (which then sees the seed's rows). */
  replacesCsvTable(): boolean {
    return this.replaced(BLOCK_MACROS.createCsvTable);
  }

  /** True when a project replaced `load_csv_rows` or a helper it calls (`get_batch_size`, `get_seed_column_quoted_csv`, `get_binding_char`). */
  replacesCsvLoad(): boolean {
    return this.replaced(BLOCK_MACROS.loadCsvRows);
  }

  /**
   * Loads a seed's rows into `relation` through dbt's `load_csv_rows(model, agate_table)` (with
   * `this` the table), which runs its own inserts (`adapter.add_query` with bindings).
   */
  async loadCsvRows(conn: Connection, relation: Relation, columns: readonly LoadColumn[], rows: readonly (readonly (string | null)[])[]): Promise<void> {
    const macros = this.macros as MacroCaller;
    await this.sql(conn, 'load_csv_rows', [this.node, macros.seedTable(columns, rows)], { thisRelation: relation });
  }

  /** A data test's summary query from the project's `get_test_sql`, or null (the built-in query). */
  async testSql(conn: Connection, mainSql: string, config: { failCalc: string; warnIf: string; errorIf: string; limit: number | null }): Promise<string | null> {
    if (!this.replaced(BLOCK_MACROS.testSql)) return null;
    return this.sql(conn, 'get_test_sql', [mainSql, config.failCalc, config.warnIf, config.errorIf, config.limit]);
  }

  /**
   * A unit test's actual and expected rows, tagged `actual_or_expected`, from the project's
   * `get_unit_test_sql(main_sql, expected_fixture_sql, expected_column_names)`, or null.
   */
  async unitTestSql(conn: Connection, mainSql: string, expectedSql: string, columnNames: string[]): Promise<string | null> {
    if (!this.replaced(BLOCK_MACROS.unitTestSql)) return null;
    return this.sql(conn, 'get_unit_test_sql', [mainSql, expectedSql, columnNames]);
  }

  /**
   * An input fixture's SQL from dbt's `get_fixture_sql(rows, none)` when a project replaced it or a
   * macro it calls (format_row, safe_cast ...), rendered as dbt renders a fixture node: `this` the
   * input's relation (whose columns type the rows), `model` the fixture (named as the input); else null.
   */
  async unitTestFixtureSql(conn: Connection, rows: Record<string, unknown>[], input: { name: string; relation: Relation }): Promise<string | null> {
    if (!this.replaced(BLOCK_MACROS.unitTestFixture)) return null;
    const model = { name: input.name, resource_type: 'model', package_name: this.node.package_name, unique_id: `model.${this.node.package_name}.${input.name}` };
    return this.sql(conn, 'get_fixture_sql', [rows, null], { thisRelation: input.relation, extra: { model } });
  }

  /**
   * The expected rows' SQL from dbt's `get_expected_sql(rows, column_name_to_data_types,
   * column_name_to_quoted)` (keys: the output columns' names in lower case) when a project replaced
   * it or a macro it calls; else null.
   */
  async unitTestExpectedSql(conn: Connection, rows: Record<string, unknown>[], types: Record<string, string | null>, quoted: Record<string, string>): Promise<string | null> {
    if (!this.replaced(BLOCK_MACROS.unitTestExpected)) return null;
    return this.sql(conn, 'get_expected_sql', [rows, types, quoted]);
  }

  /** True when a project replaced dbt's `snapshot_merge_sql`. */
  replacesSnapshotMerge(): boolean {
    return this.replaced(BLOCK_MACROS.snapshotMerge);
  }

  /**
   * The project's `snapshot_merge_sql(target, source, insert_cols)`: applies dbt's snapshot staging
   * table (rows tagged `dbt_change_type` insert / update / delete) to the snapshot.
   */
  async snapshotMergeSql(conn: Connection, target: Relation, source: Relation, insertColumns: string[]): Promise<string> {
    return this.sql(conn, 'snapshot_merge_sql', [target, source, insertColumns]);
  }

  /**
   * dbt's `strategy_dispatch(name)` and the strategy it returns: the macro `snapshot_<name>_strategy`
   * in the node's context, or for `package.name` in that package, called as dbt's snapshot
   * materialization calls it: (node, snapshotted alias, source alias, config, target exists). Null
   * for `timestamp` and `check` when no project replaced their macro (the TypeScript path applies them).
   */
  async snapshotStrategy(conn: Connection, strategy: string, args: { snapshotted: string; current: string; targetExists: boolean }): Promise<Record<string, unknown> | null> {
    const dot = strategy.indexOf('.');
    const namespace = dot < 0 ? undefined : strategy.slice(0, dot);
    const name = dot < 0 ? strategy : strategy.slice(dot + 1);
    const macro = `snapshot_${name}_strategy`;
    const builtin = (name === 'timestamp' || name === 'check') && (namespace === undefined || namespace === 'dbt');
    if (builtin && (namespace !== undefined || !this.macros?.overridden(macro))) return null;
    const fail = (message: string, hint: string): never => {
      throw new TsdbtError(message, { code: 'snapshot-config', location: { file: this.node.original_file_path, line: this.node.line }, hint });
    };
    // dbt's words (strategy_dispatch), which projects' tests look for.
    if (namespace !== undefined && !(this.macros?.isNamespace?.(namespace) ?? false)) fail(`Could not find package '${namespace}', called with '${strategy}'`, 'name an installed package (or the project) before the dot, or leave the package out');
    if (!(this.macros?.inContext?.(macro, namespace) ?? false)) {
      fail(`The specified strategy macro '${name}' was not found in package '${namespace ?? 'None'}'`, `use strategy 'timestamp' or 'check', or define a macro ${macro}(node, snapshotted_rel, current_rel, config, target_exists)`);
    }
    const value = await (this.macros as MacroCaller).call(conn, macro, [this.node, args.snapshotted, args.current, this.node.config, args.targetExists], namespace === undefined ? {} : { namespace });
    if (value === null || typeof value !== 'object') fail(`the snapshot strategy macro ${macro} returned no dict`, 'return a dict with unique_key, updated_at, row_changed and scd_id');
    return value as Record<string, unknown>;
  }

  /** A snapshot's "now" from the project's `snapshot_get_time()` (an SQL expression), or null. */
  async snapshotTime(conn: Connection): Promise<string | null> {
    return this.replaced(BLOCK_MACROS.snapshotTime) ? this.sql(conn, 'snapshot_get_time', []) : null;
  }

  /**
   * The project's `snapshot_hash_arguments(args)` as a function of SQL expressions, or null. The
   * macro is rendered once per number of arguments needed (`arities`) over placeholders that the
   * function replaces with the real expressions.
   */
  async hashArguments(conn: Connection, arities: number[]): Promise<((expressions: string[]) => string) | null> {
    if (!this.replaced(BLOCK_MACROS.snapshotHash)) return null;
    const placeholder = (i: number) => `__tsdbt_hash_argument_${i}__`;
    const templates = new Map<number, string>();
    for (const n of arities) templates.set(n, await this.sql(conn, 'snapshot_hash_arguments', [Array.from({ length: n }, (_, i) => placeholder(i))]));
    return (expressions) => {
      const template = templates.get(expressions.length);
      if (template === undefined) throw new Error(`snapshot_hash_arguments was not rendered for ${expressions.length} arguments`);
      return template.replace(/__tsdbt_hash_argument_(\d+)__/g, (_, i: string) => expressions[Number(i)] ?? '');
    };
  }

  /**
   * dbt's `process_schema_changes(on_schema_change, temp_relation, existing_relation)` when a
   * project replaces it or a macro it calls: the names of the columns to write (none returned:
   * the table's, as dbt's incremental materialization falls back to); null when nothing is
   * replaced, and the caller compares the columns itself.
   */
  async processSchemaChanges(conn: Connection, policy: string, batch: Relation, target: Relation): Promise<string[] | null> {
    if (!this.replaced(BLOCK_MACROS.schemaChanges)) return null;
    const value = await (this.macros as MacroCaller).call(conn, 'process_schema_changes', [policy, batch, target]);
    const names = Array.isArray(value) ? value.map((column) => String((column as { name?: unknown }).name ?? column)) : [];
    if (names.length > 0) return names;
    return (await this.columnsIn(conn, target)).map((column) => column.name);
  }

  /**
   * Runs dbt's `alter_column_type(relation, column, type)` when a project replaced it (the macro
   * runs its own statements) and says so; false: the caller runs the adapter's statement.
   */
  async alterColumnType(conn: Connection, relation: Relation, column: string, dataType: string): Promise<boolean> {
    if (!this.replaced(BLOCK_MACROS.alterColumnType)) return false;
    await this.sql(conn, 'alter_column_type', [relation, column, dataType]);
    return true;
  }
}
