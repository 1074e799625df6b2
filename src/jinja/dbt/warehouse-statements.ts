// The warehouse members that run a template's own statements: `adapter.execute` / `add_query` /
// `commit`, an adapter's own members that ask the warehouse (dialectQuestions, memoised per
// connection), and dbt's `store_result` / `load_result` store that `statement` and `run_query` use.
import type { Connection, ConnectionMemo, FixtureValue } from '../../adapters/adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { AgateTable } from '../pylib/agate/index.js';
import { callArgs } from '../pylib/args/index.js';
import { truthy, tuple } from '../engine/index.js';
import { templateResponse, type TemplateWarehouseOptions, type WarehouseAccess } from './warehouse-access.js';

/** `adapter.execute` and `adapter.commit`: statements of the template's own. */
export function statementCalls(w: WarehouseAccess): Record<string, unknown> {
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
export function dialectQuestions(w: WarehouseAccess, options: TemplateWarehouseOptions): Record<string, unknown> {
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

/** What a loaded result is replaced with (dbt sets it to None): loaded once, it is gone. */
const LOADED = Symbol('loaded');

/** dbt's `store_result` / `store_raw_result` / `load_result`: results kept by name for the render (its replay). */
export function resultStore(w: WarehouseAccess): Record<string, unknown> {
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
