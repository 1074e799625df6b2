// The PostgreSQL adapter: one implementation of the Adapter interface for both connection kinds,
// the server (`type: postgres`, pg pool) and the embedded PGlite (`type: pglite`). Everything
// dialect-specific (SQL, introspection, replaceRelation) is shared; only the ConnectionProvider
// differs. Use `createPostgresAdapter` / `createPgliteAdapter`, or `createAdapter` in ../index.ts.
import {
  queueStatement,
  type Adapter,
  type AdapterCapabilities,
  type BinaryLoadKind,
  type AdapterContext,
  type AdapterTargetConfig,
  type ColumnInfo,
  type Connection,
  type ExecuteOptions,
  type InPlaceBuild,
  type QueuedStatement,
  type RelationStats,
  type RunLock,
  type SqlBuilders,
  type WarehouseInfo,
} from '../adapter.js';
import { Relation, type RelationParts, type RelationType } from '../relation.js';
import { PostgresConnection } from './postgres-connection.js';
import type { ConnectionProvider } from './postgres-provider.js';
import { PipelineRefused } from '../pipeline.js';
import { findRelation, hasUniqueIndexOn, listColumns, listSchemaColumns, listSchemaFunctions, listSchemaRelations, schemaExists, withNumericPrecision } from './postgres-introspector.js';
import { binaryLoadKinds } from './postgres-binary-kinds.js';
import { buildInPlace, replaceRelation } from './postgres-replace.js';
import { RelationCache } from './postgres-relation-cache.js';
import { postgresRules } from './postgres-rules.js';
import { coreQueries } from '../default-queries.js';
import { quoteIdentifier, quoteString } from './postgres-sql.js';
import { postgresSql } from './postgres-sql.js';
import { isTsdbtError } from '../../errors/tsdbt-error.js';
import type * as ServerModuleTypes from './postgres-server.js';

/** PostgreSQL 15+ (the server) and PGlite (PostgreSQL 17+) both have transactional DDL and MERGE. */
export const POSTGRES_CAPABILITIES: AdapterCapabilities = Object.freeze({
  transactionalDdl: true,
  transactions: true,
  merge: true, updateInPlace: true,
  materializedViews: true,
  metadataByRelations: true,
  microbatchMergesOnUniqueKey: true,
});

/** The statements core code runs on its own relations: the ANSI ones. */
export const POSTGRES_QUERIES = coreQueries(postgresSql);

/** SQLSTATEs a concurrent `create schema if not exists` can still raise. */
const DUPLICATE_SCHEMA_CODES = new Set(['sqlstate-42P06', 'sqlstate-23505']);

/** The Adapter over one ConnectionProvider. */
export class PostgresAdapter implements Adapter {
  readonly capabilities = POSTGRES_CAPABILITIES;
  readonly sql: SqlBuilders = postgresSql;
  readonly rules = postgresRules;
  readonly queries = POSTGRES_QUERIES;
  /** describeQuery's temporary views so far (their names). */
  private describeCount = 0;
  /** The relations of the schemas this adapter's swaps built into, as far as it knows (a guess the server checks). */
  private readonly relations = new RelationCache();

  constructor(
    readonly type: string,
    readonly target: AdapterTargetConfig,
    readonly defaultDatabase: string,
    private readonly provider: ConnectionProvider,
  ) {}

  relation(parts: RelationParts): Relation {
    return new Relation(parts, this.sql);
  }

  withConnection<T>(fn: (conn: Connection) => Promise<T>): Promise<T> {
    return this.provider.withConnection(fn);
  }

  follow<T>(leader: Connection, fn: (conn: Connection) => Promise<T>, adopted: Promise<void>): Promise<T> {
    // Only a server session queues (`leading` is never true on PGlite's), so the provider has `follow`.
    if (!this.provider.follow || !(leader instanceof PostgresConnection)) return Promise.reject(new PipelineRefused('this connection kind cannot queue a node behind another'));
    return this.provider.follow(leader, fn, adopted);
  }

  async getRelation(conn: Connection, parts: RelationParts): Promise<Relation | null> {
    const found = await findRelation(conn, parts);
    if (!found) return null;
    return this.relation({
      database: parts.database ?? this.defaultDatabase,
      schema: found.schema,
      identifier: found.identifier,
      type: found.type,
    });
  }

  knownRelations(schema: string): ReadonlyMap<string, { type: RelationType }> | undefined {
    return this.relations.known(schema);
  }

  async listRelations(conn: Connection, database: string | null, schema: string): Promise<Relation[]> {
    const found = await listSchemaRelations(conn, schema);
    return found.map((r) =>
      this.relation({ database: database ?? this.defaultDatabase, schema: r.schema, identifier: r.identifier, type: r.type }),
    );
  }

  listFunctions(conn: Connection, _database: string | null, schema: string): Promise<string[]> {
    return listSchemaFunctions(conn, schema);
  }

  getColumns(conn: Connection, relation: Relation): Promise<ColumnInfo[]> {
    return listColumns(conn, relation.schema, relation.identifier).then((columns) => columns.map(withNumericPrecision));
  }

  getSchemaColumns(conn: Connection, _database: string | null, schema: string): Promise<Map<string, ColumnInfo[]>> {
    return listSchemaColumns(conn, schema);
  }

  async describeQuery(conn: Connection, selectSql: string): Promise<ColumnInfo[]> {
    // A temporary view has the query's column names and types without running it; it lives in
    // this session's pg_temp schema and is dropped at once (inside a savepoint when a transaction
    // is open, so a failing query does not abort the caller's work).
    // Numbered, not random: unique within the session, and the same statements on every run.
    const name = `tsdbt_describe_${++this.describeCount}`;
    return conn.transaction(async (tx) => {
      await tx.execute(`create temporary view ${quoteIdentifier(name)} as\n${selectSql}`);
      try {
        return await listColumns(tx, null, name);
      } finally {
        await tx.execute(`drop view if exists ${quoteIdentifier(name)}`);
      }
    });
  }

  hasUniqueKey(conn: Connection, relation: Relation, keys: string[]): Promise<boolean> {
    return hasUniqueIndexOn(conn, relation.schema, relation.identifier, keys);
  }

  binaryLoadKinds(conn: Connection, relation: Relation, columns: string[]): Promise<(BinaryLoadKind | null)[]> {
    return binaryLoadKinds(conn, relation.schema, relation.identifier, columns);
  }

  schemaExists(conn: Connection, _database: string | null, schema: string): Promise<boolean> {
    return schemaExists(conn, schema);
  }

  forgetSchema(_database: string | null, schema: string): void {
    this.relations.forget(schema);
  }

  async createSchemaIfMissing(conn: Connection, database: string | null, schema: string): Promise<void> {
    // Checking the schema lists its relations for the run's swaps (dbt lists each schema once too);
    // a schema listed already is known to exist.
    if (this.relations.listed(schema) || (await this.relations.list(conn, schema))) return;
    const create = this.sql.createSchema(database, schema);
    try {
      // In a savepoint when the caller has a transaction open, sent at once, so a lost race is
      // caught here and does not abort the caller's transaction. Otherwise it travels with its
      // COMMIT (one round trip, not two; a lost race fails the COMMIT's trip with its SQLSTATE).
      const nested = conn.inTransaction === true;
      await conn.transaction(async (tx) => {
        if (nested) await tx.execute(create);
        else await queueStatement(tx, create);
      });
      this.relations.created(schema);
    } catch (err) {
      if (isTsdbtError(err) && DUPLICATE_SCHEMA_CODES.has(err.code)) return; // created concurrently
      throw err;
    }
  }

  replaceRelation(conn: Connection, staging: Relation, target: Relation, _existing: Relation | null): Promise<void> {
    // The catalog, not `existing`, decides what to drop: read inside the transaction, or guessed
    // from the run's relation cache and checked by the server.
    return replaceRelation(conn, this.sql, staging, target, this.relations);
  }

  buildInPlace(conn: Connection, target: Relation, build: InPlaceBuild, options?: ExecuteOptions): Promise<QueuedStatement | null> {
    return buildInPlace(conn, this.sql, target, build, this.relations, options);
  }

  async catalogStats(conn: Connection, _database: string | null, schema: string): Promise<{ relations: Map<string, RelationStats>; approximate: boolean }> {
    // dbt-postgres's catalog: the owner's name and the relation's comment; the row estimate of tables.
    const { rows } = await conn.execute(
      [
        "select c.relname as name, case when c.relkind in ('r', 'p', 'm') and c.reltuples >= 0 then c.reltuples::bigint end as n,",
        "  pg_get_userbyid(c.relowner) as owner, obj_description(c.oid, 'pg_class') as comment",
        'from pg_class c join pg_namespace ns on ns.oid = c.relnamespace',
        `where ns.nspname = ${quoteString(schema)} and c.relkind in ('r', 'p', 'm', 'v', 'f')`,
      ].join('\n'),
    );
    const stats = (r: Record<string, unknown>): RelationStats => ({
      ...(r.n === null || r.n === undefined ? {} : { rows: Number(r.n) }),
      owner: r.owner === null || r.owner === undefined ? null : String(r.owner),
      comment: r.comment === null || r.comment === undefined ? null : String(r.comment),
    });
    return { relations: new Map(rows.map((r) => [String(r.name), stats(r)])), approximate: true };
  }

  async acquireRunLock(name: string): Promise<RunLock | null> {
    if (this.provider.acquireSessionLock) return this.provider.acquireSessionLock(`tsdbt:run:${name}`);
    return { release: () => Promise.resolve() };
  }

  async lockRelation(conn: Connection, relation: Relation, options: { queue?: boolean } = {}): Promise<void> {
    // Transaction-scoped: released at commit or rollback, and by the server if the process dies.
    const lock = `select pg_advisory_xact_lock(hashtextextended(${quoteString(`tsdbt:${relation.render()}`)}, 0))`;
    if (options.queue) await queueStatement(conn, lock);
    else await conn.execute(lock);
  }

  async cancelRunning(): Promise<void> {
    await this.provider.cancelAll?.();
  }

  openAhead(): void {
    this.provider.openAhead?.();
  }

  connectAhead(): void {
    this.provider.connectAhead?.();
  }

  async info(): Promise<WarehouseInfo> {
    return { version: await this.provider.version(), location: this.provider.place.location };
  }

  close(): Promise<void> {
    return this.provider.close();
  }
}

type ServerModule = typeof ServerModuleTypes;

/**
 * postgres-server.js and pg with it. pg's lib/stream.js asks as it loads whether it runs in a
 * Cloudflare Worker: where no `navigator` global answers (Node 20), it builds a web `Response`,
 * which loads Node's bundled undici (40-50 ms of every run's start). Node 21 and later define
 * `navigator.userAgent` ('Node.js/21'), and pg answers from it; Node 20 gets the same global while
 * pg loads, and loses it again.
 */
async function importServerModule(): Promise<ServerModule> {
  if ('navigator' in globalThis) return import('./postgres-server.js');
  Object.defineProperty(globalThis, 'navigator', { value: { userAgent: `Node.js/${process.versions.node.split('.')[0]}` }, configurable: true, writable: true });
  try {
    return await import('./postgres-server.js');
  } finally {
    delete (globalThis as { navigator?: unknown }).navigator;
  }
}

/** `type: postgres`: a PostgreSQL server through a pg pool of `threads` connections. */
export async function createPostgresAdapter(target: AdapterTargetConfig, context: AdapterContext): Promise<Adapter> {
  const { openServer, serverDatabase } = await importServerModule();
  const database = serverDatabase(target);
  return new PostgresAdapter('postgres', { ...target, database }, database, openServer(target, context));
}

/** `type: pglite`: an embedded PGlite database in `path` (relative to the project) or in memory. */
export async function createPgliteAdapter(target: AdapterTargetConfig, context: AdapterContext): Promise<Adapter> {
  const { openPglite, PGLITE_DATABASE } = await import('./pglite-connection.js');
  const provider = await openPglite(target, context);
  return new PostgresAdapter('pglite', { ...target, database: PGLITE_DATABASE }, PGLITE_DATABASE, provider);
}
