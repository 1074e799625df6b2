// The server connection kind (`type: postgres`): a pg.Pool sized by `threads`, each checked-out
// client wrapped as a PostgresConnection. Bulk loads stream CSV through COPY FROM STDIN
// (pg-copy-streams), so a seed or loader batch never has to fit in memory as one string; one
// client as a session is postgres-pooled-session.ts.
import pg from 'pg';
import type { AdapterContext, AdapterTargetConfig } from '../adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PipelineRefused } from '../pipeline.js';
import { PostgresConnection, type PostgresSession, type SessionObjects } from './postgres-connection.js';
import type { ConnectionProvider } from './postgres-provider.js';
import { openWithRetries } from './postgres-connect.js';
import { toTsdbtError, type ErrorPlace } from './postgres-errors.js';
import { readServerSettings, type ServerSettings } from './postgres-profile.js';
import { parserFor } from './postgres-values.js';
import { abortLogin, sessionFor } from './postgres-pooled-session.js';
import { SharedClients } from './postgres-shared-clients.js';
import { continueScram } from './postgres-scram.js';

/** pg's per-client type parsers: ours for text format, raw buffers for binary (never requested). */
const typeParsers = {
  getTypeParser: ((oid: number, format?: string) => (format === 'binary' ? (v: unknown) => v : parserFor(oid))) as never,
};

/**
 * A process killed while the server runs one of its statements (kill -9, the OOM killer) leaves
 * that statement running to its end, holding its locks: a rerun creating the same staging table
 * waits for it. PostgreSQL 14+ can poll the client's socket during a query and abort it
 * once the client is gone (`client_connection_check_interval`, on Linux and most Unixes). It is a
 * start-up setting of every session (the login's `options`, as `DateStyle`): no round trip, and a
 * `RESET ALL` in a hook goes back to it. A server that refuses it at the login (PostgreSQL 13 and
 * older do not know it; a platform without it rejects a non-zero value) is logged into again
 * without it, and the provider's later sessions go without it (`refusesDeadClientCheck`).
 */
const DEAD_CLIENT_CHECK = '-c client_connection_check_interval=5000';
/** Our value parsers read ISO dates; a server configured with another DateStyle must not change that. */
const DATE_STYLE = '-c DateStyle=ISO';

/** True for a login refused because of DEAD_CLIENT_CHECK: an unknown parameter (42704) or a value the platform cannot take (22023). */
export function refusesDeadClientCheck(err: unknown): boolean {
  if (!(err instanceof pg.DatabaseError)) return false;
  return (err.code === '42704' || err.code === '22023') && err.message.includes('client_connection_check_interval');
}

/** True when the error means the session itself is unusable (so the pool must discard it). */
function isBroken(err: unknown): boolean {
  if (!(err instanceof TsdbtError)) return true;
  return err.code === 'warehouse-connection' || /^sqlstate-(08|57P0)/.test(err.code);
}

class ServerProvider implements ConnectionProvider {
  readonly place: ErrorPlace;
  private readonly pool: pg.Pool;
  private readonly initialized = new WeakSet<pg.PoolClient>();
  /** Each pooled client's session objects (PostgresSession.objects): a new client, a reconnect, has none. */
  private readonly objects = new WeakMap<pg.PoolClient, SessionObjects>();
  /** Checked-out clients, whose backends Ctrl-C cancels. */
  private readonly busy = new Set<pg.PoolClient>();
  /** Clients a follower shares with the connection it follows (follow): released after both. */
  private readonly shared = new SharedClients<pg.PoolClient>();
  private readonly config: pg.PoolConfig;
  private closed = false;
  /** Pooled clients whose login is under way (close ends them: the pool would wait for each). */
  private readonly loggingIn = new Set<pg.Client>();
  /** False once the server refused DEAD_CLIENT_CHECK at a login: sessions open without it. */
  private deadClientCheck = true;
  /** The session opened ahead (openAhead, connectAhead), settled when done or failed. */
  private ahead: Promise<boolean> | null = null;
  /** openAhead was asked: the session opened ahead gets its set-up. */
  private setUpAhead = false;

  constructor(
    private readonly settings: ServerSettings,
    private readonly context: AdapterContext,
  ) {
    this.place = { kind: 'postgres', location: `${settings.host}:${settings.port}/${settings.database}` };
    const config: pg.PoolConfig = {
      host: settings.host,
      port: settings.port,
      user: settings.user,
      database: settings.database,
      max: settings.threads,
      ssl: settings.ssl,
      application_name: settings.applicationName,
      idleTimeoutMillis: 30_000,
      allowExitOnIdle: true,
      keepAlive: true,
      types: typeParsers,
    };
    if (settings.password !== undefined) config.password = settings.password;
    if (settings.keepAliveInitialDelayMs !== undefined) config.keepAliveInitialDelayMillis = settings.keepAliveInitialDelayMs;
    // connect_timeout bounds opening a session (the client's own timer, TCP connect to
    // ready-for-query), not the wait for a free pooled session: pg's pool would apply its
    // connectionTimeoutMillis to both, failing a thread that merely waits for a busy one.
    if (settings.connectTimeoutMs !== null) config.connectionTimeoutMillis = settings.connectTimeoutMs;
    this.config = config;
    const { connectionTimeoutMillis, ...poolConfig } = config;
    const startupOptions = () => this.startupOptions();
    const loggingIn = this.loggingIn;
    class TimedClient extends pg.Client {
      constructor(options?: pg.ClientConfig) {
        // pg's pool keeps `password` non-enumerable: copied by name, as a spread drops it.
        super({ ...options, password: options?.password, connectionTimeoutMillis, options: startupOptions() });
        loggingIn.add(this);
        const settled = () => loggingIn.delete(this);
        this.once('connect', settled);
        this.once('end', settled);
      }

      /** pg's SCRAM step, answered in the same turn (postgres-scram.ts). */
      _handleAuthSASLContinue(msg: { data: string }): unknown {
        const own = this as unknown as Parameters<typeof continueScram>[0];
        return continueScram(own, msg.data, () => (pg.Client.prototype as unknown as { _handleAuthSASLContinue(msg: { data: string }): unknown })._handleAuthSASLContinue.call(this, msg));
      }
    }
    this.pool = new pg.Pool({ ...poolConfig, Client: TimedClient });
    // Errors of idle clients (server restart...): the pool drops the client; the next checkout reconnects.
    this.pool.on('error', () => undefined);
  }

  /** The login's `options`: DateStyle, and the dead-client check unless the server refused it. */
  private startupOptions(): string {
    return this.deadClientCheck ? `${DATE_STYLE} ${DEAD_CLIENT_CHECK}` : DATE_STYLE;
  }

  /** `connect` once, and once more without the dead-client check when the server refused it at the login. */
  private async withoutRefusedCheck<T>(connect: () => Promise<T>): Promise<T> {
    try {
      return await connect();
    } catch (err) {
      if (!this.deadClientCheck || !refusesDeadClientCheck(err)) throw err;
      this.deadClientCheck = false;
      return connect();
    }
  }

  /** A pooled client, logged in (see withoutRefusedCheck). */
  private connectPooled(): Promise<pg.PoolClient> {
    return this.withoutRefusedCheck(() => this.pool.connect());
  }

  async acquireSessionLock(key: string): Promise<{ release(): Promise<void> } | null> {
    // A connection outside the pool: the lock lives as long as this session, and the server
    // releases it if the process dies.
    const client = await openWithRetries(
      this.settings,
      () =>
        this.withoutRefusedCheck(async () => {
          const attempt = new pg.Client({ ...this.config, options: this.startupOptions(), application_name: `${this.settings.applicationName} (lock)` });
          attempt.on('error', () => undefined);
          try {
            await attempt.connect();
            return attempt;
          } catch (err) {
            await attempt.end().catch(() => undefined);
            throw err;
          }
        }),
      (err) => toTsdbtError(err, this.place),
    );
    try {
      const { rows } = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [key]);
      if (!rows[0]?.ok) {
        await client.end();
        return null;
      }
    } catch (err) {
      await client.end().catch(() => undefined);
      throw toTsdbtError(err, this.place);
    }
    return {
      release: async () => {
        await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [key]).catch(() => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  /**
   * One pooled connection opened and set up (as withConnection does), then put back in the pool,
   * while the caller goes on: its first withConnection finds it there (or waits in the pool's
   * queue for it, with threads: 1). Once, without retries; a failure is dropped (the first real
   * checkout opens its own and reports).
   */
  openAhead(): void {
    if (this.closed) return;
    if (this.ahead === null && this.pool.totalCount === 0) this.ahead = this.sessionAhead(true);
    // Logged in ahead (connectAhead) but not set up: the set-up follows the login.
    else if (this.ahead !== null && !this.setUpAhead && this.settings.sessionSetup.length > 0) this.ahead = this.ahead.then((loggedIn) => loggedIn && this.sessionAhead(true));
    this.setUpAhead = true;
  }

  /** openAhead's login alone: before the query comment of the set-up's statements is known. */
  connectAhead(): void {
    if (this.closed || this.ahead !== null || this.pool.totalCount > 0) return;
    this.ahead = this.sessionAhead(false);
  }

  /**
   * A pooled client logged in (and `setUp`: its session set up), back in the pool; a failure is
   * dropped (false: openAhead then tries no second login, which would only fail again).
   */
  private sessionAhead(setUp: boolean): Promise<boolean> {
    return (async () => {
      const client = await this.connectPooled();
      const onError = () => undefined;
      client.on('error', onError);
      let broken = true;
      try {
        if (setUp) await this.initialize(client, new PostgresConnection(this.sessionOf(client), this.context, this.place));
        broken = false;
      } finally {
        client.off('error', onError);
        client.release(broken);
      }
    })().then(
      () => true,
      () => false,
    );
  }

  /** The PostgresSession of a pooled client, with the objects its session has made. */
  private sessionOf(client: pg.PoolClient): PostgresSession {
    let objects = this.objects.get(client);
    if (!objects) {
      objects = new Map();
      this.objects.set(client, objects);
    }
    return sessionFor(client, objects);
  }

  /** The session set-up of a new pooled client (the profile's `role`, `search_path`), once per client. */
  private async initialize(client: pg.PoolClient, conn: PostgresConnection): Promise<void> {
    if (this.initialized.has(client)) return;
    for (const sql of this.settings.sessionSetup) await conn.execute(sql);
    this.initialized.add(client);
  }

  async withConnection<T>(fn: (conn: PostgresConnection) => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new TsdbtError('the adapter is closed', { code: 'adapter-closed', category: 'internal' });
    }
    const client = await openWithRetries(this.settings, () => this.connectPooled(), (err) => toTsdbtError(err, this.place));
    const onError = () => undefined; // a checked-out client that loses its socket must not crash the process
    client.on('error', onError);
    this.busy.add(client);
    const conn = new PostgresConnection(this.sessionOf(client), this.context, this.place);
    this.shared.use(conn, client);
    let broken = false;
    try {
      await this.initialize(client, conn);
      return await fn(conn);
    } catch (err) {
      broken = isBroken(err) || conn.inTransaction;
      throw err;
    } finally {
      this.done(conn, client, onError, broken);
    }
  }

  /** A connection's part of its client is over: the client goes back to the pool once no follower uses it. */
  private done(conn: PostgresConnection, client: pg.PoolClient, onError: () => void, broken: boolean): void {
    client.off('error', onError);
    if (!this.shared.end(conn, broken)) return;
    this.busy.delete(client);
    // A session left inside a transaction (an abandoned follower's trip, refused before its
    // ROLLBACK could go) is never handed to the next user: the pool drops it.
    const status = client.getTransactionStatus();
    client.release(this.shared.broken(client) || (status !== null && status !== 'I'));
  }

  async follow<T>(leader: PostgresConnection, fn: (conn: PostgresConnection) => Promise<T>, adopted: Promise<void>): Promise<T> {
    const client = this.shared.clientOf(leader);
    const after = leader.finalRoundTrip;
    if (!client || !after) throw new PipelineRefused('the connection to follow has no final round trip on the wire');
    const onError = () => undefined;
    client.on('error', onError);
    const conn = new PostgresConnection(this.sessionOf(client), this.context, this.place, undefined, { after, adopted, creating: leader.creatingObjects });
    this.shared.use(conn, client);
    let broken = false;
    try {
      return await fn(conn);
    } catch (err) {
      broken = !(err instanceof PipelineRefused) && (isBroken(err) || conn.inTransaction);
      throw err;
    } finally {
      this.done(conn, client, onError, broken);
    }
  }

  async cancelAll(): Promise<void> {
    const pids = [...this.busy].map((c) => (c as unknown as { processID?: number }).processID).filter((pid): pid is number => typeof pid === 'number');
    if (pids.length === 0) return;
    // A connection of its own: the busy ones are waiting on the statements to cancel.
    const client = new pg.Client({ ...this.config, options: this.startupOptions(), connectionTimeoutMillis: 5000 });
    try {
      await client.connect();
      await client.query(`select pg_cancel_backend(pid) from unnest(array[${pids.join(',')}]::int[]) as pid`);
    } catch {
      // Best effort: the server may already be gone.
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  async version(): Promise<string> {
    const result = await this.withConnection((conn) => conn.execute('select version() as version'));
    const full = String(result.rows[0]?.version ?? 'PostgreSQL');
    return full.split(' ').slice(0, 2).join(' ');
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    // pg's pool.end() waits for a login still under way (one started ahead, connectAhead, by a
    // command that then ended without a statement: up to connect_timeout, or forever without one).
    for (const client of this.loggingIn) abortLogin(client);
    await this.pool.end();
  }
}

/** Opens (lazily: the first `withConnection` connects) a PostgreSQL server target. */
export function openServer(target: AdapterTargetConfig, context: AdapterContext): ConnectionProvider {
  return new ServerProvider(readServerSettings(target), context);
}

/** The database a server target names (`dbname` or `database`). */
export function serverDatabase(target: AdapterTargetConfig): string {
  return readServerSettings(target).database;
}
