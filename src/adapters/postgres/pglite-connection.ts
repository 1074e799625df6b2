// The embedded connection kind (`type: pglite`): one PGlite instance (PostgreSQL compiled to WASM)
// in this process, on a data directory (locked, see pglite-lock.ts) or in memory. PGlite is a single
// session, so `withConnection` serialises callers with a mutex: one thread's transaction never
// interleaves with another thread's statements. A `withConnection` nested inside another (same async
// context) re-enters instead of deadlocking, and gets the outer connection (and its transaction). Bulk loads use COPY ... FROM '/dev/blob' with the
// rows encoded as CSV into a Blob, one COPY per 32 MB batch (see postgres-connection.ts). A fault
// PGlite's wasm throws and PGlite swallows (JavaScript stack exhausted) fails the statement, with its
// transaction rolled back (`trapEngineFaults`).
import { AsyncLocalStorage } from 'node:async_hooks';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { AdapterContext, AdapterTargetConfig } from '../adapter.js';
import { TsdbtError } from '../../errors/tsdbt-error.js';
import { PostgresConnection, type DriverResult, type PostgresSession } from './postgres-connection.js';
import type { ConnectionProvider } from './postgres-provider.js';
import type { ErrorPlace } from './postgres-errors.js';
import { acquireDataDirLock, LOCK_FILE_NAME, type DataDirLock } from './pglite-lock.js';
import { fillFromTemplate } from './pglite-template.js';
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

/** The status of PostgreSQL's own error longjmp out of PGlite's wasm, which PGlite handles itself. */
const POSTGRES_MAIN_LONGJMP = 100;

/**
 * PGlite runs each protocol message through the wasm export `_PostgresMainLoopOnce` and swallows
 * whatever it throws, apart from PostgreSQL's own error longjmp. A statement nested so deeply that it
 * exhausts the JavaScript stack (some 7,000 UNION ALLs at Node's default stack) then ends without an
 * error message and reads as a success, and the next statement fails with a misleading error. The
 * export is wrapped here to record such a fault; `take()` returns it once (null when there was none).
 */
function trapEngineFaults(db: PGlite): { take(): unknown } {
  let fault: unknown = null;
  const mod = (db as unknown as { mod?: Record<string, unknown> }).mod;
  const loopOnce = mod?._PostgresMainLoopOnce;
  if (mod && typeof loopOnce === 'function') {
    mod._PostgresMainLoopOnce = (...args: unknown[]) => {
      try {
        return (loopOnce as (...a: unknown[]) => unknown)(...args);
      } catch (err) {
        if ((err as { status?: unknown } | null)?.status !== POSTGRES_MAIN_LONGJMP) fault ??= err;
        throw err;
      }
    };
  }
  return {
    take() {
      const found = fault;
      fault = null;
      return found;
    },
  };
}

/**
 * The statement's real failure, shaped as a PostgreSQL error (SQLSTATE 54001, as the server reports
 * "stack depth limit exceeded"; XX000 for any other fault of the engine).
 */
function engineFaultError(fault: unknown): Error {
  const what = fault instanceof Error ? `${fault.name}: ${fault.message}` : String(fault);
  const stack = fault instanceof RangeError && /call stack/i.test(fault.message);
  const error = new Error(
    stack
      ? `stack depth limit exceeded: the embedded PostgreSQL (PGlite) ran out of JavaScript stack running this statement (${what}); its transaction was rolled back`
      : `the embedded PostgreSQL (PGlite) failed running this statement (${what}); its transaction was rolled back`,
  ) as Error & { code: string; hint: string };
  error.code = stack ? '54001' : 'XX000';
  error.hint = stack
    ? 'the statement is nested too deeply for the embedded database (thousands of UNION ALLs, or deeply nested expressions): split the model into smaller models, or build on a PostgreSQL server'
    : 'run it again with --debug; if it fails again, report it with the statement';
  return error;
}

function sessionFor(db: PGlite): PostgresSession {
  const faults = trapEngineFaults(db);
  const toDriver = (results: Awaited<ReturnType<PGlite['exec']>>): DriverResult[] =>
    results.map((r) => ({
      command: r.command ?? null,
      rowCount: r.rowCount ?? null,
      fields: r.fields.map((f) => ({ name: f.name, dataTypeID: f.dataTypeID })),
      rows: r.rows,
    }));
  /** Runs `run`, failing with the engine's fault if PGlite swallowed one. */
  const checked = async <T>(run: () => Promise<T>): Promise<T> => {
    faults.take();
    const result = await run();
    const fault = faults.take();
    if (fault === null) return result;
    // The statement stopped half-way without PostgreSQL's error handling: roll back whatever
    // transaction it was in (explicit or implicit), so none of its work is ever committed.
    await db.exec('rollback').catch(() => undefined);
    faults.take();
    throw engineFaultError(fault);
  };
  return {
    copySource: 'blob',
    async query(sql: string): Promise<DriverResult[]> {
      return toDriver(await checked(() => db.exec(sql)));
    },
    async copyIn(copySql: string, chunks: AsyncIterable<string | Uint8Array> | Iterable<string | Uint8Array>): Promise<number> {
      const parts: (string | Uint8Array)[] = [];
      for await (const chunk of chunks) parts.push(chunk);
      const results = toDriver(await checked(() => db.exec(copySql, { blob: new Blob(parts) })));
      return results[results.length - 1]?.rowCount ?? Number.NaN;
    },
    inTransaction: () => db.isInTransaction(),
    objects: new Map(),
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
  const lock = dataDir === null ? null : acquireDataDirLock(dataDir, context.onWarning ? { onWarning: context.onWarning } : {});
  try {
    // PGlite's initdb takes seconds: say so rather than going quiet on a first run; a new database
    // is a copy of the template made by the first one (pglite-template.ts).
    if (dataDir !== null && !existsSync(path.join(dataDir, 'PG_VERSION'))) {
      context.onInfo?.(`Creating the embedded database in ${path.relative(context.projectDir, dataDir) || dataDir} (a few seconds, first run only)`);
      await fillFromTemplate(dataDir, new Set([LOCK_FILE_NAME]), async (dir) => {
        const made = await PGlite.create({ dataDir: dir, database: PGLITE_DATABASE });
        await made.close();
      });
    }
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
