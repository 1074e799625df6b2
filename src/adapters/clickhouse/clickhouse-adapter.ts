// The ClickHouse adapter (`type: clickhouse`): a server over HTTP, or embedded chDB with
// `driver: chdb` and `path:`, both through `@clickhouse/client`. chDB is optional (its native
// library is about 540 MB): not a dependency of tsdbt, installed with `npm install chdb` by those
// who use it (the test set-up does), and loaded only when an embedded target is used.
// Introspection reads system.tables / system.columns; a rebuilt relation replaces the old one with
// EXCHANGE TABLES (one atomic step), or a rename when there is nothing to replace; in a database
// that cannot exchange (an `Ordinary` one), the old table is renamed aside, the new one renamed into
// place and the old dropped, as dbt-clickhouse does when `can_exchange` is false.
import type { ClickHouseClient } from '@clickhouse/client';
import type {
  Adapter,
  AdapterResponse,
  AdapterCapabilities,
  AdapterContext,
  AdapterTargetConfig,
  ColumnInfo,
  Connection,
  CoreQueries,
  RelationStats,
  RunLock,
  SqlBuilders,
  WarehouseInfo,
} from '../adapter.js';
import { Relation, type RelationParts, type RelationType } from '../relation.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { ClickHouseConnection, clickhouseError } from './clickhouse-connection.js';
import { acquireLease } from './clickhouse-lease.js';
import { clickhouseRules } from './clickhouse-rules.js';
import { coreQueries } from '../default-queries.js';
import { clickhouseSettings, type ClickHouseSettings } from './clickhouse-profile.js';
import { clickhouseSql, quoteIdentifier, quoteString } from './clickhouse-sql.js';
import { parseViewDefinition } from './clickhouse-materialized-view.js';
import { EXCHANGE_ENGINES } from './clickhouse-template-members.js';

export const CLICKHOUSE_CAPABILITIES: AdapterCapabilities = {
  transactionalDdl: false,
  transactions: false,
  merge: false,
  updateInPlace: false,
  // dbt-postgres's materialized views: no. dbt-clickhouse's (insert triggers into the model's table)
  // are `SqlBuilders.triggerViews` (clickhouse-materialized-view.ts).
  materializedViews: false,
  metadataByRelations: true,
  insertsOnlyAppend: true,
  appendRefusesSyncChanges: true,
  // dbt-clickhouse's calculate_incremental_strategy: `strategy.replace('+', '_')`, and `default` is
  // no strategy (delete+insert with a key, as tsdbt's deletes are lightweight).
  incrementalStrategyAliases: { delete_insert: 'delete+insert', 'insert+overwrite': 'insert_overwrite', default: null },
  // dbt-clickhouse defines these with adapter='clickhouse'.
  ownMaterializations: ['table', 'view', 'incremental', 'distributed_table', 'distributed_incremental', 'materialized_view', 'dictionary'],
};

const VIEW_ENGINES = new Set(['View', 'LiveView', 'WindowView']);

function relationType(engine: unknown): RelationType {
  const name = String(engine ?? '');
  if (VIEW_ENGINES.has(name)) return 'view';
  if (name === 'MaterializedView') return 'materialized_view';
  if (name === 'Dictionary') return 'dictionary';
  return 'table';
}

/** The clients of a target: `base` on the server's `default` database, and over HTTP one whose requests name the profile's. */
interface Clients {
  base: ClickHouseClient;
  inDatabase?: ClickHouseClient;
}

async function openClients(settings: ClickHouseSettings): Promise<Clients> {
  const base = await openClient(settings, 'default');
  if (settings.driver !== 'http' || settings.database === 'default') return { base };
  return { base, inDatabase: await openClient(settings, settings.database) };
}

async function openClient(settings: ClickHouseSettings, database: string): Promise<ClickHouseClient> {
  const { createClient, ClickHouseLogLevel } = await import('@clickhouse/client');
  const common = {
    // tsdbt reports failures itself (as TsdbtError, once); the client's own console logging is off.
    log: { level: ClickHouseLogLevel.OFF },
    clickhouse_settings: { ...settings.customSettings, output_format_json_quote_64bit_integers: 1 } as Record<string, unknown>,
  };
  if (settings.driver === 'http') {
    return createClient({
      url: settings.url,
      username: settings.user,
      password: settings.password,
      database,
      max_open_connections: settings.threads,
      request_timeout: settings.requestTimeoutMs,
      ...common,
      // Progress headers keep long statements alive through proxies' idle timeouts.
      clickhouse_settings: { ...common.clickhouse_settings, send_progress_in_http_headers: 1 },
    });
  }
  let chdb: { createChdbConnection(options: { path: string }): unknown };
  try {
    // Not a dependency of tsdbt (its engine is about 540 MB): installed by those who use it, so the
    // specifier is a variable and the compiler does not require its types.
    const specifier = 'chdb/connection';
    chdb = (await import(specifier)) as typeof chdb;
  } catch (err) {
    throw new TsdbtError('the embedded ClickHouse (driver: chdb) needs the optional package `chdb`, which is not installed', {
      code: 'chdb-missing',
      category: 'user',
      hint: 'run `npm install chdb@3.4` (about 540 MB: the ClickHouse engine), or point the profile at a ClickHouse server (driver: http)',
      cause: err,
    });
  }
  return createClient({ connection: chdb.createChdbConnection({ path: String(settings.path) }), ...common } as unknown as Parameters<typeof createClient>[0]);
}

export class ClickHouseAdapter implements Adapter {
  readonly type = 'clickhouse';
  readonly capabilities = CLICKHOUSE_CAPABILITIES;
  readonly sql: SqlBuilders;
  readonly defaultDatabase = '';
  private readonly conn: ClickHouseConnection;
  /** Per database: whether its engine exchanges tables (read once, at its first replaced relation). */
  private readonly exchanges = new Map<string, boolean>();
  readonly rules = clickhouseRules;
  readonly queries: CoreQueries;

  constructor(
    readonly target: AdapterTargetConfig,
    private readonly settings: ClickHouseSettings,
    private readonly clients: Clients,
    context: AdapterContext,
  ) {
    this.sql = clickhouseSql({
      cluster: settings.cluster,
      databaseEngine: settings.databaseEngine,
      localSuffix: settings.localSuffix,
      localDbPrefix: settings.localDbPrefix,
      credentials: { user: settings.user, password: settings.password, database: settings.database },
      checkExchange: settings.checkExchange,
      allowAutomaticDeduplication: settings.allowAutomaticDeduplication,
    });
    this.queries = coreQueries(this.sql);
    // dbt-clickhouse makes the profile's database the connection's default (created when missing).
    const defaultDatabase = settings.database === 'default' ? undefined : { name: settings.database, createSql: this.sql.createSchema(null, settings.database), inDatabase: clients.inDatabase };
    this.conn = new ClickHouseConnection(clients.base, settings, context.onStatement, context.queryComment, defaultDatabase, context.beforeStatement);
  }

  relation(parts: RelationParts): Relation {
    return new Relation({ ...parts, database: null }, this.sql);
  }

  /** HTTP requests are independent, so callers share one client (its pool holds `threads` sockets). */
  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return fn(this.conn);
  }

  async getRelation(conn: Connection, parts: RelationParts): Promise<Relation | null> {
    const database = parts.schema ?? this.settings.database;
    const { rows } = await conn.execute(`select name, engine from system.tables where database = ${quoteString(database)} and name = ${quoteString(parts.identifier)}`);
    const row = rows[0];
    return row ? this.relation({ schema: database, identifier: String(row.name), type: relationType(row.engine) }) : null;
  }

  async listRelations(conn: Connection, _database: string | null, schema: string): Promise<Relation[]> {
    const { rows } = await conn.execute(`select name, engine from system.tables where database = ${quoteString(schema)} order by name`);
    return rows.map((row) => this.relation({ schema, identifier: String(row.name), type: relationType(row.engine) }));
  }

  async getColumns(conn: Connection, relation: Relation): Promise<ColumnInfo[]> {
    const database = relation.schema ?? this.settings.database;
    const { rows } = await conn.execute(
      `select name, type, position, comment from system.columns where database = ${quoteString(database)} and table = ${quoteString(relation.identifier)} order by position`,
    );
    return rows.map(columnOf);
  }

  async getSchemaColumns(conn: Connection, _database: string | null, schema: string): Promise<Map<string, ColumnInfo[]>> {
    const { rows } = await conn.execute(`select table, name, type, position, comment from system.columns where database = ${quoteString(schema)} order by table, position`);
    const out = new Map<string, ColumnInfo[]>();
    for (const row of rows) {
      const table = String(row.table);
      const columns = out.get(table) ?? [];
      if (columns.length === 0) out.set(table, columns);
      columns.push(columnOf(row));
    }
    return out;
  }

  async describeQuery(conn: Connection, selectSql: string): Promise<ColumnInfo[]> {
    const { rows } = await conn.execute(`describe table (\n${selectSql}\n)`);
    return rows.map((row, i) => ({ name: String(row.name), dataType: String(row.type), position: i + 1, nullable: /^Nullable\(/.test(String(row.type)) }));
  }

  hasUniqueKey(): Promise<boolean> {
    return Promise.resolve(false); // ClickHouse enforces no unique keys.
  }

  async schemaExists(conn: Connection, _database: string | null, schema: string): Promise<boolean> {
    const { rows } = await conn.execute(`select name from system.databases where name = ${quoteString(schema)}`);
    return rows.length > 0;
  }

  async createSchemaIfMissing(conn: Connection, database: string | null, schema: string): Promise<void> {
    await conn.execute(this.sql.createSchema(database, schema));
  }

  async replaceRelation(conn: Connection, staging: Relation, target: Relation, _existing: Relation | null): Promise<void> {
    const current = await this.getRelation(conn, { schema: target.schema, identifier: target.identifier });
    if (!current) {
      await conn.execute(this.sql.renameRelation(staging, target.identifier));
      return;
    }
    // Views and dictionaries do not exchange with other kinds of relation.
    const exchangeable = (type: RelationType | null | undefined) => type !== 'view' && type !== 'dictionary';
    if ((current.type === (staging.type ?? 'table') && current.type !== 'dictionary') || (exchangeable(current.type) && exchangeable(staging.type))) {
      if (!(await this.exchangesTables(conn, target.schema ?? this.settings.database))) {
        // dbt-clickhouse's table materialization without can_exchange: the old renamed aside, the new
        // into place, both in one RENAME statement (dbt-clickhouse sends two), so a client killed
        // between them cannot leave the model's name without a table: the server runs it whole.
        const backup = target.with({ identifier: `${target.identifier}__dbt_backup`, type: current.type });
        await conn.execute(this.sql.dropRelation(backup, current.type ?? 'table'));
        await conn.execute(`rename table ${target.render()} to ${backup.render()}, ${staging.render()} to ${target.render()}`);
        await conn.execute(this.sql.dropRelation(backup, current.type ?? 'table'));
        return;
      }
      // One atomic step: readers see the old or the new relation, never none.
      const cluster = this.settings.cluster ? ` on cluster ${quoteIdentifier(this.settings.cluster)}` : '';
      await conn.execute(`exchange tables ${staging.render()} and ${target.render()}${cluster}`);
      await conn.execute(this.sql.dropRelation(staging.with({ type: current.type }), current.type ?? 'table'));
      return;
    }
    // A table becoming a view or a dictionary (or back): ClickHouse cannot exchange them; drop, then rename.
    if (staging.type === 'view') await this.dropOwnTriggerView(conn, target);
    await conn.execute(this.sql.dropRelation(current, current.type ?? 'table'));
    await conn.execute(this.sql.renameRelation(staging, target.identifier));
  }

  /** Whether the database `schema` exchanges tables atomically (dbt-clickhouse's can_exchange: an Atomic, Replicated or Shared database). */
  private async exchangesTables(conn: Connection, schema: string): Promise<boolean> {
    let known = this.exchanges.get(schema);
    if (known === undefined) {
      const { rows } = await conn.execute(`select engine from system.databases where name = ${quoteString(schema)}`);
      const engine = String(rows[0]?.engine ?? '');
      // chDB's `default` database is an Overlay one, whose tables exchange as well (chDB 3.4).
      known = EXCHANGE_ENGINES.has(engine) || engine === 'Overlay';
      this.exchanges.set(schema, known);
    }
    return known;
  }

  /**
   * A model that was a materialized view becomes a view: its `<name>_mv` writing into the table
   * would make every insert into the source fail, so it goes (dbt-clickhouse's view materialization,
   * clickhouse__drop_associated_mv_if_it_was_automatically_created).
   */
  private async dropOwnTriggerView(conn: Connection, target: Relation): Promise<void> {
    const schema = target.schema ?? this.settings.database;
    const name = `${target.identifier}_mv`;
    const { rows } = await conn.execute(`select create_table_query from system.tables where database = ${quoteString(schema)} and name = ${quoteString(name)} and engine = 'MaterializedView'`);
    const definition = rows[0] ? parseViewDefinition(String(rows[0].create_table_query ?? '')) : null;
    if (definition?.target === `${schema}.${target.identifier}`) await conn.execute(this.sql.triggerViews!.drop(target.with({ identifier: name, type: 'materialized_view' })));
  }

  async replacePartitions(conn: Connection, target: Relation, selectSql: string, nodeId: string): Promise<AdapterResponse> {
    // The new rows go to a table of the target's exact structure (engine and partition key
    // included); each partition they touch then replaces the target's in one step.
    const staging = target.with({ identifier: `${target.identifier}__tsdbt_overwrite` });
    await conn.execute(this.sql.dropRelation(staging, 'table'), { nodeId });
    await conn.execute(`create table ${staging.render()} as ${target.render()}`, { nodeId });
    try {
      await conn.execute(`insert into ${staging.render()}\n${selectSql}`, { nodeId });
      const { rows } = await conn.execute(`select distinct _partition_id as id from ${staging.render()} order by id`, { nodeId });
      for (const row of rows) await conn.execute(`alter table ${target.render()} replace partition id ${quoteString(String(row.id))} from ${staging.render()}`, { nodeId });
      const { rows: counted } = await conn.execute(`select count() as n from ${staging.render()}`, { nodeId });
      const n = Number(counted[0]?.n ?? 0);
      return { message: `INSERT ${n} (${rows.length} partition${rows.length === 1 ? '' : 's'} replaced)`, code: 'INSERT', rowsAffected: n };
    } finally {
      await conn.execute(this.sql.dropRelation(staging, 'table'), { nodeId });
    }
  }

  /** ClickHouse has no locks a transaction could hold; overlapping runs are the scheduler's job. */
  async lockRelation(): Promise<void> {}

  async catalogStats(conn: Connection, _database: string | null, schema: string): Promise<{ relations: Map<string, RelationStats>; approximate: boolean }> {
    // `*`: system.tables gained `comment` in ClickHouse 21; older servers have no table comments.
    const { rows } = await conn.execute(`select * from system.tables where database = ${quoteString(schema)}`);
    // No row count: dbt-clickhouse's get_catalog reads no stats columns, so its catalog has only has_stats (false).
    const stats = (r: Record<string, unknown>): RelationStats => ({
      owner: null,
      comment: typeof r.comment === 'string' && r.comment !== '' ? r.comment : null,
    });
    return { relations: new Map(rows.map((r) => [String(r.name), stats(r)])), approximate: false };
  }

  async acquireRunLock(name: string): Promise<RunLock | null> {
    if (this.settings.driver === 'chdb') return { release: () => Promise.resolve() };
    return acquireLease(this.conn, this.settings.database, name);
  }

  cancelRunning(): Promise<void> {
    return this.conn.cancelAll();
  }

  async info(): Promise<WarehouseInfo> {
    const { rows } = await this.conn.execute('select version() as version');
    const place = this.settings.driver === 'chdb' ? `chDB at ${String(this.settings.path)}` : this.settings.url;
    return { version: `ClickHouse ${String(rows[0]?.version ?? '?')}${this.settings.driver === 'chdb' ? ' (chDB)' : ''}`, location: `${place}, database ${this.settings.database}` };
  }

  async close(): Promise<void> {
    await Promise.all([this.clients.base.close(), this.clients.inDatabase?.close()]);
  }
}

export async function createClickHouseAdapter(target: AdapterTargetConfig, context: AdapterContext): Promise<Adapter> {
  const settings = clickhouseSettings(target, context.projectDir, context.targetDir);
  let clients: Clients;
  try {
    clients = await openClients(settings);
  } catch (err) {
    throw clickhouseError(err, settings);
  }
  return new ClickHouseAdapter({ ...target, schema: settings.database, database: '' }, settings, clients, context);
}

/** A row of system.columns as a column. */
function columnOf(row: Record<string, unknown>): ColumnInfo {
  return {
    name: String(row.name),
    dataType: String(row.type),
    position: Number(row.position),
    nullable: /^Nullable\(/.test(String(row.type)),
    comment: row.comment ? String(row.comment) : null,
  };
}
