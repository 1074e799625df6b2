// One code path for both ClickHouse modes: `@clickhouse/client` over HTTP to a server, or over
// chDB's in-process connection (`createChdbConnection` from `chdb/connection`) for the embedded
// mode. Statements that return rows go through `query` (JSON with column types), the rest through
// `command`; ClickHouse has no transactions, so `transaction(fn)` simply runs `fn`.
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { ClickHouseClient, ResponseJSON } from '@clickhouse/client';
import type { Connection, ExecuteOptions, LoadColumn, QueryColumn, QueryCommenter, QueryResult, StatementEvent } from '../adapter.js';
import type { Relation } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { BulkLoadRowError } from '../bulk-load-error.js';
import type { ClickHouseSettings } from './clickhouse-profile.js';
import { multiStatementError } from './clickhouse-multi-statement.js';
import { quoteIdentifier, quoteString } from './clickhouse-sql.js';

const RETURNS_ROWS = /^\s*(\(\s*)*(select|with|show|describe|desc|exists|explain)\b/i;

/** Leading `--` and `/* *\/` comments, which would hide the statement's first keyword. */
function stripLeadingComments(sql: string): string {
  return sql.replace(/^(\s*(--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, '');
}

/**
 * chDB runs the session's settings as `SET ...;` statements ahead of the query, and its splitter
 * then misreads a statement opening with a block comment over several lines (a multi-line
 * `query-comment` fails with a syntax error at the comment's end): such leading comments are sent on one line.
 */
export function chdbStatement(statement: string): string {
  return statement.replace(/^(?:\s*(?:--[^\n]*\n|\/\*[\s\S]*?\*\/))*/, (lead) => lead.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/\s*\n\s*/g, ' ')));
}

/** ClickHouse's error codes where a retry may succeed (network, timeouts, too many queries). */
const RETRIABLE = new Set([159, 160, 164, 202, 209, 210, 425, 999, 1000]);

/** A server that did not answer within the profile's limit: which server, which limit, what to do. Retriable. */
export function unansweredError(settings: ClickHouseSettings, limit: 'connect_timeout' | 'send_receive_timeout', cause: unknown): TsdbtError {
  const seconds = (limit === 'connect_timeout' ? settings.connectTimeoutMs : settings.requestTimeoutMs) / 1000;
  const hint =
    limit === 'connect_timeout'
      ? 'check that ClickHouse runs there and that `port` is its HTTP port (8123, or 8443 with `secure: true`): a wrong port or a firewall can accept connections and never answer; raise `connect_timeout` (seconds) in profiles.yml if the server is slow to answer'
      : 'the server stopped answering a statement: check that it is up; raise `send_receive_timeout` (seconds) in profiles.yml for statements that run longer';
  return new TsdbtError(`ClickHouse at ${settings.url} did not answer within ${seconds} s (${limit})`, { code: 'clickhouse-timeout', category: 'database', retriable: true, hint, cause });
}

export function clickhouseError(err: unknown, settings: ClickHouseSettings): TsdbtError {
  if (err instanceof TsdbtError) return err;
  const e = err as { message?: string; code?: string | number; type?: string };
  const message = String(e.message ?? err).trim();
  // Old servers (18.x) put the code only in the text: "Code: 60, e.displayText() = ...".
  const code = Number(e.code ?? /^Code: (\d+)/.exec(message)?.[1]);
  if (e.type === 'AUTHENTICATION_FAILED' || code === 516 || code === 192 || code === 193 || code === 194) {
    return new TsdbtError(`ClickHouse rejected user '${settings.user}': ${message}`, { code: 'clickhouse-auth', category: 'user', hint: 'check user and password in the profile target', cause: err });
  }
  // @clickhouse/client's request_timeout (the profile's send_receive_timeout) ran out.
  if (settings.driver === 'http' && /^Timeout error\.?$/.test(message)) return unansweredError(settings, 'send_receive_timeout', err);
  const network = typeof e.code === 'string' && /^E[A-Z]+$/.test(e.code);
  if (network) {
    return new TsdbtError(`cannot reach ClickHouse at ${settings.url}: ${message}`, { code: 'clickhouse-connect', category: 'database', retriable: true, hint: 'check host, port (the HTTP port, 8123 by default) and that the server runs', cause: err });
  }
  if (/\b(locked|lock file|in use)\b|Resource temporarily unavailable/i.test(message) && settings.driver === 'chdb') {
    return new TsdbtError(`chDB data directory ${String(settings.path)} is in use: ${message}`, {
      code: 'chdb-locked',
      category: 'user',
      hint: 'chDB binds one data directory per process and locks it against other processes: stop the other tsdbt, or give this one its own `path`',
      cause: err,
    });
  }
  return new TsdbtError(serverText(message, code, e.type), { code: Number.isFinite(code) && code > 0 ? `clickhouse-${code}` : 'clickhouse-error', category: 'database', retriable: RETRIABLE.has(code), cause: err });
}

/**
 * The server's error as ClickHouse writes it, and dbt-clickhouse shows it (its message is the
 * driver's text): `Code: 511. DB::Exception: There is no role ... (UNKNOWN_ROLE)`. @clickhouse/client
 * splits that text into code, message and type; they are put back together.
 */
function serverText(message: string, code: number, type: string | undefined): string {
  if (!Number.isFinite(code) || code <= 0 || typeof type !== 'string' || !/^[A-Z0-9_]+$/.test(type) || /^Code: \d+/.test(message)) return message;
  return `Code: ${code}. DB::Exception: ${message} (${type})`;
}

/**
 * Reads a result as it streams in (`JSONCompactEachRowWithNamesAndTypes`: a row of names, a row of
 * types, then one compact array per row), so a large result is parsed chunk by chunk instead of as
 * one JSON document held twice in memory.
 */
async function readRows(stream: AsyncIterable<{ json<T>(): T }[]>): Promise<{ columns: QueryColumn[]; rows: Record<string, unknown>[] }> {
  let names: string[] | null = null;
  let columns: QueryColumn[] = [];
  const rows: Record<string, unknown>[] = [];
  for await (const chunk of stream) {
    for (const line of chunk) {
      const values = line.json<unknown[]>();
      if (!names) {
        names = values.map(String);
        continue;
      }
      if (columns.length === 0 && names.length > 0) {
        columns = names.map((name, i) => ({ name, dataType: String(values[i]) }));
        continue;
      }
      const row: Record<string, unknown> = {};
      for (let i = 0; i < names.length; i++) row[names[i] as string] = values[i];
      rows.push(row);
    }
  }
  return { columns, rows };
}

async function readDocument(response: { json<T>(): Promise<ResponseJSON<T>> }): Promise<{ columns: QueryColumn[]; rows: Record<string, unknown>[] }> {
  const body = await response.json<Record<string, unknown>>();
  return { columns: (body.meta ?? []).map((m) => ({ name: m.name, dataType: m.type })), rows: body.data };
}

function csvField(value: string | null): string {
  if (value === null) return '\\N';
  return /[",\n\r\\]/.test(value) || value === '' ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Settings that give ClickHouse the SQL semantics dbt models are written for: an outer join fills
 * NULL (not the type's default), and a CAST keeps NULL (21.x and later; older servers lack it).
 */
function semanticSettings(version: string): ServerTraits {
  const major = Number(version.split('.')[0]);
  // Names-and-types row formats arrived in 21.x; an older server sends one JSON document.
  return {
    settings: {
      join_use_nulls: 1,
      ...(major >= 21 ? { cast_keep_nullable: 1 } : {}),
      // chDB keeps a setting given with one query for the next ones in its session: an insert
      // token left behind would make later inserts look like repeats and drop them. Every
      // statement says "no token" unless it carries its own.
      ...(major >= 22 ? { insert_deduplication_token: '' } : {}),
    },
    streamsRows: major >= 21,
  };
}

interface ServerTraits {
  settings: Record<string, 0 | 1 | string>;
  /** Results can be read row by row with their column types. */
  streamsRows: boolean;
}

/**
 * The profile's database as the connection's default one, as dbt-clickhouse makes it
 * (ChClientWrapper._ensure_database): created when missing, then what unqualified names resolve in.
 * Over HTTP each request names its database, so `inDatabase` is a client made for it; chDB's
 * session takes `USE`.
 */
export interface DefaultDatabase {
  name: string;
  /** The profile's `create database if not exists ...` (engine, ON CLUSTER). */
  createSql: string;
  /** HTTP: a client whose requests name the database (none for chDB). */
  inDatabase?: ClickHouseClient;
}

export class ClickHouseConnection implements Connection {
  private sessionSettings: Promise<ServerTraits> | null = null;
  /** Statements in flight, by query id, for Ctrl-C. */
  private readonly running = new Map<string, AbortController>();
  /** The client statements go through: the profile database's once it exists (HTTP). */
  private client: ClickHouseClient;

  constructor(
    private readonly base: ClickHouseClient,
    private readonly settings: ClickHouseSettings,
    private readonly onStatement?: (event: StatementEvent) => void,
    private readonly queryComment?: QueryCommenter,
    private readonly defaultDatabase?: DefaultDatabase,
    /** AdapterContext.beforeStatement: before each statement goes to the client (chDB runs it in this thread). */
    private readonly beforeStatement?: () => void,
  ) {
    this.client = base;
  }

  /**
   * Asks the server its version once (lazily, so a bad password surfaces on the first statement).
   * This first request is the connection: a server must answer it within `connect_timeout`.
   * Then the profile's database becomes the default one.
   */
  private semantics(): Promise<ServerTraits> {
    this.sessionSettings ??= this.serverVersion()
      .then(async (version) => {
        await this.useDefaultDatabase();
        return semanticSettings(version);
      })
      .catch((err: unknown) => {
        this.sessionSettings = null;
        throw err;
      });
    return this.sessionSettings;
  }

  private async useDefaultDatabase(): Promise<void> {
    const target = this.defaultDatabase;
    if (!target) return;
    // system.databases rather than EXISTS DATABASE, which servers before 20.x lack.
    const found = await (await this.base.query({ query: `select count() as n from system.databases where name = ${quoteString(target.name)}`, format: 'JSONEachRow' })).json<{ n: number | string }>();
    if (Number(found[0]?.n ?? 0) === 0) await this.base.command({ query: target.createSql });
    if (target.inDatabase) this.client = target.inDatabase;
    else await this.base.command({ query: `use ${quoteIdentifier(target.name)}` });
  }

  /**
   * After a statement that dropped or created the default database: an HTTP request naming a
   * database that is gone fails, so requests go without it until it is created again (dbt-clickhouse's
   * database_dropped). chDB's session keeps working after its current database is dropped.
   */
  private followDefaultDatabase(statement: string): void {
    const target = this.defaultDatabase;
    if (!target?.inDatabase) return;
    const m = /^\s*(drop|create)\s+database\s+(?:if\s+(?:not\s+)?exists\s+)?(?:`((?:[^`]|``)*)`|"((?:[^"]|"")*)"|(\w+))/i.exec(stripLeadingComments(statement));
    const name = m ? (m[2]?.replace(/``/g, '`') ?? m[3]?.replace(/""/g, '"') ?? m[4]) : undefined;
    if (name !== target.name) return;
    this.client = m?.[1]?.toLowerCase() === 'drop' ? this.base : target.inDatabase;
  }

  private async serverVersion(): Promise<string> {
    const limit = this.settings.driver === 'http' ? this.settings.connectTimeoutMs : null;
    const abort = new AbortController();
    let timedOut = false;
    const timer =
      limit === null
        ? undefined
        : setTimeout(() => {
            timedOut = true;
            abort.abort();
          }, limit);
    try {
      const rows = await (await this.base.query({ query: 'select version() as v', format: 'JSONEachRow', abort_signal: abort.signal })).json<{ v: string }>();
      return String(rows[0]?.v ?? '0');
    } catch (err) {
      throw timedOut ? unansweredError(this.settings, 'connect_timeout', err) : err;
    } finally {
      clearTimeout(timer);
    }
  }

  async execute(text: string, options: ExecuteOptions = {}): Promise<QueryResult> {
    const started = Date.now();
    const sql = this.queryComment ? this.queryComment.add(text, options.nodeId) : text;
    const statement = sql.trim().replace(/;\s*$/, '');
    try {
      // chDB runs several statements of one text where the server refuses them: refused as the server does.
      const several = this.settings.driver === 'chdb' ? multiStatementError(statement) : null;
      if (several) throw several;
      let result: QueryResult;
      const traits = await this.semantics();
      const clickhouse_settings = traits.settings;
      const query_id = randomUUID();
      const abort = new AbortController();
      this.running.set(query_id, abort);
      const query = this.settings.driver === 'chdb' ? chdbStatement(statement) : statement;
      const common = { query, clickhouse_settings, query_id, abort_signal: abort.signal };
      this.beforeStatement?.();
      try {
        if (RETURNS_ROWS.test(stripLeadingComments(statement))) {
          const { columns, rows } = traits.streamsRows
            ? await readRows((await this.client.query({ ...common, format: 'JSONCompactEachRowWithNamesAndTypes' })).stream())
            : await readDocument(await this.client.query({ ...common, format: 'JSON' }));
          result = { columns, rows, response: { message: `SELECT ${rows.length}`, code: 'SELECT', rowsAffected: rows.length, queryId: query_id } };
        } else {
          const response = await this.client.command(common);
          const written = Number(response.summary?.written_rows ?? 0);
          const word = (/^\s*(\w+)/.exec(stripLeadingComments(statement))?.[1] ?? 'OK').toUpperCase();
          result = { columns: [], rows: [], response: { message: word === 'INSERT' && written ? `INSERT ${written}` : word, code: word, rowsAffected: written || undefined, queryId: query_id } };
        }
      } finally {
        this.running.delete(query_id);
      }
      this.followDefaultDatabase(statement);
      this.onStatement?.({ sql, durationMs: Date.now() - started, nodeId: options.nodeId, response: result.response, ...(options.abridgeLog ? { abridgeLog: true } : {}) });
      return result;
    } catch (err) {
      const error = clickhouseError(err, this.settings);
      this.onStatement?.({ sql, durationMs: Date.now() - started, nodeId: options.nodeId, error, ...(options.abridgeLog ? { abridgeLog: true } : {}) });
      throw error;
    }
  }

  /**
   * Ctrl-C: asks the server to kill every statement this connection has in flight (by query id),
   * then aborts their requests.
   */
  async cancelAll(): Promise<void> {
    const ids = [...this.running.keys()];
    if (ids.length === 0) return;
    if (this.settings.driver === 'http') {
      await this.base.command({ query: `kill query where query_id in (${ids.map((id) => `'${id}'`).join(', ')}) async` }).catch(() => undefined);
    }
    for (const id of ids) this.running.get(id)?.abort();
  }

  /** No transactions in ClickHouse: `fn` runs as is (capabilities.transactions is false). */
  transaction<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return fn(this);
  }

  async bulkLoad(relation: Relation, columns: LoadColumn[], rows: AsyncIterable<(string | null)[]> | Iterable<(string | null)[]>, options: ExecuteOptions = {}): Promise<number> {
    const started = Date.now();
    let count = 0;
    async function* lines() {
      for await (const row of rows as AsyncIterable<(string | null)[]>) {
        count++;
        yield `${row.map(csvField).join(',')}\n`;
      }
    }
    // @clickhouse/client writes `columns` into the INSERT as given: they must be quoted here.
    const quoted = columns.map((c) => quoteIdentifier(c.name));
    const sql = `insert into ${relation.render()} (${quoted.join(', ')}) format CSV`;
    const queryId = randomUUID();
    this.beforeStatement?.();
    try {
      await this.client.insert({
        query_id: queryId,
        table: relation.render(),
        columns: quoted as [string, ...string[]],
        values: Readable.from(lines(), { objectMode: false }),
        format: 'CSV',
        clickhouse_settings: { ...(await this.semantics()).settings, ...(options.insertToken ? { insert_deduplication_token: options.insertToken } : {}) },
      });
      this.onStatement?.({ sql, durationMs: Date.now() - started, nodeId: options.nodeId, response: { message: `INSERT ${count}`, code: 'INSERT', rowsAffected: count, queryId } });
      return count;
    } catch (err) {
      const error = clickhouseError(err, this.settings);
      this.onStatement?.({ sql, durationMs: Date.now() - started, nodeId: options.nodeId, error });
      throw refusedRow(error, columns.map((c) => c.name));
    }
  }
}

/**
 * An insert's error that names the row ClickHouse could not parse (`(at row 3)`, counted in the
 * data sent, which has no header) and the column (`name: n, type: Int32, ERROR: ...`).
 */
function refusedRow(error: TsdbtError, columns: string[]): TsdbtError {
  const row = /\(at row (\d+)\)/.exec(error.message);
  if (!row) return error;
  const failing = error.message.split('\n').find((line) => /\bERROR: /.test(line)) ?? '';
  const column = [...columns].sort((a, b) => b.length - a.length).find((c) => failing.includes(`name: ${c}, `)) ?? null;
  return new BulkLoadRowError(Number(row[1]), column, error);
}
