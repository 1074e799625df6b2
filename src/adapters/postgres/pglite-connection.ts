// The embedded connection kind (`type: pglite`): one PGlite instance (PostgreSQL compiled to WASM)
// in this process, on a data directory (locked, see pglite-lock.ts) or in memory. PGlite is a single
// session, so `withConnection` serialises callers with a mutex: one thread's transaction never
// interleaves with another thread's statements. A `withConnection` nested inside another (same async
// context) re-enters instead of deadlocking, and gets the outer connection (and its transaction). Bulk loads use COPY ... FROM '/dev/blob' with the
// rows encoded as CSV into a Blob, one COPY per 32 MB batch (see postgres-connection.ts).
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { AdapterContext, AdapterTargetConfig } from '../adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PostgresConnection, type ConnectionProvider, type DriverResult, type PostgresSession } from './postgres-connection.js';
import type { ErrorPlace } from './postgres-errors.js';
import { acquireDataDirLock, type DataDirLock } from './pglite-lock.js';
import { parserTable } from './postgres-values.js';

/** The database PGlite creates and tsdbt uses. */
export const PGLITE_DATABASE = 'postgres';

const MEMORY_PATHS = new Set(['memory', ':memory:', 'memory://']);

/** A FIFO mutex: `lock()` resolves with the function that unlocks. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();

  lock(): Promise<() => void> {
    let unlock!: () => void;
    const next = new Promise<void>((resolve) => (unlock = resolve));
    const ready = this.tail.then(() => unlock);
    this.tail = this.tail.then(() => next);
    return ready;
  }
}

function sessionFor(db: PGlite): PostgresSession {
  const toDriver = (results: Awaited<ReturnType<PGlite['exec']>>): DriverResult[] =>
    results.map((r) => ({
      command: r.command ?? null,
      rowCount: r.rowCount ?? null,
      fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: r.rows as Record<string, unknown>[],
    }));
  return {
    copySource: 'blob',
    async query(sql: string): Promise<DriverResult[]> {
      return toDriver(await db.exec(sql));
    },
    async copyCsv(copySql: string, chunks: AsyncIterable<string>): Promise<number> {
      const parts: string[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      const results = toDriver(await db.exec(copySql, { blob: new Blob(parts) }));
      return results[results.length - 1]?.rowCount ?? Number.NaN;
    },
  };
}

/** Where a pglite target's data lives: an absolute directory, or null for in-memory. */
export function pgliteDataDir(target: AdapterTargetConfig, context: AdapterContext): string | null {
  const raw = target.path;
  if (raw !== undefined && raw !== null && typeof raw !== 'string') {
    throw new TsdbtError(`profile target '${target.name}' (type pglite): \`path\` must be a string`, {
      code: 'profile-invalid',
      category: 'user',
      hint: 'write `path: warehouse` (a directory, relative to the project) or `path: memory`',
    });
  }
  if (raw && MEMORY_PATHS.has(raw.trim())) return null;
  return raw ? path.resolve(context.projectDir, raw) : path.join(context.targetDir, 'pglite');
}

class PgliteProvider implements ConnectionProvider {
  readonly place: ErrorPlace;
  private readonly mutex = new Mutex();
  /** The connection of the caller holding the mutex, in that caller's async context. */
  private readonly holder = new AsyncLocalStorage<PostgresConnection>();
  private readonly session: PostgresSession;
  private closed = false;

  constructor(
    private readonly db: PGlite,
    private readonly dataDir: string | null,
    private readonly lock: DataDirLock | null,
    private readonly context: AdapterContext,
  ) {
    this.place = { kind: 'pglite', location: dataDir ?? ':memory:' };
    this.session = sessionFor(db);
  }

  async withConnection<T>(fn: (conn: PostgresConnection) => Promise<T>): Promise<T> {
    const held = this.holder.getStore();
    if (held) return fn(held);
    const unlock = await this.mutex.lock();
    try {
      if (this.closed) {
        throw new TsdbtError('the adapter is closed', { code: 'adapter-closed', category: 'internal' });
      }
      const conn = new PostgresConnection(this.session, this.context, this.place);
      return await this.holder.run(conn, () => fn(conn));
    } finally {
      unlock();
    }
  }

  async version(): Promise<string> {
    const result = await this.withConnection((conn) => conn.execute('select version() as version'));
    const full = String(result.rows[0]?.version ?? '');
    const pg = /PostgreSQL ([\d.]+)/.exec(full)?.[1] ?? '?';
    const lite = /PGlite ([\d.]+)/.exec(full)?.[1];
    return lite ? `PGlite ${lite} (PostgreSQL ${pg})` : `PGlite (PostgreSQL ${pg})`;
  }

  async close(): Promise<void> {
    const unlock = await this.mutex.lock();
    try {
      if (this.closed) return;
      this.closed = true;
      await this.db.close();
    } finally {
      this.lock?.release();
      unlock();
    }
  }
}

/** Opens a pglite target: takes the directory lock, then starts PGlite (creating the database). */
export async function openPglite(target: AdapterTargetConfig, context: AdapterContext): Promise<ConnectionProvider> {
  const dataDir = pgliteDataDir(target, context);
  const lock = dataDir === null ? null : acquireDataDirLock(dataDir);
  try {
    const db = await PGlite.create({
      ...(dataDir === null ? {} : { dataDir }),
      database: PGLITE_DATABASE,
      parsers: parserTable(),
    });
    return new PgliteProvider(db, dataDir, lock, context);
  } catch (err) {
    lock?.release();
    throw new TsdbtError(`cannot open the PGlite database ${dataDir ?? ':memory:'}: ${(err as Error).message}`, {
      code: 'warehouse-open',
      category: 'database',
      hint: 'if the directory holds something other than a PGlite database, point `path` elsewhere',
      cause: err,
    });
  }
}
