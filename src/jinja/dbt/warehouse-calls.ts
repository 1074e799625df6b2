// What templates reach the warehouse through at execution time: `adapter.execute`,
// `adapter.get_relation`, `adapter.get_columns_in_relation`, ... and the `store_result` /
// `load_result` pair that dbt's `statement` block and `run_query` are built on. Each call is a
// question to the current render's replay (render-replay.ts); at parse time (`execute` false) they
// answer as dbt's parser does: no relation, no columns, no rows, and nothing is changed, whatever
// the arguments (dbt's `@available.parse_none` / `parse_list` replace the whole method while parsing,
// so `adapter.get_columns_in_relation(adapter.get_relation(...))` parses though the relation is None).
import type { Adapter, AdapterResponse, Connection, ConnectionMemo, FixtureValue, QueryResult } from '../../adapters/adapter.js';
import { Relation, type RelationParts, type RelationType } from '../../adapters/relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { AgateTable, type AgateTypeRules } from '../pylib/agate/index.js';
import { standardizeGrantsDict } from './materialization-context.js';
import { snapshotMembers } from './snapshot-members.js';
import { ApiColumn, columnsFromInfo, type ApiColumnDialectInput } from './api-column.js';
import { callArgs } from '../pylib/args/index.js';
import type { RenderPhase } from './render-state.js';
import { truthy, tuple } from '../engine/index.js';
import { WarehouseRenders, type RenderReplay, type RunState } from './render-replay.js';

/** dbt's AdapterResponse as templates see it: `res.code`, `res.rows_affected`, `{{ res }}`. */
export interface TemplateResponse {
  _message: string;
  code: string;
  rows_affected: number | null;
  toString(): string;
}

function templateResponse(response: AdapterResponse): TemplateResponse {
  return { _message: response.message, code: response.code ?? response.message.split(' ')[0] ?? '', rows_affected: response.rowsAffected ?? null, toString: () => response.message };
}

/** A table with no columns has no types to read. */
const UNTYPED: AgateTypeRules = { agateType: () => null, timeZoneAware: () => false };

function unavailable(what: string): TsdbtError {
  return new TsdbtError(`${what} needs the warehouse, which this command does not connect to`, {
    code: 'warehouse-unavailable',
    hint: 'run it with tsdbt run / build / compile, which connect to the target',
  });
}

/** The relation a template passed to `call` (e.g. `adapter.drop_relation`), or the error saying what to pass. */
export function relationArgument(value: unknown, call: string): Relation {
  if (value instanceof Relation) return value;
  throw new TsdbtError(`${call}() needs a relation (got ${value === null || value === undefined ? 'None' : typeof value})`, {
    code: 'adapter-args',
    hint: 'pass ref(...), source(...), this, or api.Relation.create(...)',
  });
}

const relationArg = (value: unknown, method: string): Relation => relationArgument(value, `adapter.${method}`);

export interface TemplateWarehouseOptions {
  /** Null while parsing, or for commands that do not connect. */
  adapter: Adapter | null;
  renders: WarehouseRenders | null;
  /** Where print_table() text goes: stdout as is (the logger's `out`), as agate writes it. */
  log: (text: string) => void;
}

/** The warehouse members of a template context for one phase. */
export interface WarehouseMembers {
  /** Merged into `adapter`. */
  adapter: Record<string, unknown>;
  /** Top-level context functions. */
  context: Record<string, unknown>;
}

/** The `adapter.*` calls and context functions a template reaches the warehouse through, for one render phase. */
export function warehouseMembers(options: TemplateWarehouseOptions, phase: RenderPhase): WarehouseMembers {
  const w = warehouseAccess(options, phase);
  const relations = relationQuestions(w);
  const snapshot = snapshotMembers({ parse: w.parse, columnsIn: (relation) => (relations.get_columns_in_relation as (r: unknown) => ApiColumn[])(relation) });
  return {
    // dbt's standardize_grants_dict is an adapter method every template may call (apply_grants does, from any materialization).
    adapter: { ...statementCalls(w), ...relations, ...relationChanges(w), ...columnComparisons(w), ...dialectQuestions(w, options), ...snapshot, standardize_grants_dict: (...values: unknown[]) => standardizeGrantsDict(callArgs(values, ['grants_table']).grants_table) },
    context: resultStore(w),
  };
}

/** What the members of one phase share: the adapter, and the questions they put to the current render's replay. */
interface WarehouseAccess {
  adapter: Adapter;
  parse: boolean;
  columnDialect: () => ApiColumnDialectInput;
  output: (text: string) => void;
  emptyTable: () => AgateTable;
  replay: (what: string) => RenderReplay;
  ask: <T>(what: string, description: string, work: (conn: Connection) => Promise<T>) => T;
  execute: (conn: Connection, sql: string, nodeId: string | undefined) => Promise<QueryResult>;
  nodeId: () => string | undefined;
  existingType: (conn: Connection, relation: Relation) => Promise<RelationType | null>;
  columnsOf: (conn: Connection, relation: Relation) => Promise<ApiColumn[]>;
}

function warehouseAccess(options: TemplateWarehouseOptions, phase: RenderPhase): WarehouseAccess {
  const { renders } = options;
  const parse = phase === 'parse';
  // Only reached inside a replay, which exists only when connected.
  const adapter =
    options.adapter ??
    (new Proxy({}, {
      get: () => {
        throw unavailable('this template');
      },
    }) as Adapter);
  const quote = (name: string) => adapter.sql.quoteIdentifier(name);
  /** `api.Column` as the adapter reads its types (only asked once connected). */
  const columnDialect = () => ({ ...adapter.rules.columnTypes, quote });
  // print_table() writes its text to stdout as is, as agate does (no timestamp, also under
  // --quiet), once however often the render repeats.
  const output = (text: string) => {
    if (renders?.current?.firstTimeLogged() ?? true) options.log(text.replace(/\n$/, ''));
  };
  const emptyTable = () => AgateTable.fromQueryResult([], [], UNTYPED, { output });

  /** The current render's replay; outside a warehouse-backed render the call cannot be answered. */
  const replay = (what: string): RenderReplay => {
    const current = renders?.current;
    if (!current) throw unavailable(what);
    return current;
  };
  const ask = <T>(what: string, description: string, work: (conn: Connection) => Promise<T>): T => replay(what).ask(description, work);
  const execute = (conn: Connection, sql: string, nodeId: string | undefined): Promise<QueryResult> => conn.execute(sql, { nodeId });
  const nodeId = () => renders?.current?.nodeId;

  const existingType = async (conn: Connection, relation: Relation): Promise<RelationType | null> => {
    if (relation.type) return relation.type;
    const found = await adapter.getRelation(conn, relation);
    return found?.type ?? null;
  };
  const columnsOf = async (conn: Connection, relation: Relation): Promise<ApiColumn[]> => {
    const found = await adapter.getRelation(conn, relation);
    if (!found) return [];
    return columnsFromInfo(await adapter.getColumns(conn, found), columnDialect());
  };
  return { adapter, parse, columnDialect, output, emptyTable, replay, ask, execute, nodeId, existingType, columnsOf };
}

/** `adapter.execute` and `adapter.commit`: statements of the template's own. */
function statementCalls(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, output, emptyTable, ask, execute, nodeId } = w;
  return {
    /** `adapter.execute(sql, auto_begin=False, fetch=False)` -> (response, table). */
    execute: (...values: unknown[]) => {
      if (parse) return tuple([templateResponse({ message: 'SELECT 0', code: 'SELECT', rowsAffected: 0 }), emptyTable()]);
      const a = callArgs(values, ['sql', 'auto_begin', 'fetch', 'limit']);
      const sql = String(a.sql ?? '');
      const id = nodeId();
      // auto_begin opens a transaction where the warehouse has them and the connection honours it (template-transaction.ts).
      const begin = (conn: Connection) => (a.auto_begin && adapter.capabilities.transactions && conn.begin ? conn.begin({ nodeId: id }) : Promise.resolve());
      const result = ask('adapter.execute()', `execute:${sql}`, (conn) => begin(conn).then(() => execute(conn, sql, id)));
      const table = a.fetch ? AgateTable.fromQueryResult(result.columns.map((c) => ({ name: c.name, dataType: c.dataType ?? null })), a.limit ? result.rows.slice(0, Number(a.limit)) : result.rows, adapter.rules, { output }) : emptyTable();
      return tuple([templateResponse(result.response), table]);
    },
    /**
     * dbt's `adapter.add_query(sql, auto_begin=True, bindings=None, abridge_sql_log=False)`: runs the
     * statement with its bindings in place (the adapter's paramstyle), as dbt's seed helper
     * `load_csv_rows` does; returns (connection, cursor), which templates do not read.
     */
    add_query: (...values: unknown[]) => {
      if (parse) return tuple([null, null]);
      const a = callArgs(values, ['sql', 'auto_begin', 'bindings', 'abridge_sql_log']);
      const bindings = bindingValues(a.bindings);
      const sql = bindings === null ? String(a.sql ?? '') : adapter.sql.bindParameters ? adapter.sql.bindParameters(String(a.sql ?? ''), bindings) : refuseBindings();
      const id = nodeId();
      const autoBegin = a.auto_begin === undefined ? true : Boolean(a.auto_begin);
      const begin = (conn: Connection) => (autoBegin && adapter.capabilities.transactions && conn.begin ? conn.begin({ nodeId: id }) : Promise.resolve());
      // abridge_sql_log: its log line is the first 512 characters (dbt's "{}...".format(sql[:512])).
      const abridgeLog = truthy(a.abridge_sql_log);
      ask('adapter.add_query()', `execute:${sql}`, (conn) => begin(conn).then(() => conn.execute(sql, { nodeId: id, abridgeLog })).then(() => null));
      return tuple([null, null]);
    },
    /** dbt's `adapter.commit()`: commits the open transaction of the node's connection; nothing where none is open. */
    commit: () => {
      if (parse) return '';
      const id = nodeId();
      ask('adapter.commit()', 'commit', (conn) => (conn.commit ? conn.commit({ nodeId: id }) : Promise.resolve()).then(() => null));
      return '';
    },
  };
}

/**
 * The adapter's own members that ask the warehouse (`TemplateMember.query`, dbt-clickhouse's
 * `is_before_version`, `can_exchange`, ...), asked through the render's replay; while parsing, or
 * outside a warehouse-backed render, the member's `call` answers, as dbt's method does with no
 * open connection.
 */
function dialectQuestions(w: WarehouseAccess, options: TemplateWarehouseOptions): Record<string, unknown> {
  const members = Object.entries(options.adapter?.sql.templateMembers?.() ?? {});
  return Object.fromEntries(
    members.flatMap(([name, member]) => {
      const query = member.query?.bind(member);
      if (!query) return [];
      const ask = (...values: unknown[]) => {
        const args = callArgs(values, member.params);
        if (w.parse || !options.renders?.current) return member.call(args);
        const id = w.nodeId();
        const key = member.params.map((p) => String(args[p] ?? '')).join('\u0000');
        return w.ask(`adapter.${name}()`, `${name}:${key}`, (conn) => query(args, (sql) => w.execute(conn, sql, id).then((r) => r.rows), connectionMemo(conn)));
      };
      return [[name, ask]];
    }),
  );
}

/** `bindings` as a list of literal values, or null for none (an agate table, as dbt-clickhouse passes, binds nothing). */
function bindingValues(bindings: unknown): FixtureValue[] | null {
  if (bindings === null || bindings === undefined || !Array.isArray(bindings)) return null;
  return bindings.map((v: unknown) => (v === null || v === undefined ? null : typeof v === 'number' || typeof v === 'boolean' || typeof v === 'string' ? v : String(v)));
}

function refuseBindings(): never {
  throw new TsdbtError('adapter.add_query() with bindings: this adapter takes none', { code: 'adapter-args', hint: 'render the values into the statement instead' });
}

/** What each connection answered once (an adapter member's `once`: dbt-clickhouse's server version). */
const answeredOnce = new WeakMap<Connection, Map<string, Promise<unknown>>>();

function connectionMemo(conn: Connection): ConnectionMemo {
  return <T>(key: string, make: () => Promise<T>): Promise<T> => {
    let answers = answeredOnce.get(conn);
    if (!answers) answeredOnce.set(conn, (answers = new Map<string, Promise<unknown>>()));
    let answer = answers.get(key) as Promise<T> | undefined;
    if (!answer) {
      answer = make();
      answers.set(key, answer);
      answer.catch(() => answers.delete(key)); // a failed question is asked again
    }
    return answer;
  };
}

/** What the warehouse holds: relations, their columns, a query's columns, schemas. */
function relationQuestions(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, columnDialect, ask, columnsOf } = w;
  return {
    get_relation: (...values: unknown[]) => {
      if (parse) return null;
      const a = callArgs(values, ['database', 'schema', 'identifier']);
      const parts: RelationParts = { database: (a.database as string | null) ?? null, schema: (a.schema as string | null) ?? null, identifier: String(a.identifier ?? '') };
      return ask('adapter.get_relation()', `get_relation:${parts.database}.${parts.schema}.${parts.identifier}`, (conn) => adapter.getRelation(conn, parts));
    },
    load_relation: (...values: unknown[]) => {
      if (parse) return null;
      const r = relationArg(callArgs(values, ['relation']).relation, 'load_relation');
      return ask('adapter.load_relation()', `get_relation:${r.database}.${r.schema}.${r.identifier}`, (conn) => adapter.getRelation(conn, r));
    },
    get_columns_in_relation: (...values: unknown[]) => {
      if (parse) return [];
      const r = relationArg(callArgs(values, ['relation']).relation, 'get_columns_in_relation');
      return ask('adapter.get_columns_in_relation()', `columns:${r.render()}`, (conn) => columnsOf(conn, r));
    },
    /** dbt-adapters' `adapter.get_pseudocolumns_for_relation(relation)`: queryable columns information_schema lacks; none here (BigQuery's adapter has some). */
    get_pseudocolumns_for_relation: () => [],
    /** Deprecated in dbt, still called by old packages: `adapter.already_exists(schema, identifier)`. */
    already_exists: (...values: unknown[]) => {
      if (parse) return false;
      const a = callArgs(values, ['schema', 'name']);
      const parts: RelationParts = { database: null, schema: String(a.schema ?? ''), identifier: String(a.name ?? '') };
      return ask('adapter.already_exists()', `get_relation:${parts.database}.${parts.schema}.${parts.identifier}`, async (conn) => (await adapter.getRelation(conn, parts)) !== null);
    },
    /** Deprecated in dbt: `adapter.get_columns_in_table(schema, identifier)`. */
    get_columns_in_table: (...values: unknown[]) => {
      if (parse) return [];
      const a = callArgs(values, ['schema', 'identifier']);
      const parts: RelationParts = { database: null, schema: String(a.schema ?? ''), identifier: String(a.identifier ?? '') };
      return ask('adapter.get_columns_in_table()', `columns:${parts.schema}.${parts.identifier}`, (conn) => columnsOf(conn, adapter.relation(parts)));
    },
    /** dbt's `adapter.get_column_schema_from_query(sql)`: the columns (name and type) a select returns. */
    get_column_schema_from_query: (...values: unknown[]) => {
      if (parse) return [];
      const sql = String(callArgs(values, ['sql']).sql ?? '');
      return ask('adapter.get_column_schema_from_query()', `describe:${sql}`, async (conn) => columnsFromInfo(await adapter.describeQuery(conn, sql), columnDialect()));
    },
    list_relations_without_caching: (...values: unknown[]) => {
      if (parse) return [];
      const r = relationArg(callArgs(values, ['schema_relation']).schema_relation, 'list_relations_without_caching');
      return ask('adapter.list_relations_without_caching()', `list:${r.database}.${r.schema}`, (conn) => adapter.listRelations(conn, r.database, r.schema ?? ''));
    },
    list_relations: (...values: unknown[]) => {
      if (parse) return [];
      const a = callArgs(values, ['database', 'schema']);
      const database = (a.database as string | null) ?? null;
      return ask('adapter.list_relations()', `list:${database}.${String(a.schema)}`, (conn) => adapter.listRelations(conn, database, String(a.schema ?? '')));
    },
    check_schema_exists: (...values: unknown[]) => {
      if (parse) return false;
      const a = callArgs(values, ['database', 'schema']);
      return ask('adapter.check_schema_exists()', `schema_exists:${String(a.database)}.${String(a.schema)}`, (conn) => adapter.schemaExists(conn, (a.database as string | null) ?? null, String(a.schema ?? '')));
    },
  };
}

/** Relations and schemas dropped, truncated, renamed, created. */
function relationChanges(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, ask, execute, nodeId, existingType } = w;
  return {
    drop_relation: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'drop_relation');
      const id = nodeId();
      ask('adapter.drop_relation()', `drop:${r.render()}`, async (conn) => {
        const type = await existingType(conn, r);
        if (type) await execute(conn, adapter.sql.dropRelation(r, type), id);
        return null;
      });
      return '';
    },
    truncate_relation: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'truncate_relation');
      const id = nodeId();
      ask('adapter.truncate_relation()', `truncate:${r.render()}`, (conn) => execute(conn, adapter.sql.truncate(r), id).then(() => null));
      return '';
    },
    rename_relation: (...values: unknown[]) => {
      if (parse) return '';
      const a = callArgs(values, ['from_relation', 'to_relation']);
      const f = relationArg(a.from_relation, 'rename_relation');
      const t = relationArg(a.to_relation, 'rename_relation');
      const id = nodeId();
      ask('adapter.rename_relation()', `rename:${f.render()}->${t.render()}`, async (conn) => {
        const type = await existingType(conn, f);
        await execute(conn, adapter.sql.renameRelation(f.with({ type }), t.identifier), id);
        return null;
      });
      return '';
    },
    create_schema: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'create_schema');
      ask('adapter.create_schema()', `create_schema:${r.database}.${r.schema}`, (conn) => adapter.createSchemaIfMissing(conn, r.database, r.schema ?? '').then(() => null));
      return '';
    },
    drop_schema: (...values: unknown[]) => {
      if (parse) return '';
      const r = relationArg(callArgs(values, ['relation']).relation, 'drop_schema');
      const id = nodeId();
      ask('adapter.drop_schema()', `drop_schema:${r.database}.${r.schema}`, (conn) =>
        execute(conn, adapter.sql.dropSchema(r.database, r.schema ?? ''), id).then(() => {
          adapter.forgetSchema?.(r.database, r.schema ?? '');
          return null;
        }),
      );
      return '';
    },
  };
}

/** One relation's columns against another's: the missing ones, the ones to widen. */
function columnComparisons(w: WarehouseAccess): Record<string, unknown> {
  const { adapter, parse, columnDialect, ask, execute, nodeId, columnsOf } = w;
  return {
    get_missing_columns: (...values: unknown[]) => {
      if (parse) return [];
      const a = callArgs(values, ['from_relation', 'to_relation']);
      const f = relationArg(a.from_relation, 'get_missing_columns');
      const t = relationArg(a.to_relation, 'get_missing_columns');
      return ask('adapter.get_missing_columns()', `missing:${f.render()}->${t.render()}`, async (conn) => {
        const [source, target] = [await columnsOf(conn, f), await columnsOf(conn, t)];
        const present = new Set(target.map((c) => c.name.toLowerCase()));
        return source.filter((c) => !present.has(c.name.toLowerCase()));
      });
    },
    /** dbt's `adapter.alter_column_type(relation, column_name, new_column_type)`. */
    alter_column_type: (...values: unknown[]) => {
      if (parse) return '';
      const a = callArgs(values, ['relation', 'column_name', 'new_column_type']);
      const r = relationArg(a.relation, 'alter_column_type');
      const id = nodeId();
      const [column, type] = [String(a.column_name), String(a.new_column_type)];
      ask('adapter.alter_column_type()', `alter:${r.render()}:${column}:${type}`, (conn) => execute(conn, adapter.sql.alterColumnType(r, column, type), id).then(() => null));
      return '';
    },
    /** dbt's `Column.string_type(size)` for the adapter's columns (expand_target_column_types widens to it). */
    tsdbt_string_type: (size: unknown) => ApiColumn.string_type(Number(size), columnDialect()),
  };
}

/** What a loaded result is replaced with (dbt sets it to None): loaded once, it is gone. */
const LOADED = Symbol('loaded');

/** dbt's `store_result` / `store_raw_result` / `load_result`: results kept by name for the render (its replay). */
function resultStore(w: WarehouseAccess): Record<string, unknown> {
  const { parse, emptyTable, replay } = w;
  const storedFor = (what: string): Map<string, unknown> => (parse ? parseStore : replay(what).stored);
  const parseStore = new Map<string, unknown>();
  return {
    /** dbt's `store_result(name, response, agate_table=None)`. */
    store_result: (...values: unknown[]) => {
      if (parse) return '';
      const a = callArgs(values, ['name', 'response', 'agate_table']);
      const table = (a.agate_table as AgateTable | null | undefined) ?? emptyTable();
      storedFor('store_result()').set(String(a.name), { response: a.response ?? null, table, data: table.rows.map((row) => row.values()) });
      return '';
    },
    /** dbt's `store_raw_result(name, message=None, code=None, rows_affected=None, agate_table=None)`. */
    store_raw_result: (...values: unknown[]) => {
      if (parse) return '';
      const a = callArgs(values, ['name', 'message', 'code', 'rows_affected', 'agate_table']);
      const table = (a.agate_table as AgateTable | null | undefined) ?? emptyTable();
      const response = templateResponse({ message: String(a.message ?? ''), code: String(a.code ?? ''), rowsAffected: a.rows_affected === null || a.rows_affected === undefined ? undefined : Number(a.rows_affected) });
      storedFor('store_raw_result()').set(String(a.name), { response, table, data: table.rows.map((row) => row.values()) });
      return '';
    },
    /**
     * dbt's `load_result(name)`: `{response, table, data}` or None. A result is handed out once
     * (`main`'s every time): loading it again raises dbt's MacroResultAlreadyLoadedError.
     */
    load_result: (...values: unknown[]) => {
      if (parse) return null;
      const stored = storedFor('load_result()');
      const name = String(callArgs(values, ['name']).name);
      if (!stored.has(name)) return null;
      const result = stored.get(name);
      if (name === 'main') return result;
      if (result === LOADED) {
        throw new TsdbtError(`The 'statement' result named '${name}' has already been loaded into a variable`, {
          code: 'statement-result-loaded',
          hint: `keep the first load_result('${name}') in a variable and use that, or run the statement again before loading it again`,
        });
      }
      stored.set(name, LOADED);
      return result;
    },
  };
}

/**
 * Connects a project's templates to the warehouse for the rest of the command: execute-phase
 * renders run through the returned WarehouseRenders (Compiler.withWarehouse) answer their
 * `run_query` / `adapter.*` calls on the connection they are given.
 */
/** Warehouse members for renders that are not connected: parse-time answers, and a clear error at execution time. */
export const offlineWarehouse = (() => {
  const perPhase = new Map<RenderPhase, WarehouseMembers>();
  return (phase: RenderPhase): WarehouseMembers => {
    let members = perPhase.get(phase);
    if (!members) perPhase.set(phase, (members = warehouseMembers({ adapter: null, renders: null, log: () => undefined }, phase)));
    return members;
  };
})();

export function connectTemplates(session: { attachWarehouse(members: (phase: RenderPhase) => WarehouseMembers, replay: () => RenderReplay | null): void; runState?: RunState }, adapter: Adapter, log: (message: string) => void): WarehouseRenders {
  const renders = new WarehouseRenders();
  renders.runState = session.runState ?? null;
  session.attachWarehouse((phase) => warehouseMembers({ adapter, renders, log }, phase), () => renders.current);
  return renders;
}
