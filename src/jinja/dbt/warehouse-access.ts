// What the warehouse members of one render phase share (WarehouseAccess): the adapter, the current
// render's replay that every call is a question to, and the helpers the member groups use (a
// template's relation argument, dbt's AdapterResponse as templates see it, the "not connected" error).
import type { Adapter, AdapterResponse, Connection, QueryResult } from '../../adapters/adapter.js';
import { Relation, type RelationType } from '../../adapters/relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { AgateTable, type AgateTypeRules } from '../pylib/agate/index.js';
import { columnsFromInfo, type ApiColumn, type ApiColumnDialectInput } from './api-column.js';
import type { RenderPhase } from './render-state.js';
import { pyRepr } from '../engine/py-repr.js';
import type { WarehouseRenders, RenderReplay } from './render-replay.js';

/**
 * dbt's AdapterResponse as templates see it: `res.code`, `res.rows_affected`, `res.query_id`; `{{ res }}` (Python's
 * str()) is its message, `SELECT 2`, and repr() the dataclass's, as in a printed dict.
 */
export class TemplateResponse {
  constructor(
    readonly _message: string,
    readonly code: string,
    readonly rows_affected: number | null,
    readonly query_id: string | null = null,
  ) {}

  toString(): string {
    return this._message;
  }

  __repr__(): string {
    return `AdapterResponse(_message=${pyRepr(this._message)}, code=${pyRepr(this.code)}, rows_affected=${pyRepr(this.rows_affected)}, query_id=${pyRepr(this.query_id)})`;
  }
}

export function templateResponse(response: AdapterResponse): TemplateResponse {
  return new TemplateResponse(response.message, response.code ?? response.message.split(' ')[0] ?? '', response.rowsAffected ?? null, response.queryId ?? null);
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

export const relationArg = (value: unknown, method: string): Relation => relationArgument(value, `adapter.${method}`);

export interface TemplateWarehouseOptions {
  /** Null while parsing, or for commands that do not connect. */
  adapter: Adapter | null;
  renders: WarehouseRenders | null;
  /** Where print_table() text goes: stdout as is (the logger's `out`), as agate writes it. */
  log: (text: string) => void;
}

/** What the members of one phase share: the adapter, and the questions they put to the current render's replay. */
export interface WarehouseAccess {
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

export function warehouseAccess(options: TemplateWarehouseOptions, phase: RenderPhase): WarehouseAccess {
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
